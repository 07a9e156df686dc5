"""Master data read from Odoo: vendors and bank accounts, products, vendor prices, units and
plants (reference sections 3.1-3.4 and 4), for every version's field names (``Dialect``).

One ``search_read`` per model; related records are read in one more call per model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import SecretStr

from procurelink.adapters.odoo.dialect import Dialect
from procurelink.adapters.odoo.mapping import day, dec, m2o_id, m2o_name, text, uom_code
from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.domain.parties import Item
from procurelink.domain.price_list import PriceListLine
from procurelink.domain.values import Money
from procurelink.ports.erp_reads import (
    BankAccount,
    PickingType,
    Plant,
    Product,
    Unit,
    Vendor,
    VendorPrice,
)

Row = dict[str, Any]
VENDOR_FIELDS = ["name", "ref", "vat", "is_company", "supplier_rank", "email", "bank_ids"]
BANK_FIELDS = [
    "partner_id",
    "acc_number",
    "acc_holder_name",
    "bank_name",
    "bank_bic",
    "currency_id",
    "allow_out_payment",
]
PRODUCT_FIELDS = [
    "name",
    "default_code",
    "barcode",
    "product_tmpl_id",
    "uom_id",
    "tracking",
    "purchase_ok",
]
PRICE_FIELDS = [
    "product_tmpl_id",
    "product_id",
    "product_code",
    "product_name",
    "min_qty",
    "price",
    "currency_id",
    "delay",
    "date_start",
    "date_end",
    "sequence",
]
WAREHOUSE_FIELDS = ["name", "code", "company_id", "reception_steps", "in_type_id"]
TYPE_FIELDS = [
    "name",
    "code",
    "sequence_code",
    "warehouse_id",
    "create_backorder",
    "use_create_lots",
    "use_existing_lots",
]


class MasterDataReader:
    def __init__(self, rpc: OdooRpc) -> None:
        self.rpc = rpc

    async def _search_read(
        self, model: str, domain: list[Any], fields: list[str], **kw: Any
    ) -> list[Row]:
        rows = await self.rpc.execute_kw(model, "search_read", [domain], {"fields": fields, **kw})
        return list(rows)

    async def _read(self, model: str, ids: Sequence[int], fields: list[str]) -> list[Row]:
        if not ids:
            return []
        return list(await self.rpc.execute_kw(model, "read", [list(ids)], {"fields": fields}))

    async def vendors(self, refs: Sequence[str] = (), odoo_ids: Sequence[int] = ()) -> list[Vendor]:
        domain: list[Any] = [("supplier_rank", ">", 0)]
        if odoo_ids:
            domain = [("id", "in", list(odoo_ids))]
        if refs:
            domain.append(("ref", "in", list(refs)))
        partners = await self._search_read("res.partner", domain, VENDOR_FIELDS, order="id")
        banks = await self._read(
            "res.partner.bank", [b for p in partners for b in p["bank_ids"]], BANK_FIELDS
        )
        by_partner: dict[int, list[BankAccount]] = {}
        for row in sorted(banks, key=lambda r: r["id"]):
            by_partner.setdefault(m2o_id(row["partner_id"]) or 0, []).append(_bank(row))
        return [_vendor(p, tuple(by_partner.get(p["id"], ()))) for p in partners]

    async def products(self, default_codes: Sequence[str]) -> list[Product]:
        if not default_codes:
            return []
        dialect = await self.rpc.dialect()
        fields = [*PRODUCT_FIELDS, *_storable_fields(dialect)]
        if dialect.has_uom_po:
            fields.append("uom_po_id")
        rows = await self._search_read(
            "product.product", [("default_code", "in", list(default_codes))], fields, order="id"
        )
        return [_product(r, dialect) for r in rows]

    async def vendor_prices(self, vendor_odoo_id: int) -> list[VendorPrice]:
        dialect = await self.rpc.dialect()
        fields = [*PRICE_FIELDS, dialect.supplier_uom]
        if dialect.has_discount:
            fields.append("discount")
        rows = await self._search_read(
            "product.supplierinfo", [("partner_id", "=", vendor_odoo_id)], fields
        )
        templates = {
            r["id"]: r
            for r in await self._read(
                "product.template",
                sorted({m2o_id(r["product_tmpl_id"]) or 0 for r in rows} - {0}),
                ["default_code", "barcode", "name"],
            )
        }
        variants = {
            r["id"]: r
            for r in await self._read(
                "product.product",
                sorted({m2o_id(r["product_id"]) or 0 for r in rows} - {0}),
                ["default_code", "barcode", "name"],
            )
        }
        return [_price(r, templates, variants, dialect) for r in rows]

    async def units(self) -> list[Unit]:
        dialect = await self.rpc.dialect()
        if dialect.has_uom_category:
            fields = ["name", "rounding", "category_id", "factor_inv", "uom_type"]
            rows = await self._search_read("uom.uom", [], fields, order="id")
            return [_unit(r, dialect, "") for r in rows]
        # 19 ships active units whose parent is archived (m -> cm -> mm, cm archived): the
        # trees are built over archived units too, only active ones are returned.
        fields = ["name", "rounding", "relative_uom_id", "factor", "active"]
        every = [("active", "in", [True, False])]
        rows = await self._search_read("uom.uom", every, fields, order="id")
        roots = _tree_roots(rows)
        return [_unit(r, dialect, roots[r["id"]]) for r in rows if r["active"]]

    async def plants(self) -> list[Plant]:
        warehouses = await self._search_read("stock.warehouse", [], WAREHOUSE_FIELDS, order="id")
        types = await self._search_read(
            "stock.picking.type",
            [("warehouse_id", "in", [w["id"] for w in warehouses])],
            TYPE_FIELDS,
            order="id",
        )
        return [
            Plant(
                odoo_id=w["id"],
                name=w["name"],
                code=w["code"],
                company=m2o_name(w["company_id"]) or "",
                company_id=m2o_id(w["company_id"]) or 0,
                reception_steps=str(w["reception_steps"]),
                receipt_type_id=m2o_id(w["in_type_id"]),
                picking_types=tuple(
                    _picking_type(t) for t in types if m2o_id(t["warehouse_id"]) == w["id"]
                ),
            )
            for w in warehouses
        ]


def _bank(row: Row) -> BankAccount:
    return BankAccount(
        odoo_id=row["id"],
        number=SecretStr(str(row["acc_number"])),
        holder=text(row.get("acc_holder_name")),
        bank=text(row.get("bank_name")),
        bic=text(row.get("bank_bic")),
        currency=m2o_name(row.get("currency_id")),
        trusted=bool(row.get("allow_out_payment")),
    )


def _vendor(row: Row, banks: tuple[BankAccount, ...]) -> Vendor:
    return Vendor(
        odoo_id=row["id"],
        name=str(row["name"] or ""),
        ref=text(row.get("ref")),
        vat=text(row.get("vat")),
        is_company=bool(row.get("is_company")),
        supplier_rank=int(row.get("supplier_rank") or 0),
        email=text(row.get("email")),
        bank_accounts=banks,
    )


def _storable_fields(dialect: Dialect) -> list[str]:
    return ["is_storable"] if dialect.storable_by_flag else ["detailed_type"]


def _product(row: Row, dialect: Dialect) -> Product:
    uom = m2o_name(row["uom_id"]) or ""
    storable = (
        bool(row.get("is_storable"))
        if dialect.storable_by_flag
        else row.get("detailed_type") == "product"
    )
    return Product(
        odoo_id=row["id"],
        template_id=m2o_id(row["product_tmpl_id"]) or 0,
        name=str(row["name"]),
        default_code=text(row.get("default_code")),
        barcode=text(row.get("barcode")),
        uom=uom,
        purchase_uom=m2o_name(row.get("uom_po_id")) or uom,
        tracking=str(row.get("tracking") or "none"),
        storable=storable,
        purchase_ok=bool(row.get("purchase_ok")),
    )


def _price(
    row: Row, templates: dict[int, Row], variants: dict[int, Row], d: Dialect
) -> VendorPrice:
    product = variants.get(m2o_id(row["product_id"]) or 0) or templates.get(
        m2o_id(row["product_tmpl_id"]) or 0, {}
    )
    line = PriceListLine(
        item=Item(
            buyer_item=text(product.get("default_code")),
            supplier_item=text(row.get("product_code")),
            gtin=text(product.get("barcode")),
            description=text(row.get("product_name")) or text(product.get("name")),
            odoo_product_id=m2o_id(row["product_id"]),
        ),
        price=Money(amount=dec(row["price"]), currency=m2o_name(row["currency_id"]) or ""),
        uom=uom_code(m2o_name(row.get(d.supplier_uom)) or "Units"),
        min_qty=dec(row.get("min_qty")),
        lead_time_days=int(row.get("delay") or 0),
        valid_from=day(row.get("date_start")),
        valid_to=day(row.get("date_end")),
    )
    return VendorPrice(
        odoo_id=row["id"],
        line=line,
        discount=dec(row.get("discount")),
        sequence=int(row.get("sequence") or 0),
    )


def _tree_roots(rows: Sequence[Row]) -> dict[int, str]:
    """19: each unit's reference unit (the root of its ``relative_uom_id`` chain), by name."""
    by_id = {r["id"]: r for r in rows}
    roots: dict[int, str] = {}
    for row in rows:
        node, seen = row, {row["id"]}
        while (parent := m2o_id(node.get("relative_uom_id"))) and parent not in seen:
            if parent not in by_id:  # not readable (another company's): its name is all we know
                node = {"id": parent, "name": m2o_name(node["relative_uom_id"])}
                break
            node = by_id[parent]
            seen.add(parent)
        roots[row["id"]] = str(node["name"])
    return roots


def _unit(row: Row, dialect: Dialect, root: str) -> Unit:
    if dialect.has_uom_category:
        category = m2o_name(row["category_id"]) or ""
        reference_qty = dec(row["factor_inv"])  # factor_inv: exact for 12 (factor 1/12 isn't)
        is_reference = row.get("uom_type") == "reference"
    else:
        category = root
        reference_qty = dec(row["factor"])
        is_reference = not row.get("relative_uom_id")
    return Unit(
        odoo_id=row["id"],
        name=str(row["name"]),
        code=uom_code(str(row["name"])),
        category=category,
        reference_qty=reference_qty,
        rounding=dec(row.get("rounding")),
        is_reference=is_reference,
    )


def _picking_type(row: Row) -> PickingType:
    return PickingType(
        odoo_id=row["id"],
        name=str(row["name"]),
        code=str(row["code"]),
        sequence_code=str(row.get("sequence_code") or ""),
        create_backorder=str(row.get("create_backorder") or "ask"),
        use_create_lots=bool(row.get("use_create_lots")),
        use_existing_lots=bool(row.get("use_existing_lots")),
    )
