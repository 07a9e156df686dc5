"""AS2 messages and MDNs, built and parsed with pyas2lib: the only module that touches it.

pyas2lib is untyped; everything leaving this module is one of the typed values below.
Outgoing messages are assembled here from pyas2lib's CMS primitives rather than
``Message.build``, because that method sends every content type other than
application/octet-stream as text, and its CRLF canonicalisation changes the bytes of EDI
files (a bare LF becomes CRLF). We send the payload entity with
``Content-Transfer-Encoding: binary``, which pyas2lib (and RFC 4130 peers) read back byte
for byte; signing, compression, encryption and every parse step are pyas2lib's own.
"""

from __future__ import annotations

import binascii
import email.utils
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email import encoders
from email import message as email_message
from email.mime.multipart import MIMEMultipart
from typing import Any

from pyas2lib import as2, cms
from pyas2lib.constants import AS2_VERSION, EDIINT_FEATURES
from pyas2lib.exceptions import AS2Exception, IntegrityError
from pyas2lib.utils import canonicalize, make_mime_boundary, mime_to_bytes, quote_as2name

from procurelink.adapters.channels.as2.credentials import Credentials, PartnerCert
from procurelink.errors import ConfigurationError

# pyas2lib reports a failed MDN signature only as text inside its catch-all status.
# HTTP headers that describe the exchange, not the AS2 message's MIME document.
_HTTP_ONLY = frozenset(
    {
        "host",
        "content-length",
        "transfer-encoding",
        "connection",
        "keep-alive",
        "server",
        "accept",
        "accept-encoding",
        "user-agent",
        "expect",
        "te",
    }
)
_MDN_SIGNATURE_FAILED = "Failed to parse received MDN. Failed to verify message signature"
AUTHENTICATION_FAILED = "authentication-failed"
CONFIRM_TEXT = "The AS2 message was received and stored."


@dataclass(frozen=True, slots=True)
class SentMessage:
    """What must be remembered of a sent message to check its MDN (kept for async MDNs)."""

    partner_id: str
    message_id: str
    mic: str | None  # base64 digest of the signed content, as the MDN must echo it
    mic_algorithm: str | None
    sent_at: datetime


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    sent: SentMessage
    headers: dict[str, str]
    body: bytes


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


@dataclass(frozen=True, slots=True)
class MdnRequest:
    asynchronous_url: str | None
    signed: bool


@dataclass(frozen=True, slots=True)
class ParsedMessage:
    """An inbound AS2 message after decryption and verification (or the reason it failed)."""

    accepted: bool
    status: str
    detail: str | None
    reason: str | None  # why it was refused, for the MDN text and the logs
    message_id: str | None
    as2_from: str | None
    body: bytes
    filename: str | None
    content_type: str
    signed_by: str | None
    encrypted: bool
    compressed: bool
    mdn_request: MdnRequest | None
    handle: Any  # the pyas2lib Message, needed to build its MDN


@dataclass(frozen=True, slots=True)
class OutgoingMdn:
    headers: dict[str, str]
    body: bytes
    asynchronous_url: str | None


class _Original:
    """Duck-typed stand-in for the pyas2lib Message an MDN answers (Mdn.parse reads these)."""

    def __init__(self, receiver: Any, sent: SentMessage) -> None:
        self.receiver = receiver
        self.message_id = sent.message_id
        self.mic = sent.mic.encode() if sent.mic else None


def organization(creds: Credentials) -> Any:
    """Our side, as pyas2lib loads it (parses the keys with oscrypto)."""
    s = creds.settings
    try:
        return _organization(creds)
    except (AS2Exception, ValueError, OSError) as exc:
        raise ConfigurationError(
            f"partner {creds.partner_id}: pyas2lib cannot load our AS2 keys for {s.as2_id}"
        ) from exc


def _organization(creds: Credentials) -> Any:
    s = creds.settings
    return as2.Organization(
        as2_name=s.as2_id,
        sign_key=creds.signing.bundle,
        sign_key_pass=creds.signing.passphrase,
        decrypt_key=creds.decryption.bundle,
        decrypt_key_pass=creds.decryption.passphrase,
        mdn_url=str(s.mdn_url) if s.mdn_url else None,
        mdn_confirm_text=CONFIRM_TEXT,
        domain=s.message_id_domain,
    )


def _partner(creds: Credentials, cert: PartnerCert | None) -> Any:
    s = creds.settings
    pem = cert.cert.pem if cert else None
    return as2.Partner(
        as2_name=s.partner_as2_id,
        verify_cert=pem,
        encrypt_cert=pem,
        # Validity is ours to judge (credentials.py), with the profile's windows.
        validate_certs=False,
        compress=s.compress,
        sign=s.require_signed_payload,
        encrypt=s.require_encrypted_payload,
        enc_alg=s.encryption_algorithm,
        digest_alg=s.digest_algorithm,
        mdn_mode="ASYNC" if s.mdn_mode == "async" else "SYNC",
        mdn_digest_alg=s.digest_algorithm if s.signed_mdn else None,
        mdn_confirm_text=CONFIRM_TEXT,
    )


# --- outbound ------------------------------------------------------------------------------


def build_message(
    creds: Credentials,
    org: Any,
    encrypt_to: PartnerCert | None,
    *,
    body: bytes,
    filename: str,
    content_type: str,
    message_id: str,
    now: datetime,
) -> OutgoingMessage:
    """Sign, compress and encrypt ``body`` as the settings say; AS2 headers included."""
    s = creds.settings
    entity = email_message.Message()
    entity.set_payload(body)
    entity.set_type(content_type)
    entity["Content-Transfer-Encoding"] = "binary"
    entity.add_header("Content-Disposition", "attachment", filename=filename)
    del entity["MIME-Version"]
    if s.compress:
        entity = _smime("compressed-data", "smime.p7z", cms.compress_message(mime_to_bytes(entity)))
    mic: str | None = None
    if s.sign:
        entity, mic = _signed(entity, org, s.digest_algorithm)
    if s.encrypt:
        assert encrypt_to is not None  # the channel refuses to send without one
        cert = _partner(creds, encrypt_to).load_encrypt_cert()
        data = cms.encrypt_message(mime_to_bytes(entity), s.encryption_algorithm, cert)
        entity = _smime("enveloped-data", "smime.p7m", data)
    headers = {
        "AS2-Version": AS2_VERSION,
        "ediint-features": EDIINT_FEATURES,
        "Message-ID": f"<{message_id}>",
        "AS2-From": quote_as2name(s.as2_id),
        "AS2-To": quote_as2name(s.partner_as2_id),
        "Subject": s.subject,
        "Date": email.utils.format_datetime(now),
        "disposition-notification-to": s.as2_id,
    }
    if s.signed_mdn:
        headers["disposition-notification-options"] = (
            "signed-receipt-protocol=required, pkcs7-signature; "
            f"signed-receipt-micalg=required, {s.digest_algorithm}"
        )
    if s.mdn_mode == "async":
        headers["receipt-delivery-option"] = str(s.mdn_url)
    for name, value in headers.items():
        entity[name] = value
    if entity.is_multipart():
        entity.set_boundary(make_mime_boundary())
    wire = as2.Message(org, _partner(creds, encrypt_to))
    wire.payload = entity
    sent = SentMessage(creds.partner_id, message_id, mic, s.digest_algorithm if mic else None, now)
    return OutgoingMessage(sent, {k: str(v) for k, v in wire.headers.items()}, wire.content)


def _smime(smime_type: str, name: str, data: bytes) -> email_message.Message:
    part = email_message.Message()
    part.set_type("application/pkcs7-mime")
    part.set_param("name", name)
    part.set_param("smime-type", smime_type)
    part.add_header("Content-Disposition", "attachment", filename=name)
    part.add_header("Content-Transfer-Encoding", "binary")
    part.set_payload(data)
    return part


def _signed(entity: email_message.Message, org: Any, digest: str) -> tuple[Any, str]:
    signed = MIMEMultipart("signed", protocol="application/pkcs7-signature")
    del signed["MIME-Version"]
    signed.attach(entity)
    content = canonicalize(entity)
    mic = binascii.b2a_base64(hashlib.new(digest, content).digest()).strip().decode()
    signature = email_message.Message()
    signature.set_type("application/pkcs7-signature")
    signature.set_param("name", "smime.p7s")
    signature.set_param("smime-type", "signed-data")
    signature.add_header("Content-Disposition", "attachment", filename="smime.p7s")
    del signature["MIME-Version"]
    signature.set_payload(cms.sign_message(content, digest, org.sign_key))
    encoders.encode_base64(signature)
    signed.set_param("micalg", digest)
    signed.attach(signature)
    return signed, mic


def verify_mdn(creds: Credentials, raw: bytes, sent: SentMessage, now: datetime) -> MdnReport:
    """Check an MDN's signature (any partner certificate, newest first), answer and MIC."""
    candidates: list[PartnerCert | None] = list(creds.verification_candidates())
    if not creds.settings.signed_mdn:
        candidates.append(None)  # unsigned MDNs are acceptable: pyas2lib then skips the check
    for cert in candidates:
        original = _Original(_partner(creds, cert), sent)
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


# --- inbound -------------------------------------------------------------------------------


def parse_message(
    creds: Credentials | None, org: Any | None, raw: bytes, now: datetime
) -> ParsedMessage:
    """Decrypt, verify and decompress; try each partner certificate until one verifies.

    ``creds``/``org`` are None when the AS2-From/AS2-To pair is unknown: pyas2lib then
    produces its own "unknown-trading-partner" refusal.
    """
    candidates: list[PartnerCert | None] = (
        list(creds.verification_candidates()) if creds is not None else [None]
    ) or [None]
    for index, cert in enumerate(candidates):
        partner = _partner(creds, cert) if creds is not None else None
        message = as2.Message()
        status, (error, _trace), _mdn = message.parse(
            raw, find_org_partner_cb=lambda _to, _from, p=partner: (org, p)
        )
        last = index == len(candidates) - 1
        if isinstance(error, IntegrityError) and not last:
            continue  # signed with another of the partner's certificates, perhaps
        return _parsed(message, status, error, cert if message.signed else None, now)
    raise AssertionError("unreachable: the loop returns on its last candidate")


def _parsed(
    message: Any,
    status: str,
    error: BaseException | None,
    cert: PartnerCert | None,
    now: datetime,
) -> ParsedMessage:
    detail: str | None = None
    reason: str | None = None
    if error is not None:
        detail = getattr(error, "disposition_modifier", None) or "unexpected-processing-error"
        reason = _reason(error)
    elif cert is not None and not cert.valid_at(now):
        status, detail = "processed/Error", AUTHENTICATION_FAILED
        reason = f"signed with certificate {cert.cert.describe()}, which is not valid now"
    headers = {k.lower(): str(v) for k, v in (message.payload.items() if message.payload else [])}
    accepted = error is None and reason is None and status == "processed"
    body = message.content if accepted else b""
    return ParsedMessage(
        accepted=accepted,
        status=status,
        detail=detail,
        reason=reason,
        message_id=message.message_id,
        as2_from=headers.get("as2-from"),
        body=body if isinstance(body, bytes) else str(body).encode(),
        filename=message.payload.get_filename() if accepted else None,
        content_type=message.payload.get_content_type() if accepted else "",
        signed_by=cert.cert.describe() if cert is not None and accepted else None,
        encrypted=bool(message.encrypted),
        compressed=bool(message.compressed),
        mdn_request=_mdn_request(headers),
        handle=message,
    )


def _reason(error: BaseException) -> str:
    if isinstance(error, IntegrityError):
        return "the signature does not verify with any of the partner's certificates"
    if isinstance(error, AS2Exception):
        return str(error)
    return f"{type(error).__name__}: the message cannot be processed"


def _mdn_request(headers: dict[str, str]) -> MdnRequest | None:
    if "disposition-notification-to" not in headers:
        return None
    return MdnRequest(
        asynchronous_url=headers.get("receipt-delivery-option"),
        signed="disposition-notification-options" in headers,
    )


def build_mdn(parsed: ParsedMessage, status: str, detail: str | None, text: str) -> OutgoingMdn:
    """An MDN for ``parsed`` (signed when asked and our key is known)."""
    request = parsed.mdn_request
    url = request.asynchronous_url if request else None
    mdn = as2.Mdn(mdn_mode="ASYNC" if url else "SYNC", mdn_url=url)
    mdn.build(
        message=parsed.handle,
        status=status,
        detailed_status=detail,
        confirmation_text=text,
        failed_text=text,
    )
    return OutgoingMdn({k: str(v) for k, v in mdn.headers.items()}, mdn.content, url)


def original_message_id(raw: bytes) -> str | None:
    """The Original-Message-ID an MDN answers, read before anything is verified."""
    mdn = as2.Mdn()
    mdn.payload = email.message_from_bytes(raw)
    try:
        message_id, _recipient = mdn.detect_mdn()
    except (AS2Exception, AttributeError):
        return None
    return str(message_id) if message_id else None


def mime_document(headers: Mapping[str, str], body: bytes) -> bytes:
    """HTTP headers and body as the one MIME document pyas2lib parses."""
    lines = [f"{k}: {v}" for k, v in headers.items() if k.lower() not in _HTTP_ONLY]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "replace") + body
