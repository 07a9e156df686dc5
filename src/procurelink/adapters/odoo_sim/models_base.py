"""Master-data models of the simulator (Odoo 17 field names, reference sections 3.1-3.4, 4, 5.4)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from procurelink.adapters.odoo_sim.fields import Field, ModelSpec, Record, char, computed, m2o, o2m

if TYPE_CHECKING:
    from procurelink.adapters.odoo_sim.orm import Env

B = Field("boolean", "Active")
PRODUCT_TYPES = (("consu", "Consumable"), ("service", "Service"), ("product", "Storable Product"))


def _company_currency(env: Env) -> int | None:
    company = env.table("res.company").get(1)
    return company.get("currency_id") if company else None


def _coded_name(env: Env, rec: Record) -> str:
    code = rec.get("default_code")
    return f"[{code}] {rec.get('name')}" if code else str(rec.get("name") or "")


def _partner_name(env: Env, rec: Record) -> str:
    parent = rec.get("parent_id")
    if parent and not rec.get("is_company") and env.exists("res.partner", parent):
        return f"{env.display_name('res.partner', parent)}, {rec.get('name') or ''}"
    return str(rec.get("name") or "")


def _picking_type_name(env: Env, rec: Record) -> str:
    warehouse = rec.get("warehouse_id")
    if warehouse:
        return f"{env.display_name('stock.warehouse', warehouse)}: {rec.get('name')}"
    return str(rec.get("name") or "")


def _factor_inv(env: Env, rec: Record) -> float:
    factor = float(rec.get("factor") or 0.0)
    return 1.0 / factor if factor else 0.0


def _template_sellers(env: Env, rec: Record) -> list[int]:
    return env.search("product.supplierinfo", [("product_tmpl_id", "=", rec["product_tmpl_id"])])


def _product_type(env: Env, rec: Record) -> Any:
    return rec.get("detailed_type")


def _supplier_uom(env: Env, rec: Record) -> Any:
    template = env.table("product.template").get(rec.get("product_tmpl_id") or 0)
    return template.get("uom_po_id") if template else None


def _company_purchase_taxes(env: Env) -> list[int]:
    """Default vendor taxes of a product: the company's default purchase tax (17)."""
    company = env.table("res.company").get(1)
    tax = company.get("account_purchase_tax_id") if company else None
    return [tax] if tax else []


TAX_USES = (("sale", "Sales"), ("purchase", "Purchases"), ("none", "None"))
TAX_TYPES = (("percent", "Percentage of Price"), ("fixed", "Fixed"))

PRODUCT_FIELDS: dict[str, Field] = {
    "name": char("Name", required=True),
    "default_code": char("Internal Reference"),
    "barcode": char("Barcode"),
    "detailed_type": Field("selection", "Product Type", selection=PRODUCT_TYPES),
    "type": computed("selection", "Type", _product_type, selection=PRODUCT_TYPES),
    "uom_id": m2o("uom.uom", "Unit of Measure", required=True),
    "uom_po_id": m2o("uom.uom", "Purchase Unit of Measure", required=True),
    "purchase_ok": Field("boolean", "Can be Purchased"),
    "tracking": Field(
        "selection",
        "Tracking",
        selection=(
            ("serial", "By Unique Serial Number"),
            ("lot", "By Lots"),
            ("none", "No Tracking"),
        ),
    ),
    "standard_price": Field("float", "Cost"),
    "supplier_taxes_id": Field("many2many", "Vendor Taxes", relation="account.tax"),
    "list_price": Field("float", "Sales Price"),
    "active": B,
}
PRODUCT_DEFAULTS = {
    "detailed_type": "consu",
    "tracking": "none",
    "purchase_ok": True,
    "active": True,
    "uom_id": 1,
    "supplier_taxes_id": _company_purchase_taxes,
}

MODELS = [
    ModelSpec(
        # Partner tags: nothing procurelink writes, but a plain model (no overrides of its
        # own on any version) that the contract suite uses to pin the ORM's value rules.
        "res.partner.category",
        "Partner Tags",
        {
            "name": char("Name", required=True),
            "parent_id": m2o("res.partner.category", "Parent Category"),
            "active": B,
        },
        order="name",
        defaults={"active": True},
    ),
    ModelSpec(
        "res.currency",
        "Currency",
        {
            "name": char("Currency", required=True),
            "symbol": char("Symbol"),
            "active": B,
        },
        order="active desc, name",
        defaults={"active": True},
    ),
    ModelSpec(
        "res.company",
        "Companies",
        {
            "name": char("Company Name", required=True),
            "partner_id": m2o("res.partner", "Partner"),
            "currency_id": m2o("res.currency", "Currency"),
            "account_purchase_tax_id": m2o("account.tax", "Default Purchase Tax"),
        },
        order="name",
    ),
    ModelSpec(
        # Only what purchase amounts need: percent or fixed taxes, excluded from the price,
        # rounded per line (the company default ``tax_calculation_rounding_method``).
        "account.tax",
        "Tax",
        {
            "name": char("Tax Name", required=True),
            "amount_type": Field("selection", "Tax Computation", selection=TAX_TYPES),
            "amount": Field("float", "Amount"),
            "type_tax_use": Field("selection", "Tax Type", selection=TAX_USES),
            "price_include": Field("boolean", "Included in Price"),
            "company_id": m2o("res.company", "Company", required=True),
            "active": B,
        },
        defaults={
            "amount_type": "percent",
            "type_tax_use": "sale",
            "active": True,
            "company_id": 1,
        },
    ),
    ModelSpec(
        "res.partner",
        "Contact",
        {
            "name": char("Name"),
            "ref": char("Reference"),
            "email": char("Email"),
            "phone": char("Phone"),
            "street": char("Street"),
            "city": char("City"),
            "zip": char("Zip"),
            "vat": char("Tax ID"),
            "is_company": Field("boolean", "Is a Company"),
            "parent_id": m2o("res.partner", "Related Company"),
            "company_id": m2o("res.company", "Company"),
            "supplier_rank": Field("integer", "Supplier Rank"),
            "customer_rank": Field("integer", "Customer Rank"),
            "bank_ids": o2m("res.partner.bank", "partner_id", "Banks"),
            "active": B,
        },
        order="name, id desc",
        display_name=_partner_name,
        defaults={"active": True},
    ),
    ModelSpec(
        "res.users",
        "User",
        {
            "name": char("Name"),
            "login": char("Login", required=True),
            "partner_id": m2o("res.partner", "Related Partner"),
            "company_id": m2o("res.company", "Company"),
            "groups_id": Field("many2many", "Groups", relation="res.groups"),
            # Stored hashed (``access.hash_password``) and read back empty, as in Odoo.
            "password": Field("char", "Password", compute=lambda env, rec: "", store=False),
            "active": B,
        },
        order="name, login",
        defaults={"active": True},
    ),
    ModelSpec(
        "uom.category",
        "Product UoM Categories",
        {"name": char("Unit of Measure Category")},
        order="name",
    ),
    ModelSpec(
        "uom.uom",
        "Product Unit of Measure",
        {
            "name": char("Unit of Measure", required=True),
            "category_id": m2o("uom.category", "Category", required=True),
            "factor": Field("float", "Ratio"),
            "uom_type": Field(
                "selection",
                "Type",
                selection=(
                    ("bigger", "Bigger than the reference Unit of Measure"),
                    ("reference", "Reference Unit of Measure for this category"),
                    ("smaller", "Smaller than the reference Unit of Measure"),
                ),
            ),
            "factor_inv": computed("float", "Bigger Ratio", _factor_inv),
            "rounding": Field("float", "Rounding Precision"),
            "active": B,
        },
        order="factor DESC, id",
        defaults={"active": True, "rounding": 0.01, "factor": 1.0},
    ),
    ModelSpec(
        "product.template",
        "Product",
        {
            **PRODUCT_FIELDS,
            "seller_ids": o2m("product.supplierinfo", "product_tmpl_id", "Vendors"),
            "product_variant_ids": o2m("product.product", "product_tmpl_id", "Products"),
        },
        order="name",
        display_name=_coded_name,
        defaults=PRODUCT_DEFAULTS,
    ),
    ModelSpec(
        "product.product",
        "Product Variant",
        {
            **PRODUCT_FIELDS,
            "product_tmpl_id": m2o("product.template", "Product Template", required=True),
            "seller_ids": computed(
                "one2many", "Vendors", _template_sellers, relation="product.supplierinfo"
            ),
        },
        order="default_code, name, id",
        display_name=_coded_name,
        defaults=PRODUCT_DEFAULTS,
    ),
    ModelSpec(
        "product.supplierinfo",
        "Supplier Pricelist",
        {
            "partner_id": m2o("res.partner", "Vendor", required=True),
            "product_tmpl_id": m2o("product.template", "Product Template"),
            "product_id": m2o("product.product", "Product Variant"),
            "product_code": char("Vendor Product Code"),
            "product_name": char("Vendor Product Name"),
            "price": Field("float", "Price"),
            "min_qty": Field("float", "Quantity"),
            "discount": Field("float", "Discount (%)"),
            "delay": Field("integer", "Delivery Lead Time"),
            "sequence": Field("integer", "Sequence"),
            "currency_id": m2o("res.currency", "Currency", required=True),
            "company_id": m2o("res.company", "Company"),
            "date_start": Field("date", "Start Date"),
            "date_end": Field("date", "End Date"),
            "product_uom": computed(
                "many2one", "Unit of Measure", _supplier_uom, relation="uom.uom", store=False
            ),
        },
        order="sequence, min_qty DESC, price, id",
        rec_name="product_code",
        defaults={
            "delay": 1,
            "sequence": 1,
            "min_qty": 0.0,
            "currency_id": _company_currency,
            "company_id": 1,
        },
    ),
    ModelSpec(
        "stock.warehouse",
        "Warehouse",
        {
            "name": char("Warehouse", required=True),
            "code": char("Short Name", required=True),
            "company_id": m2o("res.company", "Company", required=True),
            "partner_id": m2o("res.partner", "Address"),
            "in_type_id": m2o("stock.picking.type", "In Type"),
            "int_type_id": m2o("stock.picking.type", "Internal Type"),
            # 19 (not checked on 18; 16-17 have neither): the reception steps' own types.
            "qc_type_id": m2o("stock.picking.type", "Quality Control Type"),
            "store_type_id": m2o("stock.picking.type", "Storage Type"),
            "lot_stock_id": m2o("stock.location", "Location Stock"),
            "view_location_id": m2o("stock.location", "View Location"),
            "wh_input_stock_loc_id": m2o("stock.location", "Input Location"),
            "wh_qc_stock_loc_id": m2o("stock.location", "Quality Control Location"),
            "reception_steps": Field(
                "selection",
                "Incoming Shipments",
                selection=(
                    ("one_step", "Receive goods directly (1 step)"),
                    ("two_steps", "Receive goods in input and then stock (2 steps)"),
                    (
                        "three_steps",
                        "Receive goods in input, then quality and then stock (3 steps)",
                    ),
                ),
            ),
            "active": B,
        },
        order="id",
        defaults={"active": True, "reception_steps": "one_step", "company_id": 1},
    ),
    ModelSpec(
        "stock.picking.type",
        "Picking Type",
        {
            "name": char("Operation Type", required=True),
            "code": Field(
                "selection",
                "Type of Operation",
                required=True,
                selection=(
                    ("incoming", "Receipt"),
                    ("outgoing", "Delivery"),
                    ("internal", "Internal Transfer"),
                ),
            ),
            "sequence_code": char("Sequence Prefix", required=True),
            "warehouse_id": m2o("stock.warehouse", "Warehouse"),
            "company_id": m2o("res.company", "Company", required=True),
            "create_backorder": Field(
                "selection",
                "Create Backorder",
                selection=(("ask", "Ask"), ("always", "Always"), ("never", "Never")),
            ),
            "default_location_src_id": m2o("stock.location", "Default Source Location"),
            "default_location_dest_id": m2o("stock.location", "Default Destination Location"),
            "use_create_lots": Field("boolean", "Create New Lots/Serial Numbers"),
            "use_existing_lots": Field("boolean", "Use Existing Lots/Serial Numbers"),
            "active": B,
        },
        order="id",
        display_name=_picking_type_name,
        defaults={
            "active": True,
            "create_backorder": "ask",
            "use_create_lots": True,
            "use_existing_lots": True,
        },
    ),
    ModelSpec(
        "ir.model.data",
        "Model Data",
        {
            "module": char("Module", required=True),
            "name": char("External Identifier", required=True),
            "model": char("Model Name", required=True),
            "res_id": Field("many2one_reference", "Record ID"),
        },
        order="module, model, name",
    ),
    ModelSpec(
        "mail.message.subtype",
        "Message subtypes",
        {
            "name": char("Message Type", required=True),
            "internal": Field("boolean", "Internal Only"),
        },
        order="id",
    ),
    ModelSpec(
        "mail.message",
        "Message",
        {
            "model": char("Related Document Model"),
            "res_id": Field("many2one_reference", "Related Document ID"),
            "body": Field("html", "Contents"),
            "subject": char("Subject"),
            "message_type": Field(
                "selection",
                "Type",
                required=True,
                selection=(
                    ("email", "Incoming Email"),
                    ("comment", "Comment"),
                    ("email_outgoing", "Outgoing Email"),
                    ("notification", "System notification"),
                    ("auto_comment", "Automated Targeted Notification"),
                    ("user_notification", "User Specific Notification"),
                ),
            ),
            "subtype_id": m2o("mail.message.subtype", "Subtype"),
            "author_id": m2o("res.partner", "Author"),
            "date": Field("datetime", "Date"),
        },
        order="id desc",
        rec_name="subject",
    ),
]
