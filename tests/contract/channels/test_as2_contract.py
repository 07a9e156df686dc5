"""The AS2 channel passes the outbound channel contract against procurelink's AS2 receiver.

The peer is our receiver in a real uvicorn server on loopback, capturing into memory; the
message is signed, encrypted and compressed, and the sync MDN is verified by ``send``.
"""

from __future__ import annotations

import functools
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
import uvicorn
from channel_contract import OutboundChannelContract, UnreachableOutboundContract
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from starlette.types import ASGIApp, Receive, Scope, Send

from procurelink.adapters.channels.as2.channel import As2Channel
from procurelink.adapters.channels.as2.receiver import create_as2_receiver
from procurelink.adapters.channels.as2.settings import As2Settings, KeyPair, PartnerCertificate
from procurelink.ports.channel import InboundItem


@functools.cache
def _identity(name: str) -> tuple[str, str]:
    """(key PEM, self-signed certificate PEM), once per session: RSA generation is slow."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return key_pem.decode(), cert.public_bytes(serialization.Encoding.PEM).decode()


def _settings(ours: str, theirs: str, url: str | None = None) -> As2Settings:
    key_pem, cert_pem = _identity(ours)
    return As2Settings(
        as2_id=ours,
        partner_as2_id=theirs,
        partner_url=url,
        signing=KeyPair(key_pem=key_pem, cert_pem=cert_pem),
        partner_certificates=[PartnerCertificate(pem=_identity(theirs)[1])],
        compress=True,
        timeout_seconds=10,
    )


@dataclass
class _Captured:
    accepted: bool = True
    reason: str | None = None


@dataclass
class As2Peer:
    """The supplier's side: procurelink's AS2 receiver, capturing into memory."""

    items: list[InboundItem] = field(default_factory=list)

    async def capture(self, item: InboundItem) -> _Captured:
        self.items.append(item)
        return _Captured()

    async def delivered(self) -> dict[str, bytes]:
        return {item.filename or "": item.body for item in self.items}

    # AS2 is pushed to us, never polled: the inbound suite does not apply.
    async def place(self, name: str, body: bytes) -> None:
        raise NotImplementedError

    async def place_partial(self, name: str, body: bytes) -> None:
        raise NotImplementedError

    async def archived(self) -> list[str]:
        raise NotImplementedError

    async def refused(self) -> list[str]:
        raise NotImplementedError


class _Slot:
    """The app served by the module's server; each test plugs in a fresh receiver."""

    app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.app is not None
        await self.app(scope, receive, send)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[_Slot, str]]:
    slot, port = _Slot(), _free_port()
    config = uvicorn.Config(slot, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)  # outlives per-test event loops
    thread.start()
    while not uv.started:
        time.sleep(0.01)
    yield slot, f"http://127.0.0.1:{port}/"
    uv.should_exit = True
    thread.join(5)


@pytest.fixture
def peer(server: tuple[_Slot, str]) -> As2Peer:
    peer = As2Peer()
    server[0].app = create_as2_receiver({"acme": _settings("SUPPLIER", "ACME")}, peer.capture)
    return peer


@pytest.fixture
def outbound(server: tuple[_Slot, str], peer: As2Peer) -> As2Channel:
    return As2Channel("p1", _settings("ACME", "SUPPLIER", server[1]))


@pytest.fixture
def unreachable() -> As2Channel:
    return As2Channel("p1", _settings("ACME", "SUPPLIER", f"http://127.0.0.1:{_free_port()}/"))


class TestAs2Outbound(OutboundChannelContract):
    pass


class TestAs2Unreachable(UnreachableOutboundContract):
    pass
