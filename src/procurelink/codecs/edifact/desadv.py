"""DESADV -> DespatchAdvice (edi.md sections 4.5 and 5.3).

The packing tree comes from CPS 7164/7166 (hierarchical id, parent id), not from the order of
the groups. A CPS level without an SSCC and without lines (conventionally ``CPS+1``, the whole
consignment) is not a package of its own. LIN 1082 is the despatch advice's own line number:
the order line is RFF+ON 1156 (or RFF+LI), never LIN 1082 (edi.md pitfall 8).
Ship-from is NAD+SF or NAD+CZ; NAD+SU names the supplier, not necessarily the place goods
leave from, so it is not taken as ship-from.
"""

from __future__ import annotations

from procurelink.codecs.edifact.common import (
    MessageContext,
    check_line_count,
    document_number,
    header_date,
)
from procurelink.codecs.edifact.elements import dtm_date, optional
from procurelink.codecs.edifact.items import read_item, read_quantity
from procurelink.codecs.edifact.parties import read_party
from procurelink.codecs.edifact.problems import MISSING, Place
from procurelink.codecs.edifact.reader import LineData, MessageData, PackageData
from procurelink.codecs.edifact.syntax import Segment
from procurelink.domain.despatch import AsnItem, AsnPackage, Carrier, DespatchAdvice
from procurelink.domain.parties import Party

_SHIP_FROM = ("SF", "CZ")
_SHIP_TO = ("DP", "ST")


def decode(m: MessageContext, data: MessageData) -> DespatchAdvice:
    number = document_number(m, data)
    check_line_count(m, data)
    ship_date = header_date(m, data, "11", "137")
    if ship_date is None:
        raise m.place.error("DESADV without despatch date (DTM+11)", syntax_error=MISSING)
    header_order = data.refs["ON"].value if "ON" in data.refs else None
    packages = _packages(m, data, header_order)
    order_numbers = [header_order] if header_order else []
    for package in packages:
        for item in package.items:
            if item.order_number and item.order_number not in order_numbers:
                order_numbers.append(item.order_number)
    refs = data.refs
    return DespatchAdvice(
        **m.ids,
        asn_number=number,
        ship_date=ship_date,
        estimated_delivery=header_date(m, data, "17"),
        order_numbers=tuple(order_numbers),
        carrier=_carrier(data.tdt),
        tracking_number=refs["CN"].value if "CN" in refs else None,
        bill_of_lading=refs["BM"].value if "BM" in refs else None,
        ship_from=_party(data, _SHIP_FROM),
        ship_to=_party(data, _SHIP_TO),
        packages=tuple(packages),
    )


def _party(data: MessageData, codes: tuple[str, ...]) -> Party | None:
    for code in codes:
        group = next((p for p in data.parties if p.nad.get(1) == code), None)
        if group is not None:
            return read_party(group)
    return None


def _carrier(tdt: Segment | None) -> Carrier | None:
    if tdt is None:
        return None
    carrier = Carrier(code=optional(tdt, 5, 1), name=optional(tdt, 5, 4))
    return carrier if carrier != Carrier() else None


def _packages(m: MessageContext, data: MessageData, header_order: str | None) -> list[AsnPackage]:
    ssccs = {p.cps.get(1): _sscc(m.place, p) for p in data.packages}
    packages: list[AsnPackage] = []
    for package in data.packages:
        sscc = ssccs[package.cps.get(1)]
        items = tuple(_item(m, line, header_order) for line in package.lines)
        if sscc is None and not items:
            continue
        packages.append(
            AsnPackage(
                sscc=sscc,
                package_type=optional(package.pac, 3, 1) if package.pac else None,
                parent_sscc=ssccs.get(package.cps.get(2)),
                items=items,
            )
        )
    loose = [line for line in data.lines if not any(line in p.lines for p in data.packages)]
    if loose:
        packages.append(AsnPackage(items=tuple(_item(m, ln, header_order) for ln in loose)))
    return packages


def _sscc(place: Place, package: PackageData) -> str | None:
    for gin in package.gins:
        if gin.get(1) == "BJ" and gin.get(2, 1):
            return normalise_sscc(place, gin, gin.get(2, 1))
    return None


def normalise_sscc(place: Place, segment: Segment, value: str) -> str:
    """18 digits with a valid GS1 check digit; a leading ``00`` AI is stripped (edi.md 5.7)."""
    if len(value) == 20 and value.startswith("00"):
        value = value[2:]
    # isascii: str.isdigit() accepts superscripts such as "²", which int() refuses.
    if (
        len(value) != 18
        or not (value.isascii() and value.isdigit())
        or not gs1_check_digit_ok(value)
    ):
        raise place.error("SSCC is not 18 digits with a valid check digit", segment, 2, 1)
    return value


def gs1_check_digit_ok(digits: str) -> bool:
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def _item(m: MessageContext, line: LineData, header_order: str | None) -> AsnItem:
    quantity = read_quantity(m.place, m.units, line, "12")
    if quantity is None:
        raise m.place.error("DESADV line without QTY+12", line.lin, syntax_error=MISSING)
    order_ref = line.refs.get("ON")
    order_line = order_ref.line if order_ref else None
    if order_line is None and "LI" in line.refs:
        order_line = line.refs["LI"].value
    serials: list[str] = []
    lot = line.first_id("NB")
    for gin in line.gins:
        for element in range(2, len(gin.elements) + 1):
            first, last = gin.get(element, 1), gin.get(element, 2)
            if gin.get(1) == "BX" and first and lot is None:
                lot = first
            elif gin.get(1) == "BN" and first:
                serials.append(f"{first}-{last}" if last else first)
    expiry = line.dates.get("36")
    return AsnItem(
        order_number=(order_ref.value if order_ref else None) or header_order,
        order_line_no=order_line,
        item=read_item(line),
        quantity=quantity,
        lot=lot,
        serials=tuple(serials),
        expiry_date=dtm_date(m.place, expiry) if expiry else None,
    )
