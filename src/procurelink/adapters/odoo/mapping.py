"""Odoo purchase.order records -> the canonical ``PurchaseOrder`` (pure functions).

Field names follow the server's version (``OrderRecords.dialect``).

Identity of the document: ``partner_id`` and ``correlation_id`` belong to procurelink, not
to Odoo. The mapper fills them with stable Odoo-derived placeholders
(``odoo:res.partner:<id>`` and ``odoo:purchase.order:<id>``); the service that knows the
partner profile and the thread binds the real values with ``model_copy(update=...)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from procurelink.adapters.odoo.dialect import Dialect
from procurelink.domain.order import OrderLine, OrderPurpose, PurchaseOrder
from procurelink.domain.parties import IdScheme, Item, Party, PartyRole
from procurelink.domain.values import Money, Quantity
from procurelink.errors import InvalidDocument

Row = Mapping[str, Any]
ODOO_17 = Dialect.of(17)

# Odoo's default unit names (16-18, en_US) -> normalised codes (edi.md section 5.6).
UOM_CODES = {
    "units": "unit",
    "unit": "unit",
    "dozens": "dozen",
    "dozen": "dozen",
    "kg": "kg",
    "g": "g",
    "t": "t",
    "lb": "lb",
    "lbs": "lb",
    "m": "m",
    "ft": "ft",
    "l": "l",
    "m²": "m2",
    "m2": "m2",
    "m³": "m3",
    "m3": "m3",
}


@dataclass(frozen=True, slots=True)
class OrderRecords:
    """Everything read from Odoo for one order, keyed as Odoo returned it."""

    order: Row
    lines: Sequence[Row]
    partner: Row
    products: Mapping[int, Row]
    vendor_codes: Mapping[int, str]  # product.product id -> vendor product_code
    warehouse: Row | None
    dialect: Dialect = ODOO_17


def uom_code(name: str) -> str:
    return UOM_CODES.get(name.strip().lower(), name.strip().lower())


def m2o_id(value: Any) -> int | None:
    return int(value[0]) if value else None


def m2o_name(value: Any) -> str | None:
    return str(value[1]) if value else None


def text(value: Any) -> str | None:
    """Odoo sends ``False`` for empty text fields."""
    return str(value) if value not in (False, None, "") else None


def day(value: Any) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def dec(value: Any) -> Decimal:
    # Through str: the float Odoo sent is shortest-repr, so 1.85 stays 1.85.
    return Decimal(str(value or 0))


def document_id(order: Row) -> str:
    return f"odoo:purchase.order:{order['id']}:{order['write_date']}"


def to_purchase_order(rec: OrderRecords) -> PurchaseOrder:
    order, partner = rec.order, rec.partner
    currency = m2o_name(order["currency_id"]) or ""
    lines = sorted(
        (ln for ln in rec.lines if not ln.get("display_type")),
        key=lambda ln: (ln["sequence"], ln["id"]),
    )
    try:
        return PurchaseOrder(
            document_id=document_id(order),
            partner_id=f"odoo:res.partner:{partner['id']}",
            correlation_id=f"odoo:purchase.order:{order['id']}",
            order_number=order["name"],
            purpose=(
                OrderPurpose.CANCEL
                if rec.dialect.order_state(dict(order)) == "cancel"
                else OrderPurpose.ORIGINAL
            ),
            order_date=date.fromisoformat(str(order["date_order"])[:10]),
            currency=currency,
            parties=_parties(rec),
            vendor_code_at_buyer=text(partner.get("ref")),
            vendor_ref=text(order.get("partner_ref")),
            requested_date=day(order.get("date_planned")),
            plant=text(rec.warehouse.get("code")) if rec.warehouse else None,
            lines=tuple(_line(rec, ln, str(no), currency) for no, ln in enumerate(lines, 1)),
            # The sum of the line amounts (EDI AMT*TT / MOA 79), without taxes: Odoo's
            # amount_total adds the lines' purchase taxes, which EDI orders do not carry.
            total_amount=dec(order.get("amount_untaxed")),
            odoo_id=order["id"],
        )
    except ValidationError as exc:
        raise InvalidDocument(
            f"Odoo order {order.get('name')} does not map to a purchase "
            f"order: {exc.errors()[0]['msg']}",
            odoo_id=order["id"],
        ) from exc


def _parties(rec: OrderRecords) -> tuple[Party, ...]:
    order, partner = rec.order, rec.partner
    parties = [
        Party(
            role=PartyRole.BUYER,
            name=m2o_name(order["company_id"]),
            odoo_id=m2o_id(order["company_id"]),
        ),
        Party(
            role=PartyRole.SUPPLIER,
            name=text(partner.get("name")),
            id=text(partner.get("ref")),
            id_scheme=IdScheme.BUYER if partner.get("ref") else None,
            odoo_id=partner["id"],
        ),
    ]
    if rec.warehouse:
        parties.append(
            Party(
                role=PartyRole.SHIP_TO,
                name=text(rec.warehouse.get("name")),
                id=text(rec.warehouse.get("code")),
                id_scheme=IdScheme.BUYER,
                odoo_id=rec.warehouse["id"],
            )
        )
    return tuple(parties)


def _line(rec: OrderRecords, line: Row, line_no: str, currency: str) -> OrderLine:
    product_id = m2o_id(line.get("product_id"))
    product = rec.products.get(product_id or 0, {})
    return OrderLine(
        line_no=line_no,
        item=Item(
            buyer_item=text(product.get("default_code")),
            supplier_item=rec.vendor_codes.get(product_id or 0),
            gtin=text(product.get("barcode")),
            description=text(line.get("name")),
            odoo_product_id=product_id,
        ),
        quantity=Quantity(
            value=dec(line["product_qty"]),
            uom=uom_code(m2o_name(line.get(rec.dialect.line_uom)) or "Units"),
        ),
        unit_price=Money(amount=dec(line["price_unit"]), currency=currency),
        requested_date=day(line.get("date_planned")),
        odoo_line_id=line["id"],
    )


def vendor_codes(supplierinfo: Sequence[Row], products: Mapping[int, Row]) -> dict[int, str]:
    """Vendor product code per variant: a variant-specific entry beats a template-wide one."""
    codes: dict[int, str] = {}
    for product_id, product in products.items():
        template = m2o_id(product.get("product_tmpl_id"))
        own = [s for s in supplierinfo if m2o_id(s.get("product_id")) == product_id]
        shared = [
            s
            for s in supplierinfo
            if not s.get("product_id") and m2o_id(s.get("product_tmpl_id")) == template
        ]
        for info in (*own, *shared):  # already in Odoo's seller order (sequence, min_qty...)
            if code := text(info.get("product_code")):
                codes[product_id] = code
                break
    return codes
