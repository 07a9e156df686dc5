"""Flat files as suppliers really send them: German CSV in Latin-1, XLSX, missing columns."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook

from procurelink.codecs.flatfile import FlatFileCodec
from procurelink.domain.despatch import DespatchAdvice
from procurelink.domain.order import OrderLine, PurchaseOrder
from procurelink.domain.parties import Item
from procurelink.domain.price_list import PriceList
from procurelink.domain.response import LineStatus, OrderResponse, ResponseStatus
from procurelink.domain.values import Money, Quantity
from procurelink.errors import ConfigurationError, InvalidDate, InvalidDocument, MalformedMessage
from procurelink.ports.codec import DecodeContext, EncodeContext

GERMAN: dict[str, Any] = {
    "delimiter": ";",
    "decimal_separator": ",",
    "thousands_separator": ".",
    "date_format": "%d.%m.%Y",
    "columns": {
        "order_number": "Bestellnummer",
        "line_no": "Pos",
        "status": "Status",
        "confirmed_qty": "Menge",
        "uom": "ME",
        "promised_date": "Liefertermin",
        "vendor_ref": "AB-Nummer",
        "unit_price": "Preis",
    },
    "status_map": {"OK": "accepted", "Terminänderung": "rescheduled", "abgelehnt": "rejected"},
    "uom_map": {"Stk": "unit"},
    "received_on": "2026-11-30",
}
ACK = (
    "Bestellnummer;Pos;Status;Menge;ME;Liefertermin;AB-Nummer;Preis\r\n"
    "P00042;1;OK;5.000;Stk;22.03.2024;AB-991;0,12\r\n"
    "P00042;2;Terminänderung;1.200,5;kg;25.03.2024;AB-991;1,85\r\n"
    "P00043;1;abgelehnt;;Stk;;AB-992;\r\n"
)


def ctx(**options: Any) -> DecodeContext:
    return DecodeContext("sup", "corr", "msg-1", options)


def test_german_latin1_csv_is_detected_and_mapped() -> None:
    docs = FlatFileCodec().decode(ACK.encode("latin-1"), ctx(**GERMAN))
    first, second = docs
    assert isinstance(first, OrderResponse)
    assert isinstance(second, OrderResponse)
    assert first.order_number == "P00042"
    assert first.overall == ResponseStatus.ACCEPTED_WITH_CHANGES
    assert first.vendor_ref == "AB-991"
    assert first.response_date == date(2026, 11, 30)
    l1, l2 = first.lines
    assert (l1.status, l1.confirmed_qty) == (
        LineStatus.ACCEPTED,
        Quantity(value=Decimal(5000), uom="unit"),
    )
    assert l2.confirmed_qty == Quantity(value=Decimal("1200.5"), uom="kg")
    assert l2.promised_date == date(2024, 3, 25)
    assert l2.unit_price == Money(amount=Decimal("1.85"), currency="EUR")
    assert second.overall == ResponseStatus.REJECTED
    assert first.partner_id == "sup"


def test_xlsx_first_sheet_with_typed_cells() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Bestellnummer", "Pos", "Menge", "ME", "Liefertermin"])
    sheet.append(["P7", 1, 12.5, "Stk", date(2024, 5, 2)])
    buf = io.BytesIO()
    book.save(buf)
    [doc] = FlatFileCodec().decode(buf.getvalue(), ctx(**GERMAN))
    assert isinstance(doc, OrderResponse)
    assert doc.lines[0].confirmed_qty == Quantity(value=Decimal("12.5"), uom="unit")
    assert doc.lines[0].promised_date == date(2024, 5, 2)


@pytest.mark.parametrize(
    ("text", "error", "where"),
    [
        ("Bestellnummer;Menge\r\nP1;3\r\n", InvalidDocument, "missing column(s) ['Pos']"),
        ("Bestellnummer;Pos;Menge\r\nP1;1;drei\r\n", InvalidDocument, "row 2: 'drei'"),
        ("Bestellnummer;Pos;Liefertermin\r\nP1;1;31.02.2024\r\n", InvalidDate, "row 2"),
        ("Bestellnummer;Pos;Status\r\nP1;1;vielleicht\r\n", InvalidDocument, "unknown status"),
        ("Bestellnummer;Pos;ME\r\nP1;1;Fass\r\n", InvalidDocument, "unknown unit 'Fass'"),
        ("Bestellnummer;Pos\r\n", InvalidDocument, "no data rows"),
        ("", MalformedMessage, "no header"),
    ],
)
def test_errors_name_row_and_column(text: str, error: type[Exception], where: str) -> None:
    with pytest.raises(error) as info:
        FlatFileCodec().decode(text.encode(), ctx(**GERMAN))
    assert where in str(info.value)


def test_bad_options_are_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="unknown canonical field"):
        FlatFileCodec().decode(b"a\r\n1\r\n", ctx(columns={"colour": "Farbe"}))


def test_ship_notice_rows_grouped_by_asn_and_pallet() -> None:
    text = (
        "asn_number,order_number,line_no,quantity,uom,ship_date,sscc,lot,tracking_number\n"
        "ASN1,P1,1,3000,unit,2024-03-20,395200020000000010,L-A,TRK9\n"
        "ASN1,P1,1,2000,unit,2024-03-20,395200020000000010,L-B,TRK9\n"
        "ASN1,P1,2,1200,kg,2024-03-20,395200020000000027,H-7,TRK9\n"
    )
    [asn] = FlatFileCodec().decode(text.encode(), ctx(document="despatch_advice"))
    assert isinstance(asn, DespatchAdvice)
    assert asn.order_numbers == ("P1",)
    assert [len(p.items) for p in asn.packages] == [2, 1]
    assert asn.packages[0].items[1].lot == "L-B"
    assert asn.tracking_number == "TRK9"


def test_price_list() -> None:
    text = "supplier_item,price,min_qty,lead_time_days,currency\nSW-1,0.12,1000,7,USD\n"
    [prices] = FlatFileCodec().decode(
        text.encode(), ctx(document="price_list", received_on="2026-01-02")
    )
    assert isinstance(prices, PriceList)
    line = prices.lines[0]
    assert (line.price, line.min_qty, line.lead_time_days) == (
        Money(amount=Decimal("0.12"), currency="USD"),
        Decimal(1000),
        7,
    )


def test_orders_go_out_as_csv_in_the_suppliers_conventions() -> None:
    order = PurchaseOrder(
        document_id="d",
        partner_id="sup",
        correlation_id="c",
        order_number="P9",
        order_date=date(2024, 3, 4),
        currency="EUR",
        lines=(
            OrderLine(
                line_no="1",
                item=Item(buyer_item="A-1", supplier_item="S-1", description="Bolt; zinc"),
                quantity=Quantity(value=Decimal("5000"), uom="unit"),
                unit_price=Money(amount=Decimal("0.12"), currency="EUR"),
                requested_date=date(2024, 3, 22),
            ),
        ),
    )
    encoded = FlatFileCodec().encode(
        order,
        EncodeContext("sup", "c", __import__("datetime").datetime(2024, 3, 4), options=GERMAN),
    )
    assert encoded.filename == "PO_P9.csv"
    rows = list(csv.reader(io.StringIO(encoded.body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["order_number", "order_date", "line_no"]
    assert rows[1] == [
        "P9",
        "04.03.2024",
        "1",
        "A-1",
        "S-1",
        "Bolt; zinc",
        "5000",
        "unit",
        "0,12",
        "EUR",
        "22.03.2024",
    ]
