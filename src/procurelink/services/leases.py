"""A named lease in the store: one holder at a time across every process sharing it.

Held as a key-value entry (``lease:<name>``) naming its holder and when it lapses; taken with
insert-if-absent or a compare-and-swap over a lapsed or released value, so two ``serve``
processes behind a balancer never both hold it. A holder that dies leaves the lease to lapse
after ``ttl``. A caller that cannot take it within ``wait`` gets ``LeaseBusy`` (transient:
retry later).
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

from procurelink.errors import TransientError
from procurelink.services.context import Deps

FREE = ""
POLL = timedelta(milliseconds=100)


class LeaseBusy(TransientError):
    """Another call holds this lease: try again later."""

    code = "busy"


def _lapsed(value: str, now: datetime) -> bool:
    if value == FREE:
        return True
    try:
        return datetime.fromisoformat(json.loads(value)["until"]) <= now
    except (ValueError, KeyError, TypeError):
        return True  # unreadable: nobody can be holding it


@asynccontextmanager
async def lease(
    deps: Deps,
    name: str,
    ttl: timedelta = timedelta(minutes=5),
    wait: timedelta = timedelta(seconds=30),
) -> AsyncIterator[None]:
    key = f"lease:{name}"
    # Waiting is measured on the event loop's clock (how long this call has waited); the
    # lapse time on the deps' clock, which every process sharing the store reads alike.
    loop = asyncio.get_running_loop()
    give_up = loop.time() + wait.total_seconds()
    mine = ""
    while True:
        now = deps.clock.now()
        mine = json.dumps({"holder": secrets.token_hex(8), "until": (now + ttl).isoformat()})
        async with deps.store.unit_of_work() as uow:
            current = await uow.state.put_if_absent(key, mine)
            taken = current is None or (
                _lapsed(current, now) and await uow.state.replace_if(key, current, mine)
            )
            await uow.commit()
        if taken:
            break
        if loop.time() >= give_up:
            raise LeaseBusy(f"{name} is being worked on by another call: try again", lease=name)
        await asyncio.sleep(POLL.total_seconds())
    try:
        yield
    finally:
        async with deps.store.unit_of_work() as uow:
            await uow.state.replace_if(key, mine, FREE)
            await uow.commit()
