"""Capture: raw bytes stored with their partner before anything is parsed (ARCHITECTURE.md §1).

The rules for one item (evidence, refusals, duplicates) and for a zip archive (kept as
evidence, the files inside captured one by one, a zip bomb refused whole), each inside the
caller's unit of work, so an archive and everything in it commit together.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from procurelink.errors import (
    DuplicateMessage,
    EmptyMessage,
    InvalidDocument,
    MessageTooLarge,
    ProcurelinkError,
)
from procurelink.ports.channel import (
    META_EVIDENCE_ONLY,
    META_NO_DOCUMENT,
    META_REFUSAL,
    META_REFUSAL_CODE,
    InboundItem,
)
from procurelink.ports.records import Direction, NewJob, RawMessage
from procurelink.ports.store import UnitOfWork
from procurelink.services.archives import is_archive, unpack
from procurelink.services.context import Deps
from procurelink.services.recording import record_exception
from procurelink.text_encoding import UnknownEncoding

DECODE_JOB = "inbound.decode"


@dataclass(frozen=True, slots=True)
class CaptureResult:
    message_id: str
    accepted: bool
    duplicate_of: str | None = None
    reason: str | None = None


class NoDocument(InvalidDocument):
    """The message carries no document to process."""

    code = "no_document"


async def capture_archive(
    deps: Deps, uow: UnitOfWork, item: InboundItem, message_id: str
) -> CaptureResult:
    """Keep a zip as evidence and capture each file in it, in ``uow``; refuse a zip bomb."""
    profile = deps.partner(item.partner_id)
    name = item.filename or "archive.zip"
    try:
        members = unpack(item.body, name, profile.archives)
    except ProcurelinkError as exc:
        return await capture_one(deps, uow, item, message_id, exc)
    evidence = replace(
        item,
        metadata={
            **item.metadata,
            META_EVIDENCE_ONLY: "true",
            "archive.members": str(len(members)),
        },
    )
    archive = await capture_one(deps, uow, evidence, message_id, None)
    results = []
    for member in members:
        results.append(
            await capture_one(
                deps,
                uow,
                replace(
                    item,
                    filename=member.filename,
                    content_type=member.content_type,
                    body=member.body,
                    metadata={
                        **item.metadata,
                        "archive.message_id": archive.message_id,
                        "archive.name": name,
                        "archive.member": member.path,
                    },
                ),
                deps.new_id(),
                None,
            )
        )
    refused = [r for r in results if not r.accepted]
    return CaptureResult(
        message_id=archive.message_id,
        accepted=not refused,
        reason=refused[0].reason if refused else None,
    )


async def capture_one(
    deps: Deps,
    uow: UnitOfWork,
    item: InboundItem,
    message_id: str,
    refusal: ProcurelinkError | None,
) -> CaptureResult:
    """Store one item, then queue its decoding or record why it is refused, in ``uow``."""
    profile = deps.partner(item.partner_id)
    sha = hashlib.sha256(item.body).hexdigest()
    message = RawMessage(
        id=message_id,
        direction=Direction.INBOUND,
        partner_id=item.partner_id,
        channel=item.channel,
        body=item.body,
        sha256=sha,
        received_at=item.received_at,
        filename=item.filename,
        content_type=item.content_type,
        metadata=dict(item.metadata),
    )
    earlier = await uow.messages.find_by_hash(item.partner_id, sha, Direction.INBOUND)
    refusal = refusal or _channel_refusal(item)
    evidence_only = item.metadata.get(META_EVIDENCE_ONLY) == "true"
    if refusal is not None:
        pass
    elif evidence_only:
        if item.metadata.get(META_NO_DOCUMENT) == "true":
            said = " ".join(item.metadata.get("email.body", "").split())
            refusal = NoDocument(
                f"{item.filename or 'message'} from {item.partner_id} carries no "
                "document to process; it is kept as evidence"
                + (f". It says: {said[:300]}" if said else "")
            )
    elif not item.body.strip():
        refusal = EmptyMessage(f"{item.filename or 'message'} is empty")
    elif len(item.body) > profile.max_message_bytes:
        refusal = MessageTooLarge(
            f"{item.filename or 'message'} has {len(item.body)} bytes, "
            f"the limit for {profile.id} is {profile.max_message_bytes}",
            size=len(item.body),
            limit=profile.max_message_bytes,
        )
    elif earlier is not None:
        refusal = DuplicateMessage(
            f"{item.filename or 'message'} repeats message {earlier.id} "
            f"received {earlier.received_at:%Y-%m-%d %H:%M:%S}",
            duplicate_of=earlier.id,
            sha256=sha,
        )
        message = _with_correlation(message, earlier.correlation_id)
    await uow.messages.add(message)
    if refusal is None and evidence_only:
        pass  # the documents it carried arrive as their own items
    elif refusal is None:
        await uow.jobs.enqueue(
            NewJob(
                kind=DECODE_JOB,
                payload={"message_id": message.id},
                partner_id=item.partner_id,
            ),
            deps.clock.now(),
        )
    else:
        await record_exception(
            deps,
            uow,
            refusal,
            partner_id=item.partner_id,
            message_id=message.id,
            correlation_id=message.correlation_id,
        )
    return CaptureResult(
        message_id=message.id,
        accepted=refusal is None,
        duplicate_of=earlier.id if earlier is not None and refusal is not None else None,
        reason=refusal.message if refusal else None,
    )


def _channel_refusal(item: InboundItem) -> ProcurelinkError | None:
    """A refusal the channel already decided (e.g. an attachment over its size limit)."""
    reason = item.metadata.get(META_REFUSAL)
    if not reason:
        return None
    if item.metadata.get(META_REFUSAL_CODE) == MessageTooLarge.code:
        return MessageTooLarge(reason)
    if item.metadata.get(META_REFUSAL_CODE) == UnknownEncoding.code:
        return UnknownEncoding(reason)
    return InvalidDocument(reason)


def unpackable(item: InboundItem) -> bool:
    """A zip to unpack: not evidence (a whole e-mail), not already refused by the channel."""
    return (
        is_archive(item.filename, item.content_type)
        and item.metadata.get(META_EVIDENCE_ONLY) != "true"
        and not item.metadata.get(META_REFUSAL)
    )


def _with_correlation(message: RawMessage, correlation_id: str | None) -> RawMessage:
    return message if correlation_id is None else replace(message, correlation_id=correlation_id)
