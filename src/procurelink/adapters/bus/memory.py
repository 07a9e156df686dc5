"""In-process event bus: subscribers are called in publish order; a failing one is logged."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from procurelink.domain.events import BusinessEvent

Subscriber = Callable[[BusinessEvent], Awaitable[None]]
log = logging.getLogger(__name__)


class InProcessBus:
    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self.published: list[BusinessEvent] = []

    def subscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.append(subscriber)

    async def publish(self, event: BusinessEvent) -> None:
        self.published.append(event)
        del self.published[:-1000]  # keep a bounded tail for the console and tests
        for subscriber in self._subscribers:
            try:
                await subscriber(event)
            except Exception:
                # Events are notifications; the state change they report is already committed.
                log.exception("event subscriber failed on %s", type(event).__name__)
