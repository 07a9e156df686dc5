"""Instance limits: one rate and one concurrency limit per Odoo URL + database."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from procurelink.adapters.odoo.limits import InstanceLimits, shared_limits
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


async def test_a_share_of_the_limits_when_other_processes_call_the_instance() -> None:
    """Two processes calling the instance: this one keeps half the calls in flight and half
    the rate; alone again, the whole."""
    transport = CountingTransport()
    rpc = OdooRpc(SETTINGS, transport=transport)
    limits = shared_limits(SETTINGS)
    await limits.share(2)
    began = time.monotonic()
    await asyncio.gather(*(rpc.execute_kw("res.partner", "search", [[]]) for _ in range(25)))
    assert transport.peak == 2
    # Half of 20 a second: a bucket of 10 at once, the other 15 at 10 per second.
    assert time.monotonic() - began >= 1.4
    await limits.share(1)
    transport.peak = 0
    await asyncio.gather(*(rpc.execute_kw("res.partner", "search", [[]]) for _ in range(12)))
    assert transport.peak == 4


async def test_a_smaller_share_waits_for_the_calls_above_it() -> None:
    limits = InstanceLimits(per_second=1000, in_flight=4)
    entered = asyncio.Event()
    release = asyncio.Event()
    inside = 0

    async def call() -> None:
        nonlocal inside
        async with limits.call():
            inside += 1
            if inside == 4:
                entered.set()
            await release.wait()
            inside -= 1

    held = [asyncio.create_task(call()) for _ in range(4)]
    await entered.wait()
    await limits.share(4)  # one slot each now, four calls still in flight
    late = asyncio.create_task(call())
    await asyncio.sleep(0.05)
    assert inside == 4  # the late call waits until fewer than one are in flight
    release.set()
    await asyncio.gather(*held, late)
    assert limits.slots.capacity == 1


async def test_a_share_below_one_call_a_second_still_passes_calls() -> None:
    limits = InstanceLimits(per_second=2, in_flight=4)
    await limits.share(8)  # a quarter call a second
    async with limits.call():
        pass
    assert limits.peers == 8
