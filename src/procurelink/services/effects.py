"""What every ERP-effect job checks first: is the effect already done, and on which order."""

from __future__ import annotations

from procurelink.domain.ledger import LedgerOrder
from procurelink.errors import UnknownOrder
from procurelink.services.context import Deps


async def order_for_effect(
    deps: Deps, effect_key: str, order_number: str
) -> tuple[LedgerOrder, int] | None:
    """The ledger order the effect applies to and its Odoo id, or None when the effect was
    already recorded (a retried or replayed job then does nothing).

    Raises UnknownOrder when the order left the ledger or was never linked to Odoo.
    """
    async with deps.store.unit_of_work() as uow:
        if await uow.effects.get(effect_key) is not None:
            return None
        order = await uow.ledger.get(order_number)
    if order is None or order.odoo_id is None:
        raise UnknownOrder(f"order {order_number} is not in the ledger", order_number=order_number)
    return order, order.odoo_id
