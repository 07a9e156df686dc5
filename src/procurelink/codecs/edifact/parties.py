"""NAD groups (NAD, RFF, CTA, COM) <-> Party and Contact (edi.md sections 4.1 and 5.1)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from pydantic import ValidationError

from procurelink.codecs.edifact.elements import optional, split_text
from procurelink.codecs.edifact.memo import ABSENT, Memo, remember, text_key
from procurelink.codecs.edifact.reader import PartyData
from procurelink.codecs.edifact.writer import OutSegment
from procurelink.domain.parties import Address, Contact, IdScheme, Party, PartyRole

# NAD 3035 -> role. Several codes fold into one role (the invoice issuer is the supplier).
READ_ROLES = {
    "BY": PartyRole.BUYER,
    "SU": PartyRole.SUPPLIER,
    "SE": PartyRole.SUPPLIER,
    "II": PartyRole.SUPPLIER,
    "DP": PartyRole.SHIP_TO,
    "ST": PartyRole.SHIP_TO,
    "IV": PartyRole.BILL_TO,
    "SF": PartyRole.SHIP_FROM,
    "CZ": PartyRole.SHIP_FROM,
    "CA": PartyRole.CARRIER,
}
WRITE_ROLES = {
    PartyRole.BUYER: "BY",
    PartyRole.SUPPLIER: "SU",
    PartyRole.SHIP_TO: "DP",
    PartyRole.BILL_TO: "IV",
    PartyRole.SHIP_FROM: "SF",
    PartyRole.CARRIER: "CA",
}
_READ_SCHEMES = {
    "9": IdScheme.GLN,
    "16": IdScheme.DUNS,
    "92": IdScheme.BUYER,
    "91": IdScheme.SELLER,
}
_WRITE_SCHEMES = {
    IdScheme.GLN: "9",
    IdScheme.DUNS: "16",
    IdScheme.BUYER: "92",
    IdScheme.SELLER: "91",
    IdScheme.MUTUAL: "ZZZ",
    # Odoo ids are assigned by the buyer: the partner sees them as buyer-assigned codes.
    IdScheme.ODOO: "92",
}
NAME_WIDTH = 35  # 3036, 3042: an..35 in both directories


def party_fields(data: PartyData, with_contact: bool = True) -> dict[str, Any] | None:
    """The fields of the ``Party`` of a NAD group, for a document validated as a whole (one
    validation per document rather than three models per party); None for a role the
    canonical model does not have."""
    nad = data.nad
    role = READ_ROLES.get(nad.get(1))
    if role is None:
        return None
    ids = [*nad.components(2), "", "", ""]  # C082: id, code list, agency
    party_id = ids[0] or None
    street, city = _join(nad.components(5)), optional(nad, 6)
    # D.01B makes 3229 the first component of C819; reading component 1 covers both.
    region, postcode, country = optional(nad, 7), optional(nad, 8), optional(nad, 9)
    address = None
    if street or city or region or postcode or country:
        address = {
            "street": street,
            "city": city,
            "region": region,
            "postcode": postcode,
            "country": country,
        }
    return {
        "role": role,
        "name": _join(nad.components(4)) or _join(nad.components(3)),
        "id": party_id,
        "id_scheme": _READ_SCHEMES.get(ids[2], IdScheme.MUTUAL) if party_id else None,
        "address": address,
        "vat_id": data.refs.get("VA"),
        "contact": contact_fields(data) if with_contact else None,
    }


def shared_party(
    memo: Memo, data: PartyData, with_contact: bool = True
) -> Party | dict[str, Any] | None:
    """``party_fields`` as one ``Party`` for every NAD group of the same text in this decode
    (the plain fields when they do not make a valid Party: the document reports them)."""
    comms = data.comms
    key = (
        text_key(data.nad),
        with_contact,
        data.refs.get("VA"),
        data.contact_name,
        comms.get("TE"),
        comms.get("EM"),
    )
    table = memo.parties
    found = table.get(key, ABSENT)
    if found is not ABSENT:
        return cast("Party | None", found)
    fields = party_fields(data, with_contact)
    if fields is None:
        return remember(table, key, None)
    try:
        party = Party.model_validate(fields)
    except ValidationError:
        return fields
    return remember(table, key, party)


def shared_contact(memo: Memo, data: PartyData) -> Contact | None:
    """``contact_fields`` as one ``Contact`` for every equal contact in this decode."""
    comms = data.comms
    key = (data.contact_name, comms.get("TE"), comms.get("EM"))
    table = memo.contacts
    found = table.get(key, ABSENT)
    if found is not ABSENT:
        return cast("Contact | None", found)
    fields = contact_fields(data)
    # Three optional strings: always a valid Contact.
    return remember(table, key, None if fields is None else Contact.model_validate(fields))


def read_party(data: PartyData, with_contact: bool = True) -> Party | None:
    """The party of a NAD group, or None for a role the canonical model does not have."""
    fields = party_fields(data, with_contact)
    return None if fields is None else Party.model_validate(fields)


def contact_fields(data: PartyData) -> dict[str, str | None] | None:
    name, phone, email = data.contact_name, data.comms.get("TE"), data.comms.get("EM")
    if name is None and phone is None and email is None:
        return None
    return {"name": name, "phone": phone, "email": email}


def write_party(
    party: Party,
    refs: Iterable[tuple[str, str]] = (),
    contact: Contact | None = None,
) -> list[OutSegment]:
    """NAD with its RFFs (VAT id first) and CTA/COM."""
    scheme = _WRITE_SCHEMES.get(party.id_scheme, "ZZZ") if party.id_scheme else "ZZZ"
    ids: tuple[str, ...] = (party.id, "", scheme) if party.id else ()
    address = party.address or Address()
    nad: OutSegment = (
        "NAD",
        WRITE_ROLES[party.role],
        ids,
        "",
        _pieces(party.name),
        _pieces(address.street),
        address.city or "",
        address.region or "",
        address.postcode or "",
        address.country or "",
    )
    segments: list[OutSegment] = [nad]
    if party.vat_id:
        segments.append(("RFF", ("VA", party.vat_id)))
    segments += [("RFF", (qualifier, value)) for qualifier, value in refs]
    contact = contact or party.contact
    if contact is not None:
        segments += write_contact(contact)
    return segments


def write_contact(contact: Contact) -> list[OutSegment]:
    segments: list[OutSegment] = [("CTA", "PD", ("", contact.name or ""))]
    if contact.email:
        segments.append(("COM", (contact.email, "EM")))
    if contact.phone:
        segments.append(("COM", (contact.phone, "TE")))
    return segments


def _pieces(text: str | None) -> tuple[str, ...]:
    return tuple(split_text(text, NAME_WIDTH)) if text else ()


def _join(parts: list[str]) -> str | None:
    return " ".join(p for p in parts if p) or None
