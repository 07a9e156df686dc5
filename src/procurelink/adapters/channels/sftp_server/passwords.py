"""Supplier passwords stored as scrypt hashes (stdlib ``hashlib.scrypt``, no new dependency).

Format: ``scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>``, so parameters can be raised later
without invalidating stored hashes. To hash a password typed at the terminal:
``python -m procurelink.adapters.channels.sftp_server.passwords``.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import os
from functools import cache

_N, _R, _P = 2**14, 8, 1
_LEN = 32


def hash_password(password: str, *, cost: int = _N) -> str:
    """``cost`` is scrypt's N (a power of two); lower it only for test accounts."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=cost, r=_R, p=_P, dklen=_LEN)
    return "$".join(["scrypt", str(cost), str(_R), str(_P), _b64(salt), _b64(digest)])


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(
            password.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(base64.b64decode(expected)),
        )
    except ValueError:
        return False
    return hmac.compare_digest(digest, base64.b64decode(expected))


def is_password_hash(value: str) -> bool:
    parts = value.split("$")
    return len(parts) == 6 and parts[0] == "scrypt"


@cache
def dummy_hash() -> str:
    """Checked when the user name is unknown, so that the answer takes as long as for a known
    one and does not reveal which supplier accounts exist."""
    return hash_password("procurelink-unknown-user")


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


if __name__ == "__main__":
    print(hash_password(getpass.getpass("supplier password: ")))  # noqa: T201
