"""GoodsReceipt -> RECADV (receiving advice), sent to a supplier after goods arrived.

One CPS level holds the lines; each line names the order line in RFF+ON:<order>:<line>
(as in DESADV), the received quantity in QTY+48, the lot as PIA ``NB`` and the pallet's SSCC
as GIN+BJ. The plant, when known, is the delivery party (NAD+DP, buyer-assigned id).
"""

from __future__ import annotations

from procurelink.codecs.edifact.common import MessageContext, format_date
from procurelink.codecs.edifact.items import write_item_ids, write_quantity
from procurelink.codecs.edifact.writer import OutSegment
from procurelink.domain.parties import Item
from procurelink.domain.receipt import GoodsReceipt


def encode(m: MessageContext, receipt: GoodsReceipt) -> list[OutSegment]:
    received = receipt.received_at
    segments: list[OutSegment] = [
        ("BGM", "632", receipt.receipt_number, "9"),
        ("DTM", ("137", format_date(received.date()), "102")),
        ("DTM", ("50", received.strftime("%Y%m%d%H%M"), "203")),
        ("RFF", ("ON", receipt.order_number)),
    ]
    if receipt.asn_number:
        segments.append(("RFF", ("AAK", receipt.asn_number)))
    if receipt.plant:
        segments.append(("NAD", "DP", (receipt.plant, "", "92")))
    segments.append(("CPS", "1"))
    for index, line in enumerate(receipt.lines, start=1):
        segments += write_item_ids(str(index), "", line.item or Item())
        if line.lot:
            segments.append(("PIA", "1", (line.lot, "NB")))
        segments.append(write_quantity(m.units, "48", line.quantity, line.order_line_no))
        segments.append(("RFF", ("ON", receipt.order_number, line.order_line_no)))
        if line.sscc:
            segments.append(("GIN", "BJ", line.sscc))
    segments.append(("CNT", ("2", str(len(receipt.lines)))))
    return segments
