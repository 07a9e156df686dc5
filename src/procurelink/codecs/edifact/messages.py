"""Which message maps to which document, in both directions: two plain dicts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from procurelink.codecs.edifact import (
    aperak,
    contrl,
    delfor,
    delfor_in,
    desadv,
    desadv_out,
    invoic,
    invoic_out,
    orders,
    ordrsp,
    recadv,
    recadv_in,
)
from procurelink.codecs.edifact.common import MessageContext
from procurelink.codecs.edifact.envelope import Interchange, Message
from procurelink.codecs.edifact.reader import read_message
from procurelink.codecs.edifact.writer import OutSegment
from procurelink.domain.document import Document

Decoder = Callable[[MessageContext, Interchange, Message], Document]
Encoder = Callable[[MessageContext, Any], tuple[str, str, list[OutSegment]]]


def _business(mapper: Callable[[MessageContext, Any], Document]) -> Decoder:
    """A decoder for the messages that share the LIN-group reader."""

    def decode(m: MessageContext, interchange: Interchange, message: Message) -> Document:
        return mapper(m, read_message(m.place, message.segments))

    return decode


# UNH 0065 -> decoder.
DECODERS: dict[str, Decoder] = {
    "ORDERS": _business(orders.decode_order),
    "ORDCHG": _business(orders.decode_change),
    "ORDRSP": _business(ordrsp.decode),
    "DESADV": _business(desadv.decode),
    "INVOIC": _business(invoic.decode),
    "RECADV": _business(recadv_in.decode),
    "DELFOR": delfor_in.decode,
    "APERAK": aperak.decode,
    "CONTRL": contrl.decode,
}
DECODED_TYPES = frozenset(
    {
        "purchase_order",
        "order_change",
        "order_response",
        "despatch_advice",
        "invoice",
        "goods_receipt",
        "delivery_schedule",
        "application_response",
        "functional_ack",
    }
)

# document_type -> (UNH 0065, the number for the file name, the message body).
ENCODERS: dict[str, Encoder] = {
    "purchase_order": lambda m, d: ("ORDERS", d.order_number, orders.encode_order(m, d)),
    "order_change": lambda m, d: ("ORDCHG", d.order_number, orders.encode_change(m, d)),
    "order_response": lambda m, d: ("ORDRSP", d.order_number, ordrsp.encode(m, d)),
    "despatch_advice": lambda m, d: ("DESADV", d.asn_number, desadv_out.encode(m, d)),
    "invoice": lambda m, d: ("INVOIC", d.invoice_number, invoic_out.encode(m, d)),
    "goods_receipt": lambda m, d: ("RECADV", d.receipt_number, recadv.encode(m, d)),
    "delivery_schedule": lambda m, d: ("DELFOR", d.schedule_number, delfor.encode(m, d)),
    "functional_ack": lambda m, d: ("CONTRL", d.interchange_ref or "ack", contrl.encode(m, d)),
}
