"""E-mail messages <-> channel items: pure functions, no I/O.

Inbound, one e-mail becomes one InboundItem per captured attachment plus, as evidence, one
item holding the whole raw message (``message/rfc822``). Nothing is decompressed here: a .zip
stays the bytes the supplier sent; intake unpacks it within the partner's archive limits and
refuses a zip bomb (services/archives.py).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from email.utils import formatdate, getaddresses

from procurelink.adapters.channels.email.printout import render_pdf
from procurelink.adapters.channels.email.settings import EmailSettings
from procurelink.ports.channel import (
    META_EVIDENCE_ONLY,
    META_NO_DOCUMENT,
    META_ORDER_NUMBER,
    META_REFUSAL,
    META_REFUSAL_CODE,
    InboundItem,
    OutboundPayload,
)
from procurelink.text_encoding import DecodedText, UnknownEncoding, decode_declared, detect

RFC822 = "message/rfc822"

# The declared type of an attachment is often application/octet-stream; the ending is what
# suppliers get right. Same mapping as the directory channel, plus the e-mail-only types.
_CONTENT_TYPES = {
    ".x12": "application/edi-x12",
    ".edi": "application/edifact",
    ".json": "application/json",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".zip": "application/zip",
}
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")
_KEY_SAFE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


@dataclass(frozen=True, slots=True)
class MessageRef:
    """Where an e-mail sits on the server; encoded into each item's handle."""

    uidvalidity: int
    uid: int

    def handle(self, index: int, count: int) -> str:
        return f"{self.uidvalidity}:{self.uid}:{index}/{count}"


@dataclass(frozen=True, slots=True)
class ItemRef:
    message: MessageRef
    index: int
    count: int

    @classmethod
    def parse(cls, handle: str) -> ItemRef:
        validity, uid, part = handle.split(":")
        index, count = part.split("/")
        return cls(MessageRef(int(validity), int(uid)), int(index), int(count))


def sender_addresses(header_block: bytes) -> list[str]:
    """The addresses in a From header (a header block as FETCH returns it)."""
    parsed = message_from_bytes(header_block, policy=policy.compat32)
    return [addr for _, addr in getaddresses(parsed.get_all("From", [])) if addr]


def is_from_supplier(header_block: bytes, settings: EmailSettings) -> bool:
    # Every From address must be the supplier's: a mail co-signed by a stranger is not.
    addresses = sender_addresses(header_block)
    return bool(addresses) and all(settings.sender_allowed(a) for a in addresses)


@dataclass(frozen=True, slots=True)
class Origin:
    """What every item of one poll shares."""

    partner_id: str
    channel: str
    mailbox: str
    received_at: datetime


@dataclass(frozen=True, slots=True)
class _Part:
    filename: str
    content_type: str
    declared_type: str
    body: bytes


def _common(parsed: Message, ref: MessageRef, origin: Origin, count: int) -> dict[str, str]:
    return {
        "email.message_id": _header(parsed, "Message-ID"),
        "email.from": _header(parsed, "From"),
        "email.subject": _header(parsed, "Subject"),
        "email.date": _header(parsed, "Date"),
        "email.mailbox": origin.mailbox,
        "email.uid": str(ref.uid),
        "email.uidvalidity": str(ref.uidvalidity),
        "email.parts": str(count),
    }


def items_from_message(
    raw: bytes, ref: MessageRef, origin: Origin, settings: EmailSettings
) -> list[InboundItem]:
    parsed = message_from_bytes(raw, policy=policy.default)
    parts = _attachments(parsed, settings)
    # Without a document to capture the e-mail itself is captured, so nothing the supplier
    # sent is moved away unseen (a buyer sees it as an exception).
    keep_raw = settings.keep_raw_message or not parts
    count = len(parts) + (1 if keep_raw else 0)
    common = _common(parsed, ref, origin, count)
    # The body is read once and kept with the e-mail's own item (the evidence).
    body, body_meta = _body(parsed)
    items = []
    for index, part in enumerate(parts):
        meta = {**common, "email.part": "attachment", "email.part_index": str(index)}
        if part.declared_type != part.content_type:
            meta["email.declared_content_type"] = part.declared_type
        if len(part.body) > settings.max_attachment_bytes:
            meta.update(
                _refusal(
                    f"attachment {part.filename} has {len(part.body)} bytes, "
                    f"the e-mail channel's limit is {settings.max_attachment_bytes}",
                    len(part.body),
                    settings.max_attachment_bytes,
                )
            )
        items.append(
            InboundItem(
                partner_id=origin.partner_id,
                channel=origin.channel,
                filename=part.filename,
                content_type=part.content_type,
                body=part.body,
                received_at=origin.received_at,
                handle=ref.handle(index, count),
                metadata=meta,
            )
        )
    if keep_raw:
        meta = {
            **common,
            "email.part": "message",
            "email.part_index": str(len(parts)),
            META_EVIDENCE_ONLY: "true",
            **body_meta,
        }
        if not parts:
            meta["email.no_attachment"] = "true"
            meta[META_NO_DOCUMENT] = "true"
            if isinstance(body, UnknownEncoding):
                # The body is all the supplier sent, and it cannot be read: say so.
                meta[META_REFUSAL] = body.message
                meta[META_REFUSAL_CODE] = body.code
        items.append(
            InboundItem(
                partner_id=origin.partner_id,
                channel=origin.channel,
                filename=f"email-{ref.uidvalidity}-{ref.uid}.eml",
                content_type=RFC822,
                body=raw,
                received_at=origin.received_at,
                handle=ref.handle(len(parts), count),
                metadata=meta,
            )
        )
    return items


_BODY_CHARS = 2000  # what a buyer needs to see on the exception; the e-mail itself is kept


def _body(message: Message) -> tuple[str | UnknownEncoding | None, dict[str, str]]:
    """The text of the mail's first plain-text body part, and metadata naming its encoding.

    A missing or wrong charset is common (old mail clients, ERP mailers): bytes that are not
    valid in what the part declares are read in the encoding charset-normalizer recognises,
    and a body nothing can read is returned as the UnknownEncoding error.
    """
    part = next(
        (
            p
            for p in message.walk()
            if p.get_content_type() == "text/plain"
            and not p.get_filename()
            and p.get_content_disposition() != "attachment"
        ),
        None,
    )
    if part is None:
        return None, {}
    payload = part.get_payload(decode=True)
    raw = payload if isinstance(payload, bytes) else b""
    declared = part.get_content_charset()
    try:
        if declared is None and raw.isascii():
            decoded = DecodedText(raw.decode("ascii"), "us-ascii", detected=False)
        elif declared is None:
            decoded = detect(raw, "e-mail body (no charset declared)")
        else:
            try:
                decoded = decode_declared(raw, declared, "e-mail body")
            except LookupError:
                decoded = detect(raw, f"e-mail body (unknown charset {declared!r})")
    except UnknownEncoding as exc:
        return exc, {"email.body_encoding": "unknown", "email.body_problem": exc.message}
    encoding = f"{decoded.encoding} (detected)" if decoded.detected else decoded.encoding
    return decoded.text, {
        "email.body": decoded.text.strip()[:_BODY_CHARS],
        "email.body_encoding": encoding,
    }


def oversized_message_item(
    header_block: bytes, size: int, ref: MessageRef, origin: Origin, settings: EmailSettings
) -> InboundItem:
    """An e-mail too big to download: its header is the evidence, with the reason."""
    parsed = message_from_bytes(header_block, policy=policy.default)
    meta = {
        **_common(parsed, ref, origin, 1),
        "email.part": "message",
        "email.part_index": "0",
        "email.truncated": "true",
        META_EVIDENCE_ONLY: "true",
        **_refusal(
            f"e-mail of {size} bytes is over the e-mail channel's limit of "
            f"{settings.max_message_bytes}; only its header was fetched",
            size,
            settings.max_message_bytes,
        ),
    }
    return InboundItem(
        partner_id=origin.partner_id,
        channel=origin.channel,
        filename=f"email-{ref.uidvalidity}-{ref.uid}.eml",
        content_type=RFC822,
        body=header_block,
        received_at=origin.received_at,
        handle=ref.handle(0, 1),
        metadata=meta,
    )


def _refusal(reason: str, size: int, limit: int) -> dict[str, str]:
    # Channel-neutral keys: intake can refuse any item carrying "refusal" with this reason.
    return {
        META_REFUSAL: reason,
        META_REFUSAL_CODE: "message_too_large",
        "size": str(size),
        "limit": str(limit),
    }


def _attachments(message: Message, settings: EmailSettings) -> list[_Part]:
    found: list[_Part] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        name = part.get_filename()
        if not name:
            continue
        filename = safe_filename(name, fallback=f"attachment-{len(found) + 1}")
        ending = os.path.splitext(filename)[1].lower()
        if ending not in settings.attachment_types:
            continue
        payload = part.get_payload(decode=True)
        body = payload if isinstance(payload, bytes) else b""
        declared = part.get_content_type()
        found.append(_Part(filename, _CONTENT_TYPES.get(ending, declared), declared, body))
    return found


def safe_filename(name: str, fallback: str) -> str:
    """The last path component without control characters: names come from strangers."""
    base = _UNSAFE.sub("_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    if base in ("", ".", "..") or base.startswith("."):
        return fallback + os.path.splitext(base)[1]
    return base


def _header(message: Message, name: str) -> str:
    value = message.get(name)
    # Folded or encoded headers arrive as multi-line text; metadata is single-line.
    return " ".join(str(value).split()) if value is not None else ""


def message_id_for(idempotency_key: str, from_address: str) -> str:
    """A Message-ID stable across retries of the same send, so a resend is recognisable."""
    local = (
        idempotency_key
        if _KEY_SAFE.match(idempotency_key)
        else hashlib.sha256(idempotency_key.encode()).hexdigest()[:40]
    )
    domain = from_address.rpartition("@")[2] or "procurelink.invalid"
    return f"<procurelink.{local}@{domain}>"


def outbound_message(
    payload: OutboundPayload, settings: EmailSettings, from_address: str
) -> EmailMessage:
    fields: Mapping[str, str] = {
        "order_number": payload.metadata.get(META_ORDER_NUMBER) or payload.filename,
        "correlation_id": payload.correlation_id,
        "filename": payload.filename,
        "partner_id": payload.partner_id,
    }
    message = EmailMessage()
    message["From"] = from_address
    message["To"] = ", ".join(settings.to_addresses)
    if settings.cc_addresses:
        message["Cc"] = ", ".join(settings.cc_addresses)
    message["Subject"] = settings.subject_template.format_map(fields)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = message_id_for(payload.idempotency_key, from_address)
    message["X-Procurelink-Correlation-Id"] = payload.correlation_id
    message["X-Procurelink-Idempotency-Key"] = payload.idempotency_key
    message.set_content(settings.body_template.format_map(fields))
    # Parameters such as "; charset=utf-8" do not belong in the subtype argument.
    maintype, _, subtype = payload.content_type.split(";")[0].strip().partition("/")
    filename = safe_filename(payload.filename, fallback="document.bin")
    message.add_attachment(
        payload.body,
        maintype=maintype or "application",
        subtype=subtype or "octet-stream",
        filename=filename,
    )
    if settings.attach_pdf:
        message.add_attachment(
            render_pdf(payload, message["Subject"]),
            maintype="application",
            subtype="pdf",
            filename=f"{os.path.splitext(filename)[0]}.pdf",
        )
    return message
