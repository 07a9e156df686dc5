"""ISA/GS/ST envelopes: stacking and checking them on read, building them on write.

Checks on read (edi.md section 1.5): SE01 segment count, SE02 = ST02, ST02 unique in its
group, GE01 set count, GE02 = GS06, IEA01 group count, IEA02 = ISA13, GS01 fitting ST01.
Counts on write come from the serialised segments, never from the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from procurelink.codecs.x12.elements import Place, date6, date8, integer, required
from procurelink.codecs.x12.syntax import Delimiters, RawInterchange, Segment
from procurelink.errors import MalformedMessage

_CONTROL = re.compile(r"[0-9]{1,9}")

# Functional identifier (GS01) of each transaction set procurement uses.
FUNCTIONAL_IDS = {
    "850": "PO",
    "855": "PR",
    "860": "PC",
    "865": "CA",
    "856": "SH",
    "810": "IN",
    "997": "FA",
    "999": "FA",
    "824": "AG",
}


@dataclass(frozen=True, slots=True)
class TransactionSet:
    set_id: str
    control: str
    body: tuple[Segment, ...]
    place: Place


@dataclass(frozen=True, slots=True)
class Group:
    functional_id: str
    control: str
    version: str
    date: date
    sets: tuple[TransactionSet, ...]


@dataclass(frozen=True, slots=True)
class Interchange:
    delimiters: Delimiters
    sender_qualifier: str
    sender_id: str
    receiver_qualifier: str
    receiver_id: str
    version: str
    control: str
    usage: str
    groups: tuple[Group, ...]


def open_interchange(raw: RawInterchange) -> Interchange:
    isa, segments, iea = raw.segments[0], raw.segments[1:-1], raw.segments[-1]
    control = isa.get(13)
    place = Place(interchange=control)
    if len(isa.elements) != 16:
        raise place.error(
            MalformedMessage, "ISA must have 16 elements", isa, expected=16, found=len(isa.elements)
        )
    if not _CONTROL.fullmatch(control):
        raise place.error(MalformedMessage, "ISA13 is not numeric", isa, 13, found=control[:20])
    date6(place, isa, 9)
    usage = isa.get(15)
    if usage not in ("P", "T"):
        raise place.error(
            MalformedMessage, "unknown usage indicator", isa, 15, expected="P or T", found=usage
        )
    groups: list[Group] = []
    i = 0
    while i < len(segments):
        segment = segments[i]
        if segment.tag == "TA1":
            i += 1
            continue
        if segment.tag != "GS":
            raise place.error(MalformedMessage, "expected GS", segment, expected="GS")
        group, i = _group(segments, i, place, iea)
        groups.append(group)
    _check_count(place, iea, len(groups), "IEA01 does not match the number of groups")
    _check_control(place, iea, control)
    return Interchange(
        delimiters=raw.delimiters,
        sender_qualifier=isa.get(5),
        sender_id=isa.get(6).strip(),
        receiver_qualifier=isa.get(7),
        receiver_id=isa.get(8).strip(),
        version=isa.get(12),
        control=control,
        usage=usage,
        groups=tuple(groups),
    )


def _group(segments: tuple[Segment, ...], i: int, outer: Place, iea: Segment) -> tuple[Group, int]:
    gs = segments[i]
    control = gs.get(6)
    place = Place(interchange=outer.interchange, group=control)
    functional_id = required(place, gs, 1)
    if integer(place, gs, 6) is None:
        raise place.error(MalformedMessage, "GS06 is empty", gs, 6, expected="a number")
    group_date = date8(place, gs, 4)
    if group_date is None:
        raise place.error(MalformedMessage, "GS04 is empty", gs, 4, expected="CCYYMMDD")
    sets: list[TransactionSet] = []
    i += 1
    while i < len(segments):
        segment = segments[i]
        if segment.tag == "GE":
            _check_count(place, segment, len(sets), "GE01 does not match the number of sets")
            _check_control(place, segment, control)
            group = Group(functional_id, control, gs.get(8), group_date, tuple(sets))
            return group, i + 1
        if segment.tag != "ST":
            raise place.error(MalformedMessage, "expected ST or GE", segment, expected="ST")
        st = segment
        transaction, i = _transaction(segments, i, place, functional_id)
        if any(t.control == transaction.control for t in sets):
            raise transaction.place.error(MalformedMessage, "ST02 repeats within the group", st, 2)
        sets.append(transaction)
    raise place.error(MalformedMessage, "group is not closed by GE", iea, expected="GE")


def _transaction(
    segments: tuple[Segment, ...], i: int, outer: Place, functional_id: str
) -> tuple[TransactionSet, int]:
    st = segments[i]
    control = st.get(2)
    place = Place(outer.interchange, outer.group, control, base=st.number - 1)
    set_id = required(place, st, 1)
    required(place, st, 2)
    expected_fid = FUNCTIONAL_IDS.get(set_id)
    if expected_fid is not None and expected_fid != functional_id:
        raise place.error(
            MalformedMessage,
            "functional group does not fit the transaction set",
            st,
            1,
            expected=expected_fid,
            found=functional_id,
        )
    end = i + 1
    while end < len(segments) and segments[end].tag not in ("SE", "ST", "GE"):
        end += 1
    if end == len(segments) or segments[end].tag != "SE":
        closing = segments[end] if end < len(segments) else segments[end - 1]
        raise place.error(MalformedMessage, "transaction set is not closed by SE", closing)
    se = segments[end]
    _check_count(place, se, end - i + 1, "SE01 does not match the number of segments")
    if se.get(2) != control:
        raise place.error(
            MalformedMessage, "SE02 does not match ST02", se, 2, expected=control, found=se.get(2)
        )
    return TransactionSet(set_id, control, segments[i + 1 : end], place), end + 1


def _check_count(place: Place, segment: Segment, actual: int, message: str) -> None:
    declared = integer(place, segment, 1)
    if declared != actual:
        raise place.error(
            MalformedMessage, message, segment, 1, expected=actual, found=segment.get(1)
        )


def _check_control(place: Place, segment: Segment, control: str) -> None:
    found = segment.get(2)
    # Some senders do not pad the trailer's copy; equal numbers are the same control number.
    same = found == control or (
        _CONTROL.fullmatch(found) is not None and int(found) == int(control)
    )
    if not same:
        raise place.error(
            MalformedMessage,
            f"{segment.tag}02 does not match the header's control number",
            segment,
            2,
            expected=control,
            found=found[:20],
        )
