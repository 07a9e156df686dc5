"""Hypothesis strategies for canonical orders and responses in the form the codecs decode to.

"Normal form" here: values X12 can carry (no delimiters, no surrounding spaces), parties in
the written role order, and response quantities always present and consistent with the
status (an accepted line has nothing backordered, a rejected line confirms nothing).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from procurelink.domain.order import OrderLine, OrderPurpose, PurchaseOrder
from procurelink.domain.parties import Address, Contact, IdScheme, Item, Party, PartyRole
from procurelink.domain.response import LineStatus, OrderResponse, ResponseLine, ResponseStatus
from procurelink.domain.values import Money, PaymentTerms, Quantity

IDS = {"document_id": "doc", "partner_id": "steelworks", "correlation_id": "corr-1"}
ROLE_ORDER = [
    PartyRole.BUYER,
    PartyRole.SHIP_TO,
    PartyRole.BILL_TO,
    PartyRole.SUPPLIER,
    PartyRole.SHIP_FROM,
    PartyRole.CARRIER,
]
UNITS = ["unit", "kg", "dozen", "g", "lb", "m", "ft", "l", "m2", "m3", "box", "case", "pallet"]
# Printable ASCII without the delimiters of either default version (* > ~ and : ^).
_ALPHABET = "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) not in "*>~:^")

text = st.text(_ALPHABET, min_size=1, max_size=30).map(str.strip).filter(bool)
maybe_text = st.none() | text
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
amounts = st.decimals(min_value=0, max_value=10**9, places=3)
line_numbers = st.from_regex(r"[0-9A-Z]{1,6}", fullmatch=True)
gtins = st.from_regex(r"[0-9]{8}|[0-9]{12,14}", fullmatch=True)
currencies = st.sampled_from(["EUR", "USD", "CHF"])


def _none_if_empty(model: Any) -> Any:
    return model if model.model_dump(exclude_none=True) else None


contacts = st.builds(Contact, name=maybe_text, phone=maybe_text, email=maybe_text)
addresses = st.builds(
    Address,
    street=maybe_text,
    city=maybe_text,
    postcode=maybe_text,
    region=maybe_text,
    country=st.none() | st.sampled_from(["DE", "FR", "US"]),
).map(_none_if_empty)


@st.composite
def parties(draw: st.DrawFn) -> tuple[Party, ...]:
    roles = [r for r in ROLE_ORDER if draw(st.booleans())]
    result = []
    for role in roles:
        party_id = draw(maybe_text)
        scheme = draw(st.sampled_from([s for s in IdScheme if s != IdScheme.ODOO]))
        result.append(
            Party(
                role=role,
                name=draw(maybe_text),
                id=party_id,
                id_scheme=scheme if party_id else None,
                address=draw(addresses),
                vat_id=draw(maybe_text),
                contact=draw(st.none() | contacts),
            )
        )
    return tuple(result)


items = st.builds(
    Item,
    buyer_item=maybe_text,
    supplier_item=maybe_text,
    gtin=st.none() | gtins,
    description=maybe_text,
)


@st.composite
def purchase_orders(draw: st.DrawFn) -> PurchaseOrder:
    currency = draw(currencies)
    lines = [
        OrderLine(
            line_no=draw(line_numbers),
            item=draw(items),
            quantity=Quantity(value=draw(amounts), uom=draw(st.sampled_from(UNITS))),
            unit_price=draw(st.none() | amounts.map(lambda a: Money(amount=a, currency=currency))),
            price_basis_qty=Decimal(draw(st.sampled_from([1, 100, 1000]))),
            requested_date=draw(st.none() | dates),
        )
        for _ in range(draw(st.integers(1, 4)))
    ]
    return PurchaseOrder(
        **IDS,
        order_number=draw(text),
        purpose=draw(st.sampled_from(OrderPurpose)),
        order_date=draw(dates),
        currency=currency,
        parties=draw(parties()),
        contact=draw(st.none() | contacts),
        contract_ref=draw(maybe_text),
        vendor_code_at_buyer=draw(maybe_text),
        vendor_ref=draw(maybe_text),
        requested_date=draw(st.none() | dates),
        payment_terms=draw(
            st.none()
            | st.builds(
                PaymentTerms, net_days=st.none() | st.integers(0, 365), description=maybe_text
            )
        ),
        incoterms=draw(st.none() | st.sampled_from(["EXW", "FCA", "DAP", "DDP"])),
        lines=tuple(lines),
        total_amount=draw(st.none() | amounts),
    )


@st.composite
def response_lines(draw: st.DrawFn, currency: str) -> ResponseLine:
    uom = draw(st.sampled_from(UNITS))
    status = draw(st.sampled_from(LineStatus))
    zero = Quantity(value=Decimal(0), uom=uom)
    confirmed = Quantity(value=draw(amounts), uom=uom)
    backorder = Quantity(value=draw(amounts), uom=uom)
    if status == LineStatus.REJECTED:
        confirmed = backorder = zero
    elif status == LineStatus.ACCEPTED:
        backorder = zero
    return ResponseLine(
        line_no=draw(line_numbers),
        status=status,
        item=_none_if_empty(draw(items)),
        ordered_qty=Quantity(value=draw(amounts), uom=uom),
        confirmed_qty=confirmed,
        backorder_qty=backorder,
        unit_price=draw(st.none() | amounts.map(lambda a: Money(amount=a, currency=currency))),
        promised_date=draw(st.none() | dates),
        note=draw(maybe_text),
    )


@st.composite
def order_responses(draw: st.DrawFn) -> OrderResponse:
    currency = draw(currencies)
    return OrderResponse(
        **IDS,
        order_number=draw(text),
        order_date=draw(st.none() | dates),
        vendor_ref=draw(maybe_text),
        response_date=draw(dates),
        overall=draw(st.sampled_from(ResponseStatus)),
        lines=tuple(draw(st.lists(response_lines(currency), max_size=4))),
        note=draw(maybe_text),
    )
