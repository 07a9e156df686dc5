"""810 invoices: golden decode, implied decimals, charges, credit notes, taxes per line."""

from __future__ import annotations

from decimal import Decimal

import pytest
from canonical_view import compare, invoice_view
from x12_support import decode_ctx, expected, sample

from procurelink.codecs.x12 import X12Codec
from procurelink.domain.invoice import Invoice, InvoiceKind
from procurelink.errors import InvalidDocument, MalformedMessage

codec = X12Codec()
INVOICE_810 = sample("810_SW-INV-24-0815.x12").decode()


def _invoice(old: str = "", new: str = "", se_delta: int = 0) -> Invoice:
    text = INVOICE_810.replace(old, new) if old else INVOICE_810
    text = text.replace("SE*21*", f"SE*{21 + se_delta}*")
    [document] = codec.decode(text.encode(), decode_ctx())
    assert isinstance(document, Invoice)
    return document


def test_810_decodes_to_the_expected_invoice() -> None:
    invoice = _invoice()
    assert compare(expected("invoice_SW-INV-24-0815.json"), invoice_view(invoice)) == []
    # TDS01 335580 is N2: 3355.80, not 335580.
    assert invoice.totals.total == Decimal("3355.80")
    assert invoice.lines[0].item.description == "Hex bolt M10x40 DIN 933 8.8 zinc plated"


def test_credit_note() -> None:
    assert _invoice("*DI*00~", "*CR*00~").kind == InvoiceKind.CREDIT_NOTE


def test_charges_are_n2_and_count_in_the_totals() -> None:
    invoice = _invoice(
        "TDS*335580~",
        "TDS*338580~\nSAC*C*D240***3000**********Freight~\nSAC*A*C310***500~",
        se_delta=2,
    )
    assert [(c.kind, c.code, c.amount, c.description) for c in invoice.charges] == [
        ("charge", "D240", Decimal("30.00"), "Freight"),
        ("allowance", "C310", Decimal("5.00"), None),
    ]
    assert invoice.totals.charges == Decimal("25.00")
    assert invoice.totals.taxable == Decimal("2820.00")  # TXI08 wins over the sum


def test_line_tax_rate() -> None:
    invoice = _invoice("PID*F****Steel", "TXI*VA*421.80*19~\nPID*F****Steel", se_delta=1)
    assert invoice.lines[1].tax_rate == Decimal(19)
    assert len(invoice.taxes) == 1


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ("TDS*335580~", "TDS*3355.80~", MalformedMessage),
        ("CTT*2*", "CTT*3*", MalformedMessage),
        ("IT1*2*1200*KG*1.85*", "IT1*2*1200*KG**", InvalidDocument),
        ("BIG*20240321*", "BIG*20240231*", InvalidDocument),
    ],
)
def test_errors_name_their_element(old: str, new: str, error: type[Exception]) -> None:
    with pytest.raises(error) as caught:
        _invoice(old, new)
    assert isinstance(caught.value, InvalidDocument)
    assert caught.value.details["segment_id"] in ("TDS", "CTT", "IT1", "BIG")


def test_missing_tds() -> None:
    with pytest.raises(InvalidDocument, match="TDS"):
        _invoice("TDS*335580~\n", "", se_delta=-1)
