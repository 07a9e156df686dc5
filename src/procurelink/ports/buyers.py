"""Who may use the buyer console: the ERP's users with purchasing rights.

The ERP (Odoo) is the system of record for users; procurelink keeps no buyer passwords. A
directory checks one login and password and tells whether that user may buy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Buyer:
    """A user the ERP vouched for: its login (as the ERP spells it) names the buyer's acts."""

    login: str
    name: str
    erp_user_id: int


class BuyerDirectory(Protocol):
    async def check(self, login: str, password: str) -> Buyer:
        """The buyer for these credentials.

        ``AuthenticationError`` when the ERP refuses the login or password, ``NotPermitted``
        when it accepts them but the user has no purchasing rights, ``ErpUnavailable`` when
        it cannot answer. The password is used for this one check and never kept.
        """
        ...

    async def is_buyer(self, erp_user_id: int) -> bool:
        """Whether this user is still active and has purchasing rights: asked again while a
        console session lives, so a buyer archived or taken out of the group in the ERP
        loses the console within minutes. ``ErpUnavailable`` when the ERP cannot answer."""
        ...
