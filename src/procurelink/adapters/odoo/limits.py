"""Per-instance limits: a call rate and a number of calls in flight per Odoo database.

Every RPC takes an Odoo worker, re-checks the credentials and commits (reference pitfall
2); Odoo has no rate limit of its own besides the login cooldown. So every client of the
process that talks to the same URL and database draws from one ``InstanceLimits``: the
gateway, the demo's buyer and any other ``OdooRpc`` together stay within the settings of
the first client created for that instance. Several processes calling the same instance
(``serve`` and ``worker`` processes scaled out) split the limits between them.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiolimiter import AsyncLimiter

from procurelink.adapters.odoo.settings import OdooSettings


class Slots:
    """A semaphore whose capacity can change while calls are in flight (a smaller share
    lets the calls above it finish and admits no new one until below it)."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._busy = 0
        self._free = asyncio.Condition()

    @property
    def capacity(self) -> int:
        return self._capacity

    async def resize(self, capacity: int) -> None:
        async with self._free:
            self._capacity = capacity
            self._free.notify_all()

    async def __aenter__(self) -> None:
        async with self._free:
            await self._free.wait_for(lambda: self._busy < self._capacity)
            self._busy += 1

    async def __aexit__(self, *exc: object) -> None:
        async with self._free:
            self._busy -= 1
            self._free.notify()


def _limiter(per_second: float) -> AsyncLimiter:
    # A bucket of one second's calls: short bursts (a read_order's parallel reads) pass at
    # once, a long stream is spread to the rate. Below one call a second the bucket spans
    # the time one call takes, as aiolimiter refuses a bucket smaller than one call.
    period = max(1.0, 1.0 / per_second)
    return AsyncLimiter(per_second * period, period)


class InstanceLimits:
    """The instance's limits as this process's share of them: ``share(n)`` when ``n``
    processes call the same instance (``services.peer_share`` counts them in the store)
    gives this one ``1/n`` of the call rate and of the calls in flight (at least one)."""

    def __init__(self, per_second: float, in_flight: int) -> None:
        self._per_second = per_second
        self._in_flight = in_flight
        self.peers = 1
        self.rate = _limiter(per_second)
        self.slots = Slots(in_flight)

    @classmethod
    def of(cls, settings: OdooSettings) -> InstanceLimits:
        return cls(settings.max_calls_per_second, settings.max_concurrency)

    async def share(self, peers: int) -> None:
        peers = max(1, peers)
        if peers == self.peers:
            return
        self.peers = peers
        # Calls already waiting on the old bucket finish there: a brief overlap, not a leak.
        self.rate = _limiter(self._per_second / peers)
        await self.slots.resize(max(1, self._in_flight // peers))

    @asynccontextmanager
    async def call(self) -> AsyncIterator[None]:
        async with self.slots, self.rate:
            yield


# Keyed by event loop as well: asyncio primitives and aiolimiter bind to the loop they first
# wait in. A service runs one loop; tests run one per test and must not share them.
_SHARED: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, dict[tuple[str, str], InstanceLimits]
] = weakref.WeakKeyDictionary()


def instance_key(settings: OdooSettings) -> tuple[str, str]:
    return (settings.url.rstrip("/").lower(), settings.db)


def shared_limits(settings: OdooSettings) -> InstanceLimits:
    """The limits of the settings' Odoo instance in the running loop (created on first use)."""
    per_loop = _SHARED.setdefault(asyncio.get_running_loop(), {})
    key = instance_key(settings)
    if key not in per_loop:
        per_loop[key] = InstanceLimits.of(settings)
    return per_loop[key]
