"""``OdooReader``: the ``ErpReads`` port over one ``OdooRpc`` (master data, receipts, bills).

Each group of reads lives in its own module (``reads_master``, ``reads_stock``,
``reads_bills``); this class only puts them behind the port.
"""

from __future__ import annotations

from collections.abc import Sequence

from procurelink.adapters.odoo.reads_bills import BillReader
from procurelink.adapters.odoo.reads_master import MasterDataReader
from procurelink.adapters.odoo.reads_stock import ReceiptReader
from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.ports.erp_reads import (
    DoneReceipt,
    IncomingPicking,
    Plant,
    Product,
    Unit,
    Vendor,
    VendorBill,
    VendorPrice,
)


class OdooReader:
    def __init__(self, rpc: OdooRpc) -> None:
        self.rpc = rpc
        self._master = MasterDataReader(rpc)
        self._receipts = ReceiptReader(rpc)
        self._bills = BillReader(rpc)

    async def vendors(self, refs: Sequence[str] = (), odoo_ids: Sequence[int] = ()) -> list[Vendor]:
        return await self._master.vendors(refs, odoo_ids)

    async def products(self, default_codes: Sequence[str]) -> list[Product]:
        return await self._master.products(default_codes)

    async def vendor_prices(self, vendor_odoo_id: int) -> list[VendorPrice]:
        return await self._master.vendor_prices(vendor_odoo_id)

    async def units(self) -> list[Unit]:
        return await self._master.units()

    async def plants(self) -> list[Plant]:
        return await self._master.plants()

    async def incoming_pickings(self, order_odoo_id: int) -> list[IncomingPicking]:
        return await self._receipts.incoming_pickings(order_odoo_id)

    async def done_receipts(self, order_odoo_id: int) -> list[DoneReceipt]:
        return await self._receipts.done_receipts(order_odoo_id)

    async def vendor_bills(
        self, *, order_odoo_id: int | None = None, vendor_odoo_id: int | None = None
    ) -> list[VendorBill]:
        return await self._bills.vendor_bills(
            order_odoo_id=order_odoo_id, vendor_odoo_id=vendor_odoo_id
        )
