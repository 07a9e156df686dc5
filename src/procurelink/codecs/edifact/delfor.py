"""DeliverySchedule -> DELFOR (delivery schedule / forecast), sent to a supplier.

Heading: BGM 241 (delivery schedule), DTM+137 issue date, DTM+158/159 horizon, parties,
UNS+D. Per line: the line's ship-to (NAD+ST), LIN/PIA/IMD, RFF+ON (the scheduling
agreement), QTY+70 cumulative quantity received with DTM+51 (last receipt), then one
SCC/QTY/DTM group per bucket: SCC 4017 ``1`` firm, ``4`` planning; QTY+1; DTM+2 with format
102 for a day or 718 for a from-to period.
"""

from __future__ import annotations

from procurelink.codecs.edifact.common import MessageContext, dtm, format_date
from procurelink.codecs.edifact.items import write_description, write_item_ids, write_quantity
from procurelink.codecs.edifact.parties import write_party
from procurelink.codecs.edifact.writer import OutSegment
from procurelink.domain.schedule import Commitment, DeliverySchedule, ScheduleBucket

_PURPOSES = {"original": "9", "replace": "5", "cancel": "1"}


def encode(m: MessageContext, schedule: DeliverySchedule) -> list[OutSegment]:
    segments: list[OutSegment] = [
        ("BGM", "241", schedule.schedule_number, _PURPOSES[schedule.purpose]),
        dtm("137", schedule.issue_date),
        dtm("158", schedule.horizon_start),
        dtm("159", schedule.horizon_end),
    ]
    for party in schedule.parties:
        segments += write_party(party)
    segments.append(("UNS", "D"))
    for line in schedule.lines:
        if line.ship_to is not None:
            segments += write_party(line.ship_to.model_copy(update={"contact": None}))
        segments += write_item_ids(line.line_no, "", line.item)
        segments += write_description(line.item, m.version)
        if line.order_number:
            segments.append(("RFF", ("ON", line.order_number)))
        if line.cumulative_received is not None:
            segments.append(write_quantity(m.units, "70", line.cumulative_received, line.line_no))
            if line.last_receipt_date:
                segments.append(dtm("51", line.last_receipt_date))
        for bucket in line.buckets:
            segments += _bucket(m, bucket, line.line_no)
    return segments


def _bucket(m: MessageContext, bucket: ScheduleBucket, line_no: str) -> list[OutSegment]:
    firm = "1" if bucket.commitment == Commitment.FIRM else "4"
    when: OutSegment = dtm("2", bucket.from_date)
    if bucket.to_date is not None:
        period = f"{format_date(bucket.from_date)}-{format_date(bucket.to_date)}"
        when = ("DTM", ("2", period, "718"))
    return [("SCC", firm), write_quantity(m.units, "1", bucket.quantity, line_no), when]
