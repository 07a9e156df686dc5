"""Short-lived access tokens (JWT, HS256) for OAuth2 client credentials."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

ISSUER = "procurelink"
AUDIENCE = "procurelink-supplier-api"


class TokenError(ValueError):
    """The access token is invalid, expired or not ours."""


@dataclass(frozen=True, slots=True)
class AccessClaims:
    partner_id: str
    key_id: str
    expires_at: datetime


def issue(partner_id: str, key_id: str, signing_key: str, now: datetime, ttl: timedelta) -> str:
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": partner_id,
        "kid": key_id,
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
    }
    return jwt.encode(claims, signing_key, algorithm="HS256")


def verify(token: str, signing_key: str) -> AccessClaims:
    try:
        claims = jwt.decode(
            token,
            signing_key,
            algorithms=["HS256"],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": ["exp", "sub", "kid"]},
        )
    except jwt.PyJWTError as exc:
        raise TokenError(str(exc)) from exc

    return AccessClaims(
        str(claims["sub"]), str(claims["kid"]), datetime.fromtimestamp(int(claims["exp"]), UTC)
    )
