"""997 Functional Acknowledgment and 999 Implementation Acknowledgment <-> FunctionalAck
(edi.md sections 2.7 and 5.5).

The two share a skeleton; the 999 names its segment and element errors IK3/IK4/IK5 and
carries the acknowledged version in AK103. In the canonical ack an issue's level is told by
what it locates: no segment -> set (AK5) or group (AK9) code, a segment but no element ->
AK3, an element -> AK4 under the AK3 of its segment. An AK3 whose only purpose is to hold
AK4s (code 8, "segment has data element errors") is implied by them and not kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from procurelink.codecs.x12.context import ReadContext
from procurelink.codecs.x12.elements import Place, integer, optional, required
from procurelink.codecs.x12.envelope import TransactionSet
from procurelink.codecs.x12.syntax import COMPONENT, Delimiters, Segment
from procurelink.domain.acknowledgment import (
    AckCounts,
    AckDetail,
    AckStatus,
    FunctionalAck,
    SyntaxIssue,
)
from procurelink.errors import InvalidDocument

IMPLEMENTATION_999 = "005010X231A1"
_SET_STATUS = {
    "A": AckStatus.ACCEPTED,
    "E": AckStatus.ACCEPTED_WITH_ERRORS,
    "R": AckStatus.REJECTED,
    "M": AckStatus.REJECTED,
    "W": AckStatus.REJECTED,
    "X": AckStatus.REJECTED,
}
_GROUP_STATUS = {**_SET_STATUS, "P": AckStatus.PARTIALLY_ACCEPTED}
_WRITE_STATUS = {
    AckStatus.ACCEPTED: "A",
    AckStatus.ACCEPTED_WITH_ERRORS: "E",
    AckStatus.PARTIALLY_ACCEPTED: "P",
    AckStatus.REJECTED: "R",
}
SEGMENT_CODES = {
    "1": "unrecognized segment ID",
    "2": "unexpected segment",
    "3": "mandatory segment missing",
    "4": "loop occurs over maximum times",
    "5": "segment exceeds maximum use",
    "6": "segment not in defined transaction set",
    "7": "segment not in proper sequence",
    "8": "segment has data element errors",
}
ELEMENT_CODES = {
    "1": "mandatory data element missing",
    "2": "conditional required data element missing",
    "3": "too many data elements",
    "4": "data element too short",
    "5": "data element too long",
    "6": "invalid character in data element",
    "7": "invalid code value",
    "8": "invalid date",
    "9": "invalid time",
    "10": "exclusion condition violated",
}
SET_CODES = {
    "1": "transaction set not supported",
    "2": "transaction set trailer missing",
    "3": "transaction set control number in header and trailer do not match",
    "4": "number of included segments does not match actual count",
    "5": "one or more segments in error",
    "6": "missing or invalid transaction set identifier",
    "7": "missing or invalid transaction set control number",
    "23": "transaction set control number not unique within the functional group",
}
GROUP_CODES = {
    "1": "functional group not supported",
    "2": "functional group version not supported",
    "3": "functional group trailer missing",
    "4": "group control number in the header and trailer do not agree",
    "5": "number of included transaction sets does not match actual count",
    "6": "group control number violates syntax",
}
_TAGS = {"997": ("AK3", "AK4", "AK5"), "999": ("IK3", "IK4", "IK5")}


@dataclass
class _Detail:
    ak2: Segment
    errors: list[SyntaxIssue] = field(default_factory=list)
    status: AckStatus | None = None
    segment: SyntaxIssue | None = None  # the AK3 the next AK4s belong to
    segment_kept: bool = True


def decode(ts: TransactionSet, ctx: ReadContext) -> FunctionalAck:
    place, body = ts.place, ts.body
    seg_tag, elem_tag, set_tag = _TAGS.get(ts.set_id, _TAGS["997"])
    component = ts.group.interchange.delimiters.component
    ak1 = ak9 = None
    details: list[_Detail] = []
    for segment in body:
        tag = segment.tag
        current = details[-1] if details else None
        if tag == "AK1":
            ak1 = segment
        elif tag == "AK2":
            details.append(_Detail(segment))
        elif current is not None and tag == seg_tag:
            _segment_issue(place, current, segment)
        elif current is not None and tag == elem_tag:
            _element_issue(place, current, segment, component)
        elif current is not None and tag == set_tag:
            current.status = _status(place, segment, _SET_STATUS)
            current.errors += [_issue(c, SET_CODES) for c in _codes(segment, 2, 6)]
        elif tag == "AK9":
            ak9 = segment
    if ak1 is None or ak9 is None:
        missing = "AK1" if ak1 is None else "AK9"
        raise place.error(
            InvalidDocument,
            f"{ts.set_id} without {missing}",
            expected=missing,
            rule="missing_segment",
        )
    return FunctionalAck(
        **ctx.ids,
        syntax="x12",
        ack_type="999" if ts.set_id == "999" else "997",
        status=_status(place, ak9, _GROUP_STATUS),
        group_ref=required(place, ak1, 2),
        functional_id=required(place, ak1, 1),
        group_version=optional(ak1, 3),
        counts=AckCounts(
            included=_count(place, ak9, 2),
            received=_count(place, ak9, 3),
            accepted=_count(place, ak9, 4),
        ),
        details=tuple(_detail(place, d) for d in details),
        errors=tuple(_issue(c, GROUP_CODES) for c in _codes(ak9, 5, 9)),
    )


def _status(place: Place, segment: Segment, table: dict[str, AckStatus]) -> AckStatus:
    status = table.get(segment.get(1))
    if status is None:
        raise place.error(
            InvalidDocument,
            "unknown acknowledgment code",
            segment,
            1,
            found=segment.get(1)[:10],
            rule="invalid_code",
        )
    return status


def _count(place: Place, segment: Segment, index: int) -> int:
    required(place, segment, index)
    value = integer(place, segment, index)
    assert value is not None
    return value


def _codes(segment: Segment, first: int, last: int) -> list[str]:
    return [segment.get(i) for i in range(first, last + 1) if segment.get(i)]


def _issue(code: str, table: dict[str, str]) -> SyntaxIssue:
    return SyntaxIssue(code=code, description=table.get(code))


def _segment_issue(place: Place, detail: _Detail, segment: Segment) -> None:
    code = segment.get(4) or "8"
    issue = SyntaxIssue(
        code=code,
        description=SEGMENT_CODES.get(code),
        segment_id=required(place, segment, 1),
        segment_position=integer(place, segment, 2),
    )
    detail.segment = issue
    detail.segment_kept = code != "8"
    detail.errors.append(issue)


def _element_issue(place: Place, detail: _Detail, segment: Segment, component: str) -> None:
    anchor = detail.segment
    if anchor is not None and not detail.segment_kept and anchor in detail.errors:
        # An AK3 code 8 only announces its AK4s (see the module docstring).
        detail.errors.remove(anchor)
    position = required(place, segment, 1).split(component)
    code = required(place, segment, 3)
    detail.errors.append(
        SyntaxIssue(
            code=code,
            description=ELEMENT_CODES.get(code),
            segment_id=anchor.segment_id if anchor else None,
            segment_position=anchor.segment_position if anchor else None,
            element_position=_position(place, segment, position[0]),
            component_position=(
                _position(place, segment, position[1])
                if len(position) > 1 and position[1]
                else None
            ),
            bad_value=optional(segment, 4),
        )
    )


def _position(place: Place, segment: Segment, value: str) -> int:
    if not (value.isascii() and value.isdigit()):  # "²" is a digit to isdigit, not to int
        raise place.error(
            InvalidDocument,
            "element position is not a number",
            segment,
            1,
            found=value[:10],
            rule="invalid_character",
        )
    return int(value)


def _detail(place: Place, detail: _Detail) -> AckDetail:
    if detail.status is None:
        raise place.error(
            InvalidDocument,
            "AK2 loop without AK5/IK5",
            detail.ak2,
            expected="AK5",
            rule="missing_segment",
        )
    return AckDetail(
        ref=required(place, detail.ak2, 2),
        type=required(place, detail.ak2, 1),
        status=detail.status,
        errors=tuple(detail.errors),
    )


def encode(ack: FunctionalAck, delimiters: Delimiters) -> list[tuple[str, ...]]:
    """The body; ``delimiters`` are the reply's, so that a copied bad value (AK404) never
    carries one of them."""
    seg_tag, elem_tag, set_tag = _TAGS[ack.ack_type]
    if ack.functional_id is None or ack.group_ref is None:
        raise InvalidDocument(
            "a 997/999 names the group it acknowledges (functional_id, group_ref)"
        )
    ak1: tuple[str, ...] = ("AK1", ack.functional_id, ack.group_ref)
    if ack.ack_type == "999":
        ak1 = (*ak1, ack.group_version or "")
    segments: list[tuple[str, ...]] = [ak1]
    for detail in ack.details:
        segments.append(("AK2", detail.type, detail.ref))
        segments += _segment_errors(detail.errors, seg_tag, elem_tag, delimiters)
        set_codes = [e.code for e in detail.errors if e.segment_id is None][:5]
        status = _write_status(detail.status)
        segments.append((set_tag, "R" if status == "P" else status, *set_codes))
    counts = ack.counts or AckCounts(
        included=len(ack.details),
        received=len(ack.details),
        accepted=sum(d.status != AckStatus.REJECTED for d in ack.details),
    )
    segments.append(
        (
            "AK9",
            _write_status(ack.status),
            str(counts.included),
            str(counts.received),
            str(counts.accepted),
            *[e.code for e in ack.errors][:5],
        )
    )
    return segments


def _write_status(status: AckStatus) -> str:
    code = _WRITE_STATUS.get(status)
    if code is None:
        raise InvalidDocument("status cannot be written in a 997/999", status=status.value)
    return code


def _segment_errors(
    issues: tuple[SyntaxIssue, ...], seg_tag: str, elem_tag: str, delimiters: Delimiters
) -> list[tuple[str, ...]]:
    located = [e for e in issues if e.segment_id is not None]
    keys = list(dict.fromkeys((e.segment_id or "", e.segment_position) for e in located))
    segments: list[tuple[str, ...]] = []
    for segment_id, position in keys:
        here = [e for e in located if (e.segment_id, e.segment_position) == (segment_id, position)]
        codes = [e.code for e in here if e.element_position is None] or ["8"]
        where = str(position) if position is not None else ""
        segments += [(seg_tag, segment_id, where, "", code) for code in codes]
        for e in here:
            if e.element_position is None:
                continue
            at = str(e.element_position)
            if e.component_position is not None:
                at += f"{COMPONENT}{e.component_position}"
            copy = _printable(e.bad_value or "", delimiters)
            segments.append((elem_tag, at, "", e.code, copy))
    return segments


def _printable(value: str, delimiters: Delimiters) -> str:
    """A bad value as it can be copied into AK404: without delimiters or control chars."""
    forbidden = set(delimiters.all())
    kept = "".join(c for c in value if c not in forbidden and c.isascii() and c.isprintable())
    return kept.strip()[:99]
