"""What the demo prints: events as they happen, the servers, and the closing summary."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from procurelink.bootstrap import odoo_simulator_buyer
from procurelink.domain.events import BusinessEvent
from procurelink.domain.ledger import OrderState
from procurelink.entrypoints.demo.world import DONE, DemoWorld

ODOO_DB = "procurelink"


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
    ours = [o for o in orders if o.order_number in world.order_numbers]
    states = [o.state for o in ours]
    ok = OrderState.CONFIRMED in states and OrderState.CHANGE_PENDING in states
    suppliers = Table("supplier", "channel", "orders", "flow", title="Suppliers")
    lines = []
    for supplier in world.suppliers:
        theirs = [o for o in ours if o.partner_id == supplier.partner_id]
        if supplier.inactive is not None:
            flow = "INACTIVE"
            lines.append(
                f"[bold red]supplier {supplier.partner_id}: INACTIVE[/] {supplier.inactive}"
            )
        elif theirs and all(o.state in DONE for o in theirs):
            flow = "completed"
            lines.append(f"supplier {supplier.partner_id} ({supplier.channel}): flow completed")
        else:
            flow = "NOT completed"
            ok = False
            lines.append(f"[bold red]supplier {supplier.partner_id}: flow NOT completed[/]")
        orders_text = ", ".join(f"{o.order_number} {o.state}" for o in theirs) or "-"
        suppliers.add_row(supplier.partner_id, supplier.channel, orders_text, flow)
    console.print(suppliers)
    async with world.runtime.deps.store.unit_of_work() as uow:
        receipts = [e for e in await uow.audit.list(limit=2000) if e.action == "delivery_receipt"]
    for entry in receipts:
        console.print(f"delivery receipt: {entry.subject}", soft_wrap=True, markup=False)
    for line in lines:
        console.print(line, soft_wrap=True)  # one line each, whatever the terminal width
    confirmed = sum(1 for o in orders if o.state == OrderState.CONFIRMED)
    console.print(
        f"{len(orders)} order(s) released, {confirmed} confirmed, "
        f"{len(exceptions)} exception(s) awaiting approval. Console: {world.api.url}/console"
        f" (Odoo login {odoo_simulator_buyer()[0]}, password {odoo_simulator_buyer()[1]})"
    )
    return ok


def announce(world: DemoWorld, console: Console) -> None:
    console.print(f"Odoo simulator  {world.odoo.url}  (db {ODOO_DB}, admin/admin)")
    login, password = odoo_simulator_buyer()
    console.print(
        f"console         {world.api.url}/console  (sign in with the Odoo buyer "
        f"{login} / {password})"
    )
    console.print(f"polymer webhook {world.supplier_api.url}/orders")
    console.print(f"steelworks EDI  {world.steelworks.pickup} -> {world.steelworks.drop}")
    console.print(f"SFTP server     127.0.0.1:{world.sftp.port} (fastener pushes CSV)")
    console.print(f"AS2             {world.api.url}/as2/ <-> nordcast {world.nordcast_server.url}/")
    if world.brightline is not None:
        mail = world.brightline
        console.print(
            f"mail            Dovecot IMAP 127.0.0.1:{mail.dovecot.port}, "
            f"SMTP 127.0.0.1:{mail.relay.port} (brightline answers by mail)"
        )
    for supplier in world.suppliers:
        if supplier.inactive is not None:
            console.rule("[bold red]E-MAIL SUPPLIER INACTIVE")
            console.print(f"[bold red]{supplier.partner_id}: {supplier.inactive}[/]")
            console.rule()
