"""API keys: ``<key id>.<secret>``, of which only a SHA-256 of the secret is stored.

The key id is public (it names the key in lists and logs); the secret is shown once, at
creation. SHA-256 suffices because the secret is 256 random bits, not a password. The key
id's prefix names who may use it: ``pk_`` suppliers, ``pl_`` planning engines; neither
kind is accepted where the other is.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

KEY_PREFIX = "pk_"
PLANNING_KEY_PREFIX = "pl_"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_api_key(prefix: str = KEY_PREFIX) -> tuple[str, str, str]:
    """A new key: (key id, the full token to hand to its user, the digest to store)."""
    key_id = prefix + secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    return key_id, f"{key_id}.{secret}", digest(secret)


def split_token(token: str, prefix: str = KEY_PREFIX) -> tuple[str, str] | None:
    """(key id, secret) of a well-formed API key token of ``prefix``'s kind, else None."""
    key_id, dot, secret = token.partition(".")
    if not dot or not key_id.startswith(prefix) or not secret:
        return None
    return key_id, secret


def secret_matches(secret: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(secret), stored_digest)
