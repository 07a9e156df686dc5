"""Parties (supplier, buyer, plant / ship-to, carrier) and items."""

from __future__ import annotations

from enum import StrEnum

from procurelink.domain.values import Frozen


class PartyRole(StrEnum):
    BUYER = "buyer"
    SUPPLIER = "supplier"
    SHIP_TO = "ship_to"
    SHIP_FROM = "ship_from"
    BILL_TO = "bill_to"
    CARRIER = "carrier"


class IdScheme(StrEnum):
    """Who issued a party identifier (edi.md section 5.7)."""

    GLN = "gln"
    DUNS = "duns"
    BUYER = "buyer"
    SELLER = "seller"
    MUTUAL = "mutual"
    ODOO = "odoo"


class Address(Frozen):
    street: str | None = None
    city: str | None = None
    postcode: str | None = None
    region: str | None = None
    country: str | None = None


class Contact(Frozen):
    name: str | None = None
    phone: str | None = None
    email: str | None = None


class Party(Frozen):
    role: PartyRole
    name: str | None = None
    id: str | None = None
    id_scheme: IdScheme | None = None
    odoo_id: int | None = None
    address: Address | None = None
    vat_id: str | None = None
    contact: Contact | None = None


class Item(Frozen):
    """An article as both sides know it."""

    buyer_item: str | None = None
    supplier_item: str | None = None
    gtin: str | None = None
    description: str | None = None
    odoo_product_id: int | None = None
