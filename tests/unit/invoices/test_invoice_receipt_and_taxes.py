"""The match's verdicts for goods not received yet, and for tax rates against the order."""

from __future__ import annotations

from decimal import Decimal

from invoice_builders import inv_line, invoice, ledger_order

from procurelink.domain.invoice import InvoiceKind
from procurelink.domain.tolerances import MatchTolerances
from procurelink.workflow.discrepancies import DiscrepancyKind
from procurelink.workflow.invoice_match import LineBilling, MatchInput, match_invoice

K = DiscrepancyKind


def given(received: str, billed: str = "0", rate: Decimal | None = None, **tol: str) -> MatchInput:
    billing = {
        "1": LineBilling(Decimal(received), Decimal(billed), rate),
        "2": LineBilling(Decimal(0), Decimal(0), rate),
    }
    tolerances = MatchTolerances.model_validate(tol)
    return MatchInput("steelworks", ledger_order(), billing, tolerances)


def test_goods_not_received_yet_but_ordered_await_the_receipt() -> None:
    result = match_invoice(invoice(inv_line("1", "100", "0.12")), given("40"))
    assert [d.kind for d in result.discrepancies] == [K.QUANTITY_OVER_RECEIVED]
    assert result.receivable == frozenset({"1"})
    assert result.awaits_receipt


def test_more_than_ordered_cannot_be_cured_by_a_receipt() -> None:
    result = match_invoice(invoice(inv_line("1", "101", "0.12")), given("40"))
    assert result.receivable == frozenset()
    assert not result.awaits_receipt


def test_earlier_bills_count_against_the_ordered_quantity_too() -> None:
    result = match_invoice(invoice(inv_line("1", "60", "0.12")), given("40", billed="50"))
    assert not result.awaits_receipt  # 50 + 60 billed of 100 ordered


def test_the_quantity_tolerance_extends_to_the_ordered_quantity() -> None:
    result = match_invoice(invoice(inv_line("1", "102", "0.12")), given("0", quantity_pct="2"))
    assert result.awaits_receipt


def test_another_discrepancy_is_not_cured_by_waiting() -> None:
    result = match_invoice(invoice(inv_line("1", "100", "0.15")), given("40"))
    assert {d.kind for d in result.discrepancies} == {K.QUANTITY_OVER_RECEIVED, K.PRICE_VARIANCE}
    assert not result.awaits_receipt


def test_matched_invoice_awaits_nothing() -> None:
    result = match_invoice(invoice(inv_line("1", "100", "0.12")), given("100"))
    assert result.matched and not result.awaits_receipt


def test_credit_note_never_awaits_a_receipt() -> None:
    credit = invoice(inv_line("1", "10", "0.12"), kind=InvoiceKind.CREDIT_NOTE)
    result = match_invoice(credit, given("100", billed="0"))
    assert [d.kind for d in result.discrepancies] == [K.CREDIT_OVER_INVOICED]
    assert not result.awaits_receipt


def test_invoice_rate_other_than_the_order_lines_taxes_is_located_on_the_line() -> None:
    inv = invoice(inv_line("1", "100", "0.12"), tax_rate="7")
    result = match_invoice(inv, given("100", rate=Decimal(19)))
    [d] = result.discrepancies
    assert (d.kind, d.line_no, d.expected, d.actual) == (K.TAX_RATE, "1", "19", "7")
    assert not d.blocking and result.approvable


def test_the_lines_own_rate_wins_over_the_invoices() -> None:
    inv = invoice(inv_line("1", "100", "0.12"), tax_rate="19")
    line = inv.lines[0].model_copy(update={"tax_rate": Decimal(7)})
    inv = inv.model_copy(update={"lines": (line,)})
    result = match_invoice(inv, given("100", rate=Decimal(19)))
    assert [d.kind for d in result.discrepancies] == [K.TAX_RATE]


def test_equal_rates_untaxed_orders_and_silent_invoices() -> None:
    same = invoice(inv_line("1", "100", "0.12"), tax_rate="19.00")
    assert match_invoice(same, given("100", rate=Decimal(19))).matched
    taxed_unordered = invoice(inv_line("1", "100", "0.12"), tax_rate="19")
    [d] = match_invoice(taxed_unordered, given("100", rate=Decimal(0))).discrepancies
    assert (d.kind, d.expected, d.actual) == (K.TAX_RATE, "0", "19")
    silent = invoice(inv_line("1", "100", "0.12"), tax_rate=None)
    assert match_invoice(silent, given("100", rate=Decimal(19))).matched
    unknown_rate = invoice(inv_line("1", "100", "0.12"), tax_rate="7")
    assert match_invoice(unknown_rate, given("100", rate=None)).matched  # a fixed tax
