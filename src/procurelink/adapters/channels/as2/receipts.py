"""MDNs for our messages: verified (signature, answered Message-ID, MIC) with pyas2lib."""

from __future__ import annotations

import email
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pyas2lib import as2
from pyas2lib.exceptions import AS2Exception

from procurelink.adapters.channels.as2.credentials import Credentials, PartnerCert
from procurelink.adapters.channels.as2.messages import SentMessage
from procurelink.adapters.channels.as2.peers import partner

# pyas2lib reports a failed MDN signature only as text inside its catch-all status.
_MDN_SIGNATURE_FAILED = "Failed to parse received MDN. Failed to verify message signature"


@dataclass(frozen=True, slots=True)
class MdnReport:
    """An MDN for one of our messages: what the partner says, and whether we can trust it."""

    original_message_id: str | None
    mdn_message_id: str | None
    status: str  # the partner's disposition: "processed", "processed/Error", "failed/Failure"
    detail: str | None  # its modifier, e.g. "decryption-failed" or "duplicate-document"
    text: str  # the human-readable part
    signed_by: str | None  # the partner certificate that verified the signature
    problem: str | None  # why this MDN proves nothing (bad signature, MIC mismatch, ...)

    @property
    def disposition(self) -> str:
        return f"{self.status}: {self.detail}" if self.detail else self.status

    @property
    def positive(self) -> bool:
        # A warning (e.g. duplicate-document) still means the partner has the message.
        return self.problem is None and self.status.lower() in ("processed", "processed/warning")


class _Original:
    """Duck-typed stand-in for the pyas2lib Message an MDN answers (Mdn.parse reads these)."""

    def __init__(self, receiver: Any, sent: SentMessage) -> None:
        self.receiver = receiver
        self.message_id = sent.message_id
        self.mic = sent.mic.encode() if sent.mic else None


def verify_mdn(creds: Credentials, raw: bytes, sent: SentMessage, now: datetime) -> MdnReport:
    """Check an MDN's signature (any partner certificate, newest first), answer and MIC."""
    candidates: list[PartnerCert | None] = list(creds.verification_candidates())
    if not creds.settings.signed_mdn:
        candidates.append(None)  # unsigned MDNs are acceptable: pyas2lib then skips the check
    for cert in candidates:
        original = _Original(partner(creds, cert), sent)
        mdn = as2.Mdn()
        _status, detail = mdn.parse(raw, lambda _mid, _rcpt, o=original: o)
        if not str(detail or "").startswith(_MDN_SIGNATURE_FAILED):
            break
    return _report(mdn, detail, cert, sent, now)


def _report(
    mdn: Any, parse_detail: str | None, cert: PartnerCert | None, sent: SentMessage, now: datetime
) -> MdnReport:
    fields, text = _disposition_fields(mdn.payload)
    status, _, detail = fields.get("disposition", "").rpartition(";")[2].partition(":")
    signed_by = cert.cert.describe() if cert is not None and mdn.digest_alg else None
    original = mdn.orig_message_id
    problem: str | None = None
    if str(parse_detail or "").startswith(_MDN_SIGNATURE_FAILED):
        problem = "the MDN signature does not verify with any of the partner's certificates"
    elif str(parse_detail or "").startswith(("Expected signed", "Failed to parse")) or (
        not status.strip()
    ):
        problem = f"not a usable MDN ({parse_detail or 'no disposition'})"
    elif original != sent.message_id:
        problem = f"the MDN answers message {original}, not {sent.message_id}"
    elif cert is not None and signed_by and not cert.valid_at(now):
        problem = f"the MDN is signed with {signed_by}, which is not valid now"
    elif sent.mic is not None and status.strip().lower() in ("processed", "processed/warning"):
        received = fields.get("received-content-mic", "").split(",")[0].strip()
        if received != sent.mic:
            problem = f"MIC mismatch: we sent {sent.mic}, the MDN says {received or 'nothing'}"
    return MdnReport(
        original_message_id=original,
        mdn_message_id=mdn.message_id,
        status=status.strip() or "failed/Failure",
        detail=detail.strip() or None,
        text=text,
        signed_by=signed_by,
        problem=problem,
    )


def _disposition_fields(payload: Any) -> tuple[dict[str, str], str]:
    fields: dict[str, str] = {}
    text = ""
    if payload is None:
        return fields, text
    for part in payload.walk():
        kind = part.get_content_type()
        if kind == "text/plain" and not text:
            text = str(part.get_payload(decode=True) or b"", "utf-8", "replace").strip()
        elif kind == "message/disposition-notification":
            for block in part.get_payload():
                fields.update({k.lower(): str(v).strip() for k, v in block.items()})
    return fields, text


def original_message_id(raw: bytes) -> str | None:
    """The Original-Message-ID an MDN answers, read before anything is verified."""
    mdn = as2.Mdn()
    mdn.payload = email.message_from_bytes(raw)
    try:
        message_id, _recipient = mdn.detect_mdn()
    except (AS2Exception, AttributeError):
        return None
    return str(message_id) if message_id else None
