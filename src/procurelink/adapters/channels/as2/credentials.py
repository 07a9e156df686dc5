"""Keys and certificates of one AS2 relationship, loaded and checked once.

Validity is decided here, with ``cryptography``, at the moment of use: a certificate counts
only between its own notBefore/notAfter and inside the window the profile gives. Partner
certificates are pinned in the profile (the AS2 trust model), so no CA chain is consulted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from pydantic import SecretStr

from procurelink.adapters.channels.as2.settings import As2Settings, KeyPair, PartnerCertificate
from procurelink.errors import ConfigurationError


@dataclass(frozen=True, slots=True)
class Certificate:
    pem: bytes
    subject: str
    serial: int
    fingerprint: str  # SHA-256 of the DER form, hex
    not_before: datetime
    not_after: datetime

    def valid_at(self, when: datetime) -> bool:
        return self.not_before <= when < self.not_after

    def describe(self) -> str:
        return f"{self.subject} (serial {self.serial:x}, valid until {self.not_after:%Y-%m-%d})"


@dataclass(frozen=True, slots=True)
class PartnerCert:
    cert: Certificate
    window_from: datetime | None
    window_until: datetime | None

    def valid_at(self, when: datetime) -> bool:
        if self.window_from is not None and when < self.window_from:
            return False
        if self.window_until is not None and when >= self.window_until:
            return False
        return self.cert.valid_at(when)


@dataclass(frozen=True, slots=True)
class OwnKey:
    """A private key with its certificate, as the PEM bundle pyas2lib loads."""

    bundle: bytes
    passphrase: str | None
    cert: Certificate

    def __repr__(self) -> str:  # never print key material
        return f"OwnKey({self.cert.describe()})"


@dataclass(frozen=True, slots=True)
class Credentials:
    partner_id: str
    settings: As2Settings
    signing: OwnKey
    decryption: OwnKey
    partner_certs: tuple[PartnerCert, ...]

    def verification_candidates(self) -> list[PartnerCert]:
        """All partner certificates, newest first (validity is judged after verifying)."""
        return sorted(self.partner_certs, key=lambda c: c.cert.not_before, reverse=True)

    def encryption_cert(self, when: datetime) -> PartnerCert | None:
        """The newest partner certificate valid at ``when``."""
        valid = [c for c in self.partner_certs if c.valid_at(when)]
        return max(valid, key=lambda c: c.cert.not_before, default=None)


def load_credentials(partner_id: str, settings: As2Settings) -> Credentials:
    """Read and check every key and certificate; ConfigurationError names what is wrong."""
    return Credentials(
        partner_id=partner_id,
        settings=settings,
        signing=_load_own(partner_id, "signing", settings.signing),
        decryption=_load_own(partner_id, "decryption", settings.decryption_pair()),
        partner_certs=tuple(
            _load_partner(partner_id, i, spec)
            for i, spec in enumerate(settings.partner_certificates)
        ),
    )


def parse_certificate(pem: bytes) -> Certificate:
    cert = x509.load_pem_x509_certificate(pem)
    der = cert.public_bytes(serialization.Encoding.DER)
    return Certificate(
        pem=cert.public_bytes(serialization.Encoding.PEM),
        subject=cert.subject.rfc4514_string(),
        serial=cert.serial_number,
        fingerprint=hashlib.sha256(der).hexdigest(),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
    )


def _read(partner_id: str, what: str, path: Path | None, text: str | None) -> bytes:
    if text is not None:
        return text.encode("ascii")
    assert path is not None  # the settings model requires one of the two
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigurationError(
            f"partner {partner_id}: cannot read AS2 {what} {path}: {exc.strerror}"
        ) from exc


def _secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value is not None else None


def _load_own(partner_id: str, role: str, spec: KeyPair) -> OwnKey:
    key_pem = _read(partner_id, f"{role} key", spec.key_path, _secret(spec.key_pem))
    cert_pem = _read(partner_id, f"{role} certificate", spec.cert_path, spec.cert_pem)
    passphrase = _secret(spec.passphrase)
    try:
        # Our own key, from our own configuration: OpenSSL 3's RSA consistency check costs
        # hundreds of milliseconds per load and guards against hostile keys, not ours. The
        # key is still matched against its certificate below.
        key = serialization.load_pem_private_key(
            key_pem,
            passphrase.encode() if passphrase else None,
            unsafe_skip_rsa_key_validation=True,
        )
        cert = parse_certificate(cert_pem)
    except (ValueError, TypeError) as exc:
        # The library's message never contains key material, but keep ours generic anyway.
        raise ConfigurationError(
            f"partner {partner_id}: the AS2 {role} key or certificate cannot be read "
            f"(PEM expected; wrong passphrase?)"
        ) from exc
    if _spki(key.public_key()) != _spki(x509.load_pem_x509_certificate(cert.pem).public_key()):
        raise ConfigurationError(
            f"partner {partner_id}: the AS2 {role} certificate {cert.describe()} "
            "does not belong to its key"
        )
    return OwnKey(bundle=key_pem.strip() + b"\n" + cert.pem, passphrase=passphrase, cert=cert)


def _load_partner(partner_id: str, index: int, spec: PartnerCertificate) -> PartnerCert:
    pem = _read(partner_id, f"partner certificate #{index + 1}", spec.path, spec.pem)
    try:
        cert = parse_certificate(pem)
    except ValueError as exc:
        raise ConfigurationError(
            f"partner {partner_id}: partner certificate #{index + 1} is not a PEM certificate"
        ) from exc
    return PartnerCert(cert, spec.valid_from, spec.valid_until)


def _spki(public_key: PublicKeyTypes) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
