"""Buyer console sessions: a signed cookie and the CSRF tokens bound to it.

The cookie is a JWT (HS256) for the audience ``procurelink-console``, signed with a key
derived from ``token_signing_key``: one setting for every ``serve`` process, yet a console
cookie is never a supplier access token nor the reverse (other key, other audience). It
holds the buyer's Odoo login, name and uid, a random session id and its expiry; never a
password. CSRF tokens are HMACs of the session id (or, before sign-in, of a random nonce kept
in a cookie of its own), so nothing per session is stored and they die with their session.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

ISSUER = "procurelink"
AUDIENCE = "procurelink-console"
_KEY_LABEL = b"procurelink console session v1"


class SessionError(ValueError):
    """The session cookie is invalid, expired or not ours."""


@dataclass(frozen=True, slots=True)
class ConsoleSession:
    login: str
    name: str
    erp_user_id: int
    session_id: str
    expires_at: datetime


def _key(signing_key: str) -> bytes:
    return hmac.new(signing_key.encode(), _KEY_LABEL, hashlib.sha256).digest()


def new_session(
    login: str, name: str, erp_user_id: int, now: datetime, ttl: timedelta
) -> ConsoleSession:
    expires = (now + ttl).replace(microsecond=0)
    return ConsoleSession(login, name, erp_user_id, secrets.token_urlsafe(18), expires)


def encode(session: ConsoleSession, signing_key: str, now: datetime) -> str:
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": session.login,
        "name": session.name,
        "uid": session.erp_user_id,
        "sid": session.session_id,
        "iat": int(now.timestamp()),
        "exp": int(session.expires_at.timestamp()),
    }
    return jwt.encode(claims, _key(signing_key), algorithm="HS256")


def decode(cookie: str, signing_key: str, now: datetime) -> ConsoleSession:
    """The session a cookie carries if we signed it and it has not expired at ``now``."""
    try:
        claims = jwt.decode(
            cookie,
            _key(signing_key),
            algorithms=["HS256"],
            audience=AUDIENCE,
            issuer=ISSUER,
            # Time is checked below against the caller's clock, the one that set it.
            options={
                "require": ["exp", "sub", "sid", "uid"],
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
            },
        )
        session = ConsoleSession(
            login=str(claims["sub"]),
            name=str(claims.get("name") or claims["sub"]),
            erp_user_id=int(claims["uid"]),
            session_id=str(claims["sid"]),
            expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
        )
    except (jwt.PyJWTError, TypeError, ValueError, OverflowError) as exc:
        raise SessionError(str(exc)) from exc
    if now >= session.expires_at:
        raise SessionError("the session has expired")
    return session


def csrf_token(signing_key: str, bound_to: str) -> str:
    """The token a form must send back: bound to a session id (or a pre-sign-in nonce)."""
    return hmac.new(_key(signing_key), b"csrf:" + bound_to.encode(), hashlib.sha256).hexdigest()


def csrf_matches(signing_key: str, bound_to: str, given: str) -> bool:
    """Constant-time check of a form's token; an empty binding never matches."""
    if not bound_to:
        return False
    # Bytes: compare_digest refuses str with non-ASCII characters, which a form may carry.
    return hmac.compare_digest(csrf_token(signing_key, bound_to).encode(), given.encode())


def new_nonce() -> str:
    return secrets.token_urlsafe(18)
