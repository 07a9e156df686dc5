"""ORDERS <-> PurchaseOrder and ORDCHG <-> OrderChange (edi.md sections 4.2, 4.4 and 5.1).

ORDCHG carries the order number in RFF+ON and the change sequence as the change document's
number in BGM 1004 (its trailing digits: ``3``, ``PO00042-3`` and ``CHG/3`` all read as 3);
partners that put the order number into BGM and send no RFF+ON get change sequence 1.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from procurelink.codecs.edifact.common import (
    MessageContext,
    check_line_count,
    currency,
    document_number,
    dtm,
    header_date,
    moa,
    payment_terms,
    required_date,
    shared_date,
    write_payment_terms,
)
from procurelink.codecs.edifact.elements import (
    decimal_of,
    dtm_date,
    optional,
    required,
    required_decimal,
)
from procurelink.codecs.edifact.items import (
    DEFAULT_PRICE_BASIS,
    read_item,
    read_price,
    read_quantity,
    shared_price,
    shared_quantity,
    write_description,
    write_item_ids,
    write_price,
    write_quantity,
)
from procurelink.codecs.edifact.memo import LIMIT
from procurelink.codecs.edifact.parties import (
    READ_ROLES,
    shared_contact,
    shared_party,
    write_party,
)
from procurelink.codecs.edifact.problems import MISSING
from procurelink.codecs.edifact.reader import LineData, MessageData
from procurelink.codecs.edifact.writer import OutSegment
from procurelink.domain.order import (
    ChangeAction,
    OrderChange,
    OrderChangeLine,
    OrderLine,
    OrderPurpose,
    PurchaseOrder,
)
from procurelink.domain.parties import Contact, Party, PartyRole
from procurelink.domain.values import Money, Quantity
from procurelink.errors import InvalidDocument

# BGM 1225; confirmations, duplicates and copies restate an original.
PURPOSES = {
    "9": OrderPurpose.ORIGINAL,
    "6": OrderPurpose.ORIGINAL,
    "7": OrderPurpose.ORIGINAL,
    "31": OrderPurpose.ORIGINAL,
    "1": OrderPurpose.CANCEL,
    "4": OrderPurpose.CHANGE,
    "5": OrderPurpose.REPLACE,
}
WRITE_PURPOSES = {
    OrderPurpose.ORIGINAL: "9",
    OrderPurpose.CANCEL: "1",
    OrderPurpose.CHANGE: "4",
    OrderPurpose.REPLACE: "5",
}
# LIN 1229 of a change. The finer canonical actions (quantity decrease, reschedule ...) are
# all "changed" in EDIFACT: the new values in the LIN group say what changed.
_READ_ACTIONS = {"1": ChangeAction.ADD, "2": ChangeAction.DELETE, "3": ChangeAction.CHANGE}
_WRITE_ACTIONS = {ChangeAction.ADD: "1", ChangeAction.DELETE: "2"}
_TRAILING_DIGITS = re.compile(r"(\d+)$")
_PARTY_ORDER = (
    PartyRole.BUYER,
    PartyRole.SUPPLIER,
    PartyRole.SHIP_TO,
    PartyRole.BILL_TO,
    PartyRole.SHIP_FROM,
    PartyRole.CARRIER,
)


def read_parties(
    m: MessageContext, data: MessageData
) -> tuple[list[Party | dict[str, Any]], Contact | None, str | None]:
    """The parties (shared within the decode, see ``memo``); the buyer's CTA/COM is the
    order's contact; RFF+IA in the supplier's group."""
    parties: list[Party | dict[str, Any]] = []
    contact = None
    vendor_code = None
    memo = m.memo
    for group in data.parties:
        role = group.nad.get(1)
        party = shared_party(memo, group, with_contact=role != "BY")
        if party is None:
            continue
        parties.append(party)
        if READ_ROLES[role] == PartyRole.BUYER:
            contact = shared_contact(memo, group)
        vendor_code = vendor_code or group.refs.get("IA")
    return parties, contact, vendor_code


def _purpose(m: MessageContext, data: MessageData, default: str) -> OrderPurpose:
    assert data.bgm is not None
    code = data.bgm.get(3) or default
    purpose = PURPOSES.get(code)
    if purpose is None:
        raise m.place.error("BGM message function not supported", data.bgm, 3, found=code[:10])
    return purpose


def decode_order(m: MessageContext, data: MessageData) -> PurchaseOrder:
    number = document_number(m, data)
    check_line_count(m, data)
    parties, contact, vendor_code = read_parties(m, data)
    order_currency = currency(m, data)
    if order_currency is None:
        raise m.place.error("ORDERS without CUX and no default currency", syntax_error=MISSING)
    refs = data.refs
    # One validation of the whole order, its lines as plain fields, rather than four models
    # per line built one by one.
    return PurchaseOrder.model_validate(
        {
            **m.ids,
            "order_number": number,
            "purpose": _purpose(m, data, "9"),
            "order_date": required_date(m, data, "137", "4"),
            "currency": order_currency,
            "parties": parties,
            "contact": contact,
            "contract_ref": refs["CT"].value if "CT" in refs else None,
            "vendor_code_at_buyer": vendor_code or (refs["IA"].value if "IA" in refs else None),
            "vendor_ref": refs["VN"].value if "VN" in refs else None,
            "requested_date": header_date(m, data, "2"),
            "payment_terms": payment_terms(m, data),
            "incoterms": optional(data.tod, 3, 1) if data.tod else None,
            "lines": _order_lines(m, data.lines, order_currency),
            "total_amount": data.totals.get("79", data.totals.get("86")),
        }
    )


def _order_lines(
    m: MessageContext, lines: list[LineData], order_currency: str
) -> list[dict[str, Any]]:
    """The fields of each line's ``OrderLine``, validated with the whole order; its
    quantity, price and date shared with equal ones of this decode (see ``memo``).

    The common case is written out: a giant order has thousands of lines, and the calls per
    line (memo keys, lookups, splits) were a third of mapping it. Whatever is not the
    common case (a quantity or price seen once already but not yet shared, a release
    character, a missing or malformed value) takes ``shared_quantity``, ``shared_price``,
    ``required`` and ``shared_date``, so values, memo and errors stay theirs."""
    memo = m.memo
    place = m.place
    quantities = memo.quantities
    prices = memo.prices
    dates = memo.dates
    out: list[dict[str, Any]] = []
    append = out.append
    for line in lines:
        # The quantity: a shared Quantity (``shared_quantity``'s key), else that function.
        quantity: Quantity | dict[str, Any] | None = None
        segment = line.quantities.get("21")
        if segment is not None:
            service = segment.service
            key = (segment.escaped, service.component, service.release, *segment.elements)
            found = quantities.get((key, None))
            if isinstance(found, Quantity):
                quantity = found
        if quantity is None:
            quantity = shared_quantity(memo, place, line, "21")
            if quantity is None:
                raise place.error("order line without QTY+21", line.lin, syntax_error=MISSING)
        # The unit price: a PRI+AAA seen for the first time read here (``_price``, kept
        # as plain fields by ``remember``), a shared one taken; else ``shared_price``.
        price: tuple[Money | dict[str, Any], Decimal] | None = None
        segment = line.prices.get("AAA")
        if segment is not None and not segment.escaped:
            service = segment.service
            elements = segment.elements
            price_key = (
                (False, service.component, service.release, *elements),
                order_currency,
            )
            seen = prices.get(price_key)
            if seen is None:
                # ``_price``: C509 qualifier (AAA), price, type, type qualifier, basis.
                parts = [*elements[0].split(service.component), "", "", "", ""]
                value = parts[1]
                head, mark, tail = value.partition(".")
                if value.isdecimal() or (mark and head.isdecimal() and tail.isdecimal()):
                    amount = Decimal(value)  # what ``decimal_of`` makes of it
                else:
                    amount = required_decimal(place, segment, 1, 2, value)
                basis = (
                    (decimal_of(place, segment, parts[4], 1, 5) or DEFAULT_PRICE_BASIS)
                    if parts[4]
                    else DEFAULT_PRICE_BASIS
                )
                if len(prices) >= LIMIT:  # ``remember``
                    prices.clear()
                price = prices[price_key] = (
                    {"amount": amount, "currency": order_currency},
                    basis,
                )
            elif isinstance(seen[0], Money):
                price = seen
        if price is None:
            price = shared_price(memo, place, line, order_currency, "AAA", "AAB")
        lin = line.lin
        elements = lin.elements
        line_no = (
            elements[0].partition(lin.service.component)[0] if elements and not lin.escaped else ""
        )
        if not line_no:
            line_no = required(place, lin, 1)
        ids = line.ids
        requested: date | None = None
        segment = line.dates.get("2")
        if segment is not None:
            service = segment.service
            requested = dates.get(
                (segment.escaped, service.component, service.release, *segment.elements)
            )
            if requested is None:
                requested = shared_date(memo, place, segment)
        append(
            {
                "line_no": line_no,
                "item": {  # ``item_fields``: an id's value is never empty
                    "buyer_item": ids.get("BP") or ids.get("IN"),
                    "supplier_item": ids.get("SA") or ids.get("VN") or ids.get("VP"),
                    "gtin": ids.get("EN") or ids.get("SRV") or ids.get("UP"),
                    "description": " ".join(line.description) or None,
                },
                "quantity": quantity,
                "unit_price": price[0] if price else None,
                "price_basis_qty": price[1] if price else DEFAULT_PRICE_BASIS,
                "requested_date": requested,
            }
        )
    return out


def decode_change(m: MessageContext, data: MessageData) -> OrderChange:
    number = document_number(m, data)
    check_line_count(m, data)
    on = data.refs.get("ON")
    parties, _, _ = read_parties(m, data)
    return OrderChange(
        **m.ids,
        order_number=on.value if on and on.value else number,
        change_seq=_change_seq(number) if on else 1,
        order_date=on.date if on else None,
        change_date=required_date(m, data, "137"),
        purpose=_purpose(m, data, "4"),
        parties=parties,
        currency=currency(m, data),
        lines=tuple(_change_line(m, line, currency(m, data)) for line in data.lines),
    )


def _change_seq(number: str) -> int:
    match = _TRAILING_DIGITS.search(number)
    return max(int(match.group(1)), 1) if match else 1


def _change_line(m: MessageContext, line: LineData, order_currency: str | None) -> OrderChangeLine:
    price = read_price(m.place, line, "AAA", "AAB")
    if price is not None and order_currency is None:
        raise m.place.error("ORDCHG line price without CUX", line.lin, syntax_error=MISSING)
    requested = line.dates.get("2")
    item = read_item(line)
    return OrderChangeLine(
        line_no=required(m.place, line.lin, 1),
        action=_READ_ACTIONS.get(line.lin.get(2), ChangeAction.CHANGE),
        item=item if item.model_dump(exclude_none=True) else None,
        quantity=read_quantity(m.place, m.units, line, "21"),
        unit_price=Money(amount=price[0], currency=order_currency)
        if price and order_currency
        else None,
        requested_date=dtm_date(m.place, requested) if requested else None,
    )


def encode_order(m: MessageContext, order: PurchaseOrder) -> list[OutSegment]:
    segments: list[OutSegment] = [
        ("BGM", "220", order.order_number, WRITE_PURPOSES[order.purpose]),
        dtm("137", order.order_date),
    ]
    if order.requested_date:
        segments.append(dtm("2", order.requested_date))
    for qualifier, value in (("CT", order.contract_ref), ("VN", order.vendor_ref)):
        if value:
            segments.append(("RFF", (qualifier, value)))
    segments += _parties(order.parties, order.contact, order.vendor_code_at_buyer)
    segments.append(("CUX", ("2", order.currency, "9")))
    if order.payment_terms:
        segments.append(write_payment_terms(order.payment_terms))
    if order.incoterms:
        segments.append(("TOD", "6", "", order.incoterms))
    for line in order.lines:
        segments += _encode_line(m, line, order.currency)
    segments.append(("UNS", "S"))
    if order.total_amount is not None:
        segments.append(moa("79", order.total_amount))
    segments.append(("CNT", ("2", str(len(order.lines)))))
    return segments


def _parties(
    parties: tuple[Party, ...], contact: Contact | None, vendor_code: str | None
) -> list[OutSegment]:
    segments: list[OutSegment] = []
    has_supplier = any(p.role == PartyRole.SUPPLIER for p in parties)
    if vendor_code and not has_supplier:
        segments.append(("RFF", ("IA", vendor_code)))
    for role in _PARTY_ORDER:
        for party in (p for p in parties if p.role == role):
            if role == PartyRole.BUYER:
                segments += write_party(party.model_copy(update={"contact": None}), (), contact)
            elif role == PartyRole.SUPPLIER and vendor_code:
                segments += write_party(party, [("IA", vendor_code)])
                vendor_code = None
            else:
                segments += write_party(party)
    return segments


def _encode_line(m: MessageContext, line: OrderLine, order_currency: str) -> list[OutSegment]:
    price = line.unit_price
    if price is not None and price.currency != order_currency:
        raise InvalidDocument(
            "line price currency differs from the order currency",
            line_no=line.line_no,
            expected=order_currency,
            found=price.currency,
        )
    segments = write_item_ids(line.line_no, "", line.item)
    segments += write_description(line.item, m.version)
    segments.append(write_quantity(m.units, "21", line.quantity, line.line_no))
    if line.requested_date:
        segments.append(dtm("2", line.requested_date))
    if price is not None:
        segments.append(
            write_price(price.amount, line.price_basis_qty, line.quantity, m.units, line.line_no)
        )
    return segments


def encode_change(m: MessageContext, change: OrderChange) -> list[OutSegment]:
    segments: list[OutSegment] = [
        ("BGM", "230", str(change.change_seq), WRITE_PURPOSES[change.purpose]),
        dtm("137", change.change_date),
        ("RFF", ("ON", change.order_number)),
    ]
    if change.order_date:
        segments.append(dtm("171", change.order_date))
    segments += _parties(change.parties, None, None)
    if change.currency:
        segments.append(("CUX", ("2", change.currency, "9")))
    for line in change.lines:
        segments += write_item_ids(line.line_no, _WRITE_ACTIONS.get(line.action, "3"), line.item)
        segments += write_description(line.item, m.version)
        if line.quantity:
            segments.append(write_quantity(m.units, "21", line.quantity, line.line_no))
        if line.requested_date:
            segments.append(dtm("2", line.requested_date))
        if line.unit_price:
            basis = Decimal(1)
            segments.append(
                write_price(line.unit_price.amount, basis, line.quantity, m.units, line.line_no)
            )
    segments += [("UNS", "S"), ("CNT", ("2", str(len(change.lines))))]
    return segments
