"""830 Planning Schedule (forecast) and 862 Shipping Schedule <-> DeliverySchedule.

Both carry LIN loops of dated quantities (FST); they differ in the heading segment (BFR for
the 830, BSS for the 862). Layout (partner guides may differ):

    BFR*<purpose>*<schedule no>**DL*A*<horizon start>*<horizon end>*<issue date>
    BSS*<purpose>*<schedule no>*<issue date>*DL*<horizon start>*<horizon end>
    N1 loops (parties)
    LIN**BP*...*VP*...*EN*...   UIT*<unit>   PID   REF*PO*<agreement>   N1*ST loop
    SHP*02*<cumulative received>*050*<last receipt date>
    FST*<quantity>*<C firm | D planning>*<D discrete | F flexible>*<from>*<to>
    CTT*<lines>*<FST quantity hash>

Every bucket of a line is in the line's unit (UIT): FST has no unit of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from procurelink.codecs.x12.context import ReadContext
from procurelink.codecs.x12.elements import (
    Place,
    check_line_count,
    date8,
    format_date,
    format_decimal,
    hash_total,
    optional,
    required,
    required_date,
    required_decimal,
)
from procurelink.codecs.x12.envelope import TransactionSet
from procurelink.codecs.x12.lines import read_item, read_unit, write_item, write_unit
from procurelink.codecs.x12.parties import read_n1_loop, write_n1_loops
from procurelink.codecs.x12.syntax import Segment
from procurelink.codecs.x12.units import UnitMap
from procurelink.domain.parties import Party, PartyRole
from procurelink.domain.schedule import (
    Commitment,
    DeliverySchedule,
    ScheduleBucket,
    ScheduleKind,
    ScheduleLine,
)
from procurelink.domain.values import Quantity
from procurelink.errors import InvalidDocument

FUNCTIONAL_IDS = {"830": "PS", "862": "SS"}
_PURPOSES = {"00": "original", "05": "replace", "01": "cancel"}
_WRITE_PURPOSES = {purpose: code for code, purpose in _PURPOSES.items()}
_COMMITMENTS = {"C": Commitment.FIRM, "D": Commitment.PLANNING}
_WRITE_COMMITMENTS = {commitment: code for code, commitment in _COMMITMENTS.items()}


def encode(schedule: DeliverySchedule, units: UnitMap) -> list[tuple[str, ...]]:
    purpose = _WRITE_PURPOSES[schedule.purpose]
    start, end = format_date(schedule.horizon_start), format_date(schedule.horizon_end)
    issued = format_date(schedule.issue_date)
    if schedule.kind == ScheduleKind.FORECAST:
        head: tuple[str, ...] = (
            "BFR",
            purpose,
            schedule.schedule_number,
            "",
            "DL",
            "A",
            start,
            end,
            issued,
        )
    else:
        head = ("BSS", purpose, schedule.schedule_number, issued, "DL", start, end)
    segments: list[tuple[str, ...]] = [head, *write_n1_loops(schedule.parties)]
    quantities = []
    for line in schedule.lines:
        segments += _encode_line(units, line)
        quantities += [b.quantity.value for b in line.buckets]
    segments.append(("CTT", str(len(schedule.lines)), hash_total(quantities)))
    return segments


def _encode_line(units: UnitMap, line: ScheduleLine) -> list[tuple[str, ...]]:
    uom = line.buckets[0].quantity.uom
    others = {b.quantity.uom for b in line.buckets} | (
        {line.cumulative_received.uom} if line.cumulative_received else set()
    )
    if others != {uom}:
        raise InvalidDocument(
            "all quantities of a schedule line share the line's unit (UIT)",
            line_no=line.line_no,
            found=sorted(others),
        )
    code = write_unit(units, line.buckets[0].quantity, line.line_no)
    segments: list[tuple[str, ...]] = [("LIN", line.line_no, *write_item(line.item)), ("UIT", code)]
    if line.item.description:
        segments.append(("PID", "F", "", "", "", line.item.description))
    if line.order_number:
        segments.append(("REF", "PO", line.order_number))
    if line.ship_to:
        segments += write_n1_loops((line.ship_to.model_copy(update={"role": PartyRole.SHIP_TO}),))
    if line.cumulative_received or line.last_receipt_date:
        cumulative = line.cumulative_received
        segments.append(
            (
                "SHP",
                "02" if cumulative else "01",
                format_decimal(cumulative.value) if cumulative else "",
                "050" if line.last_receipt_date else "",
                format_date(line.last_receipt_date) if line.last_receipt_date else "",
            )
        )
    for bucket in line.buckets:
        segments.append(
            (
                "FST",
                format_decimal(bucket.quantity.value),
                _WRITE_COMMITMENTS[bucket.commitment],
                "F" if bucket.to_date else "D",
                format_date(bucket.from_date),
                format_date(bucket.to_date) if bucket.to_date else "",
            )
        )
    return segments


@dataclass
class _Line:
    lin: Segment
    values: dict[str, Any] = field(default_factory=dict)
    uom: str | None = None
    description: list[str] = field(default_factory=list)
    buckets: list[ScheduleBucket] = field(default_factory=list)


def decode(ts: TransactionSet, ctx: ReadContext) -> DeliverySchedule:
    place, body = ts.place, ts.body
    header: dict[str, Any] = {}
    parties: list[Party] = []
    lines: list[_Line] = []
    count: Segment | None = None
    i = 0
    while i < len(body):
        segment = body[i]
        if segment.tag == "N1" and not lines:
            party, i = read_n1_loop(body, i)
            parties += [party] if party else []
            continue
        if segment.tag == "LIN":
            line, i = _read_line(place, ctx.units, body, i)
            lines.append(line)
            continue
        if segment.tag in ("BFR", "BSS"):
            header = _read_head(place, segment)
        elif segment.tag == "CTT":
            count = segment
        i += 1
    if not header:
        expected = "BFR" if ts.set_id == "830" else "BSS"
        raise place.error(
            InvalidDocument,
            f"{ts.set_id} without {expected}",
            expected=expected,
            rule="missing_segment",
        )
    check_line_count(place, count, len(lines), "LIN")
    return DeliverySchedule(
        **ctx.ids,
        **header,
        kind=ScheduleKind.FORECAST if ts.set_id == "830" else ScheduleKind.SHIPPING,
        parties=tuple(parties),
        lines=tuple(_schedule_line(place, line) for line in lines),
    )


def _read_head(place: Place, segment: Segment) -> dict[str, Any]:
    purpose = _PURPOSES.get(segment.get(1))
    if purpose is None:
        raise place.error(
            InvalidDocument,
            "unknown schedule purpose",
            segment,
            1,
            found=segment.get(1)[:10],
            rule="invalid_code",
        )
    # BFR: issue date in BFR08, horizon in BFR06/07; BSS: issue date in BSS03, horizon 05/06.
    issue, start, end = (8, 6, 7) if segment.tag == "BFR" else (3, 5, 6)
    return {
        "purpose": purpose,
        "schedule_number": required(place, segment, 2),
        "issue_date": required_date(place, segment, issue),
        "horizon_start": required_date(place, segment, start),
        "horizon_end": required_date(place, segment, end),
    }


def _read_line(
    place: Place, units: UnitMap, body: tuple[Segment, ...], i: int
) -> tuple[_Line, int]:
    line = _Line(body[i])
    i += 1
    while i < len(body) and body[i].tag not in ("LIN", "CTT"):
        segment = body[i]
        if segment.tag == "N1":
            party, i = read_n1_loop(body, i)
            if party is not None and party.role == PartyRole.SHIP_TO:
                line.values["ship_to"] = party
            continue
        if segment.tag == "UIT":
            line.uom = read_unit(place, units, segment, 1)
        elif segment.tag == "PID" and segment.get(5):
            line.description.append(segment.get(5))
        elif segment.tag == "REF" and segment.get(1) == "PO":
            line.values["order_number"] = optional(segment, 2)
        elif segment.tag == "SHP":
            _read_shp(place, line, segment)
        elif segment.tag == "FST":
            line.buckets.append(_bucket(place, line, segment))
        i += 1
    return line, i


def _unit(place: Place, line: _Line, segment: Segment) -> str:
    if line.uom is None:
        raise place.error(
            InvalidDocument,
            "quantity before the line's UIT",
            segment,
            expected="UIT",
            rule="missing_segment",
        )
    return line.uom


def _read_shp(place: Place, line: _Line, shp: Segment) -> None:
    if shp.get(1) == "02":
        value = required_decimal(place, shp, 2)
        line.values["cumulative_received"] = Quantity(value=value, uom=_unit(place, line, shp))
    if shp.get(3) == "050":
        line.values["last_receipt_date"] = date8(place, shp, 4)


def _bucket(place: Place, line: _Line, fst: Segment) -> ScheduleBucket:
    commitment = _COMMITMENTS.get(fst.get(2))
    if commitment is None:
        raise place.error(
            InvalidDocument,
            "FST02 forecast qualifier not supported",
            fst,
            2,
            found=fst.get(2)[:10],
            rule="invalid_code",
        )
    to_date: date | None = date8(place, fst, 5)
    return ScheduleBucket(
        quantity=Quantity(value=required_decimal(place, fst, 1), uom=_unit(place, line, fst)),
        from_date=required_date(place, fst, 4),
        to_date=to_date,
        commitment=commitment,
    )


def _schedule_line(place: Place, line: _Line) -> ScheduleLine:
    item = read_item(line.lin, 2)
    if line.description:
        item = item.model_copy(update={"description": " ".join(line.description)})
    return ScheduleLine(
        line_no=required(place, line.lin, 1),
        item=item,
        buckets=tuple(line.buckets),
        **line.values,
    )
