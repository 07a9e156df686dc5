"""Hypothesis strategies for canonical orders and responses in the form the codecs decode to.

"Normal form" here: values X12 can carry (no delimiters, no surrounding spaces: the X12
character set of ``canonical_strategies``), parties in the written role order, and response
quantities always present and consistent with the status (an accepted line has nothing
backordered, a rejected line confirms nothing).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from canonical_strategies import (
    IDS,
    X12,
    Blocks,
    amounts,
    currencies,
    dates,
    line_numbers,
    none_if_empty,
    ssccs,
)
from hypothesis import strategies as st

from procurelink.codecs.x12.funcack997 import ELEMENT_CODES, GROUP_CODES, SEGMENT_CODES, SET_CODES
from procurelink.domain.acknowledgment import (
    AckCounts,
    AckDetail,
    AckStatus,
    FunctionalAck,
    SyntaxIssue,
)
from procurelink.domain.order import (
    ChangeAction,
    OrderChange,
    OrderChangeLine,
    OrderLine,
    OrderPurpose,
    PurchaseOrder,
)
from procurelink.domain.parties import Party, PartyRole
from procurelink.domain.receipt import GoodsReceipt, ReceiptLine
from procurelink.domain.response import LineStatus, OrderResponse, ResponseLine, ResponseStatus
from procurelink.domain.schedule import (
    Commitment,
    DeliverySchedule,
    ScheduleBucket,
    ScheduleKind,
    ScheduleLine,
)
from procurelink.domain.values import Money, PaymentTerms, Quantity

ROLE_ORDER = [
    PartyRole.BUYER,
    PartyRole.SHIP_TO,
    PartyRole.BILL_TO,
    PartyRole.SUPPLIER,
    PartyRole.SHIP_FROM,
    PartyRole.CARRIER,
]
UNITS = ["unit", "kg", "dozen", "g", "lb", "m", "ft", "l", "m2", "m3", "box", "case", "pallet"]
_blocks = Blocks(X12)
_ALPHABET = _blocks.alphabet
text, maybe_text, contacts, addresses, items = (
    _blocks.text,
    _blocks.maybe_text,
    _blocks.contacts,
    _blocks.addresses,
    _blocks.items,
)


def parties() -> st.SearchStrategy[tuple[Party, ...]]:
    return _blocks.parties(ROLE_ORDER)


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
        item=none_if_empty(draw(items)),
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


items_or_none = items.map(none_if_empty)


@st.composite
def order_changes(draw: st.DrawFn) -> OrderChange:
    currency = draw(st.none() | currencies)
    lines = []
    for _ in range(draw(st.integers(0, 4))):
        uom = draw(st.sampled_from(UNITS))
        quantity = st.none() | amounts.map(lambda a, u=uom: Quantity(value=a, uom=u))
        price = st.none()
        if currency:
            price = st.none() | amounts.map(lambda a: Money(amount=a, currency=currency))
        lines.append(
            OrderChangeLine(
                line_no=draw(line_numbers),
                action=draw(st.sampled_from(ChangeAction)),
                item=draw(items_or_none),
                quantity=draw(quantity),
                qty_left_to_receive=draw(quantity),
                unit_price=draw(price),
                requested_date=draw(st.none() | dates),
            )
        )
    return OrderChange(
        **IDS,
        order_number=draw(text),
        change_seq=draw(st.integers(1, 999)),
        order_date=draw(st.none() | dates),
        change_date=draw(dates),
        purpose=draw(st.sampled_from(OrderPurpose)),
        parties=draw(parties()),
        currency=currency,
        lines=tuple(lines),
    )


@st.composite
def change_responses(draw: st.DrawFn) -> OrderResponse:
    response = draw(order_responses())
    return response.model_copy(
        update={"responds_to": "order_change", "change_seq": draw(st.integers(1, 999))}
    )


moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)).map(
    lambda d: d.replace(microsecond=0)
)


@st.composite
def goods_receipts(draw: st.DrawFn) -> GoodsReceipt:
    received_at = draw(moments)
    if draw(st.booleans()):
        received_at = received_at.replace(tzinfo=UTC)
    lines = [
        ReceiptLine(
            order_line_no=draw(line_numbers),
            item=draw(items_or_none),
            quantity=Quantity(value=draw(amounts), uom=draw(st.sampled_from(UNITS))),
            lot=draw(maybe_text),
            sscc=draw(st.none() | ssccs),
        )
        for _ in range(draw(st.integers(1, 4)))
    ]
    return GoodsReceipt(
        **IDS,
        receipt_number=draw(text),
        order_number=draw(text),
        plant=draw(maybe_text),
        received_at=received_at,
        asn_number=draw(maybe_text),
        lines=tuple(lines),
    )


@st.composite
def schedule_lines(draw: st.DrawFn) -> ScheduleLine:
    uom = draw(st.sampled_from(UNITS))
    buckets = [
        ScheduleBucket(
            quantity=Quantity(value=draw(amounts), uom=uom),
            from_date=draw(dates),
            to_date=draw(st.none() | dates),
            commitment=draw(st.sampled_from(Commitment)),
        )
        for _ in range(draw(st.integers(1, 4)))
    ]
    ship_to = draw(st.none() | st.builds(Party, role=st.just(PartyRole.SHIP_TO), name=text))
    return ScheduleLine(
        line_no=draw(line_numbers),
        item=draw(items),
        ship_to=ship_to,
        order_number=draw(maybe_text),
        cumulative_received=draw(st.none() | amounts.map(lambda a: Quantity(value=a, uom=uom))),
        last_receipt_date=draw(st.none() | dates),
        buckets=tuple(buckets),
    )


@st.composite
def delivery_schedules(draw: st.DrawFn) -> DeliverySchedule:
    return DeliverySchedule(
        **IDS,
        kind=draw(st.sampled_from(ScheduleKind)),
        schedule_number=draw(text),
        issue_date=draw(dates),
        horizon_start=draw(dates),
        horizon_end=draw(dates),
        purpose=draw(st.sampled_from(["original", "replace", "cancel"])),
        parties=draw(parties()),
        lines=tuple(draw(st.lists(schedule_lines(), min_size=1, max_size=3))),
    )


# Bad values copied into AK404 are printable and free of any default delimiter.
_bad_values = st.text(_ALPHABET.replace("^", ""), min_size=1, max_size=20).map(str.strip)
_positions = st.integers(1, 999)


@st.composite
def _segment_errors(draw: st.DrawFn, position: int) -> list[SyntaxIssue]:
    """The issues of one segment; each segment of a set has its own position."""
    segment_id = draw(st.from_regex(r"[A-Z][A-Z0-9]{1,2}", fullmatch=True))
    located = {"segment_id": segment_id, "segment_position": position}
    elements = [
        SyntaxIssue(
            code=code,
            description=ELEMENT_CODES.get(code),
            element_position=draw(st.integers(1, 99)),
            component_position=draw(st.none() | st.integers(1, 9)),
            bad_value=draw(st.none() | _bad_values.filter(bool)),
            **located,
        )
        for code in draw(st.lists(st.sampled_from(sorted(ELEMENT_CODES)), max_size=2))
    ]
    codes = sorted(c for c in SEGMENT_CODES if c != "8" or not elements)
    if elements and draw(st.booleans()):
        return elements
    code = draw(st.sampled_from(codes))
    return [SyntaxIssue(code=code, description=SEGMENT_CODES[code], **located), *elements]


@st.composite
def ack_details(draw: st.DrawFn) -> AckDetail:
    positions = draw(st.lists(_positions, max_size=2, unique=True))
    errors = [e for at in positions for e in draw(_segment_errors(at))]
    codes = draw(st.lists(st.sampled_from(sorted(SET_CODES)), max_size=3, unique=True))
    errors += [SyntaxIssue(code=c, description=SET_CODES[c]) for c in codes]
    return AckDetail(
        ref=draw(st.from_regex(r"[0-9]{4,9}", fullmatch=True)),
        type=draw(st.sampled_from(["850", "860", "856", "810"])),
        status=draw(
            st.sampled_from(
                [AckStatus.ACCEPTED, AckStatus.ACCEPTED_WITH_ERRORS, AckStatus.REJECTED]
            )
        ),
        errors=tuple(errors),
    )


@st.composite
def x12_functional_acks(draw: st.DrawFn) -> FunctionalAck:
    ack_type = draw(st.sampled_from(["997", "999"]))
    codes = draw(st.lists(st.sampled_from(sorted(GROUP_CODES)), max_size=3, unique=True))
    return FunctionalAck(
        **IDS,
        syntax="x12",
        ack_type=ack_type,
        status=draw(st.sampled_from([s for s in AckStatus if s != AckStatus.RECEIVED])),
        group_ref=draw(st.from_regex(r"[1-9][0-9]{0,8}", fullmatch=True)),
        functional_id=draw(st.sampled_from(["PO", "IN", "SH"])),
        group_version="005010" if ack_type == "999" else None,
        counts=AckCounts(
            included=draw(st.integers(0, 99)),
            received=draw(st.integers(0, 99)),
            accepted=draw(st.integers(0, 99)),
        ),
        details=tuple(draw(st.lists(ack_details(), max_size=3))),
        errors=tuple(SyntaxIssue(code=c, description=GROUP_CODES[c]) for c in codes),
    )
