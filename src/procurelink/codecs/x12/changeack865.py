"""865 Purchase Order Change Acknowledgment <-> OrderResponse to an order change (edi.md
sections 2.4 and 5.2).

The set is an 855 with BCA for BAK and POC for PO1, so it runs through ``poack855`` with its
own ``Flavour``. BCA10 (acknowledgment date) is written only when it differs from the
interchange date and read back with GS04 as the fallback, as the sample carries none.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from procurelink.codecs.x12 import poack855
from procurelink.codecs.x12.context import ReadContext
from procurelink.codecs.x12.elements import Place, date8, format_date, integer, optional, required
from procurelink.codecs.x12.envelope import TransactionSet
from procurelink.codecs.x12.lines import Po1
from procurelink.codecs.x12.po860 import read_poc, write_poc
from procurelink.codecs.x12.syntax import Segment
from procurelink.codecs.x12.units import UnitMap
from procurelink.domain.order import ChangeAction, OrderChangeLine
from procurelink.domain.response import OrderResponse, ResponseLine
from procurelink.errors import InvalidDocument


def _read_bca(place: Place, bca: Segment) -> dict[str, Any]:
    return {
        "overall": poack855.read_overall(place, bca),
        "order_number": required(place, bca, 3),
        "change_seq": integer(place, bca, 5),
        "order_date": date8(place, bca, 6),
        "vendor_ref": optional(bca, 9),
        "response_date": date8(place, bca, 10),
        "responds_to": "order_change",
    }


def _read_poc(place: Place, units: UnitMap, segment: Segment) -> Po1:
    poc = read_poc(place, units, segment)
    return Po1(poc.line_no, poc.quantity, poc.unit_price, poc.price_basis_qty, poc.item)


FLAVOUR = poack855.Flavour("BCA", _read_bca, "POC", _read_poc)


def decode(ts: TransactionSet, ctx: ReadContext) -> OrderResponse:
    return poack855.decode(ts, ctx.units, ctx.options, ctx.group_date, ctx.ids, FLAVOUR)


def encode(response: OrderResponse, units: UnitMap, sent_on: date) -> list[tuple[str, ...]]:
    if response.change_seq is None:
        raise InvalidDocument(
            "an 865 answers a numbered change: change_seq is missing",
            order_number=response.order_number,
        )
    bca = (
        "BCA",
        "00",
        poack855.ack_type(response),
        response.order_number,
        "",
        str(response.change_seq),
        format_date(response.order_date) if response.order_date else "",
        "",
        "",
        response.vendor_ref or "",
        format_date(response.response_date) if response.response_date != sent_on else "",
    )
    return poack855.encode(response, units, bca, _write_poc)


def _write_poc(units: UnitMap, line: ResponseLine) -> tuple[str, ...]:
    # The answer does not name the buyer's change type; "CA" (change to line item) echoes
    # any of them, and readers take the change from the ACKs that follow.
    change = OrderChangeLine(
        line_no=line.line_no,
        action=ChangeAction.CHANGE,
        item=line.item,
        quantity=line.ordered_qty,
        unit_price=line.unit_price,
    )
    return write_poc(units, change, "CA")
