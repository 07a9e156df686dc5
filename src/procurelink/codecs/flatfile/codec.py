"""FlatFileCodec: supplier spreadsheets in, order CSVs out."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date
from decimal import Decimal

from procurelink.codecs.flatfile.rows import Row, rows
from procurelink.codecs.flatfile.settings import FlatFileOptions, parse_options
from procurelink.codecs.flatfile.table import read_table
from procurelink.domain.despatch import AsnItem, AsnPackage, Carrier, DespatchAdvice
from procurelink.domain.document import Document
from procurelink.domain.order import PurchaseOrder
from procurelink.domain.parties import Item
from procurelink.domain.price_list import PriceList, PriceListLine
from procurelink.domain.response import LineStatus, OrderResponse, ResponseLine, ResponseStatus
from procurelink.domain.values import Money, Quantity
from procurelink.errors import InvalidDocument
from procurelink.ports.codec import DecodeContext, EncodeContext, Encoded

# Unit spellings seen in suppliers' spreadsheets; the profile's uom_map comes first.
UNIT_ALIASES = {
    "unit": "unit",
    "ea": "unit",
    "pce": "unit",
    "pc": "unit",
    "pcs": "unit",
    "stk": "unit",
    "st": "unit",
    "stück": "unit",
    "c62": "unit",
    "kg": "kg",
    "kgm": "kg",
    "g": "g",
    "t": "t",
    "m": "m",
    "mtr": "m",
    "l": "l",
    "ltr": "l",
    "dozen": "dozen",
    "dz": "dozen",
}


class FlatFileCodec:
    name = "csv"
    encodes = frozenset({"purchase_order"})
    decodes = frozenset({"order_response", "despatch_advice", "price_list"})

    def decode(self, data: bytes, ctx: DecodeContext) -> list[Document]:
        options = parse_options(dict(ctx.options))
        table = read_table(data, options.delimiter, options.encoding)
        all_rows = rows(table, options)
        if not all_rows:
            raise InvalidDocument("the file has a header but no data rows")
        readers = {
            "order_response": _responses,
            "despatch_advice": _despatches,
            "price_list": _price_list,
        }
        return readers[options.document](all_rows, options, ctx)

    def encode(self, document: Document, ctx: EncodeContext) -> Encoded:
        if not isinstance(document, PurchaseOrder):
            raise InvalidDocument(f"the CSV codec cannot render {document.document_type}")
        options = parse_options(dict(ctx.options))
        out = io.StringIO()
        writer = csv.writer(out, delimiter=options.delimiter, lineterminator="\r\n")
        fields = list(options.order_columns)
        writer.writerow([options.order_columns[f] for f in fields])
        for line in document.lines:
            values = _order_line_values(document, line.line_no, options)
            writer.writerow([values.get(f, "") for f in fields])
        return Encoded(
            out.getvalue().encode("utf-8-sig"), f"PO_{document.order_number}.csv", "text/csv"
        )


def _unit(row: Row, options: FlatFileOptions) -> str:
    raw = row.text("uom")
    if raw is None:
        return "unit"
    mapped = options.uom_map.get(raw) or UNIT_ALIASES.get(raw.lower())
    if mapped is None:
        raise row.error("uom", f"row {row.line}: unknown unit {raw!r} (add it to uom_map)")
    return mapped


def _responses(all_rows: list[Row], options: FlatFileOptions, ctx: DecodeContext) -> list[Document]:
    by_order: dict[str, list[Row]] = defaultdict(list)
    for row in all_rows:
        by_order[row.required("order_number")].append(row)
    docs: list[Document] = []
    for order_number, group in by_order.items():
        lines = tuple(_response_line(row, options) for row in group)
        statuses = {ln.status for ln in lines}
        overall = (
            ResponseStatus.REJECTED
            if statuses == {LineStatus.REJECTED}
            else ResponseStatus.ACCEPTED
            if statuses == {LineStatus.ACCEPTED}
            else ResponseStatus.ACCEPTED_WITH_CHANGES
        )
        first = group[0]
        docs.append(
            OrderResponse(
                document_id=f"csv:{ctx.message_id}:{order_number}",
                partner_id=ctx.partner_id,
                correlation_id=ctx.correlation_id,
                order_number=order_number,
                vendor_ref=first.text("vendor_ref"),
                response_number=first.text("response_number"),
                response_date=date.today(),
                overall=overall,
                lines=lines,
            )
        )
    return docs


def _response_date(row: Row, options: FlatFileOptions) -> date:
    given = row.date("response_date")
    if given is not None:
        return given
    if options.received_on is None:
        raise row.error("response_date", f"row {row.line}: no response date and no arrival date")
    return options.received_on


def _response_line(row: Row, options: FlatFileOptions) -> ResponseLine:
    raw_status = row.text("status")
    status = LineStatus.ACCEPTED
    if raw_status is not None:
        mapped = options.status_map.get(raw_status)
        if mapped is None:
            try:
                mapped = LineStatus(raw_status.lower())
            except ValueError as exc:
                raise row.error(
                    "status",
                    f"row {row.line}: unknown status {raw_status!r} (add it to status_map)",
                ) from exc
        status = mapped
    unit = _unit(row, options)
    qty = row.decimal("confirmed_qty")
    price = row.decimal("unit_price")
    return ResponseLine(
        line_no=row.required("line_no"),
        status=status,
        confirmed_qty=Quantity(value=qty, uom=unit) if qty is not None else None,
        unit_price=(
            Money(amount=price, currency=row.text("currency") or options.currency)
            if price is not None
            else None
        ),
        promised_date=row.date("promised_date"),
        note=row.text("note"),
    )


def _despatches(
    all_rows: list[Row], options: FlatFileOptions, ctx: DecodeContext
) -> list[Document]:
    by_asn: dict[str, list[Row]] = defaultdict(list)
    for row in all_rows:
        by_asn[row.required("asn_number")].append(row)
    docs: list[Document] = []
    for asn_number, group in by_asn.items():
        packages: dict[str | None, list[AsnItem]] = defaultdict(list)
        for row in group:
            qty = row.decimal("quantity")
            assert qty is not None  # required column, checked by row.required below
            packages[row.text("sscc")].append(
                AsnItem(
                    order_number=row.required("order_number"),
                    order_line_no=row.required("line_no"),
                    item=Item(
                        supplier_item=row.text("supplier_item"), buyer_item=row.text("buyer_item")
                    ),
                    quantity=Quantity(value=qty, uom=_unit(row, options)),
                    lot=row.text("lot"),
                )
            )
        first = group[0]
        ship_date = first.date("ship_date")
        if ship_date is None:
            raise first.error("ship_date", f"row {first.line}: ship date is empty")
        carrier = first.text("carrier")
        docs.append(
            DespatchAdvice(
                document_id=f"csv:{ctx.message_id}:{asn_number}",
                partner_id=ctx.partner_id,
                correlation_id=ctx.correlation_id,
                asn_number=asn_number,
                ship_date=ship_date,
                estimated_delivery=first.date("estimated_delivery"),
                order_numbers=tuple(dict.fromkeys(r.required("order_number") for r in group)),
                carrier=Carrier(name=carrier) if carrier else None,
                tracking_number=first.text("tracking_number"),
                packages=tuple(
                    AsnPackage(sscc=sscc, items=tuple(items)) for sscc, items in packages.items()
                ),
            )
        )
    return docs


def _price_list(
    all_rows: list[Row], options: FlatFileOptions, ctx: DecodeContext
) -> list[Document]:
    lines = []
    for row in all_rows:
        price = row.decimal("price")
        assert price is not None
        lead = row.decimal("lead_time_days")
        lines.append(
            PriceListLine(
                item=Item(
                    supplier_item=row.required("supplier_item"),
                    buyer_item=row.text("buyer_item"),
                    description=row.text("description"),
                ),
                price=Money(amount=price, currency=row.text("currency") or options.currency),
                uom=_unit(row, options),
                min_qty=row.decimal("min_qty") or Decimal(0),
                lead_time_days=int(lead) if lead is not None else None,
                valid_from=row.date("valid_from"),
                valid_to=row.date("valid_to"),
            )
        )
    return [
        PriceList(
            document_id=f"csv:{ctx.message_id}",
            partner_id=ctx.partner_id,
            correlation_id=ctx.correlation_id,
            price_list_number=ctx.message_id,
            issue_date=date.today(),
            currency=options.currency,
            lines=tuple(lines),
        )
    ]


def _order_line_values(
    order: PurchaseOrder, line_no: str, options: FlatFileOptions
) -> dict[str, str]:
    line = order.line(line_no)
    assert line is not None

    def num(value: Decimal | None) -> str:
        return "" if value is None else format(value, "f").replace(".", options.decimal_separator)

    def day(value: date | None) -> str:
        return "" if value is None else value.strftime(options.date_format)

    return {
        "order_number": order.order_number,
        "order_date": day(order.order_date),
        "line_no": line.line_no,
        "buyer_item": line.item.buyer_item or "",
        "supplier_item": line.item.supplier_item or "",
        "description": line.item.description or "",
        "quantity": num(line.quantity.value),
        "uom": line.quantity.uom,
        "unit_price": num(line.unit_price.amount if line.unit_price else None),
        "currency": order.currency,
        "requested_date": day(line.requested_date),
    }
