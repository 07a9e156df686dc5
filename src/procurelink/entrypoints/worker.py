"""The worker loop: the only owner of polling loops, signals and shutdown.

Between two rounds the worker sleeps ``interval`` seconds, unless something says there is
work earlier: a mailbox's IMAP IDLE announcing new mail wakes it at once, so a supplier's
e-mail is captured within a second or two rather than at the next poll. Polling stays the
fallback: a server without IDLE, or one whose IDLE fails, is still read every interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from procurelink.bootstrap import Runtime
from procurelink.errors import ProcurelinkError
from procurelink.ports.channel import MailNotifier

log = logging.getLogger(__name__)

STOP = "stop"
TIMEOUT = "timeout"
# Rounds woken by mail start at least this far apart: a mailbox that keeps announcing mail
# (or a poll that keeps failing to take it) must not turn the loop into a busy one.
MAIL_ROUND_GAP = 1.0


async def run_worker(runtime: Runtime, stop: asyncio.Event, interval: float) -> None:
    """Poll every source, drain due jobs, wait for mail or ``interval``; until ``stop``."""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        started = loop.time()
        await runtime.poll_sources()
        await runtime.runner.drain(limit=500)
        woke = await wait_for_work(stop, runtime.mail_notifiers(), interval)
        if woke in (STOP, TIMEOUT):
            continue
        log.info("new mail for %s: polling now", woke)
        gap = MAIL_ROUND_GAP - (loop.time() - started)
        if gap > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=gap)


async def _mail(partner_id: str, channel: MailNotifier, seconds: float) -> None:
    """Return only when ``channel`` announces mail; a failure or a quiet mailbox never
    returns, leaving it to the caller's deadline (so a broken server cannot spin the loop)."""
    try:
        if await channel.wait_for_mail(seconds):
            return
    except ProcurelinkError as exc:
        log.warning(
            "waiting for mail for %s failed, polling instead: [%s] %s",
            partner_id,
            exc.code,
            exc.message,
        )
    await asyncio.Event().wait()


async def wait_for_work(
    stop: asyncio.Event, notifiers: Sequence[tuple[str, MailNotifier]], seconds: float
) -> str:
    """Wait until ``stop`` (STOP), new mail (the partner id) or ``seconds`` pass (TIMEOUT)."""
    tasks: dict[asyncio.Task[Any], str] = {asyncio.create_task(stop.wait()): STOP}
    for partner_id, channel in notifiers:
        tasks[asyncio.create_task(_mail(partner_id, channel, seconds))] = partner_id
    try:
        done, _ = await asyncio.wait(tasks, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    if not done:
        return TIMEOUT
    # Stop wins over mail that arrived at the same moment.
    woken = sorted((tasks[t] for t in done), key=lambda name: name != STOP)
    return woken[0]


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
