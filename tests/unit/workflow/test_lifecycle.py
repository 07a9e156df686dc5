from __future__ import annotations

import pytest

from procurelink.domain.ledger import OrderState as S
from procurelink.errors import IllegalTransition
from procurelink.workflow.lifecycle import (
    Actor,
    ErpDecision,
    decide_erp_update,
    sources_for,
    transition,
)


def test_supplier_can_confirm_a_sent_order_but_not_reject_it() -> None:
    assert transition(S.SENT, S.CONFIRMED, Actor.SUPPLIER) == S.CONFIRMED
    with pytest.raises(IllegalTransition) as err:
        transition(S.SENT, S.REJECTED, Actor.SUPPLIER)
    assert err.value.details["actor"] == "supplier"


def test_only_odoo_cancels_and_nothing_leaves_cancelled() -> None:
    assert transition(S.CONFIRMED, S.CANCELLED, Actor.ERP) == S.CANCELLED
    with pytest.raises(IllegalTransition):
        transition(S.CONFIRMED, S.CANCELLED, Actor.BUYER)
    for target in S:
        with pytest.raises(IllegalTransition):
            transition(S.CANCELLED, target, Actor.ERP)


def test_sources_for_guarded_updates() -> None:
    assert set(sources_for(S.SENT, Actor.SYSTEM)) == {S.RELEASED, S.SENT}
    assert S.CHANGE_PENDING in sources_for(S.CONFIRMED, Actor.BUYER)


@pytest.mark.parametrize(
    ("known", "odoo_state", "changed", "expected"),
    [
        (None, "purchase", True, ErpDecision.RELEASE),
        (None, "draft", True, ErpDecision.IGNORE),
        (None, "cancel", True, ErpDecision.IGNORE),
        (S.SENT, "purchase", False, ErpDecision.IGNORE),
        (S.SENT, "purchase", True, ErpDecision.CHANGE),
        (S.CONFIRMED, "cancel", False, ErpDecision.CANCEL),
        (S.CONFIRMED, "done", False, ErpDecision.CLOSE),
        (S.CANCELLED, "purchase", True, ErpDecision.IGNORE),
    ],
)
def test_erp_decisions(
    known: S | None, odoo_state: str, changed: bool, expected: ErpDecision
) -> None:
    assert decide_erp_update(known, odoo_state, changed) == expected
