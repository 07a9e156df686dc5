"""The world an e2e test acts in: procurelink's runtime plus a buyer's view of Odoo."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from procurelink import bootstrap
from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.entrypoints.listen import BackgroundServer
from procurelink.settings import Settings


@dataclass
class World:
    runtime: bootstrap.Runtime
    rpc: OdooRpc
    outbox: Path
    inbox: Path
    odoo: BackgroundServer | None = None

    async def confirm_order(self, vendor_ref: str, lines: list[tuple[str, int]]) -> tuple[int, str]:
        """Create and confirm an order in Odoo as a buyer would; returns (id, name)."""
        rpc = self.rpc
        [vendor] = await rpc.execute_kw("res.partner", "search", [[["ref", "=", vendor_ref]]])
        planned = (datetime.now(UTC) + timedelta(days=20)).replace(microsecond=0)
        commands: list[Any] = []
        for i, (code, qty) in enumerate(lines):
            [product] = await rpc.execute_kw(
                "product.product", "search", [[["default_code", "=", code]]]
            )
            commands.append(
                [
                    0,
                    0,
                    {
                        "product_id": product,
                        "product_qty": qty,
                        "price_unit": 1.5,
                        "date_planned": (planned + timedelta(days=i)).strftime("%Y-%m-%d %H:%M:%S"),
                    },
                ]
            )
        po = await rpc.execute_kw(
            "purchase.order", "create", [{"partner_id": vendor, "order_line": commands}]
        )
        await rpc.execute_kw("purchase.order", "button_confirm", [[po]])
        [row] = await rpc.execute_kw("purchase.order", "read", [[po]], {"fields": ["name"]})
        return po, row["name"]

    async def odoo_lines(self, po: int) -> list[dict[str, Any]]:
        rows = await self.rpc.execute_kw(
            "purchase.order.line",
            "search_read",
            [[["order_id", "=", po]]],
            {"fields": ["date_planned", "product_qty"], "order": "sequence, id"},
        )
        return list(rows)

    async def odoo_notes(self, po: int) -> list[str]:
        rows = await self.rpc.execute_kw(
            "mail.message",
            "search_read",
            [[["model", "=", "purchase.order"], ["res_id", "=", po]]],
            {"fields": ["body"]},
        )
        return [r["body"] for r in rows]


def make_settings(tmp_path: Path, odoo_url: str, partners: Path) -> Settings:
    """Settings of a test process: its own SQLite file, the simulator, its partner profiles."""
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'pl.db'}",
        odoo_url=odoo_url,
        odoo_db="procurelink",
        odoo_user="admin",
        odoo_password=SecretStr("admin"),
        partners_dir=partners,
        # Seeded orders confirmed before the test are not released: only the test's own.
        odoo_sync_since=datetime.now(UTC) - timedelta(seconds=1),
    )
