from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from invoice_builders import inv_line, invoice, ledger_order

from procurelink.codecs.edifact import EdifactCodec
from procurelink.codecs.x12 import X12Codec
from procurelink.domain.invoice import Invoice, InvoiceKind, InvoiceTotals
from procurelink.domain.tolerances import MatchTolerances, within
from procurelink.ports.codec import DecodeContext
from procurelink.workflow.discrepancies import DiscrepancyKind
from procurelink.workflow.invoice_match import (
    LineBilling,
    MatchedLine,
    MatchInput,
    match_invoice,
)

K = DiscrepancyKind


def received(
    one: str, two: str = "0", billed: tuple[str, str] = ("0", "0")
) -> dict[str, LineBilling]:
    return {
        "1": LineBilling(Decimal(one), Decimal(billed[0])),
        "2": LineBilling(Decimal(two), Decimal(billed[1])),
    }


def given_(
    billing: dict[str, LineBilling], tol: MatchTolerances = MatchTolerances(), **kw: object
) -> MatchInput:
    return MatchInput(
        partner_id=str(kw.pop("partner", "steelworks")),
        order=kw.pop("order", ledger_order()),  # type: ignore[arg-type]
        billing=billing,
        tolerances=tol,
        duplicate_of=kw.pop("duplicate_of", None),  # type: ignore[arg-type]
    )


def kinds(result: object) -> list[DiscrepancyKind]:
    return [d.kind for d in result.discrepancies]  # type: ignore[attr-defined]


def test_received_goods_at_the_ordered_price_match_line_by_line() -> None:
    inv = invoice(inv_line("1", "100", "0.12"), inv_line("2", "40", "1.85", uom="kg"))
    result = match_invoice(inv, given_(received("100", "40")))
    assert result.matched, result.summary()
    assert [(m.order_line_no, m.odoo_line_id, m.quantity) for m in result.lines] == [
        ("1", 100, Decimal(100)),
        ("2", 101, Decimal(40)),
    ]


def test_billing_more_than_received_is_located_on_the_line() -> None:
    inv = invoice(inv_line("1", "100", "0.12"))
    result = match_invoice(inv, given_(received("60")))
    [d] = result.discrepancies
    assert d.kind == K.QUANTITY_OVER_RECEIVED
    assert d.line_no == "1"
    assert (d.expected, d.actual) == ("60", "100")
    assert result.approvable


def test_earlier_bills_count_against_the_received_quantity() -> None:
    inv = invoice(inv_line("1", "50", "0.12"))
    assert match_invoice(inv, given_(received("100", billed=("50", "0")))).matched
    over = match_invoice(inv, given_(received("100", billed=("60", "0"))))
    assert kinds(over) == [K.QUANTITY_OVER_RECEIVED]


def test_two_invoice_lines_on_one_order_line_are_summed() -> None:
    inv = invoice(
        inv_line("1", "60", "0.12", order_line_no="1"),
        inv_line("2", "60", "0.12", order_line_no="1"),
    )
    result = match_invoice(inv, given_(received("100")))
    assert kinds(result) == [K.QUANTITY_OVER_RECEIVED]


def test_quantity_tolerance_in_percent_and_absolute() -> None:
    inv = invoice(inv_line("1", "104", "0.12"))
    assert match_invoice(
        inv, given_(received("100"), MatchTolerances(quantity_pct=Decimal(5)))
    ).matched
    both = MatchTolerances(quantity_pct=Decimal(5), quantity_abs=Decimal(3))
    assert kinds(match_invoice(inv, given_(received("100"), both))) == [K.QUANTITY_OVER_RECEIVED]


def test_price_outside_tolerance_is_a_variance_and_inside_is_accepted() -> None:
    inv = invoice(inv_line("1", "100", "0.125"))
    [d] = match_invoice(inv, given_(received("100"))).discrepancies
    assert d.kind == K.PRICE_VARIANCE
    assert (d.expected, d.actual) == ("0.12", "0.125")
    assert "no tolerance" in d.message
    five_pct = MatchTolerances(price_pct=Decimal(5))
    assert match_invoice(inv, given_(received("100"), five_pct)).matched
    one_cent_abs = MatchTolerances(price_abs=Decimal("0.001"))
    assert kinds(match_invoice(inv, given_(received("100"), one_cent_abs))) == [K.PRICE_VARIANCE]


def test_lower_price_also_needs_a_tolerance() -> None:
    inv = invoice(inv_line("1", "100", "0.10"))
    assert kinds(match_invoice(inv, given_(received("100")))) == [K.PRICE_VARIANCE]


def test_unknown_order_is_blocking_and_stops_the_match() -> None:
    result = match_invoice(invoice(inv_line("1", "1", "0.12")), given_({}, order=None))
    assert kinds(result) == [K.UNKNOWN_ORDER]
    assert not result.approvable
    assert result.lines == ()


def test_wrong_supplier_is_blocking() -> None:
    inv = invoice(inv_line("1", "1", "0.12"), partner="polymer")
    result = match_invoice(inv, given_(received("1"), partner="polymer"))
    assert kinds(result) == [K.WRONG_SUPPLIER]
    assert not result.approvable


def test_currency_mismatch_is_blocking_and_skips_price_checks() -> None:
    inv = invoice(inv_line("1", "100", "0.50"), currency="USD")
    result = match_invoice(inv, given_(received("100")))
    assert kinds(result) == [K.CURRENCY_MISMATCH]
    assert not result.approvable


def test_unknown_line_and_unit_mismatch_are_blocking() -> None:
    inv = invoice(
        inv_line("1", "100", "0.12"),
        inv_line("9", "1", "1.00"),
        inv_line("2", "40", "1.85", order_line_no="2"),
    )
    result = match_invoice(inv, given_(received("100", "40")))
    assert kinds(result) == [K.UNKNOWN_LINE, K.UNIT_MISMATCH]
    assert [d.line_no for d in result.discrepancies] == ["9", "2"]
    assert not result.approvable


def test_line_found_by_item_when_no_order_line_number_is_given() -> None:
    inv = invoice(inv_line("7", "40", "1.85", uom="kg", item="ACME-20117"))
    result = match_invoice(inv, given_(received("0", "40")))
    assert result.matched, result.summary()
    assert result.lines[0].order_line_no == "2"


def test_duplicate_invoice_number_is_blocking() -> None:
    inv = invoice(inv_line("1", "100", "0.12"))
    result = match_invoice(inv, given_(received("100"), duplicate_of="doc-0"))
    assert kinds(result) == [K.DUPLICATE_INVOICE]
    assert "doc-0" in result.discrepancies[0].message
    assert not result.approvable


def test_credit_note_up_to_what_was_billed() -> None:
    credit = invoice(inv_line("1", "30", "0.12"), kind=InvoiceKind.CREDIT_NOTE, number="CN-1")
    assert match_invoice(credit, given_(received("100", billed=("100", "0")))).matched
    result = match_invoice(credit, given_(received("100", billed=("20", "0"))))
    [d] = result.discrepancies
    assert d.kind == K.CREDIT_OVER_INVOICED
    assert (d.expected, d.actual) == ("20", "30")


def test_wrong_line_amount_and_totals_are_reported() -> None:
    inv = invoice(inv_line("1", "100", "0.12", amount="13.00"))
    result = match_invoice(inv, given_(received("100")))
    assert K.LINE_AMOUNT in kinds(result)
    bad_total = inv.model_copy(
        update={
            "totals": InvoiceTotals(
                lines=Decimal(13), taxable=Decimal(13), tax=Decimal("2.47"), total=Decimal(99)
            )
        }
    )
    assert K.TOTALS in kinds(match_invoice(bad_total, given_(received("100"))))


def test_tax_amount_must_follow_rate_and_taxable() -> None:
    inv = invoice(inv_line("1", "100", "0.12"))
    [tax] = inv.taxes
    wrong = inv.model_copy(update={"taxes": (tax.model_copy(update={"amount": Decimal("5.00")}),)})
    assert K.TAXES in kinds(match_invoice(wrong, given_(received("100"))))


def test_matched_line_round_trips_through_a_job_payload() -> None:
    line = MatchedLine("1", "2", 101, Decimal("40.5"), Decimal("1.85"), "steel")
    assert MatchedLine.from_dict(line.to_dict()) == line


quantities = st.integers(min_value=0, max_value=10_000).map(Decimal)


@given(received_qty=quantities, billed_before=quantities, qty=st.integers(1, 10_000).map(Decimal))
def test_property_no_tolerance_means_billed_never_exceeds_received(
    received_qty: Decimal, billed_before: Decimal, qty: Decimal
) -> None:
    inv = invoice(inv_line("1", str(qty), "0.12"))
    billing = {"1": LineBilling(received_qty, billed_before)}
    result = match_invoice(inv, given_(billing))
    assert (K.QUANTITY_OVER_RECEIVED in kinds(result)) == (billed_before + qty > received_qty)


@given(
    price=st.decimals(min_value=Decimal("0.01"), max_value=Decimal(1000), places=2),
    pct=st.decimals(min_value=0, max_value=50, places=1),
)
def test_property_price_inside_the_percentage_always_matches(price: Decimal, pct: Decimal) -> None:
    order = ledger_order(received=("1", "0"))
    order = replace(order, lines=(replace(order.lines[0], unit_price=price),))
    allowed = (price * pct / 100).quantize(Decimal("0.0001"), rounding="ROUND_DOWN")
    inv = invoice(inv_line("1", "1", str(price + allowed)), tax_rate=None)
    result = match_invoice(
        inv,
        given_(
            {"1": LineBilling(Decimal(1), Decimal(0))}, MatchTolerances(price_pct=pct), order=order
        ),
    )
    assert result.matched, result.summary()


@given(
    diff=st.decimals(min_value=0, max_value=100, places=2),
    base=st.decimals(min_value=0, max_value=100, places=2),
    pct=st.none() | st.decimals(min_value=0, max_value=20, places=1),
    absolute=st.none() | st.decimals(min_value=0, max_value=5, places=2),
)
def test_property_within_is_monotonic_in_the_limits(
    diff: Decimal, base: Decimal, pct: Decimal | None, absolute: Decimal | None
) -> None:
    if within(diff, base, pct, absolute):
        # Loosening a set limit (or the difference shrinking) never turns a pass into a fail.
        looser_pct = None if pct is None else pct + 1
        looser_abs = None if absolute is None else absolute + 1
        assert within(diff, base, looser_pct, looser_abs)
        assert within(diff / 2, base, pct, absolute)
    if pct is None and absolute is None:
        assert within(diff, base, pct, absolute) == (diff == 0)


FIXTURES = Path(__file__).parents[2] / "fixtures" / "edi"


@pytest.mark.parametrize(
    ("codec", "path"),
    [
        (X12Codec(), "x12/810_SW-INV-24-0815.x12"),
        (EdifactCodec(), "edifact/INVOIC_SW-INV-24-0815.edi"),
    ],
)
def test_the_sample_invoice_as_decoded_matches_its_received_order(codec: Any, path: str) -> None:
    """The codecs' real output (units, totals, taxes) passes the match: no false alarms."""
    [inv] = [
        d
        for d in codec.decode((FIXTURES / path).read_bytes(), DecodeContext("steelworks", "c", "m"))
        if isinstance(d, Invoice)
    ]
    order = replace(
        ledger_order(),
        order_number="PO00042",
        lines=(
            replace(ledger_order().lines[0], quantity=Decimal(5000)),
            replace(ledger_order().lines[1], quantity=Decimal(1200)),
        ),
    )
    billing = {
        "1": LineBilling(Decimal(5000), Decimal(0)),
        "2": LineBilling(Decimal(1200), Decimal(0)),
    }
    result = match_invoice(inv, MatchInput("steelworks", order, billing))
    assert result.matched, result.summary()
    assert [(m.order_line_no, m.quantity, m.unit_price) for m in result.lines] == [
        ("1", 5000, Decimal("0.12")),
        ("2", 1200, Decimal("1.85")),
    ]
    # The same invoice billing more than arrived is caught on the right line.
    short = {**billing, "2": LineBilling(Decimal(1000), Decimal(0))}
    [d] = match_invoice(inv, MatchInput("steelworks", order, short)).discrepancies
    assert (d.kind, d.line_no) == (K.QUANTITY_OVER_RECEIVED, "2")
