"""``OdooBuyerDirectory``: console sign-in checked against Odoo's users (``BuyerDirectory``).

The login and password go to ``common.authenticate`` (Odoo applies its own rules: active
users only, its login cooldown, API keys accepted where a password is). Purchasing rights are
asked with ``res.users.has_group`` on the buyer's record as the integration user: Odoo keeps
implied groups in a user's groups, so a Purchase administrator also has the Purchase user
group; both are asked so that a database with unusual implications still lets them in.
"""

from __future__ import annotations

from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.errors import NotPermitted
from procurelink.ports.buyers import Buyer

PURCHASE_GROUPS = ("purchase.group_purchase_user", "purchase.group_purchase_manager")


class OdooBuyerDirectory:
    def __init__(self, rpc: OdooRpc) -> None:
        self._rpc = rpc

    async def check(self, login: str, password: str) -> Buyer:
        uid = await self._rpc.check_password(login, password)
        if not await self._buys(uid):
            raise NotPermitted(
                "this Odoo user is not in the Purchase group", erp_user_id=uid, login=login
            )
        [row] = await self._rpc.execute_kw(
            "res.users", "read", [[uid]], {"fields": ["login", "name"]}
        )
        login_in_odoo = str(row.get("login") or login)
        return Buyer(login_in_odoo, str(row.get("name") or login_in_odoo), uid)

    async def _buys(self, uid: int) -> bool:
        for group in PURCHASE_GROUPS:
            if await self._rpc.execute_kw("res.users", "has_group", [[uid], group]):
                return True
        return False
