"""pyas2lib, cryptography and httpx failures as procurelink errors, chained with ``from``.

Messages name the partner, URL and certificate, never key material: pyas2lib's own
exception texts are kept out of them when they could echo PEM content.
"""

from __future__ import annotations

import httpx

from procurelink.adapters.channels.as2.receipts import MdnReport
from procurelink.errors import PermanentError, TransientError

# Statuses after which the same request can succeed later.
_RETRYABLE = {408, 425, 429}


def transport_error(url: str, exc: httpx.HTTPError) -> TransientError:
    if isinstance(exc, httpx.TimeoutException):
        return TransientError(f"AS2 POST {url} timed out ({type(exc).__name__})", url=url)
    return TransientError(f"AS2 POST {url} failed: {type(exc).__name__}", url=url)


def status_error(url: str, status: int, text: str) -> TransientError | PermanentError:
    if status >= 500 or status in _RETRYABLE:
        return TransientError(f"AS2 POST {url} answered {status}", url=url, status=status)
    return PermanentError(f"AS2 POST {url} answered {status}: {text[:200]}", url=url, status=status)


def build_error(partner_id: str, exc: Exception) -> PermanentError:
    """Signing, compressing or encrypting failed: the settings or certificates are wrong."""
    return PermanentError(
        f"partner {partner_id}: cannot build the AS2 message ({type(exc).__name__}: {_safe(exc)})",
        partner_id=partner_id,
    )


def no_encryption_certificate(partner_id: str) -> PermanentError:
    return PermanentError(
        f"partner {partner_id}: no partner certificate is valid now to encrypt to "
        "(all expired or not yet valid); add the partner's new certificate to the profile",
        partner_id=partner_id,
    )


def mdn_missing(url: str, status: int) -> PermanentError:
    # The message may have arrived; only a person can tell, so no blind retry.
    return PermanentError(
        f"AS2 POST {url} answered {status} without the synchronous MDN that was requested",
        url=url,
        status=status,
    )


def mdn_refused(partner_id: str, report: MdnReport) -> PermanentError:
    text = f" - {report.text}" if report.text else ""
    return PermanentError(
        f"partner {partner_id} answered with a negative MDN: {report.disposition}{text}",
        partner_id=partner_id,
        mdn_status=report.status,
        mdn_detail=report.detail,
        message_id=report.original_message_id,
        mdn_message_id=report.mdn_message_id,
    )


def _safe(exc: Exception) -> str:
    text = str(exc)
    if "-----BEGIN" in text or len(text) > 300:
        return "details withheld"
    return text


def mdn_untrusted(partner_id: str, report: MdnReport) -> PermanentError:
    # Delivery is unproven; retrying would send the document again, so a person decides.
    return PermanentError(
        f"partner {partner_id}: the MDN cannot be trusted: {report.problem}",
        partner_id=partner_id,
        message_id=report.original_message_id,
    )
