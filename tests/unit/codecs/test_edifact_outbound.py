"""RECADV, DELFOR, ORDCHG and CONTRL on the way out; APERAK on the way in; encoder options."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from edifact_support import (
    ACME_TO_STEELWORKS,
    STEELWORKS_TO_ACME,
    codec,
    decode_ctx,
    decode_one,
    encode_ctx,
    sample,
)

from procurelink.codecs.edifact.validation import acknowledgments, validate
from procurelink.domain.acknowledgment import AckStatus, ApplicationResponse, FunctionalAck
from procurelink.domain.order import ChangeAction, OrderChange, OrderChangeLine, PurchaseOrder
from procurelink.domain.parties import Item, Party, PartyRole
from procurelink.domain.receipt import GoodsReceipt, ReceiptLine
from procurelink.domain.schedule import (
    Commitment,
    DeliverySchedule,
    ScheduleBucket,
    ScheduleKind,
    ScheduleLine,
)
from procurelink.domain.values import Quantity
from procurelink.errors import ConfigurationError, InvalidDocument

IDS = {"document_id": "doc", "partner_id": "steelworks", "correlation_id": "corr-1"}
NOW = datetime(2024, 3, 22, 11, 5)


def _envelope_problems(data: bytes) -> list[str]:
    """Problems other than "this codec does not decode that message type"."""
    [report] = validate(data, decode_ctx())
    return [
        p.message
        for p in report.problems
        if p.message != "message type not supported by this codec"
    ]


def test_recadv() -> None:
    receipt = GoodsReceipt(
        **IDS,
        receipt_number="GR-0815",
        order_number="PO00042",
        plant="WERK2",
        received_at=datetime(2024, 3, 22, 10, 40),
        asn_number="ASN-240320-01",
        lines=(
            ReceiptLine(
                order_line_no="1",
                item=Item(buyer_item="ACME-10042", gtin="9520002000101"),
                quantity=Quantity(value=Decimal(3000)),
                lot="L240311-A",
                sscc="395200020000000010",
            ),
            ReceiptLine(order_line_no="2", quantity=Quantity(value=Decimal(1200), uom="kg")),
        ),
    )
    body = codec.encode(receipt, encode_ctx(NOW, 900, **ACME_TO_STEELWORKS)).body
    text = body.decode()
    assert "UNH+1+RECADV:D:96A:UN'" in text
    assert "QTY+48:3000:PCE'\nRFF+ON:PO00042:1'\nGIN+BJ+395200020000000010'" in text
    assert "PIA+1+L240311-A:NB'" in text
    assert _envelope_problems(body) == []


def test_delfor() -> None:
    schedule = DeliverySchedule(
        **IDS,
        kind=ScheduleKind.FORECAST,
        schedule_number="DS-2024-12",
        issue_date=date(2024, 3, 18),
        horizon_start=date(2024, 3, 25),
        horizon_end=date(2024, 4, 21),
        parties=(Party(role=PartyRole.BUYER, id="9520001000010", name="ACME"),),
        lines=(
            ScheduleLine(
                line_no="1",
                item=Item(buyer_item="ACME-10042", description="Hex bolt"),
                order_number="RV-2024-SW-01",
                cumulative_received=Quantity(value=Decimal(5000)),
                last_receipt_date=date(2024, 3, 22),
                buckets=(
                    ScheduleBucket(
                        quantity=Quantity(value=Decimal(2000)),
                        from_date=date(2024, 3, 25),
                        commitment=Commitment.FIRM,
                    ),
                    ScheduleBucket(
                        quantity=Quantity(value=Decimal(8000)),
                        from_date=date(2024, 4, 1),
                        to_date=date(2024, 4, 21),
                    ),
                ),
            ),
        ),
    )
    body = codec.encode(schedule, encode_ctx(NOW, 901, **ACME_TO_STEELWORKS)).body
    text = body.decode()
    assert "BGM+241+DS-2024-12+9'" in text
    assert "SCC+1'\nQTY+1:2000:PCE'\nDTM+2:20240325:102'" in text
    assert "SCC+4'\nQTY+1:8000:PCE'\nDTM+2:20240401-20240421:718'" in text
    assert _envelope_problems(body) == []


def test_ordchg_round_trip_and_layout() -> None:
    change = OrderChange(
        **IDS,
        order_number="PO00042",
        change_seq=1,
        order_date=date(2024, 3, 4),
        change_date=date(2024, 3, 7),
        lines=(
            OrderChangeLine(
                line_no="3",
                action=ChangeAction.CHANGE,
                item=Item(buyer_item="ACME-10043", supplier_item="SW-HN-M10-ZN"),
                quantity=Quantity(value=Decimal(4000)),
                requested_date=date(2024, 4, 12),
            ),
        ),
    )
    body = codec.encode(change, encode_ctx(NOW, 103, **ACME_TO_STEELWORKS)).body
    assert b"BGM+230+1+4'\nDTM+137:20240307:102'\nRFF+ON:PO00042'\nDTM+171:20240304:102'" in body
    assert b"LIN+3+3'" in body
    again = decode_one(body)
    assert again == change.model_copy(update={"document_id": again.document_id})
    assert _envelope_problems(body) == []


def test_contrl_for_a_broken_interchange_names_every_error() -> None:
    text = (
        sample("ORDERS_PO00042.edi")
        .decode()
        .replace("UNT+36+1", "UNT+35+1")
        .replace("DTM+2:20240318:102", "DTM+2:20240231:102")
    )
    [ack] = acknowledgments(text.encode(), decode_ctx())
    assert ack.status == AckStatus.REJECTED
    [detail] = ack.details
    assert [(e.code, e.segment_position, e.element_position) for e in detail.errors] == [
        ("29", None, 1),
        ("12", 25, 1),
    ]
    body = codec.encode(ack, encode_ctx(NOW, 502, **STEELWORKS_TO_ACME)).body.decode()
    assert "UCM+1+ORDERS:D:96A:UN+4+29+UNT+1'\nUCS+25'\nUCD+12+1:2'" in body
    back = decode_one(body.encode())
    assert isinstance(back, FunctionalAck)
    assert back.status == AckStatus.REJECTED
    assert [e.code for e in back.details[0].errors] == ["29", "12"]


def test_contrl_for_an_envelope_error_rejects_the_interchange() -> None:
    text = sample("ORDERS_PO00042.edi").decode().replace("UNZ+1+101", "UNZ+1+100")
    [ack] = acknowledgments(text.encode(), decode_ctx())
    assert (ack.status, ack.action_code) == (AckStatus.REJECTED, "4")
    body = codec.encode(ack, encode_ctx(NOW, 503, **STEELWORKS_TO_ACME)).body.decode()
    assert "UCI+101+9520001000010:14+9520002000019:14+4+28+UNZ+2'" in body


def test_no_contrl_unless_asked_and_never_for_a_contrl() -> None:
    assert acknowledgments(sample("ORDRSP_PO00042.edi"), decode_ctx()) == []
    contrl = sample("CONTRL_ack_ORDERS.edi")
    assert acknowledgments(contrl, decode_ctx(), only_requested=False) == []


def test_aperak() -> None:
    text = (
        "UNA:+.? '"
        "UNB+UNOC:3+9520002000019:14+9520001000010:14+240305:0800+510'"
        "UNH+1+APERAK:D:96A:UN'BGM+313+AP-1+27'DTM+137:20240305:102'"
        "RFF+ON:PO00042'ERC+Z01'FTX+AAO+++Unknown article ACME-99999'"
        "UNT+7+1'UNZ+1+510'"
    )
    response = decode_one(text.encode())
    assert isinstance(response, ApplicationResponse)
    assert (response.refers_to_document, response.status) == ("PO00042", AckStatus.REJECTED)
    assert [(e.code, e.message) for e in response.errors] == [("Z01", "Unknown article ACME-99999")]


def test_encoder_refuses_what_the_level_cannot_carry() -> None:
    order = decode_one(sample("ORDERS_PO00042.edi"))
    assert isinstance(order, PurchaseOrder)
    with pytest.raises(InvalidDocument) as caught:
        codec.encode(order, encode_ctx(NOW, 1, syntax="UNOA:3", **ACME_TO_STEELWORKS))
    assert caught.value.details["segment_index"] == 7  # the NAD+BY, counted from UNB = 1


@pytest.mark.parametrize(
    "options",
    [{"sender_id": ""}, {"syntax": "UNOX:3"}, {"version": "D93A"}, {"segment_suffix": "x"}],
)
def test_bad_options_are_configuration_errors(options: dict[str, str]) -> None:
    order = decode_one(sample("ORDERS_PO00042.edi"))
    with pytest.raises(ConfigurationError):
        codec.encode(order, encode_ctx(NOW, 1, **{**ACME_TO_STEELWORKS, **options}))


def test_test_indicator_and_syntax_4_dates() -> None:
    order = decode_one(sample("ORDERS_PO00042.edi"))
    ctx = encode_ctx(NOW, 7, syntax="UNOW:4", test=True, **ACME_TO_STEELWORKS)
    text = codec.encode(order, ctx).body.decode()
    assert "UNB+UNOW:4+9520001000010:14+9520002000019:14+20240322:1105+7++ORDERS++++1'" in text
    assert len(codec.decode(text.encode(), decode_ctx(test=True))) == 1
