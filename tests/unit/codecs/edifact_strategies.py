"""Hypothesis strategies for canonical documents in the normal form the EDIFACT codec decodes to.

Texts may hold every service character (``? + : '``) and latin-1 letters: escaping must carry
them. Long texts are words of at most 12 characters joined by single spaces, so that a split
at the D.96A length limits always lands on a space (a word longer than the limit is cut
inside and comes back with a space in it, see ``elements.split_text``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from procurelink.domain.order import (
    ChangeAction,
    OrderChange,
    OrderChangeLine,
    OrderLine,
    OrderPurpose,
    PurchaseOrder,
)
from procurelink.domain.parties import Address, Contact, IdScheme, Item, Party, PartyRole
from procurelink.domain.response import LineStatus, OrderResponse, ResponseLine, ResponseStatus
from procurelink.domain.values import Money, PaymentTerms, Quantity

IDS = {"document_id": "doc", "partner_id": "steelworks", "correlation_id": "corr-1"}
ROLES = [
    PartyRole.BUYER,
    PartyRole.SUPPLIER,
    PartyRole.SHIP_TO,
    PartyRole.BILL_TO,
    PartyRole.SHIP_FROM,
    PartyRole.CARRIER,
]
UNITS = ["unit", "kg", "dozen", "g", "t", "lb", "m", "ft", "l", "m2", "m3", "box", "case"]
# Printable latin-1 (UNOC) with every EDIFACT service character.
ALPHABET = "".join(chr(c) for c in [*range(0x20, 0x7F), *range(0xA0, 0x100)])
_word = st.text(ALPHABET.replace(" ", ""), min_size=1, max_size=12)

text = st.text(ALPHABET, min_size=1, max_size=30).map(str.strip).filter(bool)
maybe_text = st.none() | text
long_text = st.lists(_word, min_size=1, max_size=25).map(" ".join)
maybe_long = st.none() | long_text
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
amounts = st.decimals(min_value=0, max_value=10**9, places=3)
positive = st.decimals(min_value=Decimal("0.001"), max_value=10**9, places=3)
line_numbers = st.from_regex(r"[0-9A-Z]{1,6}", fullmatch=True)
gtins = st.from_regex(r"[0-9]{8}|[0-9]{12,14}", fullmatch=True)
currencies = st.sampled_from(["EUR", "USD", "CHF"])


def _none_if_empty(model: object) -> object:
    return model if model.model_dump(exclude_none=True) else None  # type: ignore[attr-defined]


contacts = st.builds(Contact, name=maybe_text, phone=maybe_text, email=maybe_text).map(
    _none_if_empty
)
addresses = st.builds(
    Address,
    street=maybe_long,
    city=maybe_text,
    postcode=maybe_text,
    region=maybe_text,
    country=st.none() | st.sampled_from(["DE", "FR", "US"]),
).map(_none_if_empty)
items = st.builds(
    Item,
    buyer_item=maybe_text,
    supplier_item=maybe_text,
    gtin=st.none() | gtins,
    description=maybe_long,
)


@st.composite
def parties(draw: st.DrawFn) -> tuple[Party, ...]:
    result = []
    for role in (r for r in ROLES if draw(st.booleans())):
        party_id = draw(maybe_text)
        scheme = draw(st.sampled_from([s for s in IdScheme if s != IdScheme.ODOO]))
        result.append(
            Party(
                role=role,
                name=draw(maybe_long),
                id=party_id,
                id_scheme=scheme if party_id else None,
                address=draw(addresses),
                vat_id=draw(maybe_text),
                # The buyer's contact is the order's contact (CTA in the NAD+BY group).
                contact=None if role == PartyRole.BUYER else draw(contacts),
            )
        )
    return tuple(result)


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
                item=draw(items.map(_none_if_empty)),
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
        item=draw(items.map(_none_if_empty)),
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
