"""The order lifecycle: allowed transitions, who may cause them, and the Odoo state mapping."""

from __future__ import annotations

from enum import StrEnum

from procurelink.domain.ledger import OrderState
from procurelink.errors import IllegalTransition


class Actor(StrEnum):
    """Who owns a transition: Odoo (the ERP), the supplier, a buyer, or procurelink itself."""

    ERP = "erp"
    SUPPLIER = "supplier"
    BUYER = "buyer"
    SYSTEM = "system"


S = OrderState
# (from, to) -> the actors allowed to make that move. Anything not listed is illegal.
TRANSITIONS: dict[tuple[OrderState, OrderState], frozenset[Actor]] = {
    (S.RELEASED, S.SENT): frozenset({Actor.SYSTEM}),
    (S.SENT, S.SENT): frozenset({Actor.SYSTEM}),
    (S.SENT, S.CONFIRMED): frozenset({Actor.SUPPLIER, Actor.SYSTEM}),
    (S.SENT, S.CHANGE_PENDING): frozenset({Actor.SUPPLIER, Actor.SYSTEM}),
    (S.SENT, S.REJECTED): frozenset({Actor.BUYER}),
    (S.RELEASED, S.CONFIRMED): frozenset({Actor.SUPPLIER, Actor.SYSTEM}),
    (S.RELEASED, S.CHANGE_PENDING): frozenset({Actor.SUPPLIER, Actor.SYSTEM}),
    (S.CONFIRMED, S.CONFIRMED): frozenset({Actor.SUPPLIER, Actor.SYSTEM, Actor.BUYER}),
    (S.CONFIRMED, S.CHANGE_PENDING): frozenset({Actor.SUPPLIER, Actor.SYSTEM}),
    (S.CHANGE_PENDING, S.CHANGE_PENDING): frozenset({Actor.SUPPLIER, Actor.SYSTEM}),
    (S.CHANGE_PENDING, S.CONFIRMED): frozenset({Actor.BUYER, Actor.SYSTEM}),
    (S.CHANGE_PENDING, S.SENT): frozenset({Actor.BUYER}),
    (S.CHANGE_PENDING, S.REJECTED): frozenset({Actor.BUYER}),
    **{(s, S.CANCELLED): frozenset({Actor.ERP}) for s in S if s not in (S.CANCELLED, S.CLOSED)},
    **{(s, S.CLOSED): frozenset({Actor.ERP}) for s in S if s not in (S.CANCELLED, S.CLOSED)},
}

# Odoo purchase.order states (odoo.md §3.5) that procurelink acts on. Draft RFQs ('draft',
# 'sent', 'to approve') are not commitments yet and are never released to a supplier.
ODOO_COMMITTED_STATES = frozenset({"purchase", "done"})
ODOO_STATE_TO_LIFECYCLE: dict[str, OrderState] = {
    "purchase": S.RELEASED,
    "done": S.CLOSED,
    "cancel": S.CANCELLED,
}

OPEN_STATES = frozenset({S.RELEASED, S.SENT, S.CONFIRMED, S.CHANGE_PENDING})


def can_transition(current: OrderState, new: OrderState, actor: Actor) -> bool:
    return actor in TRANSITIONS.get((current, new), frozenset())


def transition(current: OrderState, new: OrderState, actor: Actor) -> OrderState:
    """The new state, or IllegalTransition naming the move and the actor."""
    if not can_transition(current, new, actor):
        raise IllegalTransition(
            f"an order cannot go from {current} to {new} by {actor}",
            current=str(current),
            requested=str(new),
            actor=str(actor),
        )
    return new


def sources_for(new: OrderState, actor: Actor) -> tuple[OrderState, ...]:
    """The states from which ``actor`` may move an order to ``new`` (for guarded updates)."""
    return tuple(
        src for (src, dst), actors in TRANSITIONS.items() if dst == new and actor in actors
    )


class ErpDecision(StrEnum):
    RELEASE = "release"
    CHANGE = "change"
    CANCEL = "cancel"
    CLOSE = "close"
    IGNORE = "ignore"


def decide_erp_update(
    known_state: OrderState | None, odoo_state: str, content_changed: bool
) -> ErpDecision:
    """What an order read from Odoo means for procurelink.

    ``known_state`` is the ledger state (None when procurelink has never released the order);
    ``content_changed`` says whether lines, dates or quantities differ from the ledger.
    """
    if known_state is None:
        return ErpDecision.RELEASE if odoo_state == "purchase" else ErpDecision.IGNORE
    if known_state in (S.CANCELLED, S.CLOSED):
        return ErpDecision.IGNORE
    if odoo_state == "cancel":
        return ErpDecision.CANCEL
    if odoo_state == "done":
        return ErpDecision.CLOSE
    if odoo_state == "purchase" and content_changed:
        return ErpDecision.CHANGE
    return ErpDecision.IGNORE
