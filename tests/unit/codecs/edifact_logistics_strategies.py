"""Hypothesis strategies for the despatch, invoice, receipt and schedule documents, in the
normal form the EDIFACT codec decodes DESADV, INVOIC, RECADV and DELFOR to.

What the normal form leaves out is what the messages do not carry back: package gross weight
(the DESADV decoder does not read MEA), a receipt item's description (RECADV writes no IMD),
a schedule line's ship-to contact, time zones and seconds of a receipt time.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from canonical_strategies import ssccs
from edifact_strategies import (
    IDS,
    UNITS,
    amounts,
    contacts,
    currencies,
    dates,
    items,
    line_numbers,
    maybe_text,
    parties,
    text,
)
from hypothesis import strategies as st

from procurelink.domain.despatch import AsnItem, AsnPackage, Carrier, DespatchAdvice
from procurelink.domain.invoice import (
    Charge,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceTotals,
    Tax,
)
from procurelink.domain.parties import Item, Party, PartyRole
from procurelink.domain.receipt import GoodsReceipt, ReceiptLine
from procurelink.domain.schedule import (
    Commitment,
    DeliverySchedule,
    ScheduleBucket,
    ScheduleKind,
    ScheduleLine,
)
from procurelink.domain.values import Money, PaymentTerms, Quantity

quantities = st.builds(Quantity, value=amounts, uom=st.sampled_from(UNITS))


def _party(draw: st.DrawFn, role: PartyRole) -> Party | None:
    """None, or a party as ``parties()`` draws them, in ``role``, with any contact."""
    if not draw(st.booleans()):
        return None
    drawn = draw(parties().filter(bool))[0]
    return drawn.model_copy(update={"role": role, "contact": draw(contacts)})


@st.composite
def despatch_advices(draw: st.DrawFn) -> DespatchAdvice:
    orders = draw(st.lists(text, max_size=3, unique=True))
    count = draw(st.integers(1, 4))
    pool = draw(st.lists(ssccs, min_size=count, max_size=count, unique=True))
    own = [sscc if draw(st.booleans()) else None for sscc in pool]
    packages: list[AsnPackage] = []
    for sscc in own:
        others = [s for s in own if s is not None and s != sscc]
        asn_items = tuple(
            AsnItem(
                order_number=draw(st.sampled_from(orders)) if orders else None,
                order_line_no=draw(st.none() | line_numbers),
                item=draw(items),
                quantity=draw(quantities),
                lot=draw(maybe_text),
                serials=tuple(draw(st.lists(text, max_size=7))),
                expiry_date=draw(st.none() | dates),
            )
            for _ in range(draw(st.integers(0 if sscc else 1, 3)))
        )
        packages.append(
            AsnPackage(
                sscc=sscc,
                package_type=draw(st.none() | st.sampled_from(["PX", "CT", "201"])),
                parent_sscc=draw(st.none() | st.sampled_from(others)) if others else None,
                items=asn_items,
            )
        )
    # The heading names the first order; the others are those the items name, in order.
    order_numbers = orders[:1]
    for package in packages:
        for item in package.items:
            if item.order_number and item.order_number not in order_numbers:
                order_numbers.append(item.order_number)
    carrier = draw(st.none() | st.builds(Carrier, code=text, name=maybe_text))
    return DespatchAdvice(
        **IDS,
        asn_number=draw(text),
        ship_date=draw(dates),
        estimated_delivery=draw(st.none() | dates),
        order_numbers=tuple(order_numbers),
        carrier=carrier,
        tracking_number=draw(maybe_text),
        bill_of_lading=draw(maybe_text),
        ship_from=_party(draw, PartyRole.SHIP_FROM),
        ship_to=_party(draw, PartyRole.SHIP_TO),
        packages=tuple(packages),
    )


@st.composite
def invoices(draw: st.DrawFn) -> Invoice:
    currency = draw(currencies)
    lines = tuple(
        InvoiceLine(
            line_no=draw(line_numbers),
            order_line_no=draw(st.none() | line_numbers),
            item=draw(items),
            quantity=draw(quantities),
            unit_price=Money(amount=draw(amounts), currency=currency),
            line_amount=draw(amounts),
            tax_rate=draw(st.none() | st.sampled_from([Decimal(19), Decimal(7), Decimal("5.5")])),
            tax_category=draw(st.none() | st.sampled_from(["S", "Z", "E"])),
        )
        for _ in range(draw(st.integers(1, 3)))
    )
    charges = tuple(
        Charge(
            kind=draw(st.sampled_from(["allowance", "charge"])),
            code=draw(st.none() | st.sampled_from(["FC", "DI", "ABK"])),
            description=draw(maybe_text),
            amount=draw(amounts),
        )
        for _ in range(draw(st.integers(0, 2)))
    )
    taxes = tuple(
        Tax(
            type=draw(st.sampled_from(["VAT", "GST"])),
            rate=draw(st.sampled_from([Decimal(19), Decimal(7), Decimal(0)])),
            category=draw(st.none() | st.sampled_from(["S", "Z", "E"])),
            taxable=draw(amounts),
            amount=draw(amounts),
        )
        for _ in range(draw(st.integers(0, 2)))
    )
    net_charges = sum((c.amount if c.kind == "charge" else -c.amount for c in charges), Decimal(0))
    totals = InvoiceTotals(
        lines=draw(amounts),
        charges=net_charges,
        taxable=draw(amounts),
        tax=draw(amounts),
        total=draw(amounts),
    )
    return Invoice(
        **IDS,
        kind=draw(st.sampled_from(InvoiceKind)),
        invoice_number=draw(text),
        invoice_date=draw(dates),
        order_number=draw(maybe_text),
        vendor_ref=draw(maybe_text),
        asn_ref=draw(maybe_text),
        currency=currency,
        seller=_party(draw, PartyRole.SUPPLIER),
        buyer=_party(draw, PartyRole.BUYER),
        payment_terms=draw(
            st.none()
            | st.builds(
                PaymentTerms, net_days=st.none() | st.integers(0, 365), description=maybe_text
            )
        ),
        lines=lines,
        charges=charges,
        taxes=taxes,
        totals=totals,
    )


receipt_items = st.builds(
    Item, buyer_item=maybe_text, supplier_item=maybe_text, gtin=st.none() | st.just("9520002000101")
).filter(lambda item: item != Item())


@st.composite
def goods_receipts(draw: st.DrawFn) -> GoodsReceipt:
    moment = draw(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1)))
    return GoodsReceipt(
        **IDS,
        receipt_number=draw(text),
        order_number=draw(text),
        plant=draw(maybe_text),
        received_at=moment.replace(second=0, microsecond=0),
        asn_number=draw(maybe_text),
        lines=tuple(
            ReceiptLine(
                order_line_no=draw(line_numbers),
                item=draw(st.none() | receipt_items),
                quantity=draw(quantities),
                lot=draw(maybe_text),
                sscc=draw(st.none() | ssccs),
            )
            for _ in range(draw(st.integers(1, 3)))
        ),
    )


@st.composite
def delivery_schedules(draw: st.DrawFn) -> DeliverySchedule:
    lines = []
    for _ in range(draw(st.integers(1, 3))):
        cumulative = draw(st.none() | quantities)
        ship_to = draw(st.none() | parties().filter(bool).map(lambda ps: ps[0]))
        lines.append(
            ScheduleLine(
                line_no=draw(line_numbers),
                item=draw(items),
                ship_to=ship_to.model_copy(update={"contact": None}) if ship_to else None,
                order_number=draw(maybe_text),
                cumulative_received=cumulative,
                last_receipt_date=draw(st.none() | dates) if cumulative else None,
                buckets=tuple(
                    ScheduleBucket(
                        quantity=draw(quantities),
                        from_date=draw(dates),
                        to_date=draw(st.none() | dates),
                        commitment=draw(st.sampled_from(Commitment)),
                    )
                    for _ in range(draw(st.integers(1, 4)))
                ),
            )
        )
    return DeliverySchedule(
        **IDS,
        kind=ScheduleKind.FORECAST,
        schedule_number=draw(text),
        issue_date=draw(dates),
        horizon_start=draw(dates),
        horizon_end=draw(dates),
        purpose=draw(st.sampled_from(["original", "replace", "cancel"])),
        parties=draw(parties()),
        lines=tuple(lines),
    )
