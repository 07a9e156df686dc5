"""DespatchAdvice -> DESADV, for a plant or a partner that receives our ship notices.

The mirror of ``desadv`` (which decodes): a consignment level ``CPS+1`` without lines, then one
CPS per package (hierarchical id, parent id) with PAC, MEA gross weight, PCI+33E and GIN+BJ
for the SSCC, and the package's LIN groups. LIN 1082 numbers the despatch lines 1..n; the order
line is RFF+ON:<order>:<line> (RFF+LI when the item names no order). Lots are PIA ``NB``
(added to the PIA+1 of the buyer's and supplier's numbers, as the sample does), serial numbers
GIN+BN, the expiry date DTM+36. Only the first order number goes into the heading RFF+ON: the
others are named by the lines that belong to them.
"""

from __future__ import annotations

from procurelink.codecs.edifact.common import MessageContext, dtm
from procurelink.codecs.edifact.elements import format_decimal
from procurelink.codecs.edifact.items import (
    write_description,
    write_item_ids,
    write_quantity,
    write_unit,
)
from procurelink.codecs.edifact.parties import write_party
from procurelink.codecs.edifact.writer import OutSegment
from procurelink.domain.despatch import AsnItem, AsnPackage, Carrier, DespatchAdvice
from procurelink.domain.parties import Party, PartyRole
from procurelink.errors import InvalidDocument

_CONSIGNMENT = "1"
_SERIALS_PER_GIN = 5  # C208 repeats five times in D.96A and D.01B


def encode(m: MessageContext, asn: DespatchAdvice) -> list[OutSegment]:
    segments: list[OutSegment] = [("BGM", "351", asn.asn_number, "9"), dtm("11", asn.ship_date)]
    if asn.estimated_delivery:
        segments.append(dtm("17", asn.estimated_delivery))
    header_order = asn.order_numbers[0] if asn.order_numbers else None
    if header_order:
        segments.append(("RFF", ("ON", header_order)))
    if asn.bill_of_lading:
        segments.append(("RFF", ("BM", asn.bill_of_lading)))
    if asn.tracking_number:
        segments.append(("RFF", ("CN", asn.tracking_number)))
    segments += _party(asn.ship_from, PartyRole.SHIP_FROM)
    segments += _party(asn.ship_to, PartyRole.SHIP_TO)
    if asn.carrier is not None and asn.carrier != Carrier():
        carrier = asn.carrier
        segments.append(
            ("TDT", "20", "", "30", "", (carrier.code or "", "", "ZZZ", carrier.name or ""))
        )
    segments.append(("CPS", _CONSIGNMENT))
    ids = _hierarchy(asn.packages)
    line_no = 0
    for index, package in enumerate(asn.packages):
        segments += _package(m, package, ids[index], _parent(ids, asn.packages, package))
        for item in package.items:
            line_no += 1
            segments += _item(m, item, str(line_no), header_order)
    segments.append(("CNT", ("2", str(line_no))))
    return segments


def _party(party: Party | None, role: PartyRole) -> list[OutSegment]:
    # The canonical slot (ship_from / ship_to) says the role, whatever the party was read as.
    return write_party(party.model_copy(update={"role": role})) if party else []


def _hierarchy(packages: tuple[AsnPackage, ...]) -> list[str]:
    """CPS 7164 of each package: 2, 3 ... (1 is the consignment)."""
    return [str(index + 2) for index in range(len(packages))]


def _parent(ids: list[str], packages: tuple[AsnPackage, ...], package: AsnPackage) -> str:
    if package.parent_sscc is None:
        return _CONSIGNMENT
    for index, other in enumerate(packages):
        if other.sscc == package.parent_sscc and other is not package:
            return ids[index]
    raise InvalidDocument(
        "parent_sscc names no package of this despatch advice",
        sscc=package.sscc,
        parent_sscc=package.parent_sscc,
    )


def _package(m: MessageContext, package: AsnPackage, own: str, parent: str) -> list[OutSegment]:
    segments: list[OutSegment] = [("CPS", own, parent)]
    if package.package_type or package.gross_weight:
        segments.append(("PAC", "1", "", package.package_type or ""))
    if package.gross_weight is not None:
        weight = package.gross_weight
        unit = write_unit(m.units, weight, package.sscc or own)
        segments.append(("MEA", "AAE", "G", (unit, format_decimal(weight.value))))
    if package.sscc:
        segments += [("PCI", "33E"), ("GIN", "BJ", package.sscc)]
    return segments


def _item(m: MessageContext, item: AsnItem, line_no: str, header: str | None) -> list[OutSegment]:
    segments = write_item_ids(line_no, "", item.item)
    if item.lot:
        lot = (item.lot, "NB")
        last = segments[-1]
        if last[0] == "PIA" and last[1] == "1":
            segments[-1] = (*last, lot)
        else:
            segments.append(("PIA", "1", lot))
    segments += write_description(item.item, m.version)
    segments.append(write_quantity(m.units, "12", item.quantity, line_no))
    serials = list(item.serials)
    for start in range(0, len(serials), _SERIALS_PER_GIN):
        segments.append(("GIN", "BN", *serials[start : start + _SERIALS_PER_GIN]))
    if item.expiry_date:
        segments.append(dtm("36", item.expiry_date))
    order = item.order_number or header
    if order:
        line = (item.order_line_no,) if item.order_line_no else ()
        segments.append(("RFF", ("ON", order, *line)))
    elif item.order_line_no:
        segments.append(("RFF", ("LI", item.order_line_no)))
    return segments
