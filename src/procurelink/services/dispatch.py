"""Outbound path: render a document with the partner's codec and deliver it by its channel."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import Any

from procurelink.domain.document import Document
from procurelink.domain.events import DocumentSent
from procurelink.domain.ledger import OrderState
from procurelink.domain.partner_profile import PartnerProfile
from procurelink.errors import InvalidDocument
from procurelink.ports.channel import META_DOCUMENT_TYPE, META_ORDER_NUMBER, OutboundPayload
from procurelink.ports.codec import EncodeContext, Encoded
from procurelink.ports.records import AuditEntry, Direction, Effect, Job, NewJob, RawMessage
from procurelink.ports.store import UnitOfWork
from procurelink.services.context import Deps
from procurelink.services.edi_tracking import expect_functional_ack, track_sent
from procurelink.workflow.lifecycle import Actor, sources_for

DELIVER_JOB = "outbound.deliver"


def codec_options(profile: PartnerProfile) -> dict[str, Any]:
    """Codec options of the profile, completed with the partner's EDI identity."""
    options: dict[str, Any] = dict(profile.codec.options)
    if profile.identifiers.x12 is not None:
        options.setdefault("receiver_qualifier", profile.identifiers.x12.qualifier)
        options.setdefault("receiver_id", profile.identifiers.x12.id)
    if profile.identifiers.edifact is not None:
        options.setdefault("recipient_qualifier", profile.identifiers.edifact.qualifier)
        options.setdefault("recipient_id", profile.identifiers.edifact.id)
    elif profile.identifiers.gln is not None:
        options.setdefault("recipient_qualifier", "14")  # GLN
        options.setdefault("recipient_id", profile.identifiers.gln)
    options["uom_map"] = dict(profile.uom_map)
    return options


async def queue_encoded(
    deps: Deps,
    uow: UnitOfWork,
    profile: PartnerProfile,
    encoded: Encoded,
    correlation_id: str | None,
    partition: str | None,
    metadata: dict[str, Any],
    track: Callable[[RawMessage], Awaitable[RawMessage]] | None = None,
) -> str:
    """Store rendered bytes as an outbound message and queue their delivery, in ``uow``."""
    now = deps.clock.now()
    message = RawMessage(
        id=deps.new_id(),
        direction=Direction.OUTBOUND,
        partner_id=profile.id,
        channel=profile.channels.outbound.type if profile.channels.outbound else "none",
        body=encoded.body,
        sha256=hashlib.sha256(encoded.body).hexdigest(),
        received_at=now,
        correlation_id=correlation_id,
        filename=encoded.filename,
        content_type=encoded.content_type,
        metadata=metadata,
    )
    if track is not None:
        message = await track(message)
    await uow.messages.add(message)
    await uow.jobs.enqueue(
        NewJob(
            kind=DELIVER_JOB,
            payload={"message_id": message.id},
            correlation_id=correlation_id,
            partner_id=profile.id,
            partition_key=partition,
            dedupe_key=f"{DELIVER_JOB}:{message.id}",
        ),
        now,
    )
    return message.id


class DispatchService:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def render_and_queue(
        self, uow: UnitOfWork, profile: PartnerProfile, document: Document, partition: str
    ) -> str:
        """Render ``document`` and queue its delivery in ``uow``; returns the message id."""
        deps = self._deps
        codec = deps.router.codec(profile)
        if document.document_type not in codec.encodes:
            raise InvalidDocument(
                f"codec {codec.name} of {profile.id} cannot render {document.document_type}",
                codec=codec.name,
            )
        now = deps.clock.now()
        # Control numbers come from durable per-partner counters: never reused, even when
        # several workers render at once or a delivery is retried.
        ctx = EncodeContext(
            partner_id=profile.id,
            correlation_id=document.correlation_id,
            now=now,
            interchange_control_number=await uow.state.next_counter(f"isa:{profile.id}"),
            group_control_number=await uow.state.next_counter(f"gs:{profile.id}"),
            options=codec_options(profile),
        )
        encoded = codec.encode(document, ctx)
        metadata = {
            "document_id": document.document_id,
            META_DOCUMENT_TYPE: document.document_type,
            "interchange_control_number": str(ctx.interchange_control_number),
        }
        order_number = getattr(document, "order_number", None)
        if order_number:
            # Channels that address a person (the e-mail subject) name the order.
            metadata[META_ORDER_NUMBER] = str(order_number)
        return await queue_encoded(
            deps,
            uow,
            profile,
            encoded,
            document.correlation_id,
            partition,
            metadata=metadata,
            # What a 997/CONTRL will refer to is recorded with the message, so the ack can
            # be matched and a missing one noticed (services.functional_acks).
            track=lambda message: track_sent(uow, profile, codec, message, document),
        )

    async def deliver_job(self, job: Job) -> None:
        deps = self._deps
        message_id = str(job.payload["message_id"])
        effect_key = f"delivered:{message_id}"
        async with deps.store.unit_of_work() as uow:
            if await uow.effects.get(effect_key) is not None:
                return
            message = await uow.messages.get(message_id)
        if message is None or message.partner_id is None:
            raise InvalidDocument(f"outbound message {message_id} is gone")
        profile = deps.partner(message.partner_id)
        channel = deps.router.outbound(profile)
        receipt = await channel.send(
            OutboundPayload(
                partner_id=profile.id,
                filename=message.filename or f"{message.id}.bin",
                content_type=message.content_type,
                body=message.body,
                correlation_id=message.correlation_id or message.id,
                idempotency_key=message.id,
                metadata={k: str(v) for k, v in message.metadata.items()},
            )
        )
        now = deps.clock.now()
        order_number: str | None = None
        async with deps.store.unit_of_work() as uow:
            if not await uow.effects.record(
                Effect(
                    key=effect_key,
                    kind="delivery",
                    applied_at=now,
                    correlation_id=message.correlation_id,
                    job_id=job.id,
                    result={"channel": receipt.channel, "destination": receipt.destination},
                )
            ):
                return
            if message.correlation_id:
                order = await uow.ledger.get_by_correlation(message.correlation_id)
                if order is not None:
                    order_number = order.order_number
                    await uow.ledger.set_state(
                        order.order_number,
                        sources_for(OrderState.SENT, Actor.SYSTEM),
                        OrderState.SENT,
                        now,
                    )
            await uow.audit.append(
                AuditEntry(
                    at=now,
                    actor="procurelink",
                    action="document_sent",
                    correlation_id=message.correlation_id,
                    order_number=order_number,
                    subject=f"{message.filename} via {receipt.channel} to {receipt.destination}",
                    after={"message_id": message.id, "sha256": message.sha256},
                )
            )
            # The ack window starts when the bytes left, not when they were rendered.
            await expect_functional_ack(uow, profile, message, now)
            await uow.commit()
        await deps.bus.publish(
            DocumentSent(
                event_id=deps.new_id(),
                occurred_at=now,
                correlation_id=message.correlation_id or message.id,
                partner_id=profile.id,
                order_number=order_number,
                data={
                    "message_id": message.id,
                    "filename": message.filename,
                    "destination": receipt.destination,
                },
            )
        )
