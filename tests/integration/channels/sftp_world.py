"""Helpers of the SFTP integration tests; the fixtures live in test_sftp.py, not in a
conftest.py, so that the other channels' tests in this folder do not see them."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

import asyncssh

from procurelink.adapters.channels.sftp.settings import SftpSettings
from procurelink.adapters.channels.sftp_server.server import EmbeddedSftpServer

PASSWORDS = {"acme": "acme-pw-1", "beta": "beta-pw-2"}

# ``async with login("acme") as sftp``: a supplier's asyncssh SFTP session.
Login = Callable[[str], AbstractAsyncContextManager[asyncssh.SFTPClient]]


def client_settings(server: EmbeddedSftpServer, **options: object) -> SftpSettings:
    """Our SFTP client channel, logged in to the embedded server as supplier acme."""
    values: dict[str, object] = {
        "host": "127.0.0.1",
        "port": server.port,
        "username": "acme",
        "password": PASSWORDS["acme"],
        "host_keys": [server.public_host_key],
        "outbox": "/in",
        "inbox": "/out",
        "io_timeout_seconds": 5,
        "connect_timeout_seconds": 5,
    }
    return SftpSettings.model_validate(values | options)
