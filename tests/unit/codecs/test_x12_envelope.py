"""Envelope checks, tolerated layouts and typed errors with their location details."""

from __future__ import annotations

from typing import Any

import pytest
from x12_support import decode_ctx, sample

from procurelink.codecs.x12 import X12Codec
from procurelink.domain.order import PurchaseOrder
from procurelink.errors import (
    ConfigurationError,
    EmptyMessage,
    InvalidDate,
    InvalidDocument,
    MalformedMessage,
    ProcurelinkError,
)

codec = X12Codec()
PO_4010 = sample("850_PO00042.x12").decode()
PO_5010 = sample("850_PO00042_5010.x12").decode()
ACK_855 = sample("855_PO00042.x12").decode()
HERE = {"interchange": "000000101", "group": "1001", "transaction": "0001"}


def _fails(text: str | bytes, error: type[ProcurelinkError], **options: Any) -> ProcurelinkError:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(error) as caught:
        codec.decode(data, decode_ctx(**options))
    return caught.value


def _details(exc: ProcurelinkError, *keys: str) -> dict[str, Any]:
    return {k: exc.details.get(k) for k in keys}


def _replace(old: str, new: str, text: str = PO_4010) -> str:
    assert old in text
    return text.replace(old, new)


LOCATION = ("interchange", "group", "transaction", "segment_index", "segment_id", "element_index")


def test_wrong_se_count() -> None:
    exc = _fails(_replace("SE*25*0001", "SE*24*0001"), MalformedMessage)
    assert _details(exc, *LOCATION, "expected", "found") == {
        **HERE,
        "segment_index": 25,
        "segment_id": "SE",
        "element_index": 1,
        "expected": 25,
        "found": "24",
    }


def test_se02_must_match_st02() -> None:
    exc = _fails(_replace("SE*25*0001", "SE*25*0002"), MalformedMessage)
    assert _details(exc, *LOCATION) == {
        **HERE,
        "segment_index": 25,
        "segment_id": "SE",
        "element_index": 2,
    }


def test_ge_count_and_control_number() -> None:
    exc = _fails(_replace("GE*1*1001", "GE*2*1001"), MalformedMessage)
    # Outside a set, segment_index counts from ISA = 1: ISA, GS, 25 set segments, GE.
    assert _details(exc, *LOCATION) == {
        **HERE,
        "transaction": None,
        "segment_index": 28,
        "segment_id": "GE",
        "element_index": 1,
    }
    exc = _fails(_replace("GE*1*1001", "GE*1*1002"), MalformedMessage)
    assert _details(exc, "group", "segment_id", "element_index", "expected", "found") == {
        "group": "1001",
        "segment_id": "GE",
        "element_index": 2,
        "expected": "1001",
        "found": "1002",
    }


def test_iea_count_and_control_number() -> None:
    exc = _fails(_replace("IEA*1*000000101", "IEA*3*000000101"), MalformedMessage)
    assert _details(exc, "interchange", "segment_id", "element_index", "expected") == {
        "interchange": "000000101",
        "segment_id": "IEA",
        "element_index": 1,
        "expected": 1,
    }
    exc = _fails(_replace("IEA*1*000000101", "IEA*1*000000109"), MalformedMessage)
    assert _details(exc, "segment_id", "element_index", "found") == {
        "segment_id": "IEA",
        "element_index": 2,
        "found": "000000109",
    }


def test_unpadded_iea02_is_the_same_number() -> None:
    [order] = codec.decode(_replace("IEA*1*000000101", "IEA*1*101").encode(), decode_ctx())
    assert isinstance(order, PurchaseOrder)


def test_functional_group_must_fit_the_set() -> None:
    exc = _fails(_replace("GS*PO*", "GS*IN*"), MalformedMessage)
    assert _details(exc, *LOCATION, "expected", "found") == {
        **HERE,
        "segment_index": 1,
        "segment_id": "ST",
        "element_index": 1,
        "expected": "PO",
        "found": "IN",
    }


@pytest.mark.parametrize(
    ("segment", "message"),
    [
        ("SE*25*0001~\n", "transaction set is not closed by SE"),
        ("GE*1*1001~\n", "group is not closed by GE"),
    ],
)
def test_missing_trailers(segment: str, message: str) -> None:
    assert _fails(_replace(segment, ""), MalformedMessage).message == message


def test_truncated_file() -> None:
    truncated = PO_4010[: PO_4010.index("SE*25*0001")]
    exc = _fails(truncated, MalformedMessage)
    assert exc.message == "interchange ends without IEA"
    assert exc.details["interchange"] == "000000101"


@pytest.mark.parametrize("length", [2, 50, 105, 200, len(PO_4010) - 3])
def test_truncated_anywhere_is_malformed(length: int) -> None:
    _fails(PO_4010[:length], MalformedMessage)


def test_impossible_order_date() -> None:
    exc = _fails(
        _replace("BEG*00*SA*PO00042**20240304", "BEG*00*SA*PO00042**20240231"), InvalidDate
    )
    assert _details(exc, *LOCATION, "found") == {
        **HERE,
        "segment_index": 2,
        "segment_id": "BEG",
        "element_index": 5,
        "found": "20240231",
    }


def test_impossible_line_date() -> None:
    exc = _fails(_replace("DTM*002*20240318", "DTM*002*20241301"), InvalidDate)
    assert _details(exc, "transaction", "segment_index", "segment_id", "element_index") == {
        "transaction": "0001",
        "segment_index": 19,
        "segment_id": "DTM",
        "element_index": 2,
    }


def test_impossible_group_date() -> None:
    exc = _fails(_replace("*20240304*0915*1001", "*20240230*0915*1001"), InvalidDate)
    assert _details(exc, "group", "segment_id", "element_index") == {
        "group": "1001",
        "segment_id": "GS",
        "element_index": 4,
    }


def test_malformed_number_names_its_element() -> None:
    exc = _fails(_replace("PO1*2*1200*", "PO1*2*1,200*"), MalformedMessage)
    assert _details(exc, "segment_index", "segment_id", "element_index", "found") == {
        "segment_index": 17,
        "segment_id": "PO1",
        "element_index": 2,
        "found": "1,200",
    }


def test_line_count_must_match_ctt() -> None:
    exc = _fails(_replace("CTT*3*11200", "CTT*4*11200"), MalformedMessage)
    assert _details(exc, "segment_id", "element_index", "expected") == {
        "segment_id": "CTT",
        "element_index": 1,
        "expected": 3,
    }


def test_repeated_st02_in_a_group() -> None:
    st_to_se = PO_4010[PO_4010.index("ST*850") : PO_4010.index("GE*")]
    text = _replace("GE*1*1001", "GE*2*1001", PO_4010.replace(st_to_se, st_to_se * 2))
    exc = _fails(text, MalformedMessage)
    assert _details(exc, "segment_id", "element_index") == {"segment_id": "ST", "element_index": 2}


def test_several_sets_groups_and_interchanges() -> None:
    st_to_se = PO_4010[PO_4010.index("ST*850") : PO_4010.index("GE*")]
    second = st_to_se.replace("0001", "0002").replace("PO00042", "PO00043")
    two_sets = _replace("GE*1*1001", "GE*2*1001", PO_4010.replace(st_to_se, st_to_se + second))
    documents = codec.decode((two_sets + PO_5010 + ACK_855).encode(), decode_ctx())
    assert [d.document_id for d in documents] == [
        "x12:ACMEMFG:000000101:1001:0001",
        "x12:ACMEMFG:000000101:1001:0002",
        "x12:ACMEMFG:000000102:1002:0001",
        "x12:STEELWORKS:000000502:5002:0001",
    ]
    assert [d.document_type for d in documents][-1] == "order_response"


@pytest.mark.parametrize(
    "layout",
    [
        lambda t: t.replace("~\n", "~"),  # no line breaks at all
        lambda t: t.replace("~\n", "~\r\n"),
        lambda t: "\ufeff  \r\n" + t + "\n\n",  # BOM and stray whitespace
        lambda t: t.replace("~\n", "~ \n  "),
        lambda t: t.replace("~\n", "\n").replace("*>\n", "*>\n"),  # newline as terminator
        lambda t: t.replace("*", "|").replace("~", "'"),  # other delimiters
    ],
)
def test_tolerated_layouts(layout: Any) -> None:
    reference = codec.decode(PO_4010.encode(), decode_ctx())
    assert codec.decode(layout(PO_4010).encode("utf-8"), decode_ctx()) == reference


def test_empty_and_non_x12_input() -> None:
    _fails(b"", EmptyMessage)
    _fails("\ufeff \r\n".encode(), EmptyMessage)
    _fails(b"hello world", MalformedMessage)
    _fails(b"\xff\xfe\x00garbage", MalformedMessage)


def test_invalid_segment_id() -> None:
    exc = _fails(_replace("CUR*BY*EUR", "cur*BY*EUR"), MalformedMessage)
    assert exc.details["segment_id"] == "cur"


def test_data_after_the_interchange() -> None:
    _fails(PO_4010 + "GS*PO*X~", MalformedMessage)


def test_test_interchanges_are_refused_in_production() -> None:
    test_data = _replace("*0*P*>~", "*0*T*>~")
    exc = _fails(test_data, InvalidDocument)
    assert _details(exc, "interchange", "element_index", "expected", "found") == {
        "interchange": "000000101",
        "element_index": 15,
        "expected": "P",
        "found": "T",
    }
    assert len(codec.decode(test_data.encode(), decode_ctx(usage="T"))) == 1


def test_unsupported_transaction_set() -> None:
    text = _replace("ST*850*0001", "ST*824*0001", _replace("GS*PO*", "GS*AG*"))
    exc = _fails(text, InvalidDocument)
    assert exc.details["found"] == "824"
    assert exc.details["transaction"] == "0001"


def test_unknown_unit_and_partner_unit_map() -> None:
    text = _replace("PO1*2*1200*KG*", "PO1*2*1200*KGM*")
    exc = _fails(text, InvalidDocument)
    assert _details(exc, "segment_id", "element_index", "found") == {
        "segment_id": "PO1",
        "element_index": 3,
        "found": "KGM",
    }
    [order] = codec.decode(text.encode(), decode_ctx(uom_map={"KGM": "kg"}))
    assert isinstance(order, PurchaseOrder)
    assert order.lines[1].quantity.uom == "kg"


def test_missing_currency_uses_the_partner_default() -> None:
    text = _replace("CUR*BY*EUR~\n", "", _replace("SE*25*", "SE*24*"))
    _fails(text, InvalidDocument)
    [order] = codec.decode(text.encode(), decode_ctx(currency="EUR"))
    assert isinstance(order, PurchaseOrder)
    assert order.currency == "EUR"


def test_canonical_model_violation_is_invalid_document() -> None:
    exc = _fails(_replace("CUR*BY*EUR", "CUR*BY*euro"), InvalidDocument)
    assert exc.details["transaction"] == "0001"
    assert exc.details["errors"]


def test_unknown_charset_option() -> None:
    _fails(PO_4010, ConfigurationError, charset="no-such-charset")


def test_855_overall_and_ack_codes() -> None:
    exc = _fails(_replace("BAK*00*AC*", "BAK*00*XX*", ACK_855), InvalidDocument)
    assert _details(exc, "segment_id", "element_index") == {"segment_id": "BAK", "element_index": 2}
    exc = _fails(_replace("ACK*DR*", "ACK*IS*", ACK_855), InvalidDocument)
    assert exc.details["found"] == "IS"
    codec.decode(
        _replace("ACK*DR*", "ACK*IS*", ACK_855).encode(),
        decode_ctx(ack_status_map={"IS": "quantity_changed"}),
    )
