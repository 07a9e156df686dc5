"""`procurelink odoo`: what Odoo holds, as procurelink reads it (the ``ErpReads`` port).

For an integration engineer checking master data and documents without the Odoo UI: every
command prints one JSON document on stdout (pipe it to ``jq``). Bank account numbers
print as ``**********``: they never leave the process in clear.
Connection: the PROCURELINK_ODOO_* settings.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import typer
from pydantic import BaseModel, SecretStr
from rich.console import Console

from procurelink import bootstrap
from procurelink.errors import ProcurelinkError
from procurelink.ports.erp_reads import ErpReads
from procurelink.settings import Settings

odoo_app = typer.Typer(help="Read vendors, prices, receipts and bills from Odoo.")
err = Console(stderr=True)
T = TypeVar("T")


def _plain(value: Any) -> Any:
    if isinstance(value, SecretStr):
        return str(value)  # the mask, never the secret
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _print(fn: Callable[[ErpReads], Awaitable[Any]]) -> None:
    async def run() -> Any:
        async with bootstrap.odoo_reads(Settings()) as reads:
            return await fn(reads)

    try:
        result = asyncio.run(run())
    except ProcurelinkError as exc:
        err.print(f"[red]error[/red] [{exc.code}] {exc.message}")
        raise typer.Exit(1) from exc
    typer.echo(json.dumps(_plain(result), indent=2, default=str))


@odoo_app.command()
def vendors(
    ref: Annotated[list[str] | None, typer.Option(help="vendor reference (repeatable)")] = None,
) -> None:
    """Vendors (supplier_rank > 0) with their bank accounts (numbers masked)."""
    _print(lambda r: r.vendors(refs=ref or ()))


@odoo_app.command("price-list")
def price_list(vendor_id: Annotated[int, typer.Argument(help="res.partner id")]) -> None:
    """The vendor's prices (product.supplierinfo) in Odoo's seller order."""
    _print(lambda r: r.vendor_prices(vendor_id))


@odoo_app.command()
def products(codes: Annotated[list[str], typer.Argument(help="internal references")]) -> None:
    """Product variants by internal reference."""
    _print(lambda r: r.products(codes))


@odoo_app.command()
def units() -> None:
    """Units of measure with their category, ratio to the reference unit and rounding."""
    _print(lambda r: r.units())


@odoo_app.command()
def plants() -> None:
    """Warehouses and their operation types (the receipt type routes an order there)."""
    _print(lambda r: r.plants())


@odoo_app.command()
def receipts(
    order_id: Annotated[int, typer.Argument(help="purchase.order id")],
    done: Annotated[bool, typer.Option(help="validated receipts: quantities and lots")] = False,
) -> None:
    """The order's receipts and their moves (or, with --done, what was received)."""
    if done:
        _print(lambda r: r.done_receipts(order_id))
    else:
        _print(lambda r: r.incoming_pickings(order_id))


@odoo_app.command()
def bills(
    order: Annotated[int | None, typer.Option(help="purchase.order id")] = None,
    vendor: Annotated[int | None, typer.Option(help="res.partner id")] = None,
) -> None:
    """Vendor bills and credit notes of an order or a vendor."""
    if order is None and vendor is None:
        err.print("[red]error[/red] give --order or --vendor")
        raise typer.Exit(2)
    _print(lambda r: r.vendor_bills(order_odoo_id=order, vendor_odoo_id=vendor))
