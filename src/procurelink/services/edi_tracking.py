"""What we sent, by EDI control number: the record a functional ack is matched against.

State keys (KeyValue), control numbers normalised (see ``control``):

    sent:<partner>:<syntax>:<interchange>        JSON ``SentInterchange``
    sent-group:<partner>:<syntax>:<group>        the interchange that carried the group
    acked:<partner>:<syntax>:<interchange>       JSON of the first ack received
    ack-overdue:<partner>:<syntax>:<interchange> the exception opened for a missing ack

The missing-ack timer is a job (``ACK_DEADLINE_JOB``) due when the window closes; it is
not run by the JobRunner but claimed by ``FunctionalAckService.check_overdue``, the check
the worker makes every poll round. The store has no key scan, and a job row is the one
durable "wake me at" the ports offer, with claim/complete guards for free.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from procurelink.domain.acknowledgment import FunctionalAck
from procurelink.domain.document import Document
from procurelink.domain.partner_profile import PartnerProfile
from procurelink.ports.codec import Codec, Envelope, SyntaxAcknowledging
from procurelink.ports.records import NewJob, RawMessage
from procurelink.ports.store import UnitOfWork

ACK_DEADLINE_JOB = "edi.functional_ack_deadline"


def control(number: str) -> str:
    """Control numbers compared numerically: partners pad them inconsistently (edi.md 5.7)."""
    number = number.strip()
    return number.lstrip("0") or "0" if number.isdigit() else number


def sent_key(partner_id: str, syntax: str, interchange: str) -> str:
    return f"sent:{partner_id}:{syntax}:{control(interchange)}"


def group_key(partner_id: str, syntax: str, group: str) -> str:
    return f"sent-group:{partner_id}:{syntax}:{control(group)}"


def acked_key(partner_id: str, syntax: str, interchange: str) -> str:
    return f"acked:{partner_id}:{syntax}:{control(interchange)}"


def overdue_key(partner_id: str, syntax: str, interchange: str) -> str:
    return f"ack-overdue:{partner_id}:{syntax}:{control(interchange)}"


@dataclass(frozen=True, slots=True)
class SentInterchange:
    """One outbound interchange as a functional ack will name it."""

    partner_id: str
    syntax: str
    interchange: str
    message_id: str
    filename: str | None
    document_type: str
    document_id: str
    correlation_id: str | None
    order_number: str | None
    groups: tuple[str, ...]
    messages: tuple[str, ...]
    expect_ack: bool

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> SentInterchange:
        data: dict[str, Any] = json.loads(text)
        data["groups"] = tuple(data["groups"])
        data["messages"] = tuple(data["messages"])
        return cls(**data)

    @property
    def label(self) -> str:
        return f"{self.document_type} {self.filename or self.message_id}"


def acknowledging(codec: Codec) -> SyntaxAcknowledging | None:
    return codec if isinstance(codec, SyntaxAcknowledging) else None


def expects_ack(profile: PartnerProfile, syntax: str, envelope: Envelope) -> bool:
    mode = profile.functional_acks.expect
    if mode == "auto":
        # X12 partners answer every group with a 997; EDIFACT ones only when UNB 0031 asks.
        return syntax == "x12" or envelope.ack_requested
    return mode == "always"


async def track_sent(
    uow: UnitOfWork,
    profile: PartnerProfile,
    codec: Codec,
    message: RawMessage,
    document: Document,
) -> RawMessage:
    """Record the control numbers of an outbound message in ``uow``; returns the message
    with them in its metadata (shown by the console and handed to the channel)."""
    acking = acknowledging(codec)
    if acking is None or isinstance(document, FunctionalAck):
        return message  # never expect an acknowledgment of an acknowledgment
    envelopes = acking.envelopes(message.body, document_options(profile))
    expected = False
    for envelope in envelopes:
        record = SentInterchange(
            partner_id=profile.id,
            syntax=acking.syntax,
            interchange=control(envelope.interchange),
            message_id=message.id,
            filename=message.filename,
            document_type=document.document_type,
            document_id=document.document_id,
            correlation_id=message.correlation_id,
            order_number=getattr(document, "order_number", None),
            groups=tuple(control(g) for g in envelope.groups),
            messages=envelope.messages,
            expect_ack=expects_ack(profile, acking.syntax, envelope),
        )
        expected = expected or record.expect_ack
        await uow.state.put(
            sent_key(profile.id, acking.syntax, envelope.interchange), record.to_json()
        )
        for group in envelope.groups:
            await uow.state.put(
                group_key(profile.id, acking.syntax, group), control(envelope.interchange)
            )
    if not envelopes:
        return message
    return replace(
        message,
        metadata={
            **message.metadata,
            "edi_syntax": acking.syntax,
            "edi_interchanges": ",".join(control(e.interchange) for e in envelopes),
            "edi_groups": ",".join(control(g) for e in envelopes for g in e.groups),
            "edi_expect_ack": "true" if expected else "false",
        },
    )


def document_options(profile: PartnerProfile) -> dict[str, Any]:
    """Options to read our own outbound bytes back with: the profile's codec options."""
    return dict(profile.codec.options)


async def expect_functional_ack(
    uow: UnitOfWork, profile: PartnerProfile, message: RawMessage, now: datetime
) -> None:
    """Start the ack window of a delivered message: one timer per interchange, in ``uow``."""
    if message.metadata.get("edi_expect_ack") != "true":
        return
    syntax = str(message.metadata["edi_syntax"])
    window = timedelta(hours=profile.functional_acks.expect_within_hours)
    for interchange in str(message.metadata["edi_interchanges"]).split(","):
        await uow.jobs.enqueue(
            NewJob(
                kind=ACK_DEADLINE_JOB,
                payload={"partner_id": profile.id, "syntax": syntax, "interchange": interchange},
                correlation_id=message.correlation_id,
                partner_id=profile.id,
                run_at=now + window,
                # One timer per interchange however often the delivery is retried.
                dedupe_key=f"{ACK_DEADLINE_JOB}:{profile.id}:{syntax}:{interchange}",
            ),
            now,
        )
