"""What every use case needs, handed over by the composition root."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from procurelink.domain.partner_profile import PartnerProfile
from procurelink.errors import UnknownPartner
from procurelink.ports.bus import EventBus
from procurelink.ports.clock import Clock
from procurelink.ports.erp import ErpGateway
from procurelink.ports.partners import PartnerDirectory
from procurelink.ports.routing import PartnerRouter
from procurelink.ports.store import MessageStore


def new_id() -> str:
    return uuid.uuid4().hex


@dataclass(slots=True)
class Deps:
    store: MessageStore
    clock: Clock
    partners: PartnerDirectory
    router: PartnerRouter
    erp: ErpGateway
    bus: EventBus
    new_id: Callable[[], str] = new_id
    rand: Callable[[], float] = field(default=random.random)
    # Plant code -> quarantine location in the ERP (full name or XML id; "*" for all
    # others). A plant without one gets the ERP's default ("<WH>/Quarantine").
    quarantine_locations: Mapping[str, str] = field(default_factory=dict)

    def quarantine_for(self, plant: str | None) -> str | None:
        return self.quarantine_locations.get(plant or "") or self.quarantine_locations.get("*")

    def partner(self, partner_id: str) -> PartnerProfile:
        profile = self.partners.get(partner_id)
        if profile is None:
            raise UnknownPartner(f"no partner profile {partner_id!r}", partner_id=partner_id)
        return profile
