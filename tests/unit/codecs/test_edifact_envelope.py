"""Envelope and syntax errors: typed, located, and all of them gathered by the collector."""

from __future__ import annotations

from typing import Any

import pytest
from edifact_support import codec, decode_ctx, sample

from procurelink.codecs.edifact.validation import validate
from procurelink.domain.invoice import Invoice, InvoiceKind
from procurelink.domain.order import PurchaseOrder
from procurelink.errors import (
    EmptyMessage,
    InvalidDate,
    InvalidDocument,
    MalformedMessage,
    ProcurelinkError,
)
from procurelink.text_encoding import UnknownEncoding

ORDERS = sample("ORDERS_PO00042.edi").decode()
LOCATION = (
    "interchange",
    "group",
    "message",
    "segment_index",
    "segment_id",
    "element_index",
    "component_index",
)
HERE = {"interchange": "101", "group": None, "message": "1"}


def _fails(text: str, error: type[ProcurelinkError], **options: Any) -> ProcurelinkError:
    with pytest.raises(error) as caught:
        codec.decode(text.encode("latin-1"), decode_ctx(**options))
    return caught.value


def _where(exc: ProcurelinkError, *extra: str) -> dict[str, Any]:
    return {k: exc.details.get(k) for k in (*LOCATION, *extra)}


def _replace(old: str, new: str, text: str = ORDERS) -> str:
    assert old in text
    return text.replace(old, new)


def test_unt_segment_count() -> None:
    exc = _fails(_replace("UNT+36+1", "UNT+35+1"), MalformedMessage)
    assert _where(exc, "expected", "found", "syntax_error") == {
        **HERE,
        "segment_index": 36,
        "segment_id": "UNT",
        "element_index": 1,
        "component_index": None,
        "expected": 36,
        "found": "35",
        "syntax_error": "29",
    }


def test_unt_reference() -> None:
    exc = _fails(_replace("UNT+36+1", "UNT+36+2"), MalformedMessage)
    assert _where(exc, "expected", "found") == {
        **HERE,
        "segment_index": 36,
        "segment_id": "UNT",
        "element_index": 2,
        "component_index": None,
        "expected": "1",
        "found": "2",
    }


def test_unz_count_and_reference() -> None:
    exc = _fails(_replace("UNZ+1+101", "UNZ+2+101"), MalformedMessage)
    # Outside a message segment_index counts from UNB = 1: UNB, 36 message segments, UNZ.
    assert _where(exc, "expected") == {
        **HERE,
        "message": None,
        "segment_index": 38,
        "segment_id": "UNZ",
        "element_index": 1,
        "component_index": None,
        "expected": 1,
    }
    exc = _fails(_replace("UNZ+1+101", "UNZ+1+109"), MalformedMessage)
    assert (exc.details["segment_id"], exc.details["element_index"]) == ("UNZ", 2)
    assert (exc.details["expected"], exc.details["found"]) == ("101", "109")


def test_missing_unt_and_unz() -> None:
    exc = _fails(_replace("UNT+36+1'\n", ""), MalformedMessage)
    assert exc.message == "message is not closed by UNT"
    assert exc.details["message"] == "1"
    exc = _fails(_replace("UNZ+1+101'\n", ""), MalformedMessage)
    assert exc.message == "interchange is not closed by UNZ"


def test_truncated_segment() -> None:
    exc = _fails(ORDERS[: ORDERS.index("UNZ") + 5], MalformedMessage)
    assert exc.message == "segment without terminator at end of input"


def test_impossible_date_is_invalid_date_with_location() -> None:
    exc = _fails(_replace("DTM+137:20240304:102", "DTM+137:20240231:102"), InvalidDate)
    assert _where(exc, "found") == {
        **HERE,
        "segment_index": 3,
        "segment_id": "DTM",
        "element_index": 1,
        "component_index": 2,
        "found": "20240231",
    }


def test_bad_unb_date() -> None:
    exc = _fails(_replace("240304:0915", "240230:0915"), InvalidDate)
    assert (exc.details["segment_id"], exc.details["element_index"]) == ("UNB", 4)


def test_bad_number() -> None:
    exc = _fails(_replace("QTY+21:1200:KGM", "QTY+21:12O0:KGM"), MalformedMessage)
    assert _where(exc)["segment_id"] == "QTY"
    assert (exc.details["element_index"], exc.details["component_index"]) == (1, 2)


def test_unsupported_message_type() -> None:
    exc = _fails(_replace("ORDERS:D:96A", "IFTMIN:D:96A"), InvalidDocument)
    assert _where(exc, "found")["found"] == "IFTMIN"
    assert exc.details["segment_id"] == "UNH"


def test_duplicate_message_reference() -> None:
    body = ORDERS[ORDERS.index("UNH") : ORDERS.index("UNZ")]
    text = _replace("UNZ+1+101", "UNZ+2+101", ORDERS.replace(body, body + body))
    exc = _fails(text, MalformedMessage)
    assert exc.details["syntax_error"] == "26"


def test_character_outside_level_a() -> None:
    text = _replace("UNOC:3", "UNOA:3")
    exc = _fails(text, MalformedMessage)
    assert exc.details["syntax_error"] == "21"
    assert exc.details["offset"] == text.index("anufacturing")
    assert exc.details["segment_id"] == "NAD"


def test_utf8_syntax_level() -> None:
    text = _replace("UNOC:3", "UNOY:3").replace("Steelworks GmbH", "Stahlwerk Süd")
    [order] = codec.decode(text.encode("utf-8"), decode_ctx())
    assert isinstance(order, PurchaseOrder)
    assert any(p.name == "Stahlwerk Süd" for p in order.parties)
    # Declared UTF-8, sent as Windows-1252/Latin-1: the bytes are read as what they are.
    [again] = codec.decode(text.encode("cp1252"), decode_ctx())
    assert isinstance(again, PurchaseOrder)
    assert any(p.name == "Stahlwerk Süd" for p in again.parties)
    # Bytes no encoding reads as text are refused, naming the level and the offset.
    binary = text.encode("utf-8").replace(b"Stahlwerk S\xc3\xbcd", b"\x00\xff\xfe\x81\x07")
    with pytest.raises(UnknownEncoding) as caught:
        codec.decode(binary, decode_ctx())
    assert isinstance(caught.value, MalformedMessage)
    assert caught.value.details["syntax_identifier"] == "UNOY"
    assert caught.value.details["offset"] == binary.index(b"\xff")


def test_latin1_syntax_level() -> None:
    text = _replace("Steelworks GmbH", "Stahlwerk Süd")
    [order] = codec.decode(text.encode("latin-1"), decode_ctx())
    assert isinstance(order, PurchaseOrder)
    assert any(p.name == "Stahlwerk Süd" for p in order.parties)


def test_test_indicator_must_match_the_partner_mode() -> None:
    text = _replace("101++ORDERS++1'", "101++ORDERS++1++1'")
    exc = _fails(text, InvalidDocument)
    assert (exc.details["segment_id"], exc.details["element_index"]) == ("UNB", 11)
    assert len(codec.decode(text.encode(), decode_ctx(test=True))) == 1


def test_empty_input() -> None:
    with pytest.raises(EmptyMessage):
        codec.decode(b"  \n", decode_ctx())


def test_several_interchanges_with_their_own_una_and_groups() -> None:
    other = (
        "UNA>*,# ~\n"
        "UNB*UNOC>3*9520002000019>14*9520001000010>14*240321>0805*506~"
        "UNG*INVOIC*9520002000019>14*9520001000010>14*240321>0805*77*UN*D>96A~"
    )
    invoic = sample("INVOIC_SW-INV-24-0815.edi").decode()
    body = invoic[invoic.index("UNH") : invoic.index("UNZ")]
    body = body.replace("'\n", "~").replace("+", "*").replace(":", ">").replace(".", ",")
    body = body.replace("BGM*380", "BGM*381")
    text = ORDERS + other + body + "UNE*1*77~UNZ*1*506~"
    order, credit = codec.decode(text.encode(), decode_ctx())
    assert isinstance(order, PurchaseOrder)
    assert isinstance(credit, Invoice)
    assert credit.kind == InvoiceKind.CREDIT_NOTE
    assert str(credit.totals.total) == "3355.80"
    assert credit.document_id == "edifact:9520002000019:506:1"


def test_group_count_is_checked() -> None:
    text = _replace("UNH+1+ORDERS", "UNG+ORDERS+a+b+240304:0915+7+UN+D:96A'UNH+1+ORDERS").replace(
        "UNZ+1+101", "UNE+2+7'UNZ+1+101"
    )
    exc = _fails(text, MalformedMessage)
    assert (exc.details["group"], exc.details["segment_id"]) == ("7", "UNE")


def test_release_character_before_a_terminator() -> None:
    text = _replace("FTX", "FTX", sample("ORDRSP_PO00042.edi").decode())
    text = text.replace("Backordered?: wire", "Backordered ??? wire")
    [response] = codec.decode(text.encode(), decode_ctx())
    assert "Backordered ? wire" in (response.model_dump()["lines"][2]["note"] or "")


def test_collector_finds_every_problem() -> None:
    text = (
        _replace("UNT+36+1", "UNT+35+1")
        .replace("DTM+2:20240318:102", "DTM+2:20240231:102")
        .replace("QTY+21:1200:KGM", "QTY+21:12O0:KGM")
        .replace("UNZ+1+101", "UNZ+1+102")
    )
    [report] = validate(text.encode(), decode_ctx())
    found = {(p.segment_id, p.syntax_error, p.kind) for p in report.problems}
    assert found == {
        ("UNT", "29", "malformed"),
        ("DTM", "12", "invalid_date"),
        ("QTY", "12", "malformed"),
        ("UNZ", "28", "malformed"),
    }


def test_collector_reports_unreadable_bytes() -> None:
    [report] = validate(b"UNB+UNOC:3+a", decode_ctx())
    assert report.interchange is None
    assert report.problems[0].kind == "malformed"
