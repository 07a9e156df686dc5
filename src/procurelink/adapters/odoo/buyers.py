"""``OdooBuyerDirectory``: console sign-in checked against Odoo's users (``BuyerDirectory``).

The login and password go to ``common.authenticate`` (Odoo applies its own rules: active
users only, its login cooldown, API keys accepted where a password is). Purchasing rights are
asked as the integration user: on 18+ with ``res.users.has_group`` on the buyer's record; on
16/17 ``has_group`` is a model method answering for the caller only (given ids, it fails with
a TypeError), so the groups' ids come from ``ir.model.data.check_object_reference`` and are
looked for in the buyer's ``groups_id``. ``is_buyer`` asks the same again for a signed-in
buyer, and whether the user is still active. Odoo keeps implied groups in a user's groups, so a
Purchase administrator also has the Purchase user group; both are asked so that a database
with unusual implications still lets them in.
"""

from __future__ import annotations

from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.errors import AuthenticationError, NotPermitted
from procurelink.ports.buyers import Buyer

PURCHASE_GROUPS = ("purchase.group_purchase_user", "purchase.group_purchase_manager")


class OdooBuyerDirectory:
    def __init__(self, rpc: OdooRpc) -> None:
        self._rpc = rpc

    async def check(self, login: str, password: str) -> Buyer:
        if not password:
            # Never sent: Odoo 18 answers an empty password with a server error (an
            # assertion in the API-key check), not with AccessDenied.
            raise AuthenticationError("Odoo refused the login", login=login)
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

    async def is_buyer(self, erp_user_id: int) -> bool:
        # search, not read: it leaves out archived users (read would show them), and a
        # deleted one is simply not found.
        found = await self._rpc.execute_kw(
            "res.users", "search", [[("id", "=", erp_user_id)]], {"limit": 1}
        )
        return bool(found) and await self._buys(erp_user_id)

    async def _buys(self, uid: int) -> bool:
        if (await self._rpc.dialect()).major >= 18:
            for group in PURCHASE_GROUPS:
                if await self._rpc.execute_kw("res.users", "has_group", [[uid], group]):
                    return True
            return False
        wanted = set()
        for group in PURCHASE_GROUPS:
            module, _, name = group.partition(".")
            _model, gid = await self._rpc.execute_kw(
                "ir.model.data", "check_object_reference", [module, name]
            )
            wanted.add(gid)
        [row] = await self._rpc.execute_kw("res.users", "read", [[uid]], {"fields": ["groups_id"]})
        return bool(wanted & set(row["groups_id"]))
