"""The functional acknowledgments an inbound file deserves (edi.md sections 1.5, 2.7, 6).

One 997 (or 999) per received functional group, built from the validator's problems: set
statuses and AK5 codes from set-level problems, AK3/AK4 from located ones, AK9 from the
group's problems and its sets' verdicts. Groups of acknowledgments are never acknowledged.
A TA1 answers an interchange whose envelope is broken, or whose sender asked for one (ISA14).

``generate_functional_acks(data, ctx)`` returns rendered interchanges: the acks in file
order, then the TA1s; the k-th uses ``ctx.interchange_control_number + k`` and
``ctx.group_control_number + k``. Options (``ctx.options``), over the envelope options of
the package docstring:

    ``functional_ack``: ``997`` (default), ``999``, or ``auto`` (999 for groups of 005010
    and later). The reply goes back to the sender (ISA05/06 <-> ISA07/08), in the group's
    version (004010 or 005010; a 999 is always 005010) and with the inbound usage (ISA15),
    unless the options name them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from procurelink.codecs.x12 import funcack997
from procurelink.codecs.x12.rules import Level, Rule
from procurelink.codecs.x12.validation import (
    GroupReport,
    InterchangeReport,
    Problem,
    SetReport,
    ValidationReport,
    validate,
)
from procurelink.codecs.x12.writer import EnvelopeSettings, write_interchange, write_ta1
from procurelink.domain.acknowledgment import (
    AckCounts,
    AckDetail,
    AckStatus,
    FunctionalAck,
    SyntaxIssue,
)
from procurelink.errors import ConfigurationError, InvalidDocument
from procurelink.ports.codec import EncodeContext

# Problems that leave a set accepted, with errors noted: a partner's CTT count or hash is
# checked leniently (edi.md section 1.5).
_NOTED = frozenset({Rule.COUNT_MISMATCH})
_VERSIONS = ("004010", "005010")


def functional_acks(report: ValidationReport, ctx: EncodeContext) -> list[FunctionalAck]:
    """The canonical 997/999 of every received group that is not itself an ack."""
    return [ack for _, ack in _acks(report, ctx)]


def _acks(
    report: ValidationReport, ctx: EncodeContext
) -> list[tuple[InterchangeReport, FunctionalAck]]:
    choice = str(ctx.options.get("functional_ack", "997"))
    if choice not in ("997", "999", "auto"):
        raise ConfigurationError("functional_ack must be 997, 999 or auto", option="functional_ack")
    acks = []
    for interchange in report.interchanges:
        for group in interchange.groups:
            if group.header.functional_id == "FA":
                continue
            late = group.header.version[:6] >= "005010"
            ack_type = "999" if choice == "999" or (choice == "auto" and late) else "997"
            acks.append((interchange, _ack(interchange, group, ack_type, ctx)))
    return acks


def _ack(
    interchange: InterchangeReport, group: GroupReport, ack_type: str, ctx: EncodeContext
) -> FunctionalAck:
    header = group.header
    details = tuple(_detail(s) for s in group.sets)
    accepted = sum(d.status != AckStatus.REJECTED for d in details)
    return FunctionalAck(
        document_id=f"x12-ack:{header.interchange.sender_id}:{header.interchange.control}:"
        f"{header.control}",
        partner_id=ctx.partner_id,
        correlation_id=ctx.correlation_id,
        syntax="x12",
        ack_type="999" if ack_type == "999" else "997",
        status=_group_status(group, details),
        interchange_ref=header.interchange.control,
        group_ref=header.control,
        functional_id=header.functional_id,
        group_version=header.version or None,
        counts=AckCounts(included=_included(group), received=len(details), accepted=accepted),
        details=details,
        errors=tuple(_issue(p) for p in group.problems if p.level == Level.GROUP),
    )


def _included(group: GroupReport) -> int:
    """GE01 as sent: the count problem keeps what was found, else it matched."""
    declared = next((p.found for p in group.problems if p.rule == Rule.GE_COUNT), None)
    if isinstance(declared, str) and declared.isascii() and declared.isdigit():
        return int(declared)
    return len(group.sets)


def _group_status(group: GroupReport, details: tuple[AckDetail, ...]) -> AckStatus:
    statuses = {d.status for d in details}
    if group.problems or not details or statuses == {AckStatus.REJECTED}:
        return AckStatus.REJECTED if group.problems or details else AckStatus.ACCEPTED
    if AckStatus.REJECTED in statuses:
        return AckStatus.PARTIALLY_ACCEPTED
    if AckStatus.ACCEPTED_WITH_ERRORS in statuses:
        return AckStatus.ACCEPTED_WITH_ERRORS
    return AckStatus.ACCEPTED


def _detail(report: SetReport) -> AckDetail:
    problems = report.problems
    set_codes = list(dict.fromkeys(p.ack_code for p in problems if p.level == Level.TRANSACTION))
    located = [p for p in problems if p.level in (Level.SEGMENT, Level.ELEMENT)]
    if located and "5" not in set_codes:
        set_codes.append("5")
    if not problems:
        status = AckStatus.ACCEPTED
    elif all(p.rule in _NOTED for p in problems):
        status = AckStatus.ACCEPTED_WITH_ERRORS
    else:
        status = AckStatus.REJECTED
    issues = [SyntaxIssue(code=c, description=funcack997.SET_CODES.get(c)) for c in set_codes]
    return AckDetail(
        ref=report.control,
        type=report.set_id,
        status=status,
        errors=tuple(issues + [_issue(p) for p in located]),
    )


def _issue(problem: Problem) -> SyntaxIssue:
    element = problem.level == Level.ELEMENT
    segment_id = problem.segment_id
    if segment_id is None and problem.level == Level.SEGMENT and isinstance(problem.expected, str):
        segment_id = problem.expected[:3]  # a missing segment is named by what was expected
    return SyntaxIssue(
        code=problem.ack_code,
        description=problem.message,
        segment_id=segment_id if problem.level in (Level.SEGMENT, Level.ELEMENT) else None,
        segment_position=problem.segment_index if problem.level != Level.GROUP else None,
        element_position=problem.element_index if element else None,
        component_position=problem.component_index if element else None,
        bad_value=str(problem.found) if element and problem.found is not None else None,
    )


def generate_functional_acks(data: bytes, ctx: EncodeContext) -> list[bytes]:
    """Rendered acks for ``data``: 997/999 per group, then TA1s (see the module docstring).

    Raises InvalidDocument when a reply cannot be addressed or written (a sender id that
    is empty or holds the reply's delimiters); never for what is wrong inside the file.
    """
    report = validate(data, ctx.options)
    rendered: list[bytes] = []
    for interchange, ack in _acks(report, ctx):
        assert interchange.header is not None  # groups exist only in read interchanges
        version = "005010" if ack.ack_type == "999" else (ack.group_version or "")[:6]
        settings = _reply_settings(interchange, ctx.options, version)
        k = len(rendered)
        body = funcack997.encode(ack, settings.delimiters)
        data_out, _ = write_interchange(
            settings,
            ack.ack_type,
            "FA",
            body,
            ctx.now,
            ctx.interchange_control_number + k,
            ctx.group_control_number + k,
            funcack997.IMPLEMENTATION_999 if ack.ack_type == "999" else "",
        )
        rendered.append(data_out)
    for interchange in report.interchanges:
        ta1 = _ta1(interchange)
        if ta1 is not None and interchange.header is not None:
            settings = _reply_settings(interchange, ctx.options, "")
            control = ctx.interchange_control_number + len(rendered)
            rendered.append(write_ta1(settings, ta1, ctx.now, control))
    return rendered


def _ta1(interchange: InterchangeReport) -> tuple[str, ...] | None:
    header = interchange.header
    if header is None or not (interchange.problems or header.ack_requested):
        return None
    problems = interchange.problems
    # The first interchange-level problem names the note code; other levels go into acks.
    own = [p for p in problems if p.level == Level.INTERCHANGE]
    code = own[0].ack_code if own else ("024" if problems else "000")
    status = "R" if problems else "A"
    return (header.control, header.date, header.time, status, code)


def _reply_settings(
    interchange: InterchangeReport, options: Mapping[str, Any], version: str
) -> EnvelopeSettings:
    header = interchange.header
    assert header is not None
    reply: dict[str, Any] = {
        "sender_qualifier": header.receiver_qualifier,
        "sender_id": header.receiver_id,
        "receiver_qualifier": header.sender_qualifier,
        "receiver_id": header.sender_id,
        "usage": header.usage if header.usage in ("P", "T") else "P",
        **options,
    }
    if "version" not in options and version in _VERSIONS:
        reply["version"] = version
    if reply.get("version") == "004010":
        # An 004010 envelope has no repetition separator, whatever a 5010 partner set.
        reply.pop("repetition_separator", None)
    try:
        return EnvelopeSettings.from_options(reply)
    except ConfigurationError as exc:
        # Usually the inbound ISA: an empty or garbled sender id cannot be answered.
        raise InvalidDocument(
            "the interchange's sender cannot be answered", interchange=header.control
        ) from exc
