"""`procurelink rfq`: purchase requests from a planning engine become draft RFQs in Odoo.

FILE is a JSON object ``{"batch_id": "...", "requests": [{"product_code", "quantity",
"need_date", "plant", "vendor_ref", "reference"}, ...]}`` (``PurchaseRequestBatch``). The
command runs as the operator who may run the worker: whoever can reach the database and
Odoo settings, like the console's administrator.
"""

from __future__ import annotations

import asyncio
import getpass
from pathlib import Path

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from procurelink import bootstrap
from procurelink.domain.purchase_request import PurchaseRequestBatch
from procurelink.errors import ProcurelinkError
from procurelink.services.rfqs import RfqCreated, RfqService
from procurelink.settings import Settings

rfq_app = typer.Typer(help="Requests for quotation from planning.", no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


@rfq_app.command("create")
def rfq_create(file: Path) -> None:
    """Group the purchase requests in FILE by vendor and plant into draft RFQs in Odoo."""
    try:
        batch = PurchaseRequestBatch.model_validate_json(file.read_bytes())
    except (OSError, ValidationError) as exc:
        err.print(f"[red]error[/red] {escape(f'{file}: {exc}')}")
        raise typer.Exit(2) from exc
    try:
        created = asyncio.run(_create(batch, f"cli:{getpass.getuser()}"))
    except ProcurelinkError as exc:
        err.print(f"[red]error[/red] {escape(f'[{exc.code}] {exc.message}')}")
        raise typer.Exit(1) from exc
    table = Table("RFQ", "Odoo id", "vendor id", "plant", "lines", "new")
    for rfq in created:
        table.add_row(
            rfq.name,
            str(rfq.odoo_id),
            str(rfq.vendor_odoo_id),
            rfq.plant or "default",
            str(rfq.lines),
            "yes" if rfq.created else "no (created before)",
        )
    out.print(table)


async def _create(batch: PurchaseRequestBatch, actor: str) -> list[RfqCreated]:
    settings = Settings()
    await bootstrap.migrate(settings)
    runtime = await bootstrap.build_runtime(settings)
    try:
        return await RfqService(runtime.deps).create(batch, actor)
    finally:
        await runtime.close()
