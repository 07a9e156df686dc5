"""Which message maps to which document, in both directions: two plain dicts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from procurelink.codecs.edifact import orders
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


DECODERS: dict[str, Decoder] = {
    "ORDERS": _business(orders.decode_order),
    "ORDCHG": _business(orders.decode_change),
}
DECODED_TYPES = frozenset({"purchase_order", "order_change"})

ENCODERS: dict[str, Encoder] = {
    "purchase_order": lambda m, d: ("ORDERS", d.order_number, orders.encode_order(m, d)),
    "order_change": lambda m, d: ("ORDCHG", d.order_number, orders.encode_change(m, d)),
}
