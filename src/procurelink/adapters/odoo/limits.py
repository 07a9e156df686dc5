"""Per-instance limits: a call rate and a number of calls in flight per Odoo database.

Every RPC takes an Odoo worker, re-checks the credentials and commits (reference pitfall
2); Odoo has no rate limit of its own besides the login cooldown. So every client of the
process that talks to the same URL and database draws from one ``InstanceLimits``: the
gateway, the demo's buyer and any other ``OdooRpc`` together stay within the settings of
the first client created for that instance.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from aiolimiter import AsyncLimiter

from procurelink.adapters.odoo.settings import OdooSettings


@dataclass(slots=True)
class InstanceLimits:
    rate: AsyncLimiter
    slots: asyncio.Semaphore

    @classmethod
    def of(cls, settings: OdooSettings) -> InstanceLimits:
        # A bucket of one second's calls: short bursts (a read_order's parallel reads) pass at
        # once, a long stream is spread to max_calls_per_second.
        return cls(
            rate=AsyncLimiter(settings.max_calls_per_second, 1.0),
            slots=asyncio.Semaphore(settings.max_concurrency),
        )

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
