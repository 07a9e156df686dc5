"""The demo's AS2 supplier: EDIFACT over AS2, signed and encrypted both ways, with MDNs.

Nordcast runs its own AS2 endpoint (a second AS2 server on loopback, with its own key and
certificate). procurelink POSTs ORDERS to it; Nordcast's signed MDN comes back asynchronously
on its own POST to procurelink's ``/as2/mdn``, where it is verified, matched to the message
waiting in the store and recorded as a delivery receipt;
Nordcast answers each order with an ORDRSP it POSTs to procurelink's AS2 receiver (``/as2/``)
and verifies procurelink's MDN in turn. Keys and self-signed certificates are made fresh for
each demo run.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from starlette.applications import Starlette

from procurelink.adapters.channels.as2.channel import As2Channel
from procurelink.adapters.channels.as2.receiver import create_as2_receiver
from procurelink.adapters.channels.as2.settings import As2Settings, KeyPair, PartnerCertificate
from procurelink.codecs.edifact.codec import EdifactCodec
from procurelink.domain.order import PurchaseOrder
from procurelink.entrypoints.demo.suppliers import acknowledge
from procurelink.ports.channel import InboundItem, OutboundPayload
from procurelink.ports.codec import DecodeContext, EncodeContext

ACME_AS2_ID = "ACMEMFG"
NORDCAST_AS2_ID = "NORDCAST"
ACME_GLN = "9520001000010"
NORDCAST_GLN = "9520004000017"


@dataclass(frozen=True)
class KeyFiles:
    key: Path
    cert: Path


def make_identity(directory: Path, name: str) -> KeyFiles:
    """An RSA key and a self-signed certificate for ``name``, written as PEM files."""
    directory.mkdir(parents=True, exist_ok=True)
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(private, hashes.SHA256())
    )
    files = KeyFiles(directory / f"{name}.key.pem", directory / f"{name}.cert.pem")
    files.key.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    files.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return files


@dataclass
class _Stored:
    accepted: bool = True
    reason: str | None = None


@dataclass
class As2EdifactSupplier:
    """Nordcast's side: its AS2 server takes ORDERS, ``round`` answers each with ORDRSP."""

    partner_id: str
    keys: KeyFiles
    acme_cert: Path
    log: Callable[[str], None]
    acme_url: str = ""  # procurelink's AS2 receiver, set once the API listens
    pending: list[PurchaseOrder] = field(default_factory=list)
    codec: EdifactCodec = field(default_factory=EdifactCodec)
    counter: int = 700

    def settings(self) -> As2Settings:
        return As2Settings(
            as2_id=NORDCAST_AS2_ID,
            partner_as2_id=ACME_AS2_ID,
            partner_url=self.acme_url or None,
            signing=KeyPair(key_path=self.keys.key, cert_path=self.keys.cert),
            partner_certificates=[PartnerCertificate(path=self.acme_cert)],
            message_id_domain="nordcast.example",
            timeout_seconds=20,
        )

    def app(self) -> Starlette:
        """Nordcast's AS2 endpoint (decrypts, verifies, answers with a signed MDN)."""
        return create_as2_receiver({"acme": self.settings()}, self._capture)

    async def _capture(self, item: InboundItem) -> _Stored:
        ctx = DecodeContext(
            partner_id=self.partner_id, correlation_id="supplier-side", message_id=item.handle
        )
        for doc in self.codec.decode(item.body, ctx):
            if isinstance(doc, PurchaseOrder):
                self.pending.append(doc)
                self.log(
                    f"[nordcast] AS2 message {item.handle} decrypted and verified: "
                    f"ORDERS {doc.order_number}, signed MDN follows"
                )
            else:
                self.log(f"[nordcast] AS2 message {item.handle}: {doc.document_type}")
        return _Stored()

    async def round(self, client: httpx.AsyncClient) -> int:
        """Send an ORDRSP over AS2 for every order received; returns how many."""
        if not self.pending:
            return 0
        channel = await asyncio.to_thread(As2Channel, "acme", self.settings(), client)
        sent = 0
        while self.pending:
            order = self.pending.pop(0)
            self.counter += 1
            ack = acknowledge(
                order, "1", 1, f"NC-{order.order_number}", f"ORDRSP-{order.order_number}"
            )
            encoded = self.codec.encode(
                ack,
                EncodeContext(
                    partner_id=self.partner_id,
                    correlation_id="supplier-side",
                    now=datetime.now(UTC),
                    interchange_control_number=self.counter,
                    group_control_number=self.counter,
                    options={
                        "sender_id": NORDCAST_GLN,
                        "recipient_id": ACME_GLN,
                        "version": "D01B",
                    },
                ),
            )
            receipt = await channel.send(
                OutboundPayload(
                    partner_id="acme",
                    filename=encoded.filename,
                    content_type=encoded.content_type,
                    body=encoded.body,
                    correlation_id=order.correlation_id,
                    idempotency_key=f"nordcast-{self.counter}",
                )
            )
            self.log(
                f"[nordcast] sent ORDRSP for {order.order_number} over AS2, "
                f"MDN: {receipt.details.get('mdn')}"
            )
            sent += 1
        return sent
