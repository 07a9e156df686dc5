"""AS2 messages: built for sending, parsed on receipt, answered with an MDN (pyas2lib).

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
from procurelink.adapters.channels.as2.peers import partner

AUTHENTICATION_FAILED = "authentication-failed"


@dataclass(frozen=True, slots=True)
class SentMessage:
    """What must be remembered of a sent message to check its MDN (kept for async MDNs)."""

    partner_id: str
    message_id: str
    mic: str | None  # base64 digest of the signed content, as the MDN must echo it
    mic_algorithm: str | None
    sent_at: datetime
    reference: str | None = None  # what the sender calls it (procurelink's message id)


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    sent: SentMessage
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True, slots=True)
class MdnRequest:
    """The sender asked for an MDN; to this URL when asynchronous."""

    asynchronous_url: str | None


@dataclass(frozen=True, slots=True)
class ParsedMessage:
    """An inbound AS2 message after decryption and verification (or the reason it failed)."""

    accepted: bool
    status: str
    detail: str | None
    reason: str | None  # why it was refused, for the MDN text and the logs
    message_id: str | None
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
        cert = partner(creds, encrypt_to).load_encrypt_cert()
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
    wire = as2.Message(org, partner(creds, encrypt_to))
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
        them = partner(creds, cert) if creds is not None else None
        message = as2.Message()
        status, (error, _trace), _mdn = message.parse(
            raw, find_org_partner_cb=lambda _to, _from, p=them: (org, p)
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
    # Whether it is signed follows from disposition-notification-options, which pyas2lib's
    # Mdn.build reads from the message itself.
    return MdnRequest(asynchronous_url=headers.get("receipt-delivery-option"))


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
