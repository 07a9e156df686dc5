"""Hypothesis strategies for canonical documents in the normal form the EDIFACT codec decodes to.

Texts are of the EDIFACT character set of ``canonical_strategies``: every service character
(``? + : '``) and latin-1 letters, which escaping must carry, and long texts split at the
D.96A length limits.
"""

from __future__ import annotations

from decimal import Decimal

from canonical_strategies import (
    EDIFACT,
    IDS,
    Blocks,
    amounts,
    currencies,
    dates,
    line_numbers,
    none_if_empty,
    positive,
)
from hypothesis import strategies as st

from procurelink.domain.order import (
    ChangeAction,
    OrderChange,
    OrderChangeLine,
    OrderLine,
    OrderPurpose,
    PurchaseOrder,
)
from procurelink.domain.parties import Party, PartyRole
from procurelink.domain.response import LineStatus, OrderResponse, ResponseLine, ResponseStatus
from procurelink.domain.values import Money, PaymentTerms, Quantity

ROLES = [
    PartyRole.BUYER,
    PartyRole.SUPPLIER,
    PartyRole.SHIP_TO,
    PartyRole.BILL_TO,
    PartyRole.SHIP_FROM,
    PartyRole.CARRIER,
]
UNITS = ["unit", "kg", "dozen", "g", "t", "lb", "m", "ft", "l", "m2", "m3", "box", "case"]
_blocks = Blocks(EDIFACT)
ALPHABET = _blocks.alphabet
text, maybe_text, long_text, maybe_long = (
    _blocks.text,
    _blocks.maybe_text,
    _blocks.long_text,
    _blocks.maybe_long,
)
contacts, addresses, items = _blocks.contacts, _blocks.addresses, _blocks.items


def parties() -> st.SearchStrategy[tuple[Party, ...]]:
    # The buyer's contact is the order's contact (CTA in the NAD+BY group).
    return _blocks.parties(ROLES, with_contact=lambda role: role != PartyRole.BUYER)


@st.composite
def purchase_orders(draw: st.DrawFn) -> PurchaseOrder:
    currency = draw(currencies)
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        price = draw(st.none() | amounts)
        lines.append(
            OrderLine(
                line_no=draw(line_numbers),
                item=draw(items),
                quantity=Quantity(value=draw(amounts), uom=draw(st.sampled_from(UNITS))),
                unit_price=Money(amount=price, currency=currency) if price is not None else None,
                price_basis_qty=Decimal(draw(st.sampled_from([1, 100, 1000])))
                if price is not None
                else Decimal(1),
                requested_date=draw(st.none() | dates),
            )
        )
    order_parties = draw(parties())
    has_buyer = any(p.role == PartyRole.BUYER for p in order_parties)
    return PurchaseOrder(
        **IDS,
        order_number=draw(text),
        purpose=draw(st.sampled_from(OrderPurpose)),
        order_date=draw(dates),
        currency=currency,
        parties=order_parties,
        contact=draw(contacts) if has_buyer else None,
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
def order_changes(draw: st.DrawFn) -> OrderChange:
    currency = draw(currencies)
    lines = []
    for _ in range(draw(st.integers(0, 4))):
        price = draw(st.none() | amounts)
        lines.append(
            OrderChangeLine(
                line_no=draw(line_numbers),
                action=draw(
                    st.sampled_from([ChangeAction.ADD, ChangeAction.CHANGE, ChangeAction.DELETE])
                ),
                item=draw(items.map(none_if_empty)),
                quantity=draw(
                    st.none() | st.builds(Quantity, value=amounts, uom=st.sampled_from(UNITS))
                ),
                unit_price=Money(amount=price, currency=currency) if price is not None else None,
                requested_date=draw(st.none() | dates),
            )
        )
    has_price = any(line.unit_price for line in lines)
    return OrderChange(
        **IDS,
        order_number=draw(text),
        change_seq=draw(st.integers(1, 10**6)),
        order_date=draw(st.none() | dates),
        change_date=draw(dates),
        purpose=draw(st.sampled_from(OrderPurpose)),
        parties=draw(parties()),
        currency=currency if has_price or draw(st.booleans()) else None,
        lines=tuple(lines),
    )


@st.composite
def response_lines(draw: st.DrawFn, currency: str) -> ResponseLine:
    uom = draw(st.sampled_from(UNITS))
    status = draw(st.sampled_from(LineStatus))
    zero = Quantity(value=Decimal(0), uom=uom)
    ordered = Quantity(value=draw(positive), uom=uom)
    confirmed, backorder = ordered, zero
    promised = draw(st.none() | dates)
    if status == LineStatus.REJECTED:
        confirmed = zero
    elif status == LineStatus.BACKORDERED:
        confirmed = Quantity(value=draw(amounts), uom=uom)
        backorder = Quantity(value=draw(positive), uom=uom)
    elif status == LineStatus.QUANTITY_CHANGED:
        changed = draw(amounts.filter(lambda a: a != ordered.value))
        confirmed = Quantity(value=changed, uom=uom)
    elif status == LineStatus.RESCHEDULED:
        promised = draw(dates)
    return ResponseLine(
        line_no=draw(line_numbers),
        status=status,
        item=draw(items.map(none_if_empty)),
        ordered_qty=ordered,
        confirmed_qty=confirmed,
        backorder_qty=backorder,
        unit_price=draw(st.none() | amounts.map(lambda a: Money(amount=a, currency=currency))),
        promised_date=promised,
        note=draw(maybe_long),
    )


@st.composite
def order_responses(draw: st.DrawFn) -> OrderResponse:
    currency = draw(currencies)
    return OrderResponse(
        **IDS,
        order_number=draw(text),
        order_date=draw(st.none() | dates),
        vendor_ref=draw(maybe_text),
        response_number=draw(text),
        response_date=draw(dates),
        overall=draw(st.sampled_from(ResponseStatus)),
        lines=tuple(draw(st.lists(response_lines(currency), max_size=4))),
        note=draw(maybe_long),
    )
