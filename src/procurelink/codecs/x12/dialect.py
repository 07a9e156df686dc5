"""The partner mapping (``codecs/dialect.py``) applied to X12 set bodies.

Outbound (tuples as the mappers write them): DTM01/SCH05 ``002`` becomes the partner's
delivery-date qualifier; the product id pairs of PO1 (from PO106) and POC (from POC08) are
rewritten to the partner's kinds and order; omitted segments and N1 loops are dropped (SE01
is counted afterwards). Inbound (tokenised segments): the partner's qualifier and id kinds
are read back to ``002`` and BP/VP/EN.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from procurelink.codecs.dialect import (
    check_omittable,
    default_kind,
    mapping_of,
    ordered_ids,
    without_omitted,
)
from procurelink.codecs.x12.envelope import TransactionSet
from procurelink.codecs.x12.syntax import Segment
from procurelink.domain.partner_profile import PartnerMapping

DELIVERY = "002"
# Where the product id pairs start (1-based element index), per segment.
_ID_PAIRS_OUT = {"PO1": 6, "POC": 8}
_ID_PAIRS_IN = {"PO1": 6, "POC": 8, "IT1": 6, "LIN": 2, "ACK": 7}
# What the default mapper writes for each canonical item field.
_DEFAULT_KINDS = {"buyer_item": "BP", "supplier_item": "VP", "gtin": "EN"}
# N1 loop members (850, 860, 855 ...): dropped with their N1.
_LOOPS = {"N1": frozenset({"N2", "N3", "N4", "NX2", "REF", "PER", "SI", "FOB", "TD1", "TD5"})}
_STRUCTURAL = frozenset(
    {"ST", "SE", "BEG", "BCH", "BAK", "BCA", "BSN", "BIG", "PO1", "POC", "IT1", "HL", "LIN", "CTT"}
)

Out = tuple[str, ...]


def check(options: Mapping[str, Any]) -> None:
    """Refuse, with ConfigurationError, a mapping this syntax cannot apply (profile checks)."""
    mapping = mapping_of(options)
    if mapping is not None:
        check_omittable(mapping, _STRUCTURAL, "X12")


def outbound(segments: list[Out], options: Mapping[str, Any]) -> list[Out]:
    mapping = mapping_of(options)
    if mapping is None:
        return segments
    check_omittable(mapping, _STRUCTURAL, "X12")
    written = [_out(segment, mapping) for segment in segments]
    return without_omitted(written, mapping.omit, _LOOPS, _tag, _qualifier)


def inbound(transaction: TransactionSet, options: Mapping[str, Any]) -> TransactionSet:
    mapping = mapping_of(options)
    if mapping is None:
        return transaction
    body = tuple(_in(segment, mapping) for segment in transaction.body)
    return TransactionSet(
        transaction.set_id,
        transaction.control,
        body,
        transaction.place,
        transaction.group,
        transaction.implementation,
    )


def _tag(segment: Out) -> str:
    return segment[0]


def _qualifier(segment: Out) -> str:
    return segment[1] if len(segment) > 1 else ""


def _out(segment: Out, mapping: PartnerMapping) -> Out:
    tag = segment[0]
    qualifier = mapping.delivery_date_qualifier
    if qualifier and tag == "DTM" and segment[1:2] == (DELIVERY,):
        return ("DTM", qualifier, *segment[2:])
    if qualifier and tag == "SCH" and segment[5:6] == (DELIVERY,):
        return (*segment[:5], qualifier, *segment[6:])
    start = _ID_PAIRS_OUT.get(tag)
    if start is not None and mapping.item_ids:
        pairs = list(zip(segment[start::2], segment[start + 1 :: 2], strict=False))
        ordered = ordered_ids(pairs, mapping.item_ids)
        return (*segment[:start], *(value for pair in ordered for value in pair))
    return segment


def _in(segment: Segment, mapping: PartnerMapping) -> Segment:
    # fields[i] is element i: the segment is copied only when something is renamed.
    tag, fields = segment.tag, segment.fields
    qualifier = mapping.delivery_date_qualifier
    if qualifier and tag == "DTM" and segment.get(1) == qualifier:
        return Segment.of(tag, (DELIVERY, *fields[2:]), segment.number)
    if qualifier and tag == "SCH" and segment.get(5) == qualifier:
        return Segment.of(tag, (*fields[1:5], DELIVERY, *fields[6:]), segment.number)
    start = _ID_PAIRS_IN.get(tag)
    if start is not None and mapping.item_ids:
        renamed = list(fields[1:])
        for index in range(start - 1, len(renamed), 2):
            if renamed[index].strip() in mapping.item_ids:
                renamed[index] = default_kind(renamed[index].strip(), _DEFAULT_KINDS)
        return Segment.of(tag, renamed, segment.number)
    return segment
