"""CONTRL <-> FunctionalAck (edi.md sections 4.7 and 5.5).

Reading: UCI (interchange), UCF (group), UCM (message) with their action codes, UCS segment
errors and UCD element errors. Writing: the CONTRL an interchange deserves is built by
``validation.acknowledgments`` as a FunctionalAck and rendered here: problems on UNH/UNT go
into UCM 0085 (count and reference errors), other message problems into UCS/UCD, and
interchange problems into UCI 0085.
"""

from __future__ import annotations

from itertools import groupby

from procurelink.codecs.edifact.common import MessageContext
from procurelink.codecs.edifact.elements import integer, optional
from procurelink.codecs.edifact.envelope import Interchange, Message
from procurelink.codecs.edifact.problems import MISSING
from procurelink.codecs.edifact.writer import OutSegment
from procurelink.domain.acknowledgment import AckDetail, AckStatus, FunctionalAck, SyntaxIssue

_READ_ACTIONS = {"7": AckStatus.ACCEPTED, "4": AckStatus.REJECTED, "8": AckStatus.RECEIVED}
_WRITE_ACTIONS = {
    AckStatus.ACCEPTED: "7",
    AckStatus.ACCEPTED_WITH_ERRORS: "7",
    AckStatus.PARTIALLY_ACCEPTED: "7",
    AckStatus.RECEIVED: "8",
    AckStatus.REJECTED: "4",
}
# Problems on these segments are the message's own envelope: reported in UCM, not UCS.
MESSAGE_LEVEL_TAGS = ("UNH", "UNT")


def decode(m: MessageContext, interchange: Interchange, message: Message) -> FunctionalAck:
    uci = next((s for s in message.segments if s.tag == "UCI"), None)
    if uci is None:
        raise m.place.error("CONTRL without UCI", syntax_error=MISSING, expected="UCI")
    action = uci.get(4)
    details: list[AckDetail] = []
    current: dict[str, object] | None = None
    issues: list[SyntaxIssue] = []
    position: int | None = None
    group_ref = None
    for segment in message.segments:
        if segment.tag == "UCF":
            group_ref = group_ref or optional(segment, 1)
        elif segment.tag == "UCM":
            if current is not None:
                details.append(_detail(current, issues))
            current = {"ref": segment.get(1), "type": ":".join(segment.components(2)[:4])}
            current["status"] = _READ_ACTIONS.get(segment.get(3), AckStatus.REJECTED)
            issues = []
            if segment.get(4):
                issues.append(
                    SyntaxIssue(
                        code=segment.get(4),
                        segment_id=optional(segment, 5),
                        element_position=integer(m.place, segment, 6, 1),
                        component_position=integer(m.place, segment, 6, 2),
                    )
                )
        elif segment.tag == "UCS" and current is not None:
            position = integer(m.place, segment, 1)
            if segment.get(2):
                issues.append(SyntaxIssue(code=segment.get(2), segment_position=position))
        elif segment.tag == "UCD" and current is not None:
            issues.append(
                SyntaxIssue(
                    code=segment.get(1),
                    segment_position=position,
                    element_position=integer(m.place, segment, 2, 1),
                    component_position=integer(m.place, segment, 2, 2),
                )
            )
    if current is not None:
        details.append(_detail(current, issues))
    errors: tuple[SyntaxIssue, ...] = ()
    if uci.get(5):
        errors = (
            SyntaxIssue(
                code=uci.get(5),
                segment_id=optional(uci, 6),
                element_position=integer(m.place, uci, 7, 1),
                component_position=integer(m.place, uci, 7, 2),
            ),
        )
    return FunctionalAck(
        **m.ids,
        syntax="edifact",
        ack_type="CONTRL",
        status=_overall(action, details),
        interchange_ref=uci.get(1) or None,
        group_ref=group_ref,
        sender=optional(uci, 2, 1),
        recipient=optional(uci, 3, 1),
        action_code=action or None,
        details=tuple(details),
        errors=errors,
    )


def _detail(current: dict[str, object], issues: list[SyntaxIssue]) -> AckDetail:
    return AckDetail(
        ref=str(current["ref"]),
        type=str(current["type"]),
        status=AckStatus(str(current["status"])),
        errors=tuple(issues),
    )


def _overall(action: str, details: list[AckDetail]) -> AckStatus:
    status = _READ_ACTIONS.get(action, AckStatus.REJECTED)
    rejected = sum(d.status == AckStatus.REJECTED for d in details)
    if status != AckStatus.ACCEPTED or not rejected:
        return status
    # UCI "7" acknowledges the interchange; its messages may still all be rejected.
    return AckStatus.REJECTED if rejected == len(details) else AckStatus.PARTIALLY_ACCEPTED


def encode(m: MessageContext, ack: FunctionalAck) -> list[OutSegment]:
    uci: list[str | tuple[str, ...]] = [
        ack.interchange_ref or "",
        # Sender and recipient of the acknowledged interchange, not swapped (edi.md 4.7): they
        # are this CONTRL's recipient and sender, so their qualifiers are the envelope's.
        (ack.sender or "", str(m.options.get("recipient_qualifier", "14"))),
        (ack.recipient or "", str(m.options.get("sender_qualifier", "14"))),
        ack.action_code or _WRITE_ACTIONS[ack.status],
    ]
    if ack.errors:
        first = ack.errors[0]
        uci += [first.code, first.segment_id or "", _position(first)]
    segments: list[OutSegment] = [("UCI", *uci)]
    for detail in ack.details:
        segments += _message_response(detail)
    return segments


def _message_response(detail: AckDetail) -> list[OutSegment]:
    envelope = [e for e in detail.errors if e.segment_position is None]
    action = "4" if detail.status == AckStatus.REJECTED else "7"
    ucm: list[str | tuple[str, ...]] = [detail.ref, tuple(detail.type.split(":")), action]
    if envelope:
        ucm += [envelope[0].code, envelope[0].segment_id or "", _position(envelope[0])]
    segments: list[OutSegment] = [("UCM", *ucm)]
    located = sorted(
        (e for e in detail.errors if e.segment_position is not None),
        key=lambda e: e.segment_position or 0,
    )
    for position, group in groupby(located, key=lambda e: e.segment_position):
        issues = list(group)
        segment_level = next((e.code for e in issues if e.element_position is None), "")
        segments.append(("UCS", str(position), segment_level))
        segments += [
            ("UCD", e.code, _position(e)) for e in issues if e.element_position is not None
        ]
    return segments


def _position(issue: SyntaxIssue) -> tuple[str, ...]:
    if issue.element_position is None:
        return ()
    component = str(issue.component_position) if issue.component_position else ""
    return (str(issue.element_position), component)
