from __future__ import annotations

from typing import Protocol

from procurelink.domain.events import BusinessEvent


class EventBus(Protocol):
    async def publish(self, event: BusinessEvent) -> None: ...
