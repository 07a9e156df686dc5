"""Signatures on webhooks we send and receive.

Default: the Standard Webhooks scheme (``webhook-id``, ``webhook-timestamp``,
``webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">``), whose timestamp
tolerance stops replays. Where a supplier dictates its own HMAC header, ``HmacScheme`` says how.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

SECRET_PREFIX = "whsec_"  # noqa: S105 - a format marker, not a secret


class SignatureError(ValueError):
    """The signature is missing, malformed, wrong or too old."""


def _webhook(secret: str) -> Webhook:
    # Standard Webhooks secrets are "whsec_<base64>"; a plain shared secret is used as bytes.
    return Webhook(secret if secret.startswith(SECRET_PREFIX) else secret.encode())


def standard_headers(secret: str, msg_id: str, body: bytes, now: datetime) -> dict[str, str]:
    signature = _webhook(secret).sign(msg_id, now, body.decode("utf-8", "surrogateescape"))
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }


def verify_standard(secret: str, body: bytes, headers: Mapping[str, str]) -> str:
    """Check a Standard Webhooks signature (and its timestamp); returns the webhook id."""
    wanted = {
        k: headers.get(k, "") for k in ("webhook-id", "webhook-timestamp", "webhook-signature")
    }
    try:
        _webhook(secret).verify(body, wanted, json_parse=False)
    except WebhookVerificationError as exc:
        raise SignatureError(f"webhook signature refused: {exc}") from exc
    return wanted["webhook-id"]


@dataclass(frozen=True, slots=True)
class HmacScheme:
    """A supplier's own HMAC-SHA256 header, e.g. ``X-Hub-Signature-256: sha256=<hex>``."""

    header: str = "X-Signature"
    prefix: str = ""
    encoding: Literal["hex", "base64"] = "hex"
    timestamp_header: str | None = None  # when set, "timestamp.body" is what gets signed

    def headers(self, secret: str, body: bytes, now: datetime) -> dict[str, str]:
        out: dict[str, str] = {}
        content = body
        if self.timestamp_header:
            ts = str(int(now.timestamp()))
            out[self.timestamp_header] = ts
            content = f"{ts}.".encode() + body
        mac = hmac.new(secret.encode(), content, hashlib.sha256).digest()
        value = mac.hex() if self.encoding == "hex" else base64.b64encode(mac).decode()
        out[self.header] = self.prefix + value
        return out
