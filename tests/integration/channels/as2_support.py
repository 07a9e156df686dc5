"""Test support for the AS2 channel: certificates, profiles and a loopback server.

Keys are generated once per test session (2048-bit RSA): generating them dominates the cost
of these tests otherwise.
"""

from __future__ import annotations

import functools
import socket
import threading
import time
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from starlette.types import ASGIApp, Receive, Scope, Send

from procurelink.adapters.channels.as2.settings import As2Settings, KeyPair, PartnerCertificate
from procurelink.ports.channel import InboundItem

NOW = datetime.now(UTC)


@dataclass(frozen=True)
class Identity:
    """A key and a self-signed certificate, in PEM."""

    name: str
    key_pem: str
    cert_pem: str
    not_after: datetime

    def key_pair(self) -> KeyPair:
        return KeyPair(key_pem=self.key_pem, cert_pem=self.cert_pem)

    def certificate(self, **window: datetime) -> PartnerCertificate:
        return PartnerCertificate(pem=self.cert_pem, **window)

    def bundle(self) -> bytes:
        """Key and certificate as one PEM, the form pyas2lib's Organization loads."""
        return (self.key_pem + self.cert_pem).encode()


@functools.cache
def _key(name: str) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@functools.cache
def identity(
    name: str, *, key: str | None = None, valid_from_days: int = -1, valid_days: int = 365
) -> Identity:
    """A certificate for ``name`` (on key ``key``, default its own), valid from/for days."""
    private = _key(key or name)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    not_before = NOW + timedelta(days=valid_from_days)
    not_after = not_before + timedelta(days=valid_days)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .sign(private, hashes.SHA256())
    )
    key_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return Identity(
        name, key_pem, cert.public_bytes(serialization.Encoding.PEM).decode(), not_after
    )


def settings(
    ours: Identity,
    theirs: list[PartnerCertificate] | Identity,
    *,
    as2_id: str,
    partner_as2_id: str,
    partner_url: str | None = None,
    **options: Any,
) -> As2Settings:
    certs = [theirs.certificate()] if isinstance(theirs, Identity) else theirs
    return As2Settings(
        as2_id=as2_id,
        partner_as2_id=partner_as2_id,
        partner_url=partner_url,
        signing=ours.key_pair(),
        partner_certificates=certs,
        timeout_seconds=10,
        **options,
    )


@dataclass
class Outcome:
    accepted: bool = True
    reason: str | None = None


@dataclass
class Inbox:
    """A capture function storing items in memory (and able to fail or refuse)."""

    items: list[InboundItem] = field(default_factory=list)
    fail: bool = False
    refuse: str | None = None

    async def capture(self, item: InboundItem) -> Outcome:
        if self.fail:
            raise RuntimeError("store unavailable")
        self.items.append(item)
        return Outcome(self.refuse is None, self.refuse)


class Switchboard:
    """One loopback server, many apps: ``/<prefix>/...`` goes to the app under ``prefix``.

    Tests plug in the receivers they need; the server runs once per session.
    """

    def __init__(self) -> None:
        self.apps: MutableMapping[str, ASGIApp] = {}
        self.url = ""

    def plug(self, prefix: str, app: ASGIApp) -> str:
        self.apps[prefix] = app
        return f"{self.url}/{prefix}/"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        prefix = scope["path"].strip("/").split("/")[0]
        app = self.apps.get(prefix)
        if app is None:
            await send({"type": "http.response.start", "status": 404, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        await app(dict(scope, root_path=f"/{prefix}"), receive, send)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(app: ASGIApp) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free loopback port in a thread; yields the base URL.

    A thread, so that the server outlives pytest-asyncio's per-test event loops.
    """
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(5)
