"""856 Ship Notice/Manifest -> DespatchAdvice (edi.md sections 2.5 and 5.3).

The HL loops are a tree given by HL02 parent pointers, not by their order (pitfall 9): the
set is first cut into nodes, then every tare (T) and pack (P) becomes a package whose parent
is its nearest T/P ancestor, and every item (I) goes into its nearest T/P ancestor with the
order number of its nearest order (O) ancestor. Items with no pack above them (structure
0004, shipment/order/item) are collected in one package without SSCC.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from procurelink.codecs.x12.context import ReadContext
from procurelink.codecs.x12.elements import (
    Place,
    date8,
    integer,
    optional,
    required,
    required_date,
    sscc,
)
from procurelink.codecs.x12.envelope import TransactionSet
from procurelink.codecs.x12.lines import product_ids, read_item, read_quantity
from procurelink.codecs.x12.parties import read_n1_loop
from procurelink.codecs.x12.syntax import Segment
from procurelink.codecs.x12.units import UnitMap
from procurelink.domain.despatch import AsnItem, AsnPackage, Carrier, DespatchAdvice
from procurelink.domain.parties import Item, Party, PartyRole
from procurelink.domain.values import Quantity
from procurelink.errors import InvalidDocument, MalformedMessage

_PACK_LEVELS = ("T", "P")


@dataclass
class _Node:
    hl: Segment
    id: str
    parent: str | None
    level: str
    segments: list[Segment] = field(default_factory=list)

    def first(self, tag: str, qualifier: str | None = None) -> Segment | None:
        return next(
            (
                s
                for s in self.segments
                if s.tag == tag and (qualifier is None or s.get(1) == qualifier)
            ),
            None,
        )


@dataclass
class _Tree:
    header: list[Segment] = field(default_factory=list)
    nodes: dict[str, _Node] = field(default_factory=dict)
    ctt: Segment | None = None


def decode(ts: TransactionSet, ctx: ReadContext) -> DespatchAdvice:
    place = ts.place
    tree = _cut(place, ts.body)
    bsn = next((s for s in tree.header if s.tag == "BSN"), None)
    if bsn is None:
        raise place.error(
            InvalidDocument, "856 without BSN", expected="BSN", rule="missing_segment"
        )
    _check_count(place, tree)
    shipment = [s for n in tree.nodes.values() if n.level == "S" for s in n.segments]
    heading = tree.header + shipment
    dates = {s.get(1): s for s in heading if s.tag == "DTM"}
    refs = {s.get(1): optional(s, 2) for s in reversed(heading) if s.tag == "REF"}
    ship = dates.get("011")
    eta = dates.get("017")
    parties = _parties(heading)
    return DespatchAdvice(
        **ctx.ids,
        asn_number=required(place, bsn, 2),
        ship_date=(date8(place, ship, 2) if ship else None) or required_date(place, bsn, 3),
        estimated_delivery=date8(place, eta, 2) if eta else None,
        order_numbers=_order_numbers(place, tree),
        carrier=_carrier(heading),
        tracking_number=refs.get("2I") or refs.get("CN"),
        bill_of_lading=refs.get("BM"),
        ship_from=parties.get(PartyRole.SHIP_FROM),
        ship_to=parties.get(PartyRole.SHIP_TO),
        packages=_packages(place, ctx.units, tree),
    )


def _cut(place: Place, body: tuple[Segment, ...]) -> _Tree:
    tree = _Tree()
    node: _Node | None = None
    for segment in body:
        if segment.tag == "HL":
            node = _node(place, segment, tree)
        elif segment.tag == "CTT":
            tree.ctt = segment
        elif node is None:
            tree.header.append(segment)
        else:
            node.segments.append(segment)
    for node in tree.nodes.values():
        if node.parent is not None and node.parent not in tree.nodes:
            raise place.error(
                InvalidDocument,
                "HL02 names no HL01 of this set",
                node.hl,
                2,
                found=node.parent,
                rule="invalid_code",
            )
    return tree


def _node(place: Place, hl: Segment, tree: _Tree) -> _Node:
    node = _Node(hl, required(place, hl, 1), optional(hl, 2), required(place, hl, 3))
    if node.id in tree.nodes:
        raise place.error(
            InvalidDocument, "HL01 repeats", hl, 1, found=node.id, rule="invalid_code"
        )
    tree.nodes[node.id] = node
    return node


def _check_count(place: Place, tree: _Tree) -> None:
    # CTT01 counts HL segments in most guides and item lines in some (edi.md 2.5).
    if tree.ctt is None:
        return
    items = sum(1 for n in tree.nodes.values() if n.level == "I")
    declared = integer(place, tree.ctt, 1)
    if declared not in (len(tree.nodes), items):
        raise place.error(
            MalformedMessage,
            "CTT01 matches neither the number of HL segments nor of items",
            tree.ctt,
            1,
            expected=len(tree.nodes),
            found=tree.ctt.get(1),
            rule="count_mismatch",
        )


def _ancestor(tree: _Tree, node: _Node, levels: tuple[str, ...]) -> _Node | None:
    seen = {node.id}
    parent = tree.nodes.get(node.parent) if node.parent else None
    while parent is not None and parent.id not in seen:
        if parent.level in levels:
            return parent
        seen.add(parent.id)
        parent = tree.nodes.get(parent.parent) if parent.parent else None
    return None


def _order_numbers(place: Place, tree: _Tree) -> tuple[str, ...]:
    numbers: list[str] = []
    for node in tree.nodes.values():
        prf = node.first("PRF") if node.level == "O" else None
        number = required(place, prf, 1) if prf else None
        if number and number not in numbers:
            numbers.append(number)
    return tuple(numbers)


def _carrier(heading: list[Segment]) -> Carrier | None:
    td5 = next((s for s in heading if s.tag == "TD5"), None)
    if td5 is None:
        return None
    carrier = Carrier(code=optional(td5, 3), name=optional(td5, 5))
    return carrier if carrier.model_dump(exclude_none=True) else None


def _parties(heading: list[Segment]) -> dict[PartyRole, Party]:
    segments = tuple(heading)
    parties: dict[PartyRole, Party] = {}
    i = 0
    while i < len(segments):
        if segments[i].tag != "N1":
            i += 1
            continue
        party, i = read_n1_loop(segments, i)
        if party is not None:
            parties.setdefault(party.role, party)
    return parties


def _packages(place: Place, units: UnitMap, tree: _Tree) -> tuple[AsnPackage, ...]:
    ssccs = {n.id: _sscc(place, n) for n in tree.nodes.values() if n.level in _PACK_LEVELS}
    contents: dict[str | None, list[AsnItem]] = {key: [] for key in ssccs}
    contents[None] = []
    for node in tree.nodes.values():
        if node.level == "I":
            pack = _ancestor(tree, node, _PACK_LEVELS)
            contents[pack.id if pack else None].append(_item(place, units, tree, node))
    packages = []
    for node in tree.nodes.values():
        if node.level not in _PACK_LEVELS:
            continue
        parent = _ancestor(tree, node, _PACK_LEVELS)
        td1 = node.first("TD1")
        packages.append(
            AsnPackage(
                sscc=ssccs[node.id],
                package_type=optional(td1, 1) if td1 else None,
                parent_sscc=ssccs[parent.id] if parent else None,
                gross_weight=_gross_weight(place, units, td1),
                items=tuple(contents[node.id]),
            )
        )
    if contents[None]:
        packages.append(AsnPackage(items=tuple(contents[None])))
    return tuple(packages)


def _sscc(place: Place, node: _Node) -> str | None:
    man = node.first("MAN", "GM")
    return sscc(place, man, 2) if man else None


def _gross_weight(place: Place, units: UnitMap, td1: Segment | None) -> Quantity | None:
    if td1 is None or td1.get(6) != "G":
        return None
    return read_quantity(place, units, td1, 7, 8)


def _item(place: Place, units: UnitMap, tree: _Tree, node: _Node) -> AsnItem:
    lin, sn1 = node.first("LIN"), node.first("SN1")
    if sn1 is None:
        raise place.error(
            InvalidDocument,
            "item level without SN1",
            node.hl,
            expected="SN1",
            rule="missing_segment",
        )
    required(place, sn1, 2)
    quantity = read_quantity(place, units, sn1, 2, 3)
    assert quantity is not None  # SN102 is required above
    pairs = product_ids(lin, 2) if lin else {}
    refs = {s.get(1): optional(s, 2) for s in reversed(node.segments) if s.tag == "REF"}
    order = _ancestor(tree, node, ("O",))
    prf = order.first("PRF") if order else None
    expiry = node.first("DTM", "036")
    description = [s.get(5) for s in node.segments if s.tag == "PID" and s.get(5)]
    item = read_item(lin, 2) if lin else Item()
    return AsnItem(
        order_number=optional(prf, 1) if prf else None,
        order_line_no=(optional(lin, 1) if lin else None) or optional(sn1, 1),
        item=item.model_copy(update={"description": " ".join(description) or None}),
        quantity=quantity,
        lot=pairs.get("LT") or refs.get("LT"),
        serials=_serials(lin, node),
        expiry_date=date8(place, expiry, 2) if expiry else None,
    )


def _serials(lin: Segment | None, node: _Node) -> tuple[str, ...]:
    serials: list[str] = []
    if lin is not None:
        for index in range(2, len(lin.elements), 2):
            if lin.get(index) == "SN" and lin.get(index + 1):
                serials.append(lin.get(index + 1))
    serials += [s.get(2) for s in node.segments if s.tag == "REF" and s.get(1) == "SE" and s.get(2)]
    return tuple(serials)
