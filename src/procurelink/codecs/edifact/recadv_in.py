"""RECADV -> GoodsReceipt, the mirror of ``recadv`` (which encodes).

A plant or a warehouse partner reports what arrived: DTM+50 the receipt moment (DTM+137 when
there is none), RFF+ON the order (a line's RFF+ON when the heading has none), RFF+AAK the
ship notice, NAD+DP/ST the plant. Per LIN group: QTY+48 received, the order line from
RFF+ON 1156 (or RFF+LI), never LIN 1082 (edi.md pitfall 8), the lot as PIA ``NB``, the
pallet's SSCC as GIN+BJ. Times carry no zone in EDIFACT: ``received_at`` is naive.
"""

from __future__ import annotations

from procurelink.codecs.edifact.common import MessageContext, check_line_count, document_number
from procurelink.codecs.edifact.desadv import normalise_sscc
from procurelink.codecs.edifact.elements import dtm_datetime, optional
from procurelink.codecs.edifact.items import read_item, read_quantity
from procurelink.codecs.edifact.problems import MISSING
from procurelink.codecs.edifact.reader import LineData, MessageData
from procurelink.domain.parties import Item
from procurelink.domain.receipt import GoodsReceipt, ReceiptLine

_PLANT = ("DP", "ST")


def decode(m: MessageContext, data: MessageData) -> GoodsReceipt:
    number = document_number(m, data)
    check_line_count(m, data)
    moment = data.dates.get("50") or data.dates.get("137")
    if moment is None:
        raise m.place.error(
            "RECADV without a receipt date", syntax_error=MISSING, expected=["DTM+50", "DTM+137"]
        )
    order = data.refs["ON"].value if "ON" in data.refs else _line_order(data)
    if not order:
        raise m.place.error("RECADV names no order (RFF+ON)", syntax_error=MISSING)
    refs = data.refs
    return GoodsReceipt(
        **m.ids,
        receipt_number=number,
        order_number=order,
        plant=_plant(data),
        received_at=dtm_datetime(m.place, moment),
        asn_number=refs["AAK"].value if "AAK" in refs else None,
        lines=tuple(_line(m, line) for line in data.lines),
    )


def _line_order(data: MessageData) -> str | None:
    return next((ln.refs["ON"].value for ln in data.lines if "ON" in ln.refs), None)


def _plant(data: MessageData) -> str | None:
    for group in data.parties:
        if group.nad.get(1) in _PLANT:
            return optional(group.nad, 2, 1)
    return None


def _line(m: MessageContext, line: LineData) -> ReceiptLine:
    quantity = read_quantity(m.place, m.units, line, "48")
    if quantity is None:
        raise m.place.error("RECADV line without QTY+48", line.lin, syntax_error=MISSING)
    order_ref = line.refs.get("ON")
    order_line = order_ref.line if order_ref else None
    if order_line is None and "LI" in line.refs:
        order_line = line.refs["LI"].value
    if not order_line:
        raise m.place.error(
            "RECADV line names no order line (RFF+ON 1156 or RFF+LI)",
            line.lin,
            syntax_error=MISSING,
        )
    item = read_item(line)
    sscc = next(
        (normalise_sscc(m.place, g, g.get(2, 1)) for g in line.gins if g.get(1) == "BJ"), None
    )
    return ReceiptLine(
        order_line_no=order_line,
        item=item if item != Item() else None,
        quantity=quantity,
        lot=line.first_id("NB"),
        sscc=sscc,
    )
