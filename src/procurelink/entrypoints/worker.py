"""The worker loop: the only owner of polling loops, signals and shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Awaitable, Callable

from procurelink.bootstrap import Runtime


async def run_worker(runtime: Runtime, stop: asyncio.Event, interval: float) -> None:
    """Poll every source, drain due jobs, sleep; until ``stop`` is set."""
    while not stop.is_set():
        await runtime.poll_sources()
        await runtime.runner.drain(limit=500)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)


def install_stop_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)


async def until_stopped(*tasks: Callable[[asyncio.Event], Awaitable[None]]) -> None:
    """Run the given loops until SIGINT/SIGTERM, then let each finish its round."""
    stop = asyncio.Event()
    install_stop_signals(stop)
    await asyncio.gather(*(task(stop) for task in tasks))
