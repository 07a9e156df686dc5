"""One SSH connection with a pinned host key, opened for one poll, send or acknowledgment.

A fresh connection per operation is the resume strategy: nothing survives a dropped
connection except what is on the server's disk, and every operation starts from there.
Nothing is read from the service account's ``~/.ssh`` (config, keys, agent, known_hosts), so
the profile alone decides whom we trust and how we log in.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncssh

from procurelink.adapters.channels.sftp.errors import translate
from procurelink.adapters.channels.sftp.settings import SftpSettings
from procurelink.errors import PermanentError

log = logging.getLogger(__name__)


class _PinnedHostKeyClient(asyncssh.SSHClient):
    """Accepts a server key whose fingerprint is pinned; remembers the key it was shown."""

    def __init__(self, fingerprints: frozenset[str]) -> None:
        self._fingerprints = fingerprints
        self.seen: str | None = None

    def validate_host_public_key(
        self, host: str, addr: str, port: int, key: asyncssh.SSHKey
    ) -> bool:
        # Called only when the key is not one of the pinned public keys themselves.
        self.seen = key.get_fingerprint("sha256")
        return self.seen in self._fingerprints


def _pinned(settings: SftpSettings) -> tuple[list[asyncssh.SSHKey], frozenset[str]]:
    keys: list[asyncssh.SSHKey] = []
    fingerprints: set[str] = set()
    for entry in settings.host_keys:
        if entry.startswith("SHA256:"):
            fingerprints.add(entry)
        else:
            keys.append(asyncssh.import_public_key(entry))
    return keys, frozenset(fingerprints)


def _client_keys(settings: SftpSettings, where: str) -> list[asyncssh.SSHKey] | None:
    passphrase = (
        settings.private_key_passphrase.get_secret_value()
        if settings.private_key_passphrase
        else None
    )
    try:
        if settings.private_key is not None:
            text = settings.private_key.get_secret_value()
            return [asyncssh.import_private_key(text, passphrase)]
        if settings.private_key_path is not None:
            return [asyncssh.read_private_key(settings.private_key_path, passphrase)]
    except (ValueError, OSError) as exc:
        # Never the key text nor the passphrase in the message, and no chained repr of them.
        raise PermanentError(
            f"{where}: the private key cannot be read (file, format or passphrase)"
        ) from exc
    return None


@asynccontextmanager
async def sftp_session(settings: SftpSettings) -> AsyncIterator[asyncssh.SFTPClient]:
    """An SFTP client on a fresh connection; library errors come out translated."""
    where = f"sftp {settings.username}@{settings.host}:{settings.port}"
    keys, fingerprints = _pinned(settings)
    client = _PinnedHostKeyClient(fingerprints)
    if settings.insecure_skip_host_key_check:
        log.warning("%s: host key NOT checked (insecure_skip_host_key_check)", where)
    password = settings.password.get_secret_value() if settings.password else None
    try:
        conn = await asyncssh.connect(
            settings.host,
            settings.port,
            username=settings.username,
            password=password,
            client_keys=_client_keys(settings, where),
            known_hosts=None if settings.insecure_skip_host_key_check else (keys, [], []),
            client_factory=lambda: client,
            config=[],
            agent_path=None,
            x509_trusted_certs=None,
            connect_timeout=settings.connect_timeout_seconds,
            # Without a key we must not try keyboard-interactive prompts we cannot answer.
            preferred_auth="publickey,password" if password is None else "password,publickey",
        )
    except asyncssh.HostKeyNotVerifiable as exc:
        raise PermanentError(
            f"{where}: the server's host key {client.seen or '(unknown)'} is not the pinned one",
            fingerprint=client.seen,
        ) from exc
    except (asyncssh.Error, OSError, TimeoutError) as exc:
        raise translate(exc, where) from exc
    try:
        async with conn:
            try:
                sftp = await conn.start_sftp_client()
            except (asyncssh.Error, OSError) as exc:
                raise translate(exc, where) from exc
            async with sftp:
                yield sftp
    except (asyncssh.Error, OSError) as exc:
        # Errors when closing a connection the server already dropped.
        raise translate(exc, where) from exc
