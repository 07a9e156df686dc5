"""DELFOR -> DeliverySchedule, the mirror of ``delfor`` (which encodes).

The heading (up to UNS) is read with the shared group reader: BGM 241 with its purpose
(1225), DTM+137 issue date, DTM+158/159 horizon, the NAD groups. The detail cannot be: each
line repeats QTY+1 once per bucket. It is cut into line groups (a group starts at NAD, the
line's ship-to, or at a LIN not preceded by one); each group's part before its first SCC goes
through the shared reader (ids, description, RFF+ON, QTY+70 with DTM+51), and every SCC opens
a bucket: SCC 4017 ``1`` firm, anything else planning; QTY+1; DTM+2 (102 a day, 718 a
period). A DELFOR is a forecast: ``kind`` is always ``forecast`` (862-style just-in-time
calls are DELJIT, not supported).
"""

from __future__ import annotations

from datetime import date

from procurelink.codecs.edifact.common import MessageContext, document_number, required_date
from procurelink.codecs.edifact.elements import dtm_date, optional, required, required_decimal
from procurelink.codecs.edifact.envelope import Interchange, Message
from procurelink.codecs.edifact.items import read_item, read_quantity, read_unit
from procurelink.codecs.edifact.parties import read_party
from procurelink.codecs.edifact.problems import MISSING
from procurelink.codecs.edifact.reader import read_message
from procurelink.codecs.edifact.syntax import Segment
from procurelink.domain.schedule import (
    Commitment,
    DeliverySchedule,
    ScheduleBucket,
    ScheduleKind,
    ScheduleLine,
)
from procurelink.domain.values import Quantity

_PURPOSES = {"9": "original", "5": "replace", "1": "cancel"}
_FIRM = "1"


def decode(m: MessageContext, interchange: Interchange, message: Message) -> DeliverySchedule:
    segments = message.segments
    uns = next((i for i, s in enumerate(segments) if s.tag == "UNS"), len(segments))
    heading = read_message(m.place, segments[:uns])
    number = document_number(m, heading)
    assert heading.bgm is not None
    purpose = _PURPOSES.get(heading.bgm.get(3) or "9")
    if purpose is None:
        raise m.place.error(
            "BGM message function not supported",
            heading.bgm,
            3,
            found=heading.bgm.get(3)[:10],
            expected=sorted(_PURPOSES),
        )
    parties = tuple(p for p in (read_party(g) for g in heading.parties) if p is not None)
    lines = tuple(_line(m, group) for group in _line_groups(segments[uns + 1 :]))
    if not lines:
        raise m.place.error("DELFOR without a LIN group", syntax_error=MISSING, expected="LIN")
    return DeliverySchedule(
        **m.ids,
        kind=ScheduleKind.FORECAST,
        schedule_number=number,
        issue_date=required_date(m, heading, "137"),
        horizon_start=_horizon(m, heading.dates.get("158"), "158"),
        horizon_end=_horizon(m, heading.dates.get("159"), "159"),
        purpose=purpose,
        parties=parties,
        lines=lines,
    )


def _horizon(m: MessageContext, segment: Segment | None, qualifier: str) -> date:
    if segment is None:
        raise m.place.error(f"DELFOR without its horizon (DTM+{qualifier})", syntax_error=MISSING)
    return dtm_date(m.place, segment)


def _line_groups(detail: list[Segment]) -> list[list[Segment]]:
    groups: list[list[Segment]] = []
    current: list[Segment] | None = None
    for segment in detail:
        opens = segment.tag == "NAD" or (
            segment.tag == "LIN" and (current is None or any(s.tag == "LIN" for s in current))
        )
        if opens:
            current = []
            groups.append(current)
        if current is not None:
            current.append(segment)
    return groups


def _line(m: MessageContext, group: list[Segment]) -> ScheduleLine:
    first_scc = next((i for i, s in enumerate(group) if s.tag == "SCC"), len(group))
    data = read_message(m.place, group[:first_scc])
    if not data.lines:
        raise m.place.error(
            "DELFOR ship-to (NAD) without its LIN", group[0], syntax_error=MISSING, expected="LIN"
        )
    line = data.lines[0]
    line_no = required(m.place, line.lin, 1)
    ship_to = read_party(data.parties[0], with_contact=False) if data.parties else None
    cumulative = read_quantity(m.place, m.units, line, "70")
    last_receipt = line.dates.get("51")
    order = line.refs.get("ON")
    return ScheduleLine(
        line_no=line_no,
        item=read_item(line),
        ship_to=ship_to,
        order_number=(order.value or None) if order else None,
        cumulative_received=cumulative,
        last_receipt_date=dtm_date(m.place, last_receipt) if last_receipt else None,
        buckets=_buckets(m, group[first_scc:], line.lin),
    )


def _buckets(
    m: MessageContext, segments: list[Segment], lin: Segment
) -> tuple[ScheduleBucket, ...]:
    groups: list[list[Segment]] = []
    for segment in segments:
        if segment.tag == "SCC":
            groups.append([])
        groups[-1].append(segment)
    if not groups:
        raise m.place.error(
            "DELFOR line without a schedule (SCC/QTY+1/DTM+2)", lin, syntax_error=MISSING
        )
    return tuple(_bucket(m, group) for group in groups)


def _bucket(m: MessageContext, group: list[Segment]) -> ScheduleBucket:
    scc = group[0]
    qty = next((s for s in group if s.tag == "QTY" and s.get(1, 1) == "1"), None)
    when = next((s for s in group if s.tag == "DTM" and s.get(1, 1) == "2"), None)
    if qty is None or when is None:
        raise m.place.error(
            "SCC group without its QTY+1 and DTM+2",
            scc,
            syntax_error=MISSING,
            expected=["QTY+1", "DTM+2"],
        )
    value = required_decimal(m.place, qty, 1, 2)
    from_date, to_date = _period(m, when)
    return ScheduleBucket(
        quantity=Quantity(value=value, uom=read_unit(m.place, m.units, qty, 3)),
        from_date=from_date,
        to_date=to_date,
        commitment=Commitment.FIRM if scc.get(1) == _FIRM else Commitment.PLANNING,
    )


def _period(m: MessageContext, segment: Segment) -> tuple[date, date | None]:
    """DTM+2: a day (102), or a from-to period (718) whose end must be a real date too."""
    start = dtm_date(m.place, segment)
    if (optional(segment, 1, 3) or "102") != "718":
        return start, None
    end = segment.get(1, 2).split("-", 1)[1]
    try:
        return start, date(int(end[:4]), int(end[4:6]), int(end[6:8]))
    except ValueError:
        raise m.place.error(
            "period end is not a calendar date",
            segment,
            1,
            2,
            kind="invalid_date",
            found=end[:20],
        ) from None
