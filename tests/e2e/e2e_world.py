"""The world an e2e test acts in: procurelink's runtime plus a buyer's view of Odoo."""

from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr

from procurelink import bootstrap
from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.codecs.json_api import JsonCodec
from procurelink.domain.order import PurchaseOrder
from procurelink.entrypoints.demo.suppliers import acknowledge
from procurelink.entrypoints.listen import BackgroundServer
from procurelink.ports.codec import DecodeContext, EncodeContext
from procurelink.security.webhooks import standard_headers
from procurelink.settings import Settings


@dataclass
class World:
    runtime: bootstrap.Runtime
    rpc: OdooRpc
    outbox: Path
    inbox: Path
    odoo: BackgroundServer | None = None

    async def confirm_order(
        self, vendor_ref: str, lines: list[tuple[str, int]], picking_type: int | None = None
    ) -> tuple[int, str]:
        """Create and confirm an order in Odoo as a buyer would (for the plant of
        ``picking_type``, a receipt type; else Odoo's default); returns (id, name)."""
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
        vals: dict[str, Any] = {"partner_id": vendor, "order_line": commands}
        if picking_type is not None:
            vals["picking_type_id"] = picking_type
        po = await rpc.execute_kw("purchase.order", "create", [vals])
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


@dataclass(frozen=True)
class OdooTarget:
    url: str
    db: str = "procurelink"
    user: str = "admin"
    password: str = "admin"
    api_key: str | None = None  # with it, protocol "auto" takes JSON-2 on Odoo 19+


def real_odoo() -> OdooTarget | None:
    """The real Odoo to run against when ODOO_URL (and db, user, password) are set;
    ODOO_API_KEY as well makes the flows use JSON-2 on a 19."""
    names = ("ODOO_URL", "ODOO_DB", "ODOO_USER", "ODOO_PASSWORD")
    if not all(os.environ.get(n) for n in names):
        return None
    url, db, user, password = (os.environ[n] for n in names)
    return OdooTarget(url, db, user, password, os.environ.get("ODOO_API_KEY") or None)


def make_settings(tmp_path: Path, odoo: OdooTarget, partners: Path) -> Settings:
    """Settings of a test process: its own SQLite file, its Odoo, its partner profiles."""
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'pl.db'}",
        odoo_url=odoo.url,
        odoo_db=odoo.db,
        odoo_user=odoo.user,
        odoo_password=SecretStr(odoo.password),
        odoo_api_key=SecretStr(odoo.api_key) if odoo.api_key else None,
        partners_dir=partners,
        # Seeded orders confirmed before the test are not released: only the test's own.
        odoo_sync_since=datetime.now(UTC) - timedelta(seconds=1),
    )


POLYMER_SECRET = "polymer-test-secret"

# The master data the e2e tests use, as the simulator seeds it. Against a real Odoo it is
# created on first use (vendor ref, product code, vendor code: the simulator's values).
MASTER_DATA = {
    "SW-V-88120": (
        "Steelworks GmbH",
        [
            ("ACME-10042", "SW-HB-M10X40-ZN", 0.12, "Units"),
            ("ACME-20117", "SW-ST-S235-2", 1.85, "kg"),
        ],
    ),
    "PP-V-20451": (
        "Polymer Parts Ltd",
        [
            ("ACME-30210", "PP-HSG-GF30-BK", 3.75, "Units"),
            ("ACME-30211", "PP-GW-Z24-M1", 1.10, "Units"),
        ],
    ),
}


async def ensure_master_data(rpc: OdooRpc) -> None:
    """Vendors, products and vendor price lists the tests need, created where missing."""
    dialect = await rpc.dialect()
    for ref, (name, products) in MASTER_DATA.items():
        found = await rpc.execute_kw("res.partner", "search", [[["ref", "=", ref]]])
        vendor = (
            found[0]
            if found
            else await rpc.execute_kw(
                "res.partner",
                "create",
                [{"name": name, "ref": ref, "is_company": True, "supplier_rank": 1}],
            )
        )
        for code, vendor_code, price, uom_name in products:
            if await rpc.execute_kw("product.product", "search", [[["default_code", "=", code]]]):
                continue
            [uom] = await rpc.execute_kw(
                "uom.uom", "search", [[["name", "=", uom_name]]], {"limit": 1}
            )
            product = await rpc.execute_kw(
                "product.product",
                "create",
                [
                    {
                        "name": f"{code} (procurelink e2e)",
                        "default_code": code,
                        **dialect.storable_product(uom),
                    }
                ],
            )
            [tmpl] = await rpc.execute_kw(
                "product.product", "read", [[product]], {"fields": ["product_tmpl_id"]}
            )
            await rpc.execute_kw(
                "product.supplierinfo",
                "create",
                [
                    {
                        "partner_id": vendor,
                        "product_tmpl_id": tmpl["product_tmpl_id"][0],
                        "product_code": vendor_code,
                        "price": price,
                        "min_qty": 0,
                    }
                ],
            )


def request_for(received: list[Any], order_number: str) -> Any:
    """The webhook request that carried ``order_number`` (a real Odoo may release others)."""
    matching = [r for r in received if f'"order_number":"{order_number}"' in r.content.decode()]
    assert len(matching) == 1, [r.content[:200] for r in received]
    return matching[0]


BUYER_GROUPS = ("base.group_user", "purchase.group_purchase_user")
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(page: str) -> str:
    """The CSRF token of the first form on a console page."""
    found = _CSRF.search(page)
    assert found is not None, page[:500]
    return found.group(1)


async def sign_in(client: httpx.AsyncClient, login: str, password: str) -> httpx.Response:
    """Sign in to the console as a browser would: the form (its CSRF token), then the post."""
    form = await client.get("/console/login")
    assert form.status_code == 200, form.text[:300]
    return await client.post(
        "/console/login",
        data={"login": login, "password": password, "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )


async def sign_in_as_integration_user(client: httpx.AsyncClient, world: World) -> None:
    """Sign in with the test's own Odoo user (the simulator's admin, or ODOO_USER)."""
    settings = world.runtime.settings
    assert settings.odoo_password is not None
    answer = await sign_in(client, settings.odoo_user, settings.odoo_password.get_secret_value())
    assert answer.status_code == 303, answer.text[:300]


async def odoo_groups(rpc: OdooRpc, groups: tuple[str, ...]) -> tuple[str, list[int]]:
    """The users' groups field of this Odoo (19 renamed it) and the ids of ``groups``."""
    ids = []
    for xmlid in groups:
        module, _, name = xmlid.partition(".")
        [row] = await rpc.execute_kw(
            "ir.model.data",
            "search_read",
            [[["module", "=", module], ["name", "=", name], ["model", "=", "res.groups"]]],
            {"fields": ["res_id"]},
        )
        ids.append(int(row["res_id"]))
    field = "group_ids" if (await rpc.server_version()).major >= 19 else "groups_id"
    return field, ids


async def new_odoo_user(rpc: OdooRpc, groups: tuple[str, ...]) -> tuple[str, str]:
    """A fresh Odoo user in ``groups`` (xml ids), created by the admin: (login, password)."""
    field, ids = await odoo_groups(rpc, groups)
    login = f"pl-buyer-{uuid.uuid4().hex[:8]}"
    password = f"Pw-{uuid.uuid4().hex[:12]}"
    await rpc.execute_kw(
        "res.users",
        "create",
        [
            {
                "name": f"Buyer {login[-8:]}",
                "login": login,
                "password": password,
                field: [[6, 0, ids]],
            }
        ],
    )
    return login, password


async def late_polymer_exception(
    world: World, received: list[httpx.Request], client: httpx.AsyncClient
) -> tuple[int, str, int]:
    """An order to Polymer acknowledged 9 days late over the supplier API (``client``): an
    approvable exception (its id, the order's name and Odoo id)."""
    po, name = await world.confirm_order("PP-V-20451", [("ACME-30210", 40)])
    await world.runtime.run_once()
    [order] = JsonCodec().decode(
        request_for(received, name).content, DecodeContext("polymer", "x", "m")
    )
    assert isinstance(order, PurchaseOrder)
    body = (
        JsonCodec()
        .encode(
            acknowledge(order, "1", 9, "PP-9", f"ack-{name}"),
            EncodeContext("polymer", "c", datetime.now(UTC)),
        )
        .body
    )
    posted = await client.post(
        "/api/v1/partners/polymer/messages",
        content=body,
        headers=standard_headers(POLYMER_SECRET, f"ack-{name}", body, datetime.now(UTC)),
    )
    assert posted.status_code == 202
    await world.runtime.run_once()
    [exc] = await world.runtime.queries.exceptions()
    return exc.id, name, po
