from __future__ import annotations

import pytest

from procurelink.security.signing import SignatureError, sign, verify

SECRET = "s3cret"


def test_signature_verifies() -> None:
    header = sign(SECRET, b"{}", timestamp=1000)
    verify(SECRET, b"{}", header, now=1010)


@pytest.mark.parametrize(
    ("body", "header", "now", "reason"),
    [
        (b"{}", None, 1000, "missing"),
        (b"{}", "garbage", 1000, "malformed"),
        (b'{"x":1}', sign(SECRET, b"{}", timestamp=1000), 1000, "does not match"),
        (b"{}", sign("other", b"{}", timestamp=1000), 1000, "does not match"),
        (b"{}", sign(SECRET, b"{}", timestamp=1000), 2000, "away"),
    ],
)
def test_bad_signatures_are_refused(body: bytes, header: str | None, now: int, reason: str) -> None:
    with pytest.raises(SignatureError, match=reason):
        verify(SECRET, body, header, now=now)
