"""How services find a partner's codec and channels (bootstrap builds them from profiles)."""

from __future__ import annotations

from typing import Protocol

from procurelink.domain.partner_profile import PartnerProfile
from procurelink.ports.channel import InboundChannel, OutboundChannel
from procurelink.ports.codec import Codec


class PartnerRouter(Protocol):
    def codec(self, profile: PartnerProfile) -> Codec: ...
    def outbound(self, profile: PartnerProfile) -> OutboundChannel: ...
    def inbound(self, profile: PartnerProfile) -> InboundChannel | None:
        """The channel to poll, or None when the partner pushes (HTTP API, portal)."""
        ...
