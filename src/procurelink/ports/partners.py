from __future__ import annotations

from typing import Protocol

from procurelink.domain.partner_profile import PartnerProfile


class PartnerDirectory(Protocol):
    def get(self, partner_id: str) -> PartnerProfile | None: ...
    def by_odoo_partner(self, odoo_partner_id: int) -> PartnerProfile | None: ...
    def all(self) -> list[PartnerProfile]: ...
