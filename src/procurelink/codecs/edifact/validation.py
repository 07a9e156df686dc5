"""Every problem of an inbound file, and the CONTRL each interchange deserves.

``validate`` runs the same rules as decoding (envelope rules through a Collector, the DTM and
number rules of ``elements``, then each message's mapper) but keeps going, so a CONTRL or
``edi validate`` can list them all. ``acknowledgments`` turns the result into one
FunctionalAck per interchange that asked for one (UNB 0031 = 1), never for an interchange
that holds only CONTRLs (no acknowledgment of an acknowledgment, edi.md section 6). Render
it with ``EdifactCodec.encode`` to get the CONTRL bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from procurelink.codecs.edifact.codec import decode_message
from procurelink.codecs.edifact.contrl import MESSAGE_LEVEL_TAGS
from procurelink.codecs.edifact.elements import dtm_problem, number_problem
from procurelink.codecs.edifact.envelope import Interchange, Message
from procurelink.codecs.edifact.inbound import read_interchanges, read_text
from procurelink.codecs.edifact.problems import Collector, Problem, Sink
from procurelink.domain.acknowledgment import (
    AckCounts,
    AckDetail,
    AckStatus,
    FunctionalAck,
    SyntaxIssue,
)
from procurelink.errors import ProcurelinkError
from procurelink.ports.codec import DecodeContext

# Segment -> (element, component) of its number, checked in every message.
_NUMBERS = {"QTY": (1, 2), "MOA": (1, 2), "PRI": (1, 2)}


@dataclass
class InterchangeReport:
    """One interchange (None when the bytes could not be read that far) and its problems."""

    interchange: Interchange | None
    problems: list[Problem] = field(default_factory=list)


def validate(data: bytes, ctx: DecodeContext) -> list[InterchangeReport]:
    collector = Collector()
    reports: list[InterchangeReport] = []
    try:
        iterator = read_interchanges(read_text(data), collector)
        while True:
            start = len(collector.problems)
            try:
                interchange = next(iterator)
            except StopIteration:
                break
            except ProcurelinkError as exc:
                collector.report(Problem.from_error(exc))
                reports.append(InterchangeReport(None, collector.problems[start:]))
                break
            for message in interchange.messages:
                check_message(interchange, message, ctx, collector)
            reports.append(InterchangeReport(interchange, collector.problems[start:]))
    except ProcurelinkError as exc:  # unreadable bytes, empty file
        reports.append(InterchangeReport(None, [Problem.from_error(exc)]))
    return reports


def check_message(
    interchange: Interchange, message: Message, ctx: DecodeContext, sink: Sink
) -> None:
    place = message.place
    for segment in message.segments:
        problem = None
        if segment.tag == "DTM":
            problem = dtm_problem(place, segment)
        elif segment.tag in _NUMBERS:
            problem = number_problem(place, segment, *_NUMBERS[segment.tag])
        if problem is not None:
            sink.report(problem)
    try:
        decode_message(interchange, message, ctx.partner_id, ctx)
    except ProcurelinkError as exc:
        sink.report(Problem.from_error(exc))


def acknowledgments(
    data: bytes, ctx: DecodeContext, only_requested: bool = True
) -> list[FunctionalAck]:
    acks: list[FunctionalAck] = []
    for report in validate(data, ctx):
        interchange = report.interchange
        if interchange is None or (only_requested and not interchange.ack_requested):
            continue
        if interchange.messages and all(m.type == "CONTRL" for m in interchange.messages):
            continue
        acks.append(_ack(interchange, report.problems, ctx))
    return acks


def _ack(interchange: Interchange, problems: list[Problem], ctx: DecodeContext) -> FunctionalAck:
    refs = {m.ref for m in interchange.messages}
    details = tuple(
        AckDetail(
            ref=m.ref,
            type=m.identifier,
            status=AckStatus.REJECTED if _of(problems, m) else AckStatus.ACCEPTED,
            errors=tuple(_issue(p) for p in _of(problems, m)),
        )
        for m in interchange.messages
    )
    envelope = [p for p in problems if p.message_ref not in refs]
    accepted = sum(d.status == AckStatus.ACCEPTED for d in details)
    if envelope or (details and not accepted):
        status = AckStatus.REJECTED
    else:
        status = AckStatus.ACCEPTED if accepted == len(details) else AckStatus.PARTIALLY_ACCEPTED
    return FunctionalAck(
        document_id=f"edifact-contrl:{interchange.sender}:{interchange.control}",
        partner_id=ctx.partner_id,
        correlation_id=ctx.correlation_id,
        syntax="edifact",
        ack_type="CONTRL",
        status=status,
        interchange_ref=interchange.control,
        sender=interchange.sender,
        recipient=interchange.recipient,
        action_code="4" if envelope else "7",
        counts=AckCounts(included=len(details), received=len(details), accepted=accepted),
        details=details,
        errors=tuple(_issue(p) for p in envelope),
    )


def _of(problems: list[Problem], message: Message) -> list[Problem]:
    return [p for p in problems if p.message_ref == message.ref]


def _issue(problem: Problem) -> SyntaxIssue:
    on_envelope = problem.segment_id in MESSAGE_LEVEL_TAGS or problem.message_ref is None
    found = problem.extra.get("found")
    return SyntaxIssue(
        code=problem.syntax_error,
        description=problem.message,
        segment_id=problem.segment_id,
        segment_position=None if on_envelope else problem.segment_index,
        element_position=problem.element_index,
        component_position=problem.component_index,
        bad_value=str(found) if found is not None else None,
    )
