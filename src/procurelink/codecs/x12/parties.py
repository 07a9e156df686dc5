"""The N1 loop (N1/N2/N3/N4/REF/PER) <-> Party, and PER <-> Contact."""

from __future__ import annotations

from typing import Any

from procurelink.codecs.x12.elements import optional
from procurelink.codecs.x12.syntax import Segment
from procurelink.domain.parties import Contact, IdScheme, Party, PartyRole

# N101 entity codes; several read codes fold into one role (VN/SE are the supplier too).
_READ_ROLES = {
    "BY": PartyRole.BUYER,
    "ST": PartyRole.SHIP_TO,
    "BT": PartyRole.BILL_TO,
    "SU": PartyRole.SUPPLIER,
    "VN": PartyRole.SUPPLIER,
    "SE": PartyRole.SUPPLIER,
    "SF": PartyRole.SHIP_FROM,
    "CA": PartyRole.CARRIER,
}
# Written in this order whatever the document's order, so output is stable (and matches the
# sample: buyer, ship-to, supplier).
WRITE_ROLES: tuple[tuple[PartyRole, str], ...] = (
    (PartyRole.BUYER, "BY"),
    (PartyRole.SHIP_TO, "ST"),
    (PartyRole.BILL_TO, "BT"),
    (PartyRole.SUPPLIER, "SU"),
    (PartyRole.SHIP_FROM, "SF"),
    (PartyRole.CARRIER, "CA"),
)
_READ_SCHEMES = {
    "UL": IdScheme.GLN,
    "1": IdScheme.DUNS,
    "9": IdScheme.DUNS,
    "16": IdScheme.DUNS,
    "92": IdScheme.BUYER,
    "91": IdScheme.SELLER,
    "ZZ": IdScheme.MUTUAL,
}
_WRITE_SCHEMES = {
    IdScheme.GLN: "UL",
    IdScheme.DUNS: "1",
    IdScheme.BUYER: "92",
    IdScheme.SELLER: "91",
    IdScheme.MUTUAL: "ZZ",
    # Odoo ids are assigned by the buyer: the partner sees them as buyer-assigned codes.
    IdScheme.ODOO: "92",
}
_LOOP_TAGS = ("N2", "N3", "N4", "REF", "PER")


def read_n1_loop(segments: tuple[Segment, ...], i: int) -> tuple[Party | None, int]:
    """The party of the N1 at ``i`` (None for roles we do not map) and the next index."""
    fields, i = n1_fields(segments, i)
    return (None if fields is None else Party(**fields)), i


def n1_fields(segments: tuple[Segment, ...], i: int) -> tuple[dict[str, Any] | None, int]:
    """``read_n1_loop`` as the fields of a Party, for a document validated as a whole."""
    n1 = segments[i]
    names = [n1.get(2)]
    street: list[str] = []
    city = region = postcode = country = vat_id = None
    contact: dict[str, Any] | None = None
    i += 1
    while i < len(segments) and segments[i].tag in _LOOP_TAGS:
        segment = segments[i]
        if segment.tag == "N2":
            names += [segment.get(1), segment.get(2)]
        elif segment.tag == "N3":
            street += [segment.get(1), segment.get(2)]
        elif segment.tag == "N4":
            city, region = optional(segment, 1), optional(segment, 2)
            postcode, country = optional(segment, 3), optional(segment, 4)
        elif segment.tag == "REF" and segment.get(1) == "VX":
            vat_id = optional(segment, 2)
        elif segment.tag == "PER" and contact is None:
            contact = contact_fields(segment)
        i += 1
    role = _READ_ROLES.get(n1.get(1))
    if role is None:
        return None, i
    joined_street = _join(street)
    address = None
    # Only when something was read: an empty address is no address.
    if joined_street or city or postcode or region or country:
        address = {
            "street": joined_street,
            "city": city,
            "postcode": postcode,
            "region": region,
            "country": country,
        }
    party_id = optional(n1, 4)
    return {
        "role": role,
        "name": _join(names),
        "id": party_id,
        "id_scheme": _READ_SCHEMES.get(n1.get(3), IdScheme.MUTUAL) if party_id else None,
        "address": address,
        "vat_id": vat_id,
        "contact": contact,
    }, i


def write_n1_loops(parties: tuple[Party, ...]) -> list[tuple[str, ...]]:
    segments: list[tuple[str, ...]] = []
    for role, code in WRITE_ROLES:
        for party in (p for p in parties if p.role == role):
            segments += _write_party(party, code)
    return segments


def _write_party(party: Party, code: str) -> list[tuple[str, ...]]:
    scheme = _WRITE_SCHEMES.get(party.id_scheme, "ZZ") if party.id_scheme else "ZZ"
    ids = (scheme, party.id) if party.id else ()
    segments: list[tuple[str, ...]] = [("N1", code, party.name or "", *ids)]
    address = party.address
    if address and address.street:
        segments.append(("N3", address.street))
    if address and (address.city or address.region or address.postcode or address.country):
        segments.append(
            (
                "N4",
                address.city or "",
                address.region or "",
                address.postcode or "",
                address.country or "",
            )
        )
    if party.vat_id:
        segments.append(("REF", "VX", party.vat_id))
    if party.contact:
        segments.append(write_contact("IC", party.contact))
    return segments


def read_contact(per: Segment) -> Contact:
    return Contact(**contact_fields(per))


def contact_fields(per: Segment) -> dict[str, Any]:
    phone = email = None
    for index in (3, 5, 7):
        qualifier, value = per.get(index), optional(per, index + 1)
        if qualifier == "TE" and phone is None:
            phone = value
        elif qualifier == "EM" and email is None:
            email = value
    return {"name": optional(per, 2), "phone": phone, "email": email}


def write_contact(function: str, contact: Contact) -> tuple[str, ...]:
    comms: list[str] = []
    if contact.phone:
        comms += ["TE", contact.phone]
    if contact.email:
        comms += ["EM", contact.email]
    return ("PER", function, contact.name or "", *comms)


def _join(parts: list[str]) -> str | None:
    return " ".join(p for p in parts if p) or None
