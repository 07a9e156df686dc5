"""The whole order cycle on the embedded default: N orders confirmed in the Odoo simulator,
released as X12 850s, answered with 855s by the demo supplier, applied back to Odoo.

Prints wall time and throughput per phase, so regressions in the store, the job runner or the
Odoo adapter show up as numbers. Peers (Odoo's EDI add-ons, Bots) are measured in later
issues' benchmarks, on the same files.
"""

from __future__ import annotations

import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from procurelink.domain.ledger import OrderState
from procurelink.entrypoints.demo.scenario import STEELWORKS_REF, start_world

ORDERS = int(os.environ.get("BENCH_ORDERS", "60"))


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        world = await start_world(Path(tmp) / "bench", lambda _: None)
        from procurelink import bootstrap

        rpc = bootstrap.odoo_rpc(world.runtime.settings)
        try:
            [vendor] = await rpc.execute_kw(
                "res.partner", "search", [[["ref", "=", STEELWORKS_REF]]]
            )
            [product] = await rpc.execute_kw(
                "product.product", "search", [[["default_code", "=", "ACME-10042"]]]
            )
            planned = (datetime.now(UTC) + timedelta(days=20)).strftime("%Y-%m-%d %H:%M:%S")
            t0 = time.perf_counter()
            for _ in range(ORDERS):
                po = await rpc.execute_kw(
                    "purchase.order",
                    "create",
                    [
                        {
                            "partner_id": vendor,
                            "order_line": [
                                [
                                    0,
                                    0,
                                    {
                                        "product_id": product,
                                        "product_qty": 10,
                                        "price_unit": 0.12,
                                        "date_planned": planned,
                                    },
                                ]
                            ],
                        }
                    ],
                )
                await rpc.execute_kw("purchase.order", "button_confirm", [[po]])
            t1 = time.perf_counter()
            await world.runtime.run_once()
            t2 = time.perf_counter()
            answered = await world.steelworks.round()
            t3 = time.perf_counter()
            async with httpx.AsyncClient():
                await world.runtime.run_once()
            t4 = time.perf_counter()
            orders = await world.runtime.queries.orders()
            confirmed = sum(1 for o in orders if o.state == OrderState.CONFIRMED)
        finally:
            await rpc.aclose()
            for server in (world.api, world.supplier_api, world.odoo):
                await server.stop()
            await world.sftp.close()
            await world.runtime.close()
    print(f"pipeline: {ORDERS} orders, SQLite store, Odoo simulator over XML-RPC")
    print(f"  buyer confirms in Odoo        {t1 - t0:7.2f} s")
    print(f"  poll, snapshot, 850, deliver  {t2 - t1:7.2f} s  {ORDERS / (t2 - t1):7.1f} orders/s")
    print(f"  supplier answers (855 files)  {t3 - t2:7.2f} s  ({answered} files)")
    print(f"  capture, decode, apply (Odoo) {t4 - t3:7.2f} s  {answered / (t4 - t3):7.1f} acks/s")
    print(f"  confirmed orders              {confirmed} of {len(orders)} released")
