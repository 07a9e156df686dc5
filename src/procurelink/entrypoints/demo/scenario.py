"""The demo scenario: buyers confirm orders in the Odoo simulator, suppliers answer.

Everything runs in one process on the embedded default: SQLite under the work directory, the
Odoo simulator, the worker, the console and five demo suppliers, one per channel: a directory
drop (X12), HTTP (JSON), the embedded SFTP server (CSV), e-mail through a real Dovecot (CSV +
PDF) and AS2 between two AS2 endpoints (EDIFACT). Without Dovecot the e-mail one is inactive.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr
from rich.console import Console

from procurelink import bootstrap
from procurelink.adapters.channels.sftp_server.passwords import hash_password
from procurelink.entrypoints.api.app import create_app
from procurelink.entrypoints.demo.as2_supplier import As2EdifactSupplier, make_identity
from procurelink.entrypoints.demo.buyer import confirm_orders, ensure_vendors
from procurelink.entrypoints.demo.mail_supplier import EmailCsvSupplier
from procurelink.entrypoints.demo.mailserver import (
    DOVECOT,
    INSTALL_HINT,
    dovecot_installed,
    run_dovecot,
    run_mail_relay,
)
from procurelink.entrypoints.demo.profiles import (
    ACME_MAILBOX,
    BRIGHTLINE_MAILBOX,
    BRIGHTLINE_REF,
    FASTENER_REF,
    NORDCAST_REF,
    POLYMER_REF,
    STEELWORKS_REF,
    As2Setup,
    MailPorts,
    profiles,
)
from procurelink.entrypoints.demo.report import ODOO_DB, announce, event_printer, summary
from procurelink.entrypoints.demo.suppliers import (
    JsonHttpSupplier,
    SftpCsvSupplier,
    X12DropSupplier,
)
from procurelink.entrypoints.demo.world import DONE, DemoSupplier, DemoWorld
from procurelink.entrypoints.listen import BackgroundServer, next_free_port
from procurelink.entrypoints.worker import install_stop_signals
from procurelink.settings import Settings

HOST = "127.0.0.1"
DEMO_SECRET = "demo-shared-secret-polymer"  # noqa: S105 - demo only, printed nowhere
SFTP_PASSWORD = "fastener-demo"  # noqa: S105 - the demo supplier's login, printed nowhere


def _fresh(workdir: Path) -> None:
    if workdir.exists():
        shutil.rmtree(workdir)
    (workdir / "partners").mkdir(parents=True)


def _suppliers(no_mail: str | None) -> list[DemoSupplier]:
    return [
        DemoSupplier("steelworks", STEELWORKS_REF, "X12 by directory drop"),
        DemoSupplier("polymer", POLYMER_REF, "JSON over HTTP (webhook + API)"),
        DemoSupplier("fastener", FASTENER_REF, "CSV by SFTP (embedded server)"),
        DemoSupplier("brightline", BRIGHTLINE_REF, "CSV + PDF by e-mail (SMTP/IMAP)", no_mail),
        DemoSupplier("nordcast", NORDCAST_REF, "EDIFACT over AS2 (signed, encrypted, MDN)"),
    ]


async def start_world(workdir: Path, log: Any) -> DemoWorld:
    _fresh(workdir)
    resources = contextlib.ExitStack()
    try:
        return await _start_world(workdir, log, resources)
    except BaseException:
        resources.close()
        raise


async def _start_world(workdir: Path, log: Any, resources: contextlib.ExitStack) -> DemoWorld:
    odoo = BackgroundServer(bootstrap.odoo_simulator_app(), HOST, next_free_port(HOST, 8069))
    await odoo.start()

    polymer = JsonHttpSupplier("polymer", DEMO_SECRET, shift_days=10, log=log)
    supplier_api = BackgroundServer(polymer.app(), HOST, next_free_port(HOST, 8090))
    await supplier_api.start()

    mail: MailPorts | None = None
    relay = dovecot = None
    no_mail: str | None = (
        f"{DOVECOT} is missing: install it with `{INSTALL_HINT}` and run the demo again"
    )
    if dovecot_installed():
        users = {
            ACME_MAILBOX: secrets.token_urlsafe(12),
            BRIGHTLINE_MAILBOX: secrets.token_urlsafe(12),
        }
        try:
            dovecot = resources.enter_context(run_dovecot(users))
            relay = resources.enter_context(run_mail_relay(dovecot))
        except (OSError, RuntimeError, subprocess.CalledProcessError) as exc:
            # The other suppliers still show their flows; the summary says why mail did not.
            no_mail = f"Dovecot did not start ({' '.join(str(exc).split())[:300]})"
        else:
            no_mail = None
            mail = MailPorts(imap=dovecot.port, smtp=relay.port)
            os.environ["PROCURELINK_DEMO_IMAP_PASSWORD"] = users[ACME_MAILBOX]

    as2_dir = workdir / "as2"
    ours, theirs = await asyncio.gather(
        asyncio.to_thread(make_identity, as2_dir, "acme"),
        asyncio.to_thread(make_identity, as2_dir, "nordcast"),
    )
    nordcast = As2EdifactSupplier("nordcast", theirs, ours.cert, log)
    nordcast_server = BackgroundServer(nordcast.app(), HOST, next_free_port(HOST, 4080))
    await nordcast_server.start()

    api_port = next_free_port(HOST, 8080)
    sftp_hash = hash_password(SFTP_PASSWORD, cost=2**12)
    as2 = As2Setup(
        ours, theirs.cert, f"{nordcast_server.url}/", f"http://{HOST}:{api_port}/as2/mdn"
    )
    for name, text in profiles(workdir, supplier_api.url, sftp_hash, mail, as2).items():
        (workdir / "partners" / name).write_text(text)
    os.environ["PROCURELINK_DEMO_POLYMER_SECRET"] = DEMO_SECRET
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{workdir / 'procurelink.db'}",
        odoo_url=odoo.url,
        odoo_db=ODOO_DB,
        odoo_user="admin",
        odoo_password=SecretStr("admin"),
        partners_dir=workdir / "partners",
        api_host=HOST,
        api_port=api_port,
        sftp_server_port=next_free_port(HOST, 2222),
        sftp_server_root=workdir / "sftp",
        sftp_server_host_key=workdir / "sftp_host_ed25519",
    )
    rpc = bootstrap.odoo_rpc(settings)
    try:
        await ensure_vendors(rpc)  # before the runtime resolves the profiles' vendor refs
    finally:
        await rpc.aclose()
    await bootstrap.migrate(settings)
    runtime = await bootstrap.build_runtime(settings)
    api = BackgroundServer(create_app(runtime), HOST, settings.api_port)
    await api.start()
    polymer.api_url = api.url
    nordcast.acme_url = f"{api.url}/as2/"

    sw = workdir / "suppliers" / "steelworks"
    steelworks = X12DropSupplier(
        "steelworks", sw / "from-acme", sw / "to-acme", shift_days=1, log=log
    )
    sftp = bootstrap.embedded_sftp_server(runtime)
    assert sftp is not None
    await sftp.start()
    fastener = SftpCsvSupplier("fastener", sftp.port, "fastener", SFTP_PASSWORD, log)
    brightline = (
        EmailCsvSupplier("brightline", BRIGHTLINE_MAILBOX, ACME_MAILBOX, dovecot, relay, log)
        if dovecot is not None and relay is not None
        else None
    )
    return DemoWorld(
        workdir,
        odoo,
        api,
        supplier_api,
        runtime,
        steelworks,
        polymer,
        fastener,
        sftp,
        nordcast,
        nordcast_server,
        brightline,
        _suppliers(no_mail),
        resources,
    )


async def confirm_demo_orders(world: DemoWorld) -> list[str]:
    """Play the buyer: create and confirm one order per active demo supplier in Odoo."""
    rpc = bootstrap.odoo_rpc(world.runtime.settings)
    try:
        return await confirm_orders(
            rpc, [s.vendor_ref for s in world.suppliers if s.inactive is None]
        )
    finally:
        await rpc.aclose()


async def one_round(world: DemoWorld, client: httpx.AsyncClient) -> None:
    await world.runtime.run_once()
    await world.steelworks.round()
    await world.polymer.round(client)
    await world.fastener.round()
    if world.brightline is not None:
        await world.brightline.round()
    await world.nordcast.round(client)
    await world.runtime.run_once()


async def settled(world: DemoWorld) -> bool:
    states = {o.order_number: o.state for o in await world.runtime.queries.orders()}
    return all(states.get(n) in DONE for n in world.order_numbers)


async def run_demo(workdir: Path, once: bool, console: Console) -> int:
    # Ctrl-C ends the current round cleanly (no KeyboardInterrupt inside a transaction).
    stop = asyncio.Event()
    install_stop_signals(stop)
    world = await start_world(workdir, lambda text: console.print(text, markup=False))
    world.runtime.bus.subscribe(event_printer(console))
    announce(world, console)
    try:
        world.order_numbers = await confirm_demo_orders(world)
        console.print(f"buyer confirmed {', '.join(world.order_numbers)} in Odoo")
        async with httpx.AsyncClient() as client:
            for _ in range(20):
                await one_round(world, client)
                if stop.is_set() or await settled(world):
                    break
            ok = await summary(world, console)
            if once or stop.is_set():
                return 0 if ok else 1
            console.print("running; Ctrl-C to stop")
            while not stop.is_set():
                await one_round(world, client)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=2)
            return 0
    finally:
        for server in (world.api, world.supplier_api, world.nordcast_server, world.odoo):
            await server.stop()
        await world.sftp.close()
        await world.runtime.close()
        world.resources.close()
