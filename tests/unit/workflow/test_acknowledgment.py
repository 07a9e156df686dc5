from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from procurelink.domain.ledger import LedgerLine, LedgerOrder, OrderState
from procurelink.domain.partner_profile import Tolerances
from procurelink.domain.response import LineStatus, OrderResponse, ResponseLine, ResponseStatus
from procurelink.domain.values import Money, Quantity
from procurelink.errors import UnknownOrderLine, UomMismatch, WrongSupplier
from procurelink.workflow.acknowledgment import ChangeKind, LineChange, assess


def ledger(received: str = "0") -> LedgerOrder:
    line = LedgerLine(
        line_no="1",
        quantity=Decimal(100),
        uom="unit",
        requested_date=date(2024, 3, 18),
        original_quantity=Decimal(100),
        original_date=date(2024, 3, 18),
        odoo_line_id=11,
        unit_price=Decimal("1.85"),
        received_quantity=Decimal(received),
    )
    return LedgerOrder(
        order_number="PO7",
        partner_id="steelworks",
        correlation_id="c",
        state=OrderState.SENT,
        revision=0,
        currency="EUR",
        updated_at=datetime(2024, 3, 4, tzinfo=UTC),
        lines=(line,),
        odoo_id=7,
    )


def response(*lines: ResponseLine, partner: str = "steelworks") -> OrderResponse:
    return OrderResponse(
        document_id="r",
        partner_id=partner,
        correlation_id="x",
        order_number="PO7",
        response_date=date(2024, 3, 5),
        overall=ResponseStatus.ACCEPTED_WITH_CHANGES,
        lines=lines,
    )


def rline(**kw: object) -> ResponseLine:
    data: dict[str, object] = {"line_no": "1", "status": LineStatus.ACCEPTED}
    data.update(kw)
    return ResponseLine.model_validate(data)


def qty(v: str) -> Quantity:
    return Quantity(value=Decimal(v), uom="unit")


TOL = Tolerances(date_shift_days=2, quantity_change_pct=Decimal(5))


def test_accepted_as_ordered_has_no_change() -> None:
    result = assess(
        ledger(), response(rline(confirmed_qty=qty("100"), promised_date=date(2024, 3, 18))), TOL
    )
    assert result.changes == () and not result.needs_approval


def test_small_date_shift_is_within_tolerance() -> None:
    result = assess(
        ledger(),
        response(rline(status=LineStatus.RESCHEDULED, promised_date=date(2024, 3, 20))),
        TOL,
    )
    assert result.changes == (LineChange("1", ChangeKind.DATE, "2024-03-18", "2024-03-20", 11),)
    assert not result.needs_approval


def test_date_shift_beyond_tolerance_needs_approval() -> None:
    result = assess(
        ledger(),
        response(rline(status=LineStatus.RESCHEDULED, promised_date=date(2024, 3, 21))),
        TOL,
    )
    assert result.needs_approval
    assert result.violations[0].rule == "date_shift"
    assert "+3 days" in result.violations[0].message


def test_earlier_date_counts_too() -> None:
    result = assess(ledger(), response(rline(promised_date=date(2024, 3, 10))), TOL)
    assert [v.rule for v in result.violations] == ["date_shift"]


def test_quantity_change_tolerance_in_percent() -> None:
    inside = assess(ledger(), response(rline(confirmed_qty=qty("96"))), TOL)
    outside = assess(ledger(), response(rline(confirmed_qty=qty("90"))), TOL)
    assert not inside.needs_approval and inside.changes[0].kind == ChangeKind.QUANTITY
    assert [v.rule for v in outside.violations] == ["quantity_change"]


def test_never_below_received() -> None:
    result = assess(ledger(received="98"), response(rline(confirmed_qty=qty("96"))), TOL)
    assert [v.rule for v in result.violations] == ["below_received"]


def test_backorder_moves_the_date_not_the_quantity() -> None:
    result = assess(
        ledger(),
        response(
            rline(
                status=LineStatus.BACKORDERED,
                confirmed_qty=qty("0"),
                backorder_qty=qty("100"),
                promised_date=date(2024, 4, 12),
            )
        ),
        TOL,
    )
    assert [c.kind for c in result.changes] == [ChangeKind.DATE]


def test_price_and_rejection_need_a_buyer() -> None:
    priced = assess(
        ledger(), response(rline(unit_price=Money(amount=Decimal("2.10"), currency="EUR"))), TOL
    )
    rejected = assess(ledger(), response(rline(status=LineStatus.REJECTED)), TOL)
    assert [v.rule for v in priced.violations] == ["price_change"]
    assert [v.rule for v in rejected.violations] == ["line_rejected"]
    assert rejected.changes[0].after == "0"


def test_wrong_supplier_and_unknown_line_are_typed_errors() -> None:
    with pytest.raises(WrongSupplier) as err:
        assess(ledger(), response(rline(), partner="polymer"), TOL)
    assert err.value.details["expected_partner"] == "steelworks"
    with pytest.raises(UnknownOrderLine) as err2:
        assess(ledger(), response(rline(line_no="9")), TOL)
    assert err2.value.details["line_no"] == "9"


@pytest.mark.parametrize("field", ["confirmed_qty", "ordered_qty"])
def test_a_quantity_in_another_unit_is_refused(field: str) -> None:
    boxes = Quantity(value=Decimal(100), uom="box")
    with pytest.raises(UomMismatch) as err:
        assess(ledger(), response(rline(**{field: boxes})), TOL)
    assert (err.value.details["expected"], err.value.details["got"]) == ("unit", "box")
    assert "line 1" in err.value.message
    # The same number in the line's unit is simply accepted.
    assert assess(ledger(), response(rline(**{field: qty("100")})), TOL).changes == ()


def test_change_round_trips_through_job_payload() -> None:
    change = LineChange("1", ChangeKind.DATE, "2024-03-18", "2024-03-20", 11)
    assert LineChange.from_dict(change.to_dict()) == change
