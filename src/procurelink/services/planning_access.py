"""Who a planning engine's call comes from: planning keys, configured in settings.

A planning engine (MRP/APS) may do one thing: send purchase requests that become draft RFQs.
Its keys are ``pl_<key id>.<secret>``; the settings hold, per client name, the key id and a
SHA-256 of the secret (``PROCURELINK_PLANNING_CLIENTS``), never the key. They are kept apart
from suppliers' keys (``pk_``, in the store): a supplier's key is no planning key and a
planning key opens no supplier endpoint, because each side only parses its own prefix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from procurelink.errors import AuthenticationError, ConfigurationError
from procurelink.security import api_keys

# One message for every refusal, so a caller cannot tell a wrong key id from a wrong secret.
REFUSED = "invalid planning credentials"
CLIENT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
# Compared against when the key id is unknown, so that answer takes as long as a wrong secret.
_NOBODY = "0" * 64


@dataclass(frozen=True, slots=True)
class PlanningCredential:
    """A planning client's key as the settings hold it: its id and the secret's SHA-256."""

    key_id: str
    key_sha256: str

    def __post_init__(self) -> None:
        if not self.key_id.startswith(api_keys.PLANNING_KEY_PREFIX):
            raise ValueError(f"a planning key id starts with {api_keys.PLANNING_KEY_PREFIX!r}")
        if not _SHA256_HEX.match(self.key_sha256):
            raise ValueError("key_sha256 is 64 lowercase hex digits (the secret's SHA-256)")


def new_planning_key(client: str) -> tuple[PlanningCredential, str]:
    """A new key for ``client``: what the settings keep, and the token shown once."""
    if not CLIENT_NAME.match(client):
        raise ConfigurationError(
            f"planning client name {client!r}: letters, digits, '.', '_' or '-', at most 64",
            client=client,
        )
    key_id, token, digest = api_keys.new_api_key(api_keys.PLANNING_KEY_PREFIX)
    return PlanningCredential(key_id, digest), token


class PlanningAccess:
    def __init__(self, clients: Mapping[str, PlanningCredential]) -> None:
        self._by_key_id: dict[str, tuple[str, PlanningCredential]] = {}
        for name, credential in clients.items():
            if credential.key_id in self._by_key_id:
                raise ConfigurationError(
                    f"planning clients {self._by_key_id[credential.key_id][0]!r} and {name!r} "
                    "share a key id",
                    key_id=credential.key_id,
                )
            self._by_key_id[credential.key_id] = (name, credential)

    @property
    def configured(self) -> bool:
        return bool(self._by_key_id)

    def authenticate(self, bearer: str) -> str:
        """The planning client a bearer key belongs to, or AuthenticationError."""
        parts = api_keys.split_token(bearer, api_keys.PLANNING_KEY_PREFIX)
        found = self._by_key_id.get(parts[0]) if parts else None
        secret = parts[1] if parts else bearer
        matches = api_keys.secret_matches(secret, found[1].key_sha256 if found else _NOBODY)
        if found is None or not matches:
            raise AuthenticationError(REFUSED)
        return found[0]
