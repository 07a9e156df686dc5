"""Functional acknowledgments both ways (edi.md sections 1.5, 2.7, 4.7, 5.5 and 6).

Inbound file: ``settle`` runs once per decoded file, in one unit of work: it refuses an
interchange already received from the partner (by ISA13 / UNB 0020), records the decode
outcome and queues the 997/999/TA1 or CONTRL the file deserves (negative ones for a file
that failed to decode). A ``decoded:<message>`` key makes a retried decode job skip all of
it, so each inbound file is answered exactly once.

Inbound ack: ``receive`` matches a 997/999/CONTRL to the interchange we sent
(``edi_tracking``) and records the verdict on the order's timeline; a rejection opens an
exception, and so does an ack for something we never sent.

Missing ack: ``check_overdue`` (every poll round) opens one exception per delivered
interchange whose ack window closed without an ack.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from procurelink.domain.acknowledgment import AckStatus, FunctionalAck, SyntaxIssue
from procurelink.domain.document import Document
from procurelink.domain.partner_profile import PartnerProfile
from procurelink.errors import (
    DomainError,
    DuplicateMessage,
    InvalidDocument,
    ProcurelinkError,
    TransientError,
    WrongSupplier,
)
from procurelink.ports.codec import DecodeContext, EncodeContext, Envelope, SyntaxAcknowledging
from procurelink.ports.records import AuditEntry, RawMessage
from procurelink.ports.store import UnitOfWork
from procurelink.services.context import Deps
from procurelink.services.dispatch import codec_options, queue_encoded
from procurelink.services.documents import stored_document
from procurelink.services.edi_tracking import (
    ACK_DEADLINE_JOB,
    SentInterchange,
    acked_key,
    control,
    group_key,
    overdue_key,
    sent_key,
)
from procurelink.services.recording import exception_event, record_exception

_WATCHER = "functional-ack-watch"
_NEGATIVE = (AckStatus.REJECTED, AckStatus.PARTIALLY_ACCEPTED)


class DuplicateInterchange(DuplicateMessage):
    """The interchange control number was already received from this partner."""

    code = "duplicate_interchange"


class UnknownFunctionalAck(InvalidDocument):
    """The functional acknowledgment refers to nothing procurelink sent."""

    code = "unknown_functional_ack"


class FunctionalAckRejected(DomainError):
    """The partner's functional acknowledgment rejects what procurelink sent."""

    code = "functional_ack_rejected"


class FunctionalAckMissing(DomainError):
    """No functional acknowledgment arrived within the agreed window."""

    code = "functional_ack_missing"


class FunctionalAckService:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def settle(
        self,
        message: RawMessage,
        codec: object,
        ctx: DecodeContext,
        documents: Sequence[Document],
        error: ProcurelinkError | None,
    ) -> bool:
        """Record how decoding went and queue the acks; True when the documents go on.

        A decode error, or an interchange already received, opens an exception and returns
        False: nothing of the file is applied.
        """
        deps = self._deps
        assert message.partner_id is not None
        profile = deps.partner(message.partner_id)
        acking = codec if isinstance(codec, SyntaxAcknowledging) else None
        outcome = "refused" if error is not None else "decoded"
        exception_id = 0
        async with deps.store.unit_of_work() as uow:
            first = await uow.state.put_if_absent(f"decoded:{message.id}", outcome)
            if first is not None:
                # A retried job: outcome and acks were committed by the first attempt.
                return first == "decoded"
            if acking is not None and error is None:
                envelopes = acking.envelopes(message.body, ctx.options)
                foreign = _foreign_sender(profile, envelopes)
                error = foreign or await _claim_interchanges(
                    uow, profile.id, acking, envelopes, message
                )
                if error is not None:
                    # A duplicate is not answered (its first copy was), nor is another
                    # supplier's file (the channel's partner did not send it).
                    outcome = "refused" if foreign else "duplicate"
                    await uow.state.put(f"decoded:{message.id}", outcome)
                    acking = None
            if error is not None:
                exception_id = await record_exception(
                    deps,
                    uow,
                    error,
                    partner_id=profile.id,
                    correlation_id=message.correlation_id,
                    message_id=message.id,
                )
            if acking is not None and profile.functional_acks.send != "never":
                await self._queue_acks(uow, profile, acking, message, documents)
            await uow.commit()
        if error is None:
            return True
        await deps.bus.publish(
            exception_event(
                deps, exception_id, error, message.correlation_id, partner_id=profile.id
            )
        )
        return False

    async def _queue_acks(
        self,
        uow: UnitOfWork,
        profile: PartnerProfile,
        acking: SyntaxAcknowledging,
        message: RawMessage,
        documents: Sequence[Document],
    ) -> None:
        deps = self._deps
        always = profile.functional_acks.send == "always"
        correlation_id = await _thread(uow, documents) or message.correlation_id
        ctx = EncodeContext(
            partner_id=profile.id,
            correlation_id=correlation_id or f"msg-{message.id}",
            now=deps.clock.now(),
            options=codec_options(profile),
        )
        try:
            # Counted first with placeholder numbers, so a file that deserves no ack (an
            # inbound 997, a CONTRL nobody asked for) consumes no control number.
            if not acking.functional_ack_files(message.body, ctx, always):
                return
            isa, gs = f"isa:{profile.id}", f"gs:{profile.id}"
            first_isa, first_gs = (
                await uow.state.next_counter(isa),
                await uow.state.next_counter(gs),
            )
            numbered = EncodeContext(
                ctx.partner_id, ctx.correlation_id, ctx.now, first_isa, first_gs, ctx.options
            )
            files = acking.functional_ack_files(message.body, numbered, always)
        except ProcurelinkError as exc:
            # Usually a sender that cannot be answered; the file itself still goes on.
            await record_exception(
                deps,
                uow,
                exc,
                partner_id=profile.id,
                message_id=message.id,
                correlation_id=correlation_id,
            )
            return
        for k in range(1, len(files)):
            # The k-th file used first + k; the counter rows are locked by this transaction,
            # so these are the next values unless something is badly wrong.
            if (await uow.state.next_counter(isa), await uow.state.next_counter(gs)) != (
                first_isa + k,
                first_gs + k,
            ):
                raise TransientError("control number counters moved while acks were rendered")
        for encoded in files:
            await queue_encoded(
                deps,
                uow,
                profile,
                encoded,
                correlation_id,
                None,
                metadata={
                    "document_type": "functional_ack",
                    "acknowledges_message_id": message.id,
                    "acknowledges_filename": message.filename or "",
                },
            )

    async def receive(self, message: RawMessage, ack: FunctionalAck, key: str) -> None:
        """Match an inbound 997/999/CONTRL to what we sent and record its verdict.

        Raises UnknownFunctionalAck when it refers to nothing we sent (nothing is written).
        """
        deps = self._deps
        now = deps.clock.now()
        async with deps.store.unit_of_work() as uow:
            sent = await _sent_for(uow, ack)
            if sent is None:
                raise UnknownFunctionalAck(
                    f"{ack.ack_type} from {ack.partner_id} acknowledges "
                    f"{_reference(ack)}, which procurelink never sent",
                    interchange=ack.interchange_ref,
                    group=ack.group_ref,
                )
            cid = sent.correlation_id
            ack = ack.model_copy(update={"correlation_id": cid or ack.correlation_id})
            if cid is not None:
                await uow.messages.link_correlation(message.id, cid)
            await uow.documents.add(stored_document(deps, ack, message.id, key))
            first = await uow.state.put_if_absent(
                acked_key(sent.partner_id, sent.syntax, sent.interchange),
                json.dumps({"status": str(ack.status), "message_id": message.id}),
            )
            errors = _error_lines(ack)
            await uow.audit.append(
                AuditEntry(
                    at=now,
                    actor=f"supplier:{ack.partner_id}",
                    action="functional_ack_received",
                    correlation_id=cid,
                    order_number=sent.order_number,
                    subject=f"{ack.ack_type} {ack.status} for {sent.label}"
                    + ("" if first is None else " (repeated)"),
                    after={
                        "message_id": message.id,
                        "acknowledged_message_id": sent.message_id,
                        "interchange": sent.interchange,
                        "status": str(ack.status),
                        "errors": errors,
                    },
                )
            )
            raised: tuple[int, FunctionalAckRejected] | None = None
            if ack.status in _NEGATIVE:
                error = FunctionalAckRejected(
                    f"{ack.ack_type} {ack.status} for {sent.label}: "
                    + ("; ".join(errors) or "no error detail given"),
                    interchange=sent.interchange,
                    acknowledged_message_id=sent.message_id,
                )
                exception_id = await record_exception(
                    deps,
                    uow,
                    error,
                    partner_id=sent.partner_id,
                    correlation_id=cid,
                    order_number=sent.order_number,
                    document_id=ack.document_id,
                    message_id=message.id,
                    payload={"errors": errors, "acknowledged_message_id": sent.message_id},
                )
                raised = (exception_id, error)
            await uow.commit()
        if raised is not None:
            await deps.bus.publish(
                exception_event(
                    deps, *raised, cid, partner_id=sent.partner_id, order_number=sent.order_number
                )
            )

    async def check_overdue(self, limit: int = 1000) -> int:
        """Open one exception per interchange whose ack window closed; returns how many."""
        deps = self._deps
        opened = 0
        for _ in range(limit):
            now = deps.clock.now()
            async with deps.store.unit_of_work() as uow:
                job = await uow.jobs.claim(_WATCHER, now, timedelta(minutes=5), [ACK_DEADLINE_JOB])
                if job is None:
                    return opened
                raised = await self._overdue(uow, job.payload)
                await uow.jobs.complete(job.id, _WATCHER, now)
                # Claim, exception and completion commit together: a crash leaves the timer
                # queued, never half done.
                await uow.commit()
            if raised is not None:
                opened += 1
                sent, exception_id, error = raised
                await deps.bus.publish(
                    exception_event(
                        deps,
                        exception_id,
                        error,
                        sent.correlation_id,
                        partner_id=sent.partner_id,
                        order_number=sent.order_number,
                    )
                )
        return opened

    async def _overdue(
        self, uow: UnitOfWork, payload: dict[str, Any]
    ) -> tuple[SentInterchange, int, FunctionalAckMissing] | None:
        partner, syntax, interchange = (
            str(payload["partner_id"]),
            str(payload["syntax"]),
            str(payload["interchange"]),
        )
        if await uow.state.get(acked_key(partner, syntax, interchange)) is not None:
            return None
        text = await uow.state.get(sent_key(partner, syntax, interchange))
        if text is None:
            return None
        sent = SentInterchange.from_json(text)
        deps = self._deps
        hours = deps.partner(partner).functional_acks.expect_within_hours
        error = FunctionalAckMissing(
            f"no {'997' if syntax == 'x12' else 'CONTRL'} from {partner} for {sent.label} "
            f"(interchange {interchange}) within {hours} h",
            interchange=interchange,
            acknowledged_message_id=sent.message_id,
        )
        # Guarded by its own key too, so a replayed timer never alerts twice.
        if await uow.state.put_if_absent(overdue_key(partner, syntax, interchange), "open"):
            return None
        exception_id = await record_exception(
            deps,
            uow,
            error,
            partner_id=partner,
            correlation_id=sent.correlation_id,
            order_number=sent.order_number,
            message_id=sent.message_id,
        )
        return sent, exception_id, error


def _foreign_sender(profile: PartnerProfile, envelopes: Sequence[Envelope]) -> DomainError | None:
    """A file whose interchange names another sender than the partner it came from (e.g. put
    in the wrong supplier's folder) is refused whole, before anything of it is routed."""
    ids = profile.identifiers
    expected = {i for i in (ids.gln, ids.x12 and ids.x12.id, ids.edifact and ids.edifact.id) if i}
    if not expected:
        return None  # the profile names no EDI identity: the channel's identity is all there is
    for envelope in envelopes:
        sender = envelope.sender.strip()
        if sender not in expected:
            return WrongSupplier(
                f"interchange {envelope.interchange.strip()} was sent by {sender!r}, which is "
                f"not {profile.id} ({', '.join(sorted(expected))}): another supplier's file",
                interchange=envelope.interchange.strip(),
                sender=sender,
                expected_partner=profile.id,
            )
    return None


async def _claim_interchanges(
    uow: UnitOfWork,
    partner_id: str,
    acking: SyntaxAcknowledging,
    envelopes: Sequence[Envelope],
    message: RawMessage,
) -> DuplicateInterchange | None:
    """Mark each interchange as received; the error if one was received before."""
    for envelope in envelopes:
        key = f"received:{partner_id}:{acking.syntax}:{control(envelope.interchange)}"
        earlier = await uow.state.put_if_absent(key, message.id)
        if earlier is not None and earlier != message.id:
            return DuplicateInterchange(
                f"interchange {envelope.interchange} from {partner_id} was already received "
                f"in message {earlier}; {message.filename or message.id} is not applied",
                interchange=envelope.interchange,
                duplicate_of=earlier,
            )
    return None


async def _thread(uow: UnitOfWork, documents: Sequence[Document]) -> str | None:
    """The order thread an ack belongs on, when the file speaks of exactly one order."""
    numbers = {n for d in documents if isinstance(n := getattr(d, "order_number", None), str)}
    if len(numbers) != 1:
        return None
    order = await uow.ledger.get(numbers.pop())
    return order.correlation_id if order is not None else None


async def _sent_for(uow: UnitOfWork, ack: FunctionalAck) -> SentInterchange | None:
    partner, syntax = ack.partner_id, ack.syntax
    interchange = ack.interchange_ref
    if syntax == "x12" and ack.group_ref:
        # A 997 names the group (AK102), not the interchange.
        interchange = await uow.state.get(group_key(partner, syntax, ack.group_ref))
    if not interchange:
        return None
    text = await uow.state.get(sent_key(partner, syntax, interchange))
    return SentInterchange.from_json(text) if text is not None else None


def _reference(ack: FunctionalAck) -> str:
    if ack.syntax == "x12":
        return f"group {ack.functional_id or '?'} {ack.group_ref or '?'}"
    return f"interchange {ack.interchange_ref or '?'}"


def _error_lines(ack: FunctionalAck) -> list[str]:
    """Every error the ack names, located, one line each (shown to the buyer)."""
    lines = [_issue("group/interchange", issue) for issue in ack.errors]
    for detail in ack.details:
        if detail.status in (AckStatus.ACCEPTED, AckStatus.RECEIVED) and not detail.errors:
            continue
        where = f"{detail.type} {detail.ref} {detail.status}"
        lines += [_issue(where, issue) for issue in detail.errors] or [where]
    return lines


def _issue(where: str, issue: SyntaxIssue) -> str:
    place = " ".join(
        part
        for part in (
            issue.segment_id or "",
            f"segment {issue.segment_position}" if issue.segment_position else "",
            f"element {issue.element_position}" if issue.element_position else "",
        )
        if part
    )
    text = f"{where}: code {issue.code}"
    if issue.description:
        text += f" ({issue.description})"
    return f"{text} at {place}" if place else text
