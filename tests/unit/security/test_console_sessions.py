"""Console session cookies and their CSRF tokens: what is accepted and what is not."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from procurelink.security import console_sessions as cs
from procurelink.security import tokens

KEY = "one-signing-key-for-every-serve-process"
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _session(ttl: timedelta = timedelta(hours=8)) -> cs.ConsoleSession:
    return cs.new_session("jane", "Jane Buyer", 7, NOW, ttl)


def test_a_cookie_carries_the_session_back() -> None:
    session = _session()
    cookie = cs.encode(session, KEY, NOW)
    assert cs.decode(cookie, KEY, NOW + timedelta(hours=7)) == session
    assert session.expires_at == NOW + timedelta(hours=8)
    assert "jane" not in cookie.split(".")[2]  # the signature, not a readable copy


def test_no_password_or_secret_in_the_cookie() -> None:
    payload = cs.encode(_session(), KEY, NOW).split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert set(claims) == {"iss", "aud", "sub", "name", "uid", "sid", "iat", "exp"}


def test_session_ids_are_random() -> None:
    assert len({_session().session_id for _ in range(50)}) == 50


def test_an_expired_cookie_is_refused() -> None:
    cookie = cs.encode(_session(timedelta(hours=8)), KEY, NOW)
    with pytest.raises(cs.SessionError, match="expired"):
        cs.decode(cookie, KEY, NOW + timedelta(hours=8))


@pytest.mark.parametrize("position", [10, 60, -5])
def test_a_changed_cookie_is_refused(position: int) -> None:
    cookie = cs.encode(_session(), KEY, NOW)
    flipped = "A" if cookie[position] != "A" else "B"
    tampered = cookie[:position] + flipped + cookie[position + 1 :]  # header, claims, signature
    with pytest.raises(cs.SessionError):
        cs.decode(tampered, KEY, NOW)


def test_a_cookie_signed_with_another_key_is_refused() -> None:
    with pytest.raises(cs.SessionError):
        cs.decode(cs.encode(_session(), "another key, just as long as the first", NOW), KEY, NOW)


@pytest.mark.parametrize("garbage", ["", "x", "a.b.c", "e30.e30.", "é.é.é"])
def test_garbage_is_refused(garbage: str) -> None:
    with pytest.raises(cs.SessionError):
        cs.decode(garbage, KEY, NOW)


def test_supplier_tokens_and_console_cookies_never_stand_in_for_each_other() -> None:
    supplier_token = tokens.issue("polymer", "pk_1", KEY, datetime.now(UTC), timedelta(hours=1))
    with pytest.raises(cs.SessionError):
        cs.decode(supplier_token, KEY, datetime.now(UTC))
    cookie = cs.encode(_session(), KEY, NOW)
    with pytest.raises(tokens.TokenError):
        tokens.verify(cookie, KEY)


def test_a_csrf_token_matches_its_own_session_only() -> None:
    token = cs.csrf_token(KEY, "sid-1")
    assert cs.csrf_matches(KEY, "sid-1", token)
    assert not cs.csrf_matches(KEY, "sid-2", token)
    assert not cs.csrf_matches("another key", "sid-1", token)
    assert not cs.csrf_matches(KEY, "sid-1", "")
    assert not cs.csrf_matches(KEY, "sid-1", token[:-1])
    assert not cs.csrf_matches(KEY, "sid-1", "ä" * 64)  # non-ASCII: refused, no TypeError
    assert not cs.csrf_matches(KEY, "", cs.csrf_token(KEY, ""))  # nothing bound: no match
    assert cs.csrf_token(KEY, "sid-1") == token  # stable: no server-side state needed
