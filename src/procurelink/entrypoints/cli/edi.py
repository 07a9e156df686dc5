"""`procurelink edi`: decode, encode, acknowledge and validate X12 and EDIFACT files.

The codecs do the work; this module reads files, picks the codec from the first segment
(ISA -> X12, UNA/UNB -> EDIFACT), loads a partner's codec options when asked, and turns
errors into a JSON object on stderr with exit code 1, so that scripts can tell where a file
broke (interchange, group and transaction control numbers, segment and element).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from procurelink import bootstrap
from procurelink.codecs.decoded import Decoded
from procurelink.codecs.edifact import EdifactCodec
from procurelink.codecs.edifact import listing as edifact_listing
from procurelink.codecs.edifact import streaming as edifact_streaming
from procurelink.codecs.edifact import validation as edifact_validation
from procurelink.codecs.x12 import X12Codec
from procurelink.codecs.x12 import streaming as x12_streaming
from procurelink.domain.catalog import parse_document
from procurelink.domain.document import Document
from procurelink.errors import (
    ConfigurationError,
    InvalidDocument,
    MalformedMessage,
    ProcurelinkError,
)
from procurelink.ports.codec import DecodeContext, EncodeContext
from procurelink.services.dispatch import codec_options
from procurelink.settings import Settings

Syntax = Literal["x12", "edifact"]

edi_app = typer.Typer(
    help="X12 and EDIFACT files: decode, encode, acknowledge, validate.", no_args_is_help=True
)
# Wide enough for the validation table when output is piped or captured (80 columns would
# wrap every message into a column of words).
out = Console(soft_wrap=True, width=max(140, shutil.get_terminal_size().columns))

# Error details that say where a file broke; the rest of the details stay under "details".
# EDIFACT names the message reference "message", X12 the set control "transaction".
_LOCATION_KEYS = (
    "interchange",
    "group",
    "transaction",
    "segment_index",
    "segment_id",
    "element_index",
    "component_index",
    "offset",
)
_ALWAYS = frozenset(_LOCATION_KEYS[:6])
# Read files up to this many bytes as a whole; beyond, they are decoded as a stream.
_WHOLE_FILE_LIMIT = 64 * 1024 * 1024


class EncodeType(StrEnum):
    """What ``edi encode --type`` writes; the value names syntax and transaction set."""

    X12_850 = "x12-850"
    X12_860 = "x12-860"
    X12_855 = "x12-855"
    X12_865 = "x12-865"
    X12_861 = "x12-861"
    X12_830 = "x12-830"
    X12_862 = "x12-862"
    X12_997 = "x12-997"
    EDIFACT_ORDERS = "edifact-orders"
    EDIFACT_ORDCHG = "edifact-ordchg"
    EDIFACT_ORDRSP = "edifact-ordrsp"
    EDIFACT_DESADV = "edifact-desadv"
    EDIFACT_INVOIC = "edifact-invoic"
    EDIFACT_RECADV = "edifact-recadv"
    EDIFACT_DELFOR = "edifact-delfor"
    EDIFACT_CONTRL = "edifact-contrl"


@dataclass(frozen=True, slots=True)
class _Target:
    syntax: Syntax
    document_type: str
    # ST01 or UNH 0065 the codec must choose: the encoded file name starts with it.
    set_id: str


_TARGETS: dict[EncodeType, _Target] = {
    EncodeType.X12_850: _Target("x12", "purchase_order", "850"),
    EncodeType.X12_860: _Target("x12", "order_change", "860"),
    EncodeType.X12_855: _Target("x12", "order_response", "855"),
    EncodeType.X12_865: _Target("x12", "order_response", "865"),
    EncodeType.X12_861: _Target("x12", "goods_receipt", "861"),
    EncodeType.X12_830: _Target("x12", "delivery_schedule", "830"),
    EncodeType.X12_862: _Target("x12", "delivery_schedule", "862"),
    EncodeType.X12_997: _Target("x12", "functional_ack", "997"),
    EncodeType.EDIFACT_ORDERS: _Target("edifact", "purchase_order", "ORDERS"),
    EncodeType.EDIFACT_ORDCHG: _Target("edifact", "order_change", "ORDCHG"),
    EncodeType.EDIFACT_ORDRSP: _Target("edifact", "order_response", "ORDRSP"),
    EncodeType.EDIFACT_DESADV: _Target("edifact", "despatch_advice", "DESADV"),
    EncodeType.EDIFACT_INVOIC: _Target("edifact", "invoice", "INVOIC"),
    EncodeType.EDIFACT_RECADV: _Target("edifact", "goods_receipt", "RECADV"),
    EncodeType.EDIFACT_DELFOR: _Target("edifact", "delivery_schedule", "DELFOR"),
    EncodeType.EDIFACT_CONTRL: _Target("edifact", "functional_ack", "CONTRL"),
}

PartnerOption = Annotated[
    str | None,
    typer.Option(
        "--partner", help="partner profile id (PROCURELINK_PARTNERS_DIR): its codec options"
    ),
]
OptionsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--option",
        help="codec option k=v, repeatable, over the partner's; true/false and JSON "
        "objects or lists are parsed, anything else stays text",
    ),
]
ControlOption = Annotated[
    int, typer.Option("--control-number", min=1, help="interchange control number (ISA13/0020)")
]
GroupControlOption = Annotated[
    int | None,
    typer.Option("--group-control-number", min=1, help="GS06; defaults to --control-number"),
]
NowOption = Annotated[
    str | None,
    typer.Option("--now", help="ISO date-time written in the envelope; defaults to now (UTC)"),
]
CorrelationOption = Annotated[
    str, typer.Option("--correlation-id", help="correlation id of the decoded documents")
]


# --- shared helpers ---------------------------------------------------------------------


def _fail(error: ProcurelinkError) -> NoReturn:
    """Print the error as one JSON object on stderr and exit 1."""
    details = dict(error.details)
    if "message" in details:  # EDIFACT's UNH 0062 is the transaction's control number
        details["transaction"] = details.pop("message")
    # The first six keys are always there (null when unknown), so scripts can rely on them.
    location = {key: details.pop(key, None) for key in _LOCATION_KEYS}
    location = {k: v for k, v in location.items() if v is not None or k in _ALWAYS}
    body = {
        "code": error.code,
        "message": error.message,
        "location": location,
        "details": details,
    }
    typer.echo(json.dumps(body, ensure_ascii=False, default=str), err=True)
    raise typer.Exit(1)


def _read(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as exc:
        raise ConfigurationError("cannot read the file", file=str(file), reason=str(exc)) from exc


def detect_syntax(data: bytes) -> Syntax:
    """X12 when the file starts with ISA, EDIFACT with UNA or UNB (after a BOM, white space)."""
    head = data[:256].removeprefix(b"\xef\xbb\xbf").lstrip()[:3]
    if head == b"ISA":
        return "x12"
    if head in (b"UNA", b"UNB"):
        return "edifact"
    raise MalformedMessage(
        "not an X12 or EDIFACT interchange: expected ISA, UNA or UNB",
        offset=0,
        expected=["ISA", "UNA", "UNB"],
        found=head.decode("latin-1"),
    )


def _parse_options(pairs: list[str] | None) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for pair in pairs or ():
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ConfigurationError("an --option is not key=value", option=pair)
        options[key.strip()] = _option_value(value)
    return options


def _option_value(value: str) -> Any:
    # Ids such as 000123 must stay text, so numbers are never parsed; booleans and
    # structured options (uom_map, ack_status_map) are.
    if value in ("true", "false"):
        return value == "true"
    if value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise ConfigurationError("an --option value is not valid JSON", value=value) from exc
    return value


def _partner(partner: str | None) -> tuple[str, dict[str, Any]]:
    """The partner id and its codec options (with EDI identity and uom_map), or none."""
    if partner is None:
        return "cli", {}
    directory = Settings().partners_dir
    profiles, problems = bootstrap.load_partner_profiles(directory)
    profile = next((p for p in profiles if p.id == partner), None)
    if profile is None:
        raise ConfigurationError(
            "no valid partner profile with this id",
            partner=partner,
            partners_dir=str(directory),
            problems=[str(p) for p in problems],
        )
    return profile.id, codec_options(profile)


def _options(partner: str | None, pairs: list[str] | None) -> tuple[str, dict[str, Any]]:
    partner_id, options = _partner(partner)
    return partner_id, {**options, **_parse_options(pairs)}


def _now(value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise ConfigurationError("--now is not an ISO date-time", now=value) from exc


def _encode_ctx(
    partner_id: str,
    options: Mapping[str, Any],
    now: str | None,
    control: int,
    group_control: int | None,
) -> EncodeContext:
    return EncodeContext(
        partner_id=partner_id,
        correlation_id="edi-cli",
        now=_now(now),
        interchange_control_number=control,
        group_control_number=group_control or control,
        options=options,
    )


# --- decode -----------------------------------------------------------------------------


def decoded(file: Path, ctx: DecodeContext) -> Iterator[Decoded]:
    """Each document of the file with its envelope; large files are streamed."""
    if file.stat().st_size > _WHOLE_FILE_LIMIT:
        with file.open("rb") as stream:
            syntax = detect_syntax(stream.read(256))
            stream.seek(0)
            if syntax == "x12":
                yield from x12_streaming.decode_stream(stream, ctx)
            else:
                yield from edifact_streaming.decode_stream(stream, ctx)
            return
    data = _read(file)
    if detect_syntax(data) == "x12":
        yield from x12_streaming.iter_decode(data, ctx)
    else:
        yield from edifact_listing.iter_decode(data, ctx)


@edi_app.command("decode")
def decode_command(
    file: Annotated[Path, typer.Argument(help="an X12 or EDIFACT file")],
    partner: PartnerOption = None,
    option: OptionsOption = None,
    correlation_id: CorrelationOption = "edi-cli",
) -> None:
    """Print the canonical documents of FILE as a JSON list, each with its envelope."""
    try:
        partner_id, options = _options(partner, option)
        ctx = DecodeContext(
            partner_id=partner_id,
            correlation_id=correlation_id,
            message_id=file.name,
            options=options,
        )
        documents = [
            {**item.document.model_dump(mode="json"), "envelope": item.envelope.to_dict()}
            for item in decoded(file, ctx)
        ]
    except ProcurelinkError as exc:
        _fail(exc)
    except OSError as exc:
        _fail(ConfigurationError("cannot read the file", file=str(file), reason=str(exc)))
    typer.echo(json.dumps(documents, indent=2, ensure_ascii=False))


# --- encode -----------------------------------------------------------------------------


def load_document(file: Path) -> Document:
    """The canonical document of a JSON file: one object, or a list of exactly one (the
    output of ``edi decode`` is accepted; its ``envelope`` key is ignored)."""
    try:
        data = json.loads(_read(file))
    except json.JSONDecodeError as exc:
        raise InvalidDocument("document file is not JSON", file=str(file), line=exc.lineno) from exc
    if isinstance(data, list):
        if len(data) != 1:
            raise InvalidDocument("give one document per encode", file=str(file), found=len(data))
        data = data[0]
    if not isinstance(data, dict):
        raise InvalidDocument("document file must hold a JSON object", file=str(file))
    data.pop("envelope", None)
    try:
        return parse_document(data)
    except ValidationError as exc:
        errors = [
            {"loc": ".".join(str(p) for p in e["loc"]), "msg": e["msg"]}
            for e in exc.errors(include_url=False, include_input=False)
        ]
        raise InvalidDocument(
            "not a valid canonical document", file=str(file), errors=errors
        ) from None


def encode_document(document: Document, kind: EncodeType, ctx: EncodeContext) -> bytes:
    target = _TARGETS[kind]
    found = str(getattr(document, "document_type", type(document).__name__))
    if found != target.document_type:
        raise InvalidDocument(
            f"--type {kind.value} writes {target.document_type} documents, not {found}",
            expected=target.document_type,
            found=found,
        )
    codec = X12Codec() if target.syntax == "x12" else EdifactCodec()
    encoded = codec.encode(document, ctx)
    # Same document type, other set: an order_response answering a change is an 865, a
    # forecast schedule an 830, a 999 ack is no 997.
    written = encoded.filename.split("_", 1)[0]
    if written != target.set_id:
        raise InvalidDocument(
            f"this {found} document is written as {written}, not as --type {kind.value}",
            expected=target.set_id,
            found=written,
        )
    return encoded.body


@edi_app.command("encode")
def encode_command(
    kind: Annotated[EncodeType, typer.Option("--type", help="syntax and transaction set")],
    file: Annotated[Path, typer.Argument(help="canonical document as JSON")],
    partner: PartnerOption = None,
    option: OptionsOption = None,
    control_number: ControlOption = 1,
    group_control_number: GroupControlOption = None,
    now: NowOption = None,
) -> None:
    """Write DOC.json as X12 or EDIFACT bytes to stdout."""
    try:
        partner_id, options = _options(partner, option)
        ctx = _encode_ctx(partner_id, options, now, control_number, group_control_number)
        body = encode_document(load_document(file), kind, ctx)
    except ProcurelinkError as exc:
        _fail(exc)
    typer.echo(body, nl=False)


# --- ack --------------------------------------------------------------------------------


def functional_acks(data: bytes, ctx: EncodeContext, everyone: bool) -> list[bytes]:
    """997/999 (and TA1) for X12; CONTRL for EDIFACT, each from the next control number."""
    if detect_syntax(data) == "x12":
        return X12Codec().generate_functional_acks(data, ctx)
    decode_ctx = DecodeContext(ctx.partner_id, ctx.correlation_id, "ack", ctx.options)
    acks = edifact_validation.acknowledgments(data, decode_ctx, only_requested=not everyone)
    rendered = []
    for k, ack in enumerate(acks):
        # The CONTRL goes back to the interchange's sender unless the options say otherwise.
        options = {"sender_id": ack.recipient, "recipient_id": ack.sender, **ctx.options}
        reply = EncodeContext(
            ctx.partner_id,
            ctx.correlation_id,
            ctx.now,
            ctx.interchange_control_number + k,
            ctx.group_control_number + k,
            options,
        )
        rendered.append(EdifactCodec().encode(ack, reply).body)
    return rendered


@edi_app.command("ack")
def ack_command(
    file: Annotated[Path, typer.Argument(help="an inbound X12 or EDIFACT file")],
    partner: PartnerOption = None,
    option: OptionsOption = None,
    control_number: ControlOption = 1,
    group_control_number: GroupControlOption = None,
    now: NowOption = None,
    everyone: Annotated[
        bool,
        typer.Option("--all", help="EDIFACT: a CONTRL even where UNB 0031 asked for none"),
    ] = False,
) -> None:
    """Write the functional ack(s) FILE deserves to stdout (997/999 for X12, CONTRL)."""
    try:
        partner_id, options = _options(partner, option)
        ctx = _encode_ctx(partner_id, options, now, control_number, group_control_number)
        acks = functional_acks(_read(file), ctx, everyone)
    except ProcurelinkError as exc:
        _fail(exc)
    if not acks:
        typer.echo("no acknowledgment is due for this file", err=True)
    typer.echo(b"".join(acks), nl=False)


# --- validate ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem of a file, the same shape for both syntaxes."""

    interchange: str | None
    group: str | None
    transaction: str | None
    segment_index: int | None
    segment_id: str | None
    element_index: int | None
    rule: str
    message: str


def findings(data: bytes, partner_id: str, options: Mapping[str, Any]) -> list[Finding]:
    if detect_syntax(data) == "x12":
        return _x12_findings(data, options)
    ctx = DecodeContext(partner_id, "edi-cli", "validate", options)
    return [
        Finding(
            p.interchange,
            p.group,
            p.message_ref,
            p.segment_index,
            p.segment_id,
            p.element_index,
            f"0085={p.syntax_error}",
            p.message,
        )
        for report in edifact_validation.validate(data, ctx)
        for p in report.problems
    ]


def _x12_findings(data: bytes, options: Mapping[str, Any]) -> list[Finding]:
    report = X12Codec().validate(data, options)
    problems = list(report.file_problems)
    for interchange in report.interchanges:
        problems += interchange.problems
        for group in interchange.groups:
            problems += group.problems
            for transaction in group.sets:
                problems += transaction.problems
    return [
        Finding(
            p.interchange,
            p.group,
            p.transaction,
            p.segment_index,
            p.segment_id,
            p.element_index,
            str(p.rule.value),
            p.message,
        )
        for p in problems
    ]


@edi_app.command("validate")
def validate_command(
    file: Annotated[Path, typer.Argument(help="an X12 or EDIFACT file")],
    partner: PartnerOption = None,
    option: OptionsOption = None,
) -> None:
    """List every problem of FILE; exit 0 when there is none, 1 otherwise."""
    try:
        partner_id, options = _options(partner, option)
        problems = findings(_read(file), partner_id, options)
    except ProcurelinkError as exc:
        _fail(exc)
    if not problems:
        out.print(f"[green]ok[/green] {file}: no problems found")
        return
    table = Table(
        "interchange",
        "group",
        "transaction",
        "segment",
        "element",
        "rule",
        "problem",
        title=f"{file}: {len(problems)} problem(s)",
    )
    for p in problems:
        segment = f"{p.segment_id or '?'} #{p.segment_index}" if p.segment_index else ""
        table.add_row(
            p.interchange or "",
            p.group or "",
            p.transaction or "",
            segment or (p.segment_id or ""),
            "" if p.element_index is None else str(p.element_index),
            p.rule,
            p.message,
        )
    out.print(table)
    raise typer.Exit(1)
