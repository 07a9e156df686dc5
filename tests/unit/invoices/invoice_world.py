"""A small world for invoice service tests: a SQLite store, a fake Odoo that keeps bills and
receipts, a clock the test moves, and the job runner as the worker would run it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from invoice_builders import ledger_order

from procurelink.adapters.partners.yaml_directory import PartnerRegistry
from procurelink.adapters.store import SqlStore, create_store, migrate
from procurelink.domain.events import BusinessEvent
from procurelink.domain.partner_profile import PartnerProfile
from procurelink.errors import ErpError
from procurelink.ports.erp import BillType, BillWrite, ErpBill, ErpLineBilling, ReceiptWrite
from procurelink.ports.records import (
    Direction,
    ExceptionRecord,
    JobStatus,
    RawMessage,
)
from procurelink.services.context import Deps
from procurelink.services.invoices import INVOICE_JOB, InvoiceService, PostPolicy
from procurelink.services.jobs import JobRunner, RunResult
from procurelink.services.receipts import RECEIPT_JOB, ReceiptService

SUPPLIER = PartnerProfile.model_validate(
    {
        "id": "steelworks",
        "name": "Steelworks",
        "odoo": {"partner_id": 7},
        "codec": {"type": "json"},
        "channels": {"outbound": {"type": "directory"}},
        "invoice_match": {"price_pct": "2"},
    }
)
NOW = datetime(2025, 4, 20, 8, tzinfo=UTC)  # the world starts here; tests move the clock
MESSAGE = RawMessage("m1", Direction.INBOUND, "steelworks", "api", b"{}", "0" * 64, NOW)


@dataclass
class FakeOdooBills:
    """Odoo's bills as far as the service sees them: created, found by ref, posted."""

    received: dict[int, Decimal] = field(default_factory=lambda: {100: Decimal(100)})
    bills: dict[int, tuple[BillWrite, str]] = field(default_factory=dict)
    posted: list[int] = field(default_factory=list)
    tax_rates: dict[int, Decimal | None] = field(default_factory=dict)
    fail_billing: int = 0  # the next n billing reads are refused (the job dead-letters)

    async def order_billing(self, order_odoo_id: int) -> list[ErpLineBilling]:
        if self.fail_billing:
            self.fail_billing -= 1
            raise ErpError("Odoo refused the read", model="purchase.order.line")
        billed: dict[int, Decimal] = {}
        for write, _ in self.bills.values():
            sign = -1 if write.move_type == "in_refund" else 1
            for ln in write.lines:
                billed[ln.odoo_line_id] = (
                    billed.get(ln.odoo_line_id, Decimal(0)) + sign * ln.quantity
                )
        return [
            ErpLineBilling(
                i,
                Decimal(100),
                self.received.get(i, Decimal(0)),
                billed.get(i, Decimal(0)),
                self.tax_rates.get(i),
            )
            for i in (100, 101)
        ]

    async def find_bills(self, vendor: int, ref: str, move_type: BillType) -> list[ErpBill]:
        return [
            self._bill(i)
            for i, (w, _) in self.bills.items()
            if (w.vendor_odoo_id, w.vendor_ref, w.move_type) == (vendor, ref, move_type)
        ]

    async def create_draft_bill(self, write: BillWrite) -> int:
        bill_id = len(self.bills) + 1
        self.bills[bill_id] = (write, "draft")
        return bill_id

    async def post_bill(self, bill_id: int) -> ErpBill:
        self.bills[bill_id] = (self.bills[bill_id][0], "posted")
        self.posted.append(bill_id)
        return self._bill(bill_id)

    async def apply_receipt(self, write: ReceiptWrite) -> None:
        for line in write.lines:
            self.received[line.odoo_line_id] = (
                self.received.get(line.odoo_line_id, Decimal(0)) + line.quantity
            )

    def _bill(self, bill_id: int) -> ErpBill:
        write, state = self.bills[bill_id]
        return ErpBill(
            bill_id,
            "BILL/1" if state == "posted" else "/",
            state,
            write.move_type,
            write.vendor_ref,
            "not_paid",
        )


@dataclass
class ManualClock:
    at: datetime = NOW

    def now(self) -> datetime:
        return self.at

    def advance(self, by: timedelta) -> None:
        self.at += by


@dataclass
class RecordingBus:
    published: list[BusinessEvent] = field(default_factory=list)

    async def publish(self, event: BusinessEvent) -> None:
        self.published.append(event)


@dataclass
class World:
    store: SqlStore
    erp: FakeOdooBills
    deps: Deps
    clock: ManualClock
    bus: RecordingBus
    done: set[int] = field(default_factory=set)

    def runner(self, service: InvoiceService) -> JobRunner:
        """The worker's runner: due jobs only, partitions respected, failures retried."""
        handlers = {
            INVOICE_JOB: service.apply_job,
            RECEIPT_JOB: ReceiptService(self.deps).apply_job,
        }
        return JobRunner(self.deps, handlers)

    async def drain(self, service: InvoiceService) -> list[RunResult]:
        return await self.runner(service).drain()

    def service(self, policy: PostPolicy = "never") -> InvoiceService:
        return InvoiceService(self.deps, policy)

    async def run(self, service: InvoiceService) -> int:
        """Run the invoice jobs queued since the last run (as the job runner would)."""
        async with self.store.unit_of_work() as uow:
            jobs = [
                j for j in await uow.jobs.list(status=JobStatus.QUEUED) if j.kind == INVOICE_JOB
            ]
        fresh = [j for j in jobs if j.id not in self.done]
        for job in fresh:
            await service.apply_job(job)
            self.done.add(job.id)
        return len(fresh)

    async def exceptions(self) -> list[ExceptionRecord]:
        async with self.store.unit_of_work() as uow:
            return list(await uow.exceptions.list())


async def make_world(tmp_path: Path) -> World:
    url = f"sqlite:///{tmp_path / 'i.db'}"
    await migrate(url)
    store = create_store(url)
    erp = FakeOdooBills()
    clock = ManualClock()
    bus = RecordingBus()
    deps = Deps(
        store=store,
        clock=clock,
        partners=PartnerRegistry([SUPPLIER]),
        router=None,  # type: ignore[arg-type]
        erp=erp,  # type: ignore[arg-type]
        bus=bus,  # type: ignore[arg-type]
    )
    async with store.unit_of_work() as uow:
        await uow.ledger.save(ledger_order(received=("100", "0")))
        await uow.commit()
    return World(store, erp, deps, clock, bus)
