"""The demo scenario: buyers confirm orders in the Odoo simulator, suppliers answer.

Everything runs in one process on the embedded default: SQLite under the work directory, the
Odoo simulator, the worker, the console and the two demo suppliers.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr
from rich.console import Console
from rich.table import Table

from procurelink import bootstrap
from procurelink.adapters.channels.sftp_server.passwords import hash_password
from procurelink.adapters.channels.sftp_server.server import EmbeddedSftpServer
from procurelink.domain.events import BusinessEvent
from procurelink.domain.ledger import OrderState
from procurelink.entrypoints.api.app import create_app
from procurelink.entrypoints.demo.suppliers import (
    JsonHttpSupplier,
    SftpCsvSupplier,
    X12DropSupplier,
)
from procurelink.entrypoints.listen import BackgroundServer, next_free_port
from procurelink.entrypoints.worker import install_stop_signals
from procurelink.settings import Settings

HOST = "127.0.0.1"
ODOO_DB = "procurelink"
DEMO_SECRET = "demo-shared-secret-polymer"  # noqa: S105 - demo only, printed nowhere

STEELWORKS_REF = "SW-V-88120"
POLYMER_REF = "PP-V-20451"
FASTENER_REF = "FD-V-31007"
SFTP_PASSWORD = "fastener-demo"  # noqa: S105 - the demo supplier's login, printed nowhere


@dataclass
class DemoWorld:
    workdir: Path
    odoo: BackgroundServer
    api: BackgroundServer
    supplier_api: BackgroundServer
    runtime: bootstrap.Runtime
    steelworks: X12DropSupplier
    polymer: JsonHttpSupplier
    fastener: SftpCsvSupplier
    sftp: EmbeddedSftpServer
    order_numbers: list[str]


def _profiles(workdir: Path, supplier_url: str, sftp_hash: str) -> dict[str, str]:
    sw = workdir / "suppliers" / "steelworks"
    return {
        "steelworks.yaml": f"""\
id: steelworks
name: Steelworks GmbH
odoo: {{partner_ref: "{STEELWORKS_REF}"}}
identifiers:
  gln: "9520002000019"
  x12: {{qualifier: ZZ, id: STEELWORKS}}
codec:
  type: x12-004010
  options: {{sender_qualifier: ZZ, sender_id: ACMEMFG}}
channels:
  outbound: {{type: directory, outbox: "{sw / "from-acme"}"}}
  inbound: {{type: directory, inbox: "{sw / "to-acme"}"}}
tolerances: {{date_shift_days: 2, quantity_change_pct: 0}}
""",
        "polymer.yaml": f"""\
id: polymer
name: Polymer Parts Ltd
odoo: {{partner_ref: "{POLYMER_REF}"}}
codec: {{type: json}}
channels:
  outbound: {{type: http-webhook, url: "{supplier_url}/orders"}}
tolerances: {{date_shift_days: 3}}
shared_secret: "${{PROCURELINK_DEMO_POLYMER_SECRET}}"
""",
        "fastener.yaml": f"""\
id: fastener
name: Fastener Direct Inc
odoo: {{partner_ref: "{FASTENER_REF}"}}
codec:
  type: csv
  options:
    delimiter: ";"
    decimal_separator: ","
    date_format: "%d.%m.%Y"
    columns: {{order_number: Bestellung, line_no: Pos, status: Status, confirmed_qty: Menge,
               uom: ME, promised_date: Termin}}
    status_map: {{OK: accepted}}
    order_columns: {{order_number: Bestellung, line_no: Pos, supplier_item: Artikel,
                     description: Text, quantity: Menge, uom: ME, requested_date: Termin}}
channels:
  outbound: &sftp {{type: sftp-server, root: "{workdir / "sftp"}", username: fastener,
                   password_hash: "{sftp_hash}"}}
  inbound: *sftp
""",
    }


def _fresh(workdir: Path) -> None:
    if workdir.exists():
        shutil.rmtree(workdir)
    (workdir / "partners").mkdir(parents=True)


def _write_profiles(workdir: Path, supplier_url: str, sftp_hash: str) -> None:
    for name, text in _profiles(workdir, supplier_url, sftp_hash).items():
        (workdir / "partners" / name).write_text(text)


async def start_world(workdir: Path, log: Any) -> DemoWorld:
    _fresh(workdir)
    odoo = BackgroundServer(bootstrap.odoo_simulator_app(), HOST, next_free_port(HOST, 8069))
    await odoo.start()

    polymer = JsonHttpSupplier("polymer", DEMO_SECRET, shift_days=10, log=log)
    supplier_api = BackgroundServer(polymer.app(), HOST, next_free_port(HOST, 8090))
    await supplier_api.start()

    _write_profiles(workdir, supplier_api.url, hash_password(SFTP_PASSWORD, cost=2**12))
    os.environ["PROCURELINK_DEMO_POLYMER_SECRET"] = DEMO_SECRET
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{workdir / 'procurelink.db'}",
        odoo_url=odoo.url,
        odoo_db=ODOO_DB,
        odoo_user="admin",
        odoo_password=SecretStr("admin"),
        partners_dir=workdir / "partners",
        api_host=HOST,
        api_port=next_free_port(HOST, 8080),
        sftp_server_port=next_free_port(HOST, 2222),
        sftp_server_root=workdir / "sftp",
        sftp_server_host_key=workdir / "sftp_host_ed25519",
    )
    await bootstrap.migrate(settings)
    runtime = await bootstrap.build_runtime(settings)
    api = BackgroundServer(create_app(runtime), HOST, settings.api_port)
    await api.start()
    polymer.api_url = api.url

    sw = workdir / "suppliers" / "steelworks"
    steelworks = X12DropSupplier(
        "steelworks", sw / "from-acme", sw / "to-acme", shift_days=1, log=log
    )
    sftp = bootstrap.embedded_sftp_server(runtime)
    assert sftp is not None
    await sftp.start()
    fastener = SftpCsvSupplier("fastener", sftp.port, "fastener", SFTP_PASSWORD, log)
    return DemoWorld(
        workdir, odoo, api, supplier_api, runtime, steelworks, polymer, fastener, sftp, []
    )


async def confirm_demo_orders(world: DemoWorld) -> list[str]:
    """Play the buyer: create and confirm one order per demo supplier in Odoo."""
    rpc = bootstrap.odoo_rpc(world.runtime.settings)
    numbers = []
    try:
        for ref in (STEELWORKS_REF, POLYMER_REF, FASTENER_REF):
            vendor = (
                await rpc.execute_kw("res.partner", "search", [[["ref", "=", ref]]], {"limit": 1})
            )[0]
            infos = await rpc.execute_kw(
                "product.supplierinfo",
                "search_read",
                [[["partner_id", "=", vendor]]],
                {"fields": ["product_tmpl_id", "price"], "limit": 3},
            )
            planned = datetime.now(UTC) + timedelta(days=14)
            lines = []
            for i, info in enumerate(infos):
                product = (
                    await rpc.execute_kw(
                        "product.product",
                        "search",
                        [[["product_tmpl_id", "=", info["product_tmpl_id"][0]]]],
                        {"limit": 1},
                    )
                )[0]
                lines.append(
                    [
                        0,
                        0,
                        {
                            "product_id": product,
                            "product_qty": 100 * (i + 1),
                            "price_unit": info["price"],
                            "date_planned": (planned + timedelta(days=i)).strftime(
                                "%Y-%m-%d %H:%M:%S"
                            ),
                        },
                    ]
                )
            po = await rpc.execute_kw(
                "purchase.order", "create", [{"partner_id": vendor, "order_line": lines}]
            )
            await rpc.execute_kw("purchase.order", "button_confirm", [[po]])
            name = (await rpc.execute_kw("purchase.order", "read", [[po]], {"fields": ["name"]}))[
                0
            ]["name"]
            numbers.append(name)
    finally:
        await rpc.aclose()
    return numbers


async def one_round(world: DemoWorld, client: httpx.AsyncClient) -> None:
    await world.runtime.run_once()
    await world.steelworks.round()
    await world.polymer.round(client)
    await world.fastener.round()
    await world.runtime.run_once()


async def settled(world: DemoWorld) -> bool:
    states = {o.order_number: o.state for o in await world.runtime.queries.orders()}
    done = {OrderState.CONFIRMED, OrderState.CHANGE_PENDING, OrderState.REJECTED}
    return all(states.get(n) in done for n in world.order_numbers)


def event_printer(console: Console) -> Any:
    async def show(event: BusinessEvent) -> None:
        kind = getattr(event, "event_type", type(event).__name__)
        where = event.order_number or ""
        extra = {
            "order_released": "released to the supplier",
            "document_sent": f"sent {event.data.get('filename')} "
            f"-> {event.data.get('destination')}",
            "acknowledgment_applied": "acknowledgment applied to Odoo",
            "exception_raised": f"exception #{event.data.get('exception_id')}: "
            f"{event.data.get('message')}",
            "exception_resolved": f"exception #{event.data.get('exception_id')} "
            f"{event.data.get('status')}",
        }.get(kind, kind)
        console.print(f"[cyan]{kind:>22}[/cyan] {where} {extra}")

    return show


async def summary(world: DemoWorld, console: Console) -> bool:
    table = Table("order", "supplier", "state", "vendor ref", title="Orders")
    orders = await world.runtime.queries.orders()
    for o in orders:
        table.add_row(o.order_number, o.partner_id, str(o.state), o.vendor_ref or "")
    console.print(table)
    exceptions = await world.runtime.queries.exceptions()
    for x in exceptions:
        console.print(f"open exception #{x.id} [{x.reason_code}] {x.message}")
    states = [o.state for o in orders if o.order_number in world.order_numbers]
    ok = OrderState.CONFIRMED in states and OrderState.CHANGE_PENDING in states
    confirmed = sum(1 for o in orders if o.state == OrderState.CONFIRMED)
    console.print(
        f"{len(orders)} order(s) released, {confirmed} confirmed, "
        f"{len(exceptions)} exception(s) awaiting approval. Console: {world.api.url}/console"
    )
    return ok


async def run_demo(workdir: Path, once: bool, console: Console) -> int:
    # Ctrl-C ends the current round cleanly (no KeyboardInterrupt inside a transaction).
    stop = asyncio.Event()
    install_stop_signals(stop)
    world = await start_world(workdir, lambda text: console.print(text, markup=False))
    world.runtime.bus.subscribe(event_printer(console))
    console.print(f"Odoo simulator  {world.odoo.url}  (db {ODOO_DB}, admin/admin)")
    console.print(f"console         {world.api.url}/console")
    console.print(f"polymer webhook {world.supplier_api.url}/orders")
    console.print(f"steelworks EDI  {world.steelworks.pickup} -> {world.steelworks.drop}")
    console.print(f"SFTP server     127.0.0.1:{world.sftp.port} (fastener pushes CSV)")
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
        for server in (world.api, world.supplier_api, world.odoo):
            await server.stop()
        await world.sftp.close()
        await world.runtime.close()
