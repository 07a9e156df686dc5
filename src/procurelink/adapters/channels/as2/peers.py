"""pyas2lib's view of one AS2 relationship: ``Organization`` (us) and ``Partner`` (them).

pyas2lib is untyped; these few functions are where its objects are made from our settings
and credentials, so the rest of the package sees typed values only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pyas2lib import as2
from pyas2lib.exceptions import AS2Exception

from procurelink.adapters.channels.as2.credentials import Credentials, PartnerCert
from procurelink.errors import ConfigurationError

CONFIRM_TEXT = "The AS2 message was received and stored."
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


def partner(creds: Credentials, cert: PartnerCert | None) -> Any:
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


def mime_document(headers: Mapping[str, str], body: bytes) -> bytes:
    """HTTP headers and body as the one MIME document pyas2lib parses."""
    lines = [f"{k}: {v}" for k, v in headers.items() if k.lower() not in _HTTP_ONLY]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "replace") + body
