from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest

from procurelink.security.webhooks import (
    HmacScheme,
    SignatureError,
    standard_headers,
    verify_standard,
)

SECRET = "shared-secret"
BODY = b'{"document_type":"order_response"}'


def test_standard_webhook_round_trip_returns_the_webhook_id() -> None:
    headers = standard_headers(SECRET, "msg-1", BODY, datetime.now(UTC))
    assert headers["webhook-signature"].startswith("v1,")
    assert verify_standard(SECRET, BODY, headers) == "msg-1"


def test_whsec_secrets_are_base64() -> None:
    secret = "whsec_" + base64.b64encode(b"0123456789abcdef").decode()
    headers = standard_headers(secret, "m", BODY, datetime.now(UTC))
    assert verify_standard(secret, BODY, headers) == "m"


@pytest.mark.parametrize(
    ("body", "secret", "age", "missing"),
    [
        (BODY + b" ", SECRET, 0, None),  # tampered body
        (BODY, "other-secret", 0, None),  # forged
        (BODY, SECRET, 3600, None),  # replayed an hour later
        (BODY, SECRET, 0, "webhook-signature"),
        (BODY, SECRET, 0, "webhook-timestamp"),
    ],
)
def test_standard_webhook_refusals(body: bytes, secret: str, age: int, missing: str | None) -> None:
    headers = standard_headers(secret, "msg-1", BODY, datetime.now(UTC) - timedelta(seconds=age))
    if missing:
        del headers[missing]
    with pytest.raises(SignatureError):
        verify_standard(SECRET, body, headers)


def test_supplier_specific_hmac_header() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    scheme = HmacScheme(header="X-Hub-Signature-256", prefix="sha256=")
    expected = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    assert scheme.headers(SECRET, BODY, now) == {"X-Hub-Signature-256": f"sha256={expected}"}
    timed = HmacScheme(header="X-Sig", encoding="base64", timestamp_header="X-Ts")
    headers = timed.headers(SECRET, BODY, now)
    mac = hmac.new(SECRET.encode(), b"1767225600." + BODY, hashlib.sha256).digest()
    assert headers == {"X-Ts": "1767225600", "X-Sig": base64.b64encode(mac).decode()}


@pytest.mark.parametrize("secret", [SECRET, "whsec_" + base64.b64encode(b"k" * 24).decode()])
def test_the_reference_library_and_we_agree_both_ways(secret: str) -> None:
    from standardwebhooks.webhooks import Webhook

    ref = Webhook(secret if secret.startswith("whsec_") else secret.encode())
    now = datetime.now(UTC)
    ours = standard_headers(secret, "msg-9", BODY, now)
    ref.verify(BODY, ours)  # raises if the reference disagrees
    theirs = {
        "webhook-id": "msg-9",
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": ref.sign("msg-9", now, BODY.decode()),
    }
    assert verify_standard(secret, BODY, theirs) == "msg-9"


def test_a_body_that_is_not_utf8_is_signed_and_verified() -> None:
    latin1 = "UNB+UNOC:3+LIEFERANT+ACME'NAD+SU+++Müller GmbH'".encode("latin-1")
    headers = standard_headers(SECRET, "m-1", latin1, datetime.now(UTC))
    assert verify_standard(SECRET, latin1, headers) == "m-1"
    with pytest.raises(SignatureError):
        verify_standard(SECRET, latin1 + b"x", headers)


@pytest.mark.parametrize(
    "signature", ["garbage", "v1,", "v1,not base64!", "v2,AAAA", "v1", ",,,", "v1,QUJD v1"]
)
def test_malformed_signature_headers_are_refused_not_crashing(signature: str) -> None:
    headers = standard_headers(SECRET, "m", BODY, datetime.now(UTC))
    headers["webhook-signature"] = signature
    with pytest.raises(SignatureError):
        verify_standard(SECRET, BODY, headers)


@pytest.mark.parametrize("timestamp", ["soon", "1e99", "-99999999999999999999", ""])
def test_malformed_timestamps_are_refused(timestamp: str) -> None:
    headers = standard_headers(SECRET, "m", BODY, datetime.now(UTC))
    headers["webhook-timestamp"] = timestamp
    with pytest.raises(SignatureError):
        verify_standard(SECRET, BODY, headers)
