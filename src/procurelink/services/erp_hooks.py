"""Change hints pushed by the ERP (Odoo 17+ automation webhooks), next to the poller.

A hint only says "record X of model Y may have changed". Odoo 17/18 post it inside the
changing transaction, before commit (it can arrive before the change is visible, or for a
change that is rolled back), with a 1 s timeout and no retry (it can be lost). So:

* nothing in the payload is trusted except as a key: the order is read back from Odoo by
  the same ``erp.snapshot_order`` job the poller queues, a little later (``hint_delay``) so
  the transaction has usually committed;
* the hint's dedupe key (``...:hook:<id>:<write_date>``) is apart from the poller's: if the
  early read saw the uncommitted state, the poller still queues its own snapshot of the same
  write_date afterwards (a repeated snapshot of unchanged data decides "nothing to do");
* receipts and vendor bills are not orders: their hint runs the write_date poll at once,
  which picks up the purchase order whose receipt or billing status they changed.

Per-hook secrets are made once and kept in the store's KeyValue state, so every process of a
deployment and every restart agrees on them. They are never logged.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from procurelink.ports.erp import CHANGE_HOOK_KEYS, ChangeHooks, HookInfo
from procurelink.ports.records import NewJob
from procurelink.services.context import Deps
from procurelink.services.erp_sync import SNAPSHOT_JOB

log = logging.getLogger("procurelink.erp_hooks")

SECRET_STATE_KEY = "odoo.hooks.secret:{}"  # noqa: S105 - a KeyValue key name
ORDER_HOOK = "purchase-order"
# Webhooks send str(datetime): microseconds included, unlike read() over RPC (whole seconds).
ODOO_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})(\.\d{1,6})?$")
MAX_ID = 2**31 - 1  # PostgreSQL integer ids


@dataclass(frozen=True, slots=True)
class HintResult:
    accepted: bool  # False: unknown hook or wrong secret (the caller answers 401)
    queued: bool = False  # a snapshot job was queued (or already was, for this version)
    polling: bool = False  # a write_date poll was started
    reason: str | None = None


class ErpHookService:
    def __init__(
        self,
        deps: Deps,
        poll: Callable[[], Awaitable[int]],
        keys: tuple[str, ...] = CHANGE_HOOK_KEYS,
        hint_delay: timedelta = timedelta(seconds=2),
    ) -> None:
        self._deps = deps
        self._poll = poll
        self._keys = keys
        self._hint_delay = hint_delay
        self._secrets: dict[str, str] | None = None
        self._poll_task: asyncio.Task[None] | None = None
        self._poll_again = False

    async def secrets(self) -> Mapping[str, str]:
        """The per-hook secrets, generated on first use and stored (first writer wins)."""
        if self._secrets is None:
            found: dict[str, str] = {}
            async with self._deps.store.unit_of_work() as uow:
                for key in self._keys:
                    fresh = secrets.token_urlsafe(32)
                    existing = await uow.state.put_if_absent(SECRET_STATE_KEY.format(key), fresh)
                    found[key] = existing or fresh
                await uow.commit()
            self._secrets = found
        return self._secrets

    async def provision(self, base_url: str) -> list[HookInfo]:
        """Create or update the ERP's hooks; [] when the ERP cannot push (e.g. Odoo 16)."""
        erp = self._deps.erp
        ensure = getattr(erp, "ensure_change_hooks", None)
        if ensure is None:
            return []
        hooks: ChangeHooks = erp  # type: ignore[assignment]
        return await hooks.ensure_change_hooks(base_url, await self.secrets())

    async def check(self, key: str, secret: str) -> bool:
        known = (await self.secrets()).get(key)
        # Compare even for an unknown key, so timing says nothing about which keys exist.
        expected = known if known is not None else secrets.token_urlsafe(32)
        same = hmac.compare_digest(expected.encode(), secret.encode())
        return known is not None and same

    async def hint(self, key: str, secret: str, payload: Mapping[str, Any]) -> HintResult:
        if not await self.check(key, secret):
            return HintResult(accepted=False)
        if key != ORDER_HOOK:
            self.poll_soon()
            return HintResult(accepted=True, polling=True)
        odoo_id = payload.get("_id", payload.get("id"))
        raw_date = payload.get("write_date")
        matched = ODOO_DATETIME.match(raw_date) if isinstance(raw_date, str) else None
        if not (
            isinstance(odoo_id, int)
            and not isinstance(odoo_id, bool)
            and 0 < odoo_id <= MAX_ID
            and matched is not None
        ):
            # Not worth a retry from Odoo (it does none): the poller will see the change.
            return HintResult(accepted=True, reason="no usable _id/write_date")
        write_date = matched.group(1)  # the poller's precision
        now = self._deps.clock.now()
        async with self._deps.store.unit_of_work() as uow:
            await uow.jobs.enqueue(
                NewJob(
                    kind=SNAPSHOT_JOB,
                    payload={"odoo_id": odoo_id, "write_date": write_date, "source": "hook"},
                    partition_key=f"po:{odoo_id}",
                    run_at=now + self._hint_delay,
                    dedupe_key=f"{SNAPSHOT_JOB}:hook:{odoo_id}:{write_date}",
                ),
                now,
            )
            await uow.commit()
        return HintResult(accepted=True, queued=True)

    def poll_soon(self) -> None:
        """Run the write_date poll now, coalescing a burst of hints into one or two polls."""
        if self._poll_task is not None and not self._poll_task.done():
            self._poll_again = True
            return
        self._poll_task = asyncio.create_task(self._run_polls())

    async def _run_polls(self) -> None:
        while True:
            self._poll_again = False
            try:
                await asyncio.sleep(self._hint_delay.total_seconds())  # let Odoo commit
                await self._poll()
            except Exception as exc:  # a hint must never crash anything; the loop polls too
                log.warning("poll after an Odoo hint failed: %s", exc)
            if not self._poll_again:
                return

    async def wait_idle(self) -> None:
        """Tests and shutdown: wait for a running hint poll to finish."""
        if self._poll_task is not None:
            await self._poll_task
