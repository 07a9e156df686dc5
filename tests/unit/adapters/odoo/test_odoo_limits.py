"""Instance limits: one rate and one concurrency limit per Odoo URL + database."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.adapters.odoo.settings import OdooSettings

SETTINGS = OdooSettings(
    url="http://odoo",
    db="db",
    user="bot",
    password="pw",
    max_calls_per_second=20,
    max_concurrency=4,
)


class CountingTransport:
    """Counts calls in flight across every client that shares it."""

    name = "counting"

    def __init__(self) -> None:
        self.in_flight = 0
        self.peak = 0
        self.starts: list[float] = []

    async def version(self) -> dict[str, Any]:
        return {"server_version_info": [17, 0]}

    async def authenticate(self) -> int:
        return 2

    async def execute_kw(
        self, model: str, method: str, args: list[Any], kwargs: dict[str, Any]
    ) -> Any:
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        self.starts.append(time.monotonic())
        await asyncio.sleep(0.02)
        self.in_flight -= 1
        return []


async def test_a_burst_is_spread_out_and_never_exceeds_the_concurrency() -> None:
    transport = CountingTransport()
    # Two clients of the same instance (another spelling of the URL): one set of limits.
    first = OdooRpc(SETTINGS, transport=transport)
    second = OdooRpc(SETTINGS.model_copy(update={"url": "HTTP://odoo/"}), transport=transport)
    began = time.monotonic()
    await asyncio.gather(
        *((first if i % 2 else second).execute_kw("res.partner", "search", [[]]) for i in range(50))
    )
    elapsed = time.monotonic() - began
    assert transport.peak == 4
    # A bucket of 20 passes at once, the other 30 follow at 20 per second.
    assert elapsed >= 1.4
    assert transport.starts[-1] - transport.starts[0] >= 1.4
    first_second = [t for t in transport.starts if t - transport.starts[0] < 0.5]
    assert len(first_second) <= 20 + 10 + 1


async def test_other_databases_have_their_own_limits() -> None:
    transport = CountingTransport()
    clients = [
        OdooRpc(
            SETTINGS.model_copy(update={"db": f"db{i}", "max_concurrency": 1}), transport=transport
        )
        for i in range(3)
    ]
    await asyncio.gather(*(c.execute_kw("res.partner", "search", [[]]) for c in clients))
    assert transport.peak == 3


async def test_the_defaults_are_safe() -> None:
    defaults = OdooSettings(url="http://odoo", db="db", user="bot", password="pw")
    assert defaults.max_calls_per_second == 10
    assert defaults.max_concurrency == 4
    transport = CountingTransport()
    rpc = OdooRpc(defaults.model_copy(update={"db": "defaults"}), transport=transport)
    began = time.monotonic()
    await asyncio.gather(*(rpc.execute_kw("res.partner", "search", [[]]) for _ in range(15)))
    assert transport.peak <= 4
    assert time.monotonic() - began >= 0.4  # 10 at once, 5 more at 10 per second
