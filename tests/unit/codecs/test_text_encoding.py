"""Text in another encoding than declared: read as what it is, or refused with the reason."""

from __future__ import annotations

import os

import pytest
from x12_support import decode_ctx, sample

from procurelink.codecs.json_api import JsonCodec
from procurelink.codecs.x12 import X12Codec
from procurelink.domain.order import PurchaseOrder
from procurelink.errors import MalformedMessage
from procurelink.ports.codec import DecodeContext
from procurelink.text_encoding import (
    EDI_CANDIDATES,
    UnknownEncoding,
    decode_declared,
    detect,
)

# The en dash is in Windows-1252 (0x96) but not in Latin-1: it tells the two apart.
GERMAN = "Lieferung für Müller & Söhne \u2013 Termin verschoben, Größe geändert."


def test_valid_bytes_are_read_as_declared() -> None:
    decoded = decode_declared(GERMAN.encode("utf-8"), "utf-8")
    assert (decoded.text, decoded.encoding, decoded.detected) == (GERMAN, "utf-8", False)


def test_windows_1252_declared_as_utf8_is_detected() -> None:
    decoded = decode_declared(GERMAN.encode("cp1252"), "utf-8", "note")
    assert decoded.detected and decoded.text == GERMAN


def test_utf16_with_a_bom_is_detected() -> None:
    decoded = detect(GERMAN.encode("utf-16"))
    assert decoded.text == GERMAN and "16" in decoded.encoding


def test_a_short_edi_segment_falls_back_to_a_clean_candidate() -> None:
    segment = "NAD+SU+++Stahlwerk Süd'".encode("latin-1")
    decoded = decode_declared(segment, "utf-8", "EDI", EDI_CANDIDATES)
    assert decoded.text == "NAD+SU+++Stahlwerk Süd'"


def test_binary_is_refused_naming_the_declared_encoding_and_offset() -> None:
    data = b"{" + os.urandom(400) + b"\x00\x01"
    with pytest.raises(UnknownEncoding) as caught:
        decode_declared(data, "utf-8", "JSON message")
    error = caught.value
    assert error.code == "unknown_encoding" and isinstance(error, MalformedMessage)
    assert "JSON message is not valid utf-8" in error.message
    assert error.details["declared"] == "utf-8"
    assert isinstance(error.details["offset"], int)


# --- in the codecs ----------------------------------------------------------------------

JSON_ACK = (
    '{"document_type": "order_response", "document_id": "a1", "partner_id": "x", '
    '"correlation_id": "c", "order_number": "P00042", "response_number": "R-1", '
    '"response_date": "2026-11-30", "overall": "accepted", '
    f'"note": "{GERMAN}", "lines": []}}'
)


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-8-sig"])
def test_json_not_in_utf8_is_read_as_what_it_is(encoding: str) -> None:
    [document] = JsonCodec().decode(JSON_ACK.encode(encoding), DecodeContext("sw", "c", "m"))
    assert document.model_dump().get("note") == GERMAN


def test_json_that_is_no_text_is_refused_as_unknown_encoding() -> None:
    with pytest.raises(UnknownEncoding, match="JSON message is not valid utf-8"):
        JsonCodec().decode(b'{"a": "' + bytes(range(256)) + b'"}', DecodeContext("sw", "c", "m"))


def test_x12_in_windows_1252_under_a_utf8_agreement_is_read() -> None:
    text = sample("850_PO00042.x12").decode().replace("Steelworks GmbH", "Stahlwerk Süd GmbH")
    [order] = X12Codec().decode(text.encode("cp1252"), decode_ctx())
    assert isinstance(order, PurchaseOrder)
    assert any(p.name == "Stahlwerk Süd GmbH" for p in order.parties)


def test_x12_binary_is_refused_as_an_isa_syntax_error() -> None:
    text = sample("850_PO00042.x12").decode()
    data = text.encode().replace(b"Steelworks GmbH", b"\x00\xff\xfe\x81\x07")
    with pytest.raises(UnknownEncoding) as caught:
        X12Codec().decode(data, decode_ctx())
    assert caught.value.details["offset"] == data.index(b"\xff")
    assert "rule" in caught.value.details
