"""ISA/GS/ST envelopes: stacking and checking them on read.

Checks on read (edi.md section 1.5): SE01 segment count, SE02 = ST02, ST02 unique in its
group, GE01 set count, GE02 = GS06, IEA01 group count, IEA02 = ISA13, GS01 fitting ST01.
Every check hands its error to a ``Report``: the decoder's raises the first one, the
validator's records it and the walk goes on, so both use the same rules.

The walk is lazy: it yields each group header when its GS is read and each transaction set
when its SE is read, holding one set's segments at a time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from procurelink.codecs.seen_controls import SeenControls
from procurelink.codecs.x12.controls import bad, check_control, check_count, check_isa
from procurelink.codecs.x12.elements import Place, date8, integer, required
from procurelink.codecs.x12.rules import Rule
from procurelink.codecs.x12.syntax import Delimiters, RawInterchange, Report, Segment
from procurelink.errors import InvalidDocument, MalformedMessage

T = TypeVar("T")
_ST_CONTROL = re.compile(r"[0-9A-Za-z]{4,9}")
# Segments that end a set's body: its SE, or an envelope segment when the SE is missing.
_SET_ENDS = frozenset({"SE", "ST", "GE", "GS", "IEA"})

# Functional identifier (GS01) of each transaction set procurement uses.
FUNCTIONAL_IDS = {
    "850": "PO",
    "855": "PR",
    "860": "PC",
    "865": "CA",
    "856": "SH",
    "810": "IN",
    "861": "RC",
    "830": "PS",
    "862": "SS",
    "842": "NC",
    "997": "FA",
    "999": "FA",
    "824": "AG",
}


@dataclass(frozen=True, slots=True)
class InterchangeHeader:
    delimiters: Delimiters
    sender_qualifier: str
    sender_id: str
    receiver_qualifier: str
    receiver_id: str
    version: str
    control: str
    usage: str
    ack_requested: bool
    date: str = ""  # ISA09 and ISA10 as sent: a TA1 echoes them
    time: str = ""


@dataclass(frozen=True, slots=True)
class GroupHeader:
    interchange: InterchangeHeader
    functional_id: str
    control: str
    version: str
    # None only when GS04 is broken and the problem was reported instead of raised.
    date: date | None
    application_sender: str
    application_receiver: str


@dataclass(frozen=True, slots=True)
class TransactionSet:
    set_id: str
    control: str
    body: tuple[Segment, ...]
    place: Place
    group: GroupHeader
    implementation: str = ""  # ST03 (005010)


@dataclass(frozen=True, slots=True)
class GroupEnd:
    """The group's GE was read (or found missing, which was reported)."""

    group: GroupHeader


Item = InterchangeHeader | GroupHeader | TransactionSet | GroupEnd


class _Segments:
    """The interchange's segments with one segment of push-back."""

    def __init__(self, segments: Iterator[Segment]) -> None:
        self._segments = segments
        self._back: Segment | None = None

    def next(self) -> Segment:
        if self._back is not None:
            segment, self._back = self._back, None
            return segment
        # The tokenizer ends every interchange with IEA or raises, so this never runs dry
        # before the walk has seen the IEA.
        return next(self._segments)

    def push(self, segment: Segment) -> None:
        self._back = segment

    def until(self, stops: frozenset[str]) -> tuple[list[Segment], Segment]:
        """The segments before the next one whose tag is in ``stops``, and that one: one
        C-level set lookup per segment, which is most of what reading a set body costs."""
        body: list[Segment] = []
        segment = self.next()
        if segment.tag in stops:
            return body, segment
        body.append(segment)
        append = body.append
        for segment in self._segments:
            if segment.tag in stops:
                return body, segment
            append(segment)
        raise AssertionError("the tokenizer ends every interchange with IEA")


def attempt(report: Report, read: Callable[[], T]) -> T | None:
    """Run a check that raises; in a validating walk, record its error and go on."""
    try:
        return read()
    except InvalidDocument as error:
        report(error)
        return None


def read_interchange(raw: RawInterchange, report: Report) -> Iterator[Item]:
    """The interchange header first, then each group's header, sets and end in order."""
    header = _header(raw, report)
    yield header
    place = Place(interchange=header.control)
    segments = _Segments(raw.segments)
    groups = 0
    while True:
        segment = segments.next()
        if segment.tag == "IEA":
            check_count(
                place,
                segment,
                groups,
                "IEA01 does not match the number of groups",
                Rule.IEA_COUNT,
                report,
            )
            check_control(place, segment, header.control, Rule.IEA_CONTROL, report)
            return
        if segment.tag == "TA1":
            continue
        if segment.tag != "GS":
            bad(
                report,
                place,
                "expected GS",
                segment,
                expected="GS",
                rule=Rule.UNEXPECTED_OUTSIDE_GROUP,
            )
            continue
        groups += 1
        yield from _group(segments, segment, header, report)


def _header(raw: RawInterchange, report: Report) -> InterchangeHeader:
    isa = raw.isa
    check_isa(isa, report)
    return InterchangeHeader(
        delimiters=raw.delimiters,
        sender_qualifier=isa.get(5),
        sender_id=isa.get(6).strip(),
        receiver_qualifier=isa.get(7),
        receiver_id=isa.get(8).strip(),
        version=isa.get(12),
        control=isa.get(13),
        usage=isa.get(15),
        ack_requested=isa.get(14) == "1",
        date=isa.get(9),
        time=isa.get(10),
    )


def _group(
    segments: _Segments, gs: Segment, interchange: InterchangeHeader, report: Report
) -> Iterator[Item]:
    control = gs.get(6)
    place = Place(interchange=interchange.control, group=control)
    functional_id = attempt(report, lambda: required(place, gs, 1)) or ""
    if attempt(report, lambda: integer(place, gs, 6)) is None and not control:
        report(
            place.error(
                MalformedMessage, "GS06 is empty", gs, 6, expected="a number", rule=Rule.GS_CONTROL
            )
        )
    group_date = attempt(report, lambda: date8(place, gs, 4))
    if group_date is None and not gs.get(4):
        report(
            place.error(
                MalformedMessage, "GS04 is empty", gs, 4, expected="CCYYMMDD", rule=Rule.GS_DATE
            )
        )
    group = GroupHeader(
        interchange, functional_id, control, gs.get(8), group_date, gs.get(2), gs.get(3)
    )
    yield group
    controls = SeenControls()
    count = 0
    while True:
        segment = segments.next()
        if segment.tag == "GE":
            check_count(
                place,
                segment,
                count,
                "GE01 does not match the number of sets",
                Rule.GE_COUNT,
                report,
            )
            check_control(place, segment, control, Rule.GE_CONTROL, report)
            yield GroupEnd(group)
            return
        if segment.tag in ("IEA", "GS"):
            bad(
                report,
                place,
                "group is not closed by GE",
                segment,
                expected="GE",
                rule=Rule.GE_MISSING,
            )
            segments.push(segment)
            yield GroupEnd(group)
            return
        if segment.tag != "ST":
            bad(
                report,
                place,
                "expected ST or GE",
                segment,
                expected="ST",
                rule=Rule.UNEXPECTED_SEGMENT,
            )
            continue
        transaction = _transaction(segments, segment, group, report)
        count += 1
        if not controls.add(transaction.control):
            bad(
                report,
                transaction.place,
                "ST02 repeats within the group",
                segment,
                2,
                rule=Rule.ST_DUPLICATE,
            )
        yield transaction


def _transaction(
    segments: _Segments, st: Segment, group: GroupHeader, report: Report
) -> TransactionSet:
    control = st.get(2)
    place = Place(group.interchange.control, group.control, control, base=st.number - 1)
    set_id = attempt(report, lambda: required(place, st, 1)) or ""
    if not _ST_CONTROL.fullmatch(control):
        bad(
            report,
            place,
            "ST02 is not a 4 to 9 character control number",
            st,
            2,
            found=control[:20],
            rule=Rule.ST_CONTROL,
        )
    expected_fid = FUNCTIONAL_IDS.get(set_id)
    if expected_fid is not None and expected_fid != group.functional_id:
        bad(
            report,
            place,
            "functional group does not fit the transaction set",
            st,
            1,
            expected=expected_fid,
            found=group.functional_id,
            rule=Rule.FUNCTIONAL_ID,
        )
    body, segment = segments.until(_SET_ENDS)
    if segment.tag != "SE":
        bad(report, place, "transaction set is not closed by SE", segment, rule=Rule.SE_MISSING)
        segments.push(segment)
        return TransactionSet(set_id, control, tuple(body), place, group, st.get(3))
    check_count(
        place,
        segment,
        len(body) + 2,
        "SE01 does not match the number of segments",
        Rule.SE_COUNT,
        report,
    )
    if segment.get(2) != control:
        bad(
            report,
            place,
            "SE02 does not match ST02",
            segment,
            2,
            expected=control,
            found=segment.get(2),
            rule=Rule.SE_CONTROL,
        )
    return TransactionSet(set_id, control, tuple(body), place, group, st.get(3))
