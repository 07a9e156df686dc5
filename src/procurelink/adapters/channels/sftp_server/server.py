"""The embedded SFTP server suppliers push to: SFTP only, one jailed home per supplier.

No shell, exec, scp, port or agent forwarding: asyncssh refuses every session that is not
the SFTP subsystem when only ``sftp_factory`` is given. Suppliers log in with a password
(checked against its scrypt hash in a thread, so the event loop keeps serving others) or
with one of their authorized public keys.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from types import TracebackType

import asyncssh

from procurelink.adapters.channels.sftp_server.chroot import SupplierSftpServer
from procurelink.adapters.channels.sftp_server.layout import Home
from procurelink.adapters.channels.sftp_server.passwords import dummy_hash, verify_password
from procurelink.adapters.channels.sftp_server.settings import SftpServerSettings, SupplierAccount
from procurelink.errors import ConfigurationError

log = logging.getLogger(__name__)


def load_or_create_host_key(path: Path) -> asyncssh.SSHKey:
    """The server's private key; an ed25519 key is generated (mode 600) on first start."""
    if path.exists():
        return asyncssh.read_private_key(path)
    key = asyncssh.generate_private_key("ssh-ed25519")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key.export_private_key())
    os.replace(tmp, path)
    # The public half is what suppliers pin in their client.
    path.with_name(path.name + ".pub").write_bytes(key.export_public_key())
    log.info("generated SFTP host key %s (%s)", path, key.get_fingerprint("sha256"))
    return key


class _SupplierLogin(asyncssh.SSHServer):
    """Authentication of one incoming connection against the supplier accounts."""

    def __init__(
        self, accounts: Mapping[str, SupplierAccount], live: set[asyncssh.SSHServerConnection]
    ) -> None:
        self._accounts = accounts
        self._live = live
        self._conn: asyncssh.SSHServerConnection | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn
        self._live.add(conn)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._conn is not None:
            self._live.discard(self._conn)

    def begin_auth(self, username: str) -> bool:
        return True  # every login needs a password or a key

    def password_auth_supported(self) -> bool:
        return True

    async def validate_password(self, username: str, password: str) -> bool:
        account = self._accounts.get(username)
        stored = account.password_hash if account and account.password_hash else None
        # An unknown user costs one scrypt too: timing does not reveal which accounts exist.
        ok = await asyncio.to_thread(verify_password, password, stored or dummy_hash())
        return ok and stored is not None

    def public_key_auth_supported(self) -> bool:
        return True

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        account = self._accounts.get(username)
        if account is None:
            return False
        allowed = {asyncssh.import_public_key(line).public_data for line in account.authorized_keys}
        return key.public_data in allowed


class EmbeddedSftpServer:
    """Start with ``async with EmbeddedSftpServer(settings) as server:`` or start()/close()."""

    def __init__(self, settings: SftpServerSettings) -> None:
        self._settings = settings
        self._accounts = {a.username: a for a in settings.suppliers}
        self._acceptor: asyncssh.SSHAcceptor | None = None
        self._live: set[asyncssh.SSHServerConnection] = set()
        self.host_key: asyncssh.SSHKey | None = None

    @property
    def port(self) -> int:
        if self._acceptor is None:
            raise ConfigurationError("the SFTP server is not started")
        return self._acceptor.get_port()

    @property
    def public_host_key(self) -> str:
        """The OpenSSH public key line suppliers pin (``host_keys`` of the sftp client)."""
        if self.host_key is None:
            raise ConfigurationError("the SFTP server is not started")
        return self.host_key.export_public_key().decode().strip()

    async def start(self) -> None:
        settings = self._settings
        self.host_key = await asyncio.to_thread(load_or_create_host_key, settings.host_key_path)
        for account in settings.suppliers:
            home = Home(settings.root, account.username)
            home.ensure()
            # Uploads cut by a crash of this server: no session can still be writing them
            # (one server per root), and they were never published.
            for leftover in home.staging.glob("*.upload"):
                leftover.unlink(missing_ok=True)
        try:
            self._acceptor = await asyncssh.create_server(
                partial(_SupplierLogin, self._accounts, self._live),
                settings.host,
                settings.port,
                server_host_keys=[self.host_key],
                sftp_factory=partial(
                    SupplierSftpServer,
                    root=settings.root,
                    max_upload_bytes=settings.max_upload_bytes,
                ),
                allow_scp=False,
                agent_forwarding=False,
                x11_forwarding=False,
                allow_pty=False,
                login_timeout=settings.login_timeout_seconds,
            )
        except OSError as exc:
            raise ConfigurationError(
                f"cannot listen on {settings.host}:{settings.port}: {exc.strerror}"
            ) from exc
        log.info("SFTP server listening on %s:%d", settings.host, self.port)

    def drop_connections(self) -> None:
        """Cut every supplier connection now (shutdown, or a test of interrupted transfers)."""
        for conn in list(self._live):
            conn.abort()

    async def close(self) -> None:
        if self._acceptor is None:
            return
        self._acceptor.close()
        self.drop_connections()
        await self._acceptor.wait_closed()
        self._acceptor = None

    async def __aenter__(self) -> EmbeddedSftpServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
