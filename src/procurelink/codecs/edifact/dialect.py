"""The partner mapping (``codecs/dialect.py``) applied to EDIFACT message bodies.

Outbound (segments as the mappers write them): DTM 2005 ``2`` becomes the partner's
delivery-date qualifier; the item ids of each LIN group (LIN C212 and the PIAs after it) are
rewritten to the partner's kinds and order, the primary one in LIN C212 and the others in
PIA+1 (ids of other kinds, such as a batch ``NB``, stay in their PIA); omitted segments and
NAD/TDT groups are dropped (UNT is counted afterwards). Inbound: the partner's delivery-date
qualifier is read back to ``2`` (item ids are read by kind, whatever the kind, already).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from procurelink.codecs.dialect import check_omittable, mapping_of, ordered_ids, without_omitted
from procurelink.codecs.edifact.envelope import Message
from procurelink.codecs.edifact.syntax import Segment
from procurelink.codecs.edifact.writer import Element, OutSegment
from procurelink.domain.partner_profile import ITEM_ID_FIELDS, PartnerMapping

DELIVERY = "2"
_PIA_IDS = 5  # C212 repeats five times in PIA
# Segment groups dropped with their trigger segment.
_LOOPS = {
    "NAD": frozenset({"LOC", "FII", "RFF", "DTM", "DOC", "CTA", "COM"}),
    "TDT": frozenset({"LOC", "DTM", "TSR", "RFF"}),
    "CTA": frozenset({"COM"}),
}
_STRUCTURAL = frozenset({"UNH", "UNT", "BGM", "LIN", "UNS", "CPS", "SCC"})


def check(options: Mapping[str, Any]) -> None:
    """Refuse, with ConfigurationError, a mapping this syntax cannot apply (profile checks)."""
    mapping = mapping_of(options)
    if mapping is not None:
        check_omittable(mapping, _STRUCTURAL, "EDIFACT")


def outbound(segments: list[OutSegment], options: Mapping[str, Any]) -> list[OutSegment]:
    mapping = mapping_of(options)
    if mapping is None:
        return segments
    check_omittable(mapping, _STRUCTURAL, "EDIFACT")
    written = [_delivery_out(segment, mapping) for segment in segments]
    if mapping.item_ids:
        written = _item_ids(written, mapping)
    return without_omitted(written, mapping.omit, _LOOPS, _tag, _qualifier)


def inbound(message: Message, options: Mapping[str, Any]) -> Message:
    mapping = mapping_of(options)
    qualifier = mapping.delivery_date_qualifier if mapping else None
    if not qualifier or qualifier == DELIVERY:
        return message
    segments = [_delivery_in(segment, qualifier) for segment in message.segments]
    return dataclasses.replace(message, segments=segments)


def _tag(segment: OutSegment) -> str:
    tag = segment[0]
    assert isinstance(tag, str)
    return tag


def _qualifier(segment: OutSegment) -> str:
    if len(segment) < 2:
        return ""
    first = segment[1]
    return first if isinstance(first, str) else (first[0] if first else "")


def _delivery_out(segment: OutSegment, mapping: PartnerMapping) -> OutSegment:
    qualifier = mapping.delivery_date_qualifier
    if qualifier and segment[0] == "DTM" and _qualifier(segment) == DELIVERY:
        first = segment[1]
        rest = first[1:] if isinstance(first, tuple) else ()
        return ("DTM", (qualifier, *rest), *segment[2:])
    return segment


def _delivery_in(segment: Segment, qualifier: str) -> Segment:
    if segment.tag != "DTM" or segment.get(1) != qualifier:
        return segment
    raw = segment.elements[0]
    cut = raw.find(segment.service.component)
    renamed = DELIVERY + (raw[cut:] if cut >= 0 else "")
    return Segment(
        segment.tag,
        [renamed, *segment.elements[1:]],
        segment.number,
        segment.offset,
        segment.service,
        segment.escaped,
    )


def _ids(element: Element) -> tuple[str, str] | None:
    if isinstance(element, tuple) and len(element) >= 2 and element[0]:
        return element[0], element[1]
    return None


def _item_ids(segments: list[OutSegment], mapping: PartnerMapping) -> list[OutSegment]:
    out: list[OutSegment] = []
    i = 0
    while i < len(segments):
        segment = segments[i]
        if segment[0] != "LIN":
            out.append(segment)
            i += 1
            continue
        found: list[tuple[str, str]] = []
        if len(segment) > 3 and (pair := _ids(segment[3])) is not None:
            found.append((pair[1], pair[0]))
        i += 1
        others: list[OutSegment] = []
        while i < len(segments) and segments[i][0] == "PIA":
            pia = segments[i]
            rest: list[Element] = []
            for element in pia[2:]:
                pair = _ids(element)
                if pair is not None and pair[1] in ITEM_ID_FIELDS:
                    found.append((pair[1], pair[0]))
                else:
                    rest.append(element)
            if rest:
                others.append(("PIA", pia[1], *rest))
            i += 1
        ordered = ordered_ids(found, mapping.item_ids)
        primary: Element = (ordered[0][1], ordered[0][0]) if ordered else ""
        out.append((*segment[:3], primary, *segment[4:]) if len(segment) >= 3 else segment)
        additional = [(value, kind) for kind, value in ordered[1:]]
        for start in range(0, len(additional), _PIA_IDS):
            out.append(("PIA", "1", *additional[start : start + _PIA_IDS]))
        out += others
    return out
