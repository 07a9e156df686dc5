"""The worker's wait between rounds: stop, new mail, or the poll interval (fallback)."""

from __future__ import annotations

import asyncio
import time

from procurelink.entrypoints.worker import STOP, TIMEOUT, wait_for_work
from procurelink.errors import TransientError


class Mailbox:
    """A MailNotifier whose answer the test decides."""

    def __init__(self, after: float | None = None, fail: bool = False) -> None:
        self.after = after  # seconds until "new mail"; None: none comes
        self.fail = fail
        self.calls = 0

    async def wait_for_mail(self, timeout: float) -> bool:  # noqa: ASYNC109
        self.calls += 1
        if self.fail:
            raise TransientError("IMAP server 127.0.0.1:1 unreachable")
        if self.after is None:
            return False  # a server without IDLE answers at once: "look yourself"
        await asyncio.sleep(self.after)
        return True


async def test_new_mail_wakes_the_worker_before_the_interval() -> None:
    started = time.monotonic()
    woke = await wait_for_work(asyncio.Event(), [("quiet", Mailbox()), ("x", Mailbox(0.1))], 10)
    assert woke == "x"
    assert time.monotonic() - started < 2


async def test_without_mail_the_interval_decides() -> None:
    started = time.monotonic()
    assert await wait_for_work(asyncio.Event(), [("quiet", Mailbox())], 0.3) == TIMEOUT
    assert time.monotonic() - started >= 0.29


async def test_a_failing_idle_falls_back_to_polling_without_spinning() -> None:
    mailbox = Mailbox(fail=True)
    started = time.monotonic()
    assert await wait_for_work(asyncio.Event(), [("down", mailbox)], 0.3) == TIMEOUT
    assert time.monotonic() - started >= 0.29
    assert mailbox.calls == 1


async def test_stop_ends_the_wait_at_once() -> None:
    stop = asyncio.Event()
    asyncio.get_running_loop().call_later(0.05, stop.set)
    started = time.monotonic()
    assert await wait_for_work(stop, [("quiet", Mailbox(after=5))], 10) == STOP
    assert time.monotonic() - started < 2


async def test_no_mail_channels_is_a_plain_sleep() -> None:
    started = time.monotonic()
    assert await wait_for_work(asyncio.Event(), [], 0.2) == TIMEOUT
    assert time.monotonic() - started >= 0.19
