"""`procurelink edi` as operators use it on the sample files: decode, encode, ack, validate."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from typer.testing import CliRunner

from procurelink.codecs.decoded import Decoded
from procurelink.entrypoints.cli.main import app

# Click 8.2+ keeps stderr apart from stdout by default (the old mix_stderr=False).
runner = CliRunner()
EDI = Path(__file__).resolve().parents[1] / "fixtures" / "edi"
SAMPLES = sorted((EDI / "x12").glob("*.x12")) + sorted((EDI / "edifact").glob("*.edi"))
# Sets whose prices come without CUR: the partner profile's default currency applies.
NEEDS_CURRENCY = {"860_PO00042_change.x12", "865_PO00042_change_ack.x12"}
LOCATION = {"interchange", "group", "transaction", "segment_index", "segment_id", "element_index"}

PROFILE = """\
id: steelworks
name: Steelworks GmbH
odoo: {partner_id: 7}
identifiers: {x12: {qualifier: ZZ, id: STEELWORKS}}
codec: {type: x12-004010, options: {sender_qualifier: ZZ, sender_id: ACMEMFG, currency: EUR}}
channels: {outbound: {type: directory, outbox: OUT}}
uom_map: {PE: EA}
"""


def _decode(path: Path, *extra: str) -> list[dict[str, Any]]:
    result = runner.invoke(app, ["edi", "decode", str(path), *extra])
    assert result.exit_code == 0, result.stderr
    documents: list[dict[str, Any]] = json.loads(result.stdout)
    return documents


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_every_sample_decodes_to_a_json_list_with_envelopes(sample: Path) -> None:
    extra = ["--option", "currency=EUR"] if sample.name in NEEDS_CURRENCY else []
    documents = _decode(sample, *extra)
    assert documents
    for document in documents:
        assert document["document_type"]
        envelope = document["envelope"]
        assert envelope["syntax"] == ("x12" if sample.suffix == ".x12" else "edifact")
        assert envelope["interchange_control_number"]
        assert envelope["transaction_control_number"]
        assert envelope["sender"] and envelope["receiver"]


@pytest.mark.parametrize("name", ["edifact/ORDERS_PO00042.edi", "x12/850_PO00042.x12"])
def test_a_file_over_the_limit_is_streamed_to_the_same_output(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from procurelink.codecs.edifact import streaming as edifact_streaming
    from procurelink.codecs.x12 import streaming as x12_streaming
    from procurelink.entrypoints.cli import edi

    whole = _decode(EDI / name)
    streamed: list[str] = []

    def spy(module: Any) -> Callable[..., Iterator[Decoded]]:
        original = module.decode_stream

        def decode_stream(*args: Any, **kwargs: Any) -> Iterator[Decoded]:
            streamed.append(module.__name__)
            return cast(Iterator[Decoded], original(*args, **kwargs))

        return decode_stream

    for module in (x12_streaming, edifact_streaming):
        monkeypatch.setattr(module, "decode_stream", spy(module))
    monkeypatch.setattr(edi, "_WHOLE_FILE_LIMIT", 10)
    assert _decode(EDI / name) == whole
    assert streamed == [f"procurelink.codecs.{name.split('/')[0]}.streaming"]


def test_the_partner_profile_supplies_codec_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "steelworks.yaml").write_text(PROFILE.replace("OUT", str(tmp_path / "out")))
    monkeypatch.setenv("PROCURELINK_PARTNERS_DIR", str(tmp_path))
    change = EDI / "x12" / "860_PO00042_change.x12"
    without = runner.invoke(app, ["edi", "decode", str(change)])
    assert without.exit_code == 1
    [document] = _decode(change, "--partner", "steelworks")
    assert document["document_type"] == "order_change"
    unknown = runner.invoke(app, ["edi", "decode", str(change), "--partner", "nobody"])
    assert unknown.exit_code == 1
    assert json.loads(unknown.stderr)["code"] == "configuration"


def test_a_corrupted_x12_file_gives_a_located_json_error(tmp_path: Path) -> None:
    text = (EDI / "x12" / "850_PO00042.x12").read_text().replace("SE*25*0001", "SE*24*0001")
    (tmp_path / "bad.x12").write_text(text)
    result = runner.invoke(app, ["edi", "decode", str(tmp_path / "bad.x12")])
    assert result.exit_code == 1
    assert result.stdout == ""
    error = json.loads(result.stderr)
    assert error["code"] == "malformed_message"
    assert error["message"]
    assert set(error["location"]) >= LOCATION
    assert error["location"] == {
        "interchange": "000000101",
        "group": "1001",
        "transaction": "0001",
        "segment_index": 25,
        "segment_id": "SE",
        "element_index": 1,
    }


def test_a_corrupted_edifact_file_names_the_message(tmp_path: Path) -> None:
    text = (EDI / "edifact" / "ORDERS_PO00042.edi").read_text()
    (tmp_path / "bad.edi").write_text(text.replace("QTY+21:5000:PCE", "QTY+21:5x00:PCE", 1))
    result = runner.invoke(app, ["edi", "decode", str(tmp_path / "bad.edi")])
    assert result.exit_code == 1
    error = json.loads(result.stderr)
    assert set(error["location"]) >= LOCATION
    assert error["location"]["interchange"] == "101"
    assert error["location"]["transaction"] == "1"
    assert error["location"]["segment_id"] == "QTY"


def test_a_file_of_neither_syntax_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("hello")
    result = runner.invoke(app, ["edi", "decode", str(tmp_path / "x.txt")])
    assert result.exit_code == 1
    assert json.loads(result.stderr)["code"] == "malformed_message"


ROUND_TRIPS = [
    (
        "x12/850_PO00042.x12",
        "x12-850",
        ["--option", "sender_id=ACMEMFG", "--option", "receiver_id=STEELWORKS"],
        ["--control-number", "101", "--group-control-number", "1001"],
    ),
    (
        "x12/855_PO00042.x12",
        "x12-855",
        ["--option", "sender_id=STEELWORKS", "--option", "receiver_id=ACMEMFG"],
        ["--control-number", "502", "--group-control-number", "5002"],
    ),
    (
        "x12/997_ack_850.x12",
        "x12-997",
        ["--option", "sender_id=STEELWORKS", "--option", "receiver_id=ACMEMFG"],
        ["--control-number", "501", "--group-control-number", "5001"],
    ),
    (
        "edifact/ORDERS_PO00042.edi",
        "edifact-orders",
        ["--option", "sender_id=9520001000010", "--option", "recipient_id=9520002000019"],
        ["--control-number", "101"],
    ),
    (
        "edifact/ORDRSP_PO00042.edi",
        "edifact-ordrsp",
        ["--option", "sender_id=9520002000019", "--option", "recipient_id=9520001000010"],
        ["--control-number", "502"],
    ),
    (
        "edifact/DESADV_ASN-240320-01.edi",
        "edifact-desadv",
        ["--option", "sender_id=9520002000019", "--option", "recipient_id=9520001000010"],
        ["--control-number", "504"],
    ),
    (
        "edifact/INVOIC_SW-INV-24-0815.edi",
        "edifact-invoic",
        ["--option", "sender_id=9520002000019", "--option", "recipient_id=9520001000010"],
        ["--control-number", "505"],
    ),
    (
        "edifact/RECADV_GR-240322-01.edi",
        "edifact-recadv",
        ["--option", "sender_id=9520001000010", "--option", "recipient_id=9520002000019"],
        ["--control-number", "106"],
    ),
    (
        "edifact/DELFOR_DS-2024-14.edi",
        "edifact-delfor",
        ["--option", "sender_id=9520001000010", "--option", "recipient_id=9520002000019"],
        ["--control-number", "107"],
    ),
]


@pytest.mark.parametrize(("sample", "kind", "options", "controls"), ROUND_TRIPS)
def test_encode_round_trips(
    tmp_path: Path, sample: str, kind: str, options: list[str], controls: list[str]
) -> None:
    first = _decode(EDI / sample)
    (tmp_path / "doc.json").write_text(json.dumps(first))
    encoded = runner.invoke(
        app,
        ["edi", "encode", "--type", kind, str(tmp_path / "doc.json"), *options, *controls],
    )
    assert encoded.exit_code == 0, encoded.stderr
    (tmp_path / "again").write_bytes(encoded.stdout_bytes)
    assert _decode(tmp_path / "again") == first


def test_encode_refuses_a_document_of_another_type(tmp_path: Path) -> None:
    (tmp_path / "po.json").write_text(json.dumps(_decode(EDI / "x12" / "850_PO00042.x12")))
    result = runner.invoke(app, ["edi", "encode", "--type", "x12-855", str(tmp_path / "po.json")])
    assert result.exit_code == 1
    error = json.loads(result.stderr)
    assert error["code"] == "invalid_document"
    assert error["details"] == {"expected": "order_response", "found": "purchase_order"}


def test_ack_of_the_sample_850_is_the_sample_997() -> None:
    result = runner.invoke(
        app,
        [
            "edi",
            "ack",
            str(EDI / "x12" / "850_PO00042.x12"),
            "--control-number",
            "501",
            "--group-control-number",
            "5001",
            "--now",
            "2024-03-04T09:30",
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == (EDI / "x12" / "997_ack_850.x12").read_bytes()


def test_ack_of_the_sample_orders_is_the_sample_contrl() -> None:
    result = runner.invoke(
        app,
        [
            "edi",
            "ack",
            str(EDI / "edifact" / "ORDERS_PO00042.edi"),
            "--control-number",
            "501",
            "--now",
            "2024-03-04T09:30",
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == (EDI / "edifact" / "CONTRL_ack_ORDERS.edi").read_bytes()


def test_an_ack_is_not_acknowledged() -> None:
    result = runner.invoke(app, ["edi", "ack", str(EDI / "x12" / "997_ack_850.x12")])
    assert result.exit_code == 0
    assert result.stdout_bytes == b""


def test_validate_exit_codes(tmp_path: Path) -> None:
    clean = runner.invoke(app, ["edi", "validate", str(EDI / "x12" / "850_PO00042.x12")])
    assert clean.exit_code == 0, clean.stdout
    assert "no problems" in clean.stdout
    text = (EDI / "x12" / "850_PO00042.x12").read_text()
    text = text.replace("SE*25*0001", "SE*24*0001").replace("DTM*002*20240318", "DTM*002*20241318")
    (tmp_path / "bad.x12").write_text(text)
    bad = runner.invoke(app, ["edi", "validate", str(tmp_path / "bad.x12")])
    assert bad.exit_code == 1
    assert "2 problem(s)" in bad.stdout
    assert "se_count" in bad.stdout
    assert "invalid_date" in bad.stdout
    edifact = (EDI / "edifact" / "ORDERS_PO00042.edi").read_text()
    (tmp_path / "bad.edi").write_text(edifact.replace("DTM+2:20240322:102", "DTM+2:20241322:102"))
    assert (
        runner.invoke(
            app, ["edi", "validate", str(EDI / "edifact" / "ORDERS_PO00042.edi")]
        ).exit_code
        == 0
    )
    assert runner.invoke(app, ["edi", "validate", str(tmp_path / "bad.edi")]).exit_code == 1
