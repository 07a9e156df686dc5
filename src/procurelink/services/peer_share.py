"""Processes that call one Odoo instance split its limits: each beats in the store and
counts the live ones.

Every ``serve`` and ``worker`` process beats every ``every`` (10 s) under the instance's
group and takes ``1/n`` of the instance's call rate and calls in flight, ``n`` being the
processes seen within three beats. A process that stops leaves the group; one that dies
stops counting after three beats, so the others take its share back within half a minute.
Between a process starting and its first count the others may briefly exceed the limits by
its share.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from datetime import timedelta

from procurelink.errors import ProcurelinkError
from procurelink.services.context import Deps

log = logging.getLogger(__name__)

EVERY = timedelta(seconds=10)


def peer_id() -> str:
    """This process, as its peers see it: host, pid and a nonce (pids are reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


class PeerShare:
    def __init__(
        self,
        deps: Deps,
        group: str,
        apply: Callable[[int], Awaitable[None]],
        every: timedelta = EVERY,
        peer: str | None = None,
    ) -> None:
        self._deps = deps
        self._group = group
        self._apply = apply
        self._every = every
        self.peer = peer or peer_id()

    async def round(self) -> int:
        """Beat once, count the live peers (this one included) and apply the share."""
        now = self._deps.clock.now()
        async with self._deps.store.unit_of_work() as uow:
            await uow.peers.beat(self._group, self.peer, now)
            live = await uow.peers.live(self._group, now - 3 * self._every)
            await uow.commit()
        live = max(1, live)
        await self._apply(live)
        return live

    async def run(self, stop: asyncio.Event) -> None:
        """Rounds until ``stop``, then leave the group. A failed round (store unreachable)
        keeps the last share and tries again next time."""
        try:
            while not stop.is_set():
                try:
                    await self.round()
                except ProcurelinkError as exc:
                    log.warning("sharing Odoo limits: [%s] %s", exc.code, exc.message)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=self._every.total_seconds())
        finally:
            with contextlib.suppress(ProcurelinkError):
                async with self._deps.store.unit_of_work() as uow:
                    await uow.peers.leave(self._group, self.peer)
                    await uow.commit()
