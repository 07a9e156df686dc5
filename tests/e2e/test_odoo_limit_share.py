"""Real `procurelink worker` processes calling one Odoo split its limits: each beats in the
shared store under the instance's group while it runs, and leaves the group when stopped."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from e2e_world import OdooTarget, ensure_master_data, make_settings

from procurelink import bootstrap
from procurelink.adapters.store import create_store, migrate
from procurelink.entrypoints.listen import BackgroundServer

PROCURELINK = Path(sys.executable).with_name("procurelink")
# A supplier with nothing to poll: the workers only need a valid configuration.
QUIET = """\
id: quiet
name: Quiet Supplier
odoo: {partner_ref: PP-V-20451}
codec: {type: json}
channels: {outbound: {type: http-webhook, url: "http://127.0.0.1:9/unused"}}
shared_secret: "not-used-here"
"""


async def _live(url: str, group: str) -> int:
    store = create_store(url)
    try:
        async with store.unit_of_work() as uow:
            return await uow.peers.live(group, datetime.now(UTC) - timedelta(seconds=30))
    finally:
        await store.close()


async def _until(url: str, group: str, count: int) -> int:
    seen = -1
    for _ in range(150):
        seen = await _live(url, group)
        if seen == count:
            return seen
        await asyncio.sleep(0.1)
    return seen


async def test_two_workers_share_the_instance_and_leave_when_stopped(
    tmp_path: Path, odoo_target: tuple[OdooTarget, BackgroundServer | None]
) -> None:
    target, _ = odoo_target
    url = f"sqlite:///{tmp_path / 'pl.db'}"
    await migrate(url)
    partners = tmp_path / "partners"
    partners.mkdir()
    (partners / "quiet.yaml").write_text(QUIET)
    rpc = bootstrap.odoo_rpc(make_settings(tmp_path, target, partners))
    try:
        await ensure_master_data(rpc)  # the supplier's vendor, on a real Odoo
    finally:
        await rpc.aclose()
    env = {
        **os.environ,
        "PROCURELINK_DATABASE_URL": url,
        "PROCURELINK_PARTNERS_DIR": str(partners),
        "PROCURELINK_ODOO_URL": target.url,
        "PROCURELINK_ODOO_DB": target.db,
        "PROCURELINK_ODOO_USER": target.user,
        "PROCURELINK_ODOO_PASSWORD": target.password,
        "PROCURELINK_POLL_INTERVAL_SECONDS": "1",
        # Only orders from now on: a real Odoo's history would make the first round (which
        # a stopping worker finishes) long.
        "PROCURELINK_ODOO_SYNC_SINCE": datetime.now(UTC).isoformat(),
    }
    if target.api_key:
        env["PROCURELINK_ODOO_API_KEY"] = target.api_key
    group = f"odoo:{target.url.rstrip('/').lower()}:{target.db}"
    workers = [
        await asyncio.create_subprocess_exec(
            str(PROCURELINK),
            "worker",
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(2)
    ]
    try:
        assert await _until(url, group, 2) == 2
        workers[0].send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(workers[0].wait(), 60) == 0
        assert await _until(url, group, 1) == 1  # it left: the other has the whole again
    finally:
        for worker in workers:
            if worker.returncode is None:
                worker.send_signal(signal.SIGTERM)
        codes = [await asyncio.wait_for(w.wait(), 60) for w in workers]
    assert codes == [0, 0], [(await w.stderr.read()).decode()[-2000:] for w in workers if w.stderr]
    assert await _live(url, group) == 0
