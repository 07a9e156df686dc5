"""Deterministic demo data: ACME Manufacturing, plant Werk 2, three suppliers, twelve items.

The ids below are stable (the store numbers records from 1 per model); ``__init__`` lists
them for the demo and the end-to-end tests.
"""

from __future__ import annotations

from typing import Any

from procurelink.adapters.odoo_sim.orm import Env
from procurelink.adapters.odoo_sim.purchase import button_confirm

COMPANY = "ACME Manufacturing"
SUPPLIERS = (  # (name, ref, email) -> res.partner ids 4, 5, 6
    ("Steelworks GmbH", "SW-V-88120", "orders@steelworks.example"),
    ("Polymer Parts Ltd", "PP-V-20451", "sales@polymerparts.example"),
    ("Fastener Direct Inc", "FD-V-31007", "edi@fastenerdirect.example"),
)
UOMS = (  # (name, category id, factor, type, rounding) -> uom.uom ids 1..7
    ("Units", 1, 1.0, "reference", 1.0),
    ("Dozens", 1, 1 / 12, "bigger", 0.01),
    ("kg", 2, 1.0, "reference", 0.01),
    ("g", 2, 1000.0, "smaller", 0.01),
    ("t", 2, 0.001, "bigger", 0.01),
    ("m", 3, 1.0, "reference", 0.01),
    ("L", 4, 1.0, "reference", 0.01),
)
U, DOZ, KG, M, L = 1, 2, 3, 6, 7
PRODUCTS = (  # (default_code, name, uom, purchase uom, barcode) -> product ids 1..12
    ("ACME-10042", "Hex bolt M10x40 DIN 933 8.8 zinc plated", U, U, "4012345100421"),
    ("ACME-10043", "Hex nut M10 DIN 934 8 zinc plated", U, U, "4012345100438"),
    ("ACME-10044", "Washer M10 DIN 125 zinc plated", U, U, None),
    ("ACME-10050", "Socket cap screw M8x25 ISO 4762 12.9", U, DOZ, None),
    ("ACME-20117", "Steel sheet S235JR 2 mm", KG, KG, None),
    ("ACME-20118", "Round bar C45 diameter 40 mm", M, M, None),
    ("ACME-20120", "Stainless sheet 1.4301 1.5 mm", KG, KG, None),
    ("ACME-30210", "Housing PA6 GF30 black", U, U, "4012345302108"),
    ("ACME-30211", "Gear wheel POM z=24 m1", U, U, None),
    ("ACME-30215", "O-ring EPDM 40x3", U, DOZ, None),
    ("ACME-30220", "PP granulate natural", KG, KG, None),
    ("ACME-40001", "Cutting oil, water-miscible", L, L, None),
)
SUPPLIERINFO = (  # (partner id, product id, vendor code, vendor name, price, delay days)
    (4, 5, "SW-ST-S235-2", "Blech S235JR 2,0 mm", 1.85, 10),
    (4, 6, "SW-RB-C45-40", "Rundstahl C45 40 mm", 12.40, 14),
    (4, 7, "SW-SS-4301-15", "Edelstahlblech 1.4301 1,5 mm", 4.90, 10),
    (4, 1, "SW-HB-M10X40-ZN", "Sechskantschraube M10x40 8.8 verzinkt", 0.12, 7),
    (5, 8, "PP-HSG-GF30-BK", "Housing PA6-GF30 black", 3.75, 21),
    (5, 9, "PP-GW-Z24-M1", "Gear POM 24T module 1", 1.10, 21),
    (5, 10, "PP-OR-40X3-EPDM", "O-ring 40x3 EPDM 70", 2.40, 5),
    (5, 11, "PP-GR-PP-NAT", "PP homopolymer natural", 2.15, 12),
    (6, 1, "FD-933-M10X40", "HEX CAP SCREW M10X40 8.8 ZP", 0.11, 5),
    (6, 2, "FD-934-M10", "HEX NUT M10 CL8 ZP", 0.04, 5),
    (6, 3, "FD-125-M10", "FLAT WASHER M10 ZP", 0.02, 5),
    (6, 4, "FD-4762-M8X25", "SOCKET HEAD CAP SCREW M8X25 12.9", 2.60, 5),
    (6, 12, "FD-CO-WM", "CUTTING OIL WATER-MISCIBLE", 6.20, 3),
)
# (partner, date_order, [(product, qty, date_planned)], confirm) -> ids 1..6, P00001..P00006
ORDERS = (
    (
        4,
        "2025-03-03 08:00:00",
        [
            (5, 500, "2025-03-17 10:00:00"),
            (6, 120, "2025-03-17 10:00:00"),
            (1, 2000, "2025-03-14 10:00:00"),
        ],
        False,
    ),
    (4, "2025-03-04 09:30:00", [(7, 250, "2025-03-18 10:00:00")], True),
    (
        5,
        "2025-03-05 07:45:00",
        [
            (8, 200, "2025-03-26 10:00:00"),
            (9, 500, "2025-03-26 10:00:00"),
            (10, 10, "2025-03-12 10:00:00"),
        ],
        False,
    ),
    (5, "2025-03-06 11:00:00", [(11, 1000, "2025-03-20 10:00:00")], False),
    (
        6,
        "2025-03-06 13:15:00",
        [
            (1, 5000, "2025-03-11 10:00:00"),
            (2, 5000, "2025-03-11 10:00:00"),
            (3, 5000, "2025-03-11 10:00:00"),
            (4, 50, "2025-03-11 10:00:00"),
        ],
        False,
    ),
    (
        6,
        "2025-03-07 08:20:00",
        [(2, 10000, "2025-03-12 10:00:00"), (12, 40, "2025-03-10 10:00:00")],
        True,
    ),
)


def seed_base(env: Env) -> None:
    """What every database has: currency, company, superuser, units, the plant, subtypes."""
    c = env.create
    c("res.currency", {"name": "EUR", "symbol": "€"})
    c("res.currency", {"name": "USD", "symbol": "$"})
    c("res.partner", {"name": COMPANY, "is_company": True, "city": "Stuttgart"})
    c("res.partner", {"name": "OdooBot"})
    c("res.company", {"name": COMPANY, "partner_id": 1, "currency_id": 1})
    # A chart of accounts brings default taxes; new products get the purchase one as vendor
    # tax and order lines copy it (a real 17 database does the same, e.g. 15% generic_coa).
    c("account.tax", {"name": "19% VAT", "amount": 19.0, "type_tax_use": "sale"})
    purchase_tax = c(
        "account.tax", {"name": "19% Vorsteuer", "amount": 19.0, "type_tax_use": "purchase"}
    )
    env.write("res.company", [1], {"account_purchase_tax_id": purchase_tax})
    c("res.users", {"name": "OdooBot", "login": "__system__", "partner_id": 2, "company_id": 1})
    for category_name in ("Unit", "Weight", "Length / Distance", "Volume"):
        c("uom.category", {"name": category_name})
    for uom_name, category, factor, kind, rounding in UOMS:
        c(
            "uom.uom",
            {
                "name": uom_name,
                "category_id": category,
                "factor": factor,
                "uom_type": kind,
                "rounding": rounding,
            },
        )
    partners = c("stock.location", {"name": "Partners", "usage": "view"})
    vendors = c("stock.location", {"name": "Vendors", "usage": "supplier", "location_id": partners})
    view = c("stock.location", {"name": "WH2", "usage": "view", "company_id": 1})
    stock = c("stock.location", {"name": "Stock", "location_id": view, "company_id": 1})
    # Created with its locations, the warehouse is not given a second set (``reception``).
    c(
        "stock.warehouse",
        {
            "name": "Werk 2",
            "code": "WH2",
            "company_id": 1,
            "partner_id": 1,
            "view_location_id": view,
            "lot_stock_id": stock,
        },
    )
    env.write("stock.location", [view, stock], {"warehouse_id": 1})
    c(
        "stock.picking.type",
        {
            "name": "Receipts",
            "code": "incoming",
            "sequence_code": "IN",
            "warehouse_id": 1,
            "company_id": 1,
            "default_location_src_id": vendors,
            "default_location_dest_id": stock,
            "use_create_lots": True,
            "use_existing_lots": False,
        },
    )
    c(
        "stock.picking.type",
        {
            "name": "Delivery Orders",
            "code": "outgoing",
            "sequence_code": "OUT",
            "warehouse_id": 1,
            "company_id": 1,
        },
    )
    internal = c(
        "stock.picking.type",
        {
            "name": "Internal Transfers",
            "code": "internal",
            "sequence_code": "INT",
            "warehouse_id": 1,
            "company_id": 1,
            "default_location_src_id": stock,
            "default_location_dest_id": stock,
        },
    )
    env.write(
        "stock.warehouse",
        [1],
        {"in_type_id": 1, "int_type_id": internal, "lot_stock_id": stock, "view_location_id": view},
    )
    for model in sorted(env.store.models):
        c("ir.model", {"model": model, "name": env.store.models[model].description})
    # mail.mail_activity_data_todo: "To Do" on 16, "To-Do" from 17 on.
    todo = c("mail.activity.type", {"name": "To Do" if env.store.major <= 16 else "To-Do"})
    for module, name, model, res_id in (
        ("stock", "stock_location_suppliers", "stock.location", vendors),
        ("stock", "stock_location_stock", "stock.location", stock),
        ("stock", "warehouse0", "stock.warehouse", 1),
        ("mail", "mail_activity_data_todo", "mail.activity.type", todo),
    ):
        c("ir.model.data", {"module": module, "name": name, "model": model, "res_id": res_id})
    c("mail.message.subtype", {"name": "Discussions", "internal": False})
    c("mail.message.subtype", {"name": "Note", "internal": True})


def seed_demo(env: Env) -> None:
    """Suppliers, products, price lists and orders (ids in the package docstring)."""
    c = env.create
    for name, ref, email in SUPPLIERS:
        c(
            "res.partner",
            {"name": name, "ref": ref, "email": email, "is_company": True, "supplier_rank": 1},
        )
    for code, name, uom, po_uom, barcode in PRODUCTS:
        c(
            "product.template",
            {
                "name": name,
                "default_code": code,
                "uom_id": uom,
                "uom_po_id": po_uom,
                "barcode": barcode or False,
                "detailed_type": "product",
            },
        )
    for partner, product, code, vendor_name, price, delay in SUPPLIERINFO:
        c(
            "product.supplierinfo",
            {
                "partner_id": partner,
                "product_tmpl_id": product,
                "product_code": code,
                "product_name": vendor_name,
                "price": price,
                "delay": delay,
                "min_qty": 0,
            },
        )
    for partner, date_order, lines, confirm in ORDERS:
        order_id = c(
            "purchase.order",
            {
                "partner_id": partner,
                "date_order": date_order,
                "order_line": [_line(*ln) for ln in lines],
            },
        )
        if confirm:
            button_confirm(env, "purchase.order", [order_id])


def _line(product: int, qty: float, date_planned: str) -> list[Any]:
    return [0, 0, {"product_id": product, "product_qty": qty, "date_planned": date_planned}]
