"""Options of a `type: as2` channel in a partner profile."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Self

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    SecretStr,
    model_validator,
)

EncryptionAlgorithm = Literal["aes_128_cbc", "aes_192_cbc", "aes_256_cbc", "tripledes_192_cbc"]
DigestAlgorithm = Literal["sha256", "sha384", "sha512", "sha1"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KeyPair(_Strict):
    """Our private key and its certificate: files, or PEM text (use ${ENV_VAR} in YAML)."""

    key_path: Path | None = None
    key_pem: SecretStr | None = None
    cert_path: Path | None = None
    cert_pem: str | None = None
    passphrase: SecretStr | None = None

    @model_validator(mode="after")
    def _one_source_each(self) -> Self:
        if (self.key_path is None) == (self.key_pem is None):
            raise ValueError("give exactly one of key_path and key_pem")
        if (self.cert_path is None) == (self.cert_pem is None):
            raise ValueError("give exactly one of cert_path and cert_pem")
        return self


class PartnerCertificate(_Strict):
    """One of the partner's certificates (public): a file or PEM text.

    The certificate's own notBefore/notAfter always apply; ``valid_from``/``valid_until``
    narrow them, e.g. when the partner announced the day an old certificate is retired.
    """

    path: Path | None = None
    pem: str | None = None
    valid_from: AwareDatetime | None = None
    valid_until: AwareDatetime | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if (self.path is None) == (self.pem is None):
            raise ValueError("give exactly one of path and pem")
        return self


class As2Settings(_Strict):
    """Options of a `type: as2` channel.

    Partner certificates are a list so that a rotation can overlap: inbound signatures (and
    MDNs) verify with any currently valid certificate, outbound messages are encrypted to
    the newest valid one.
    """

    type: Literal["as2"] = "as2"
    as2_id: str = Field(min_length=1, max_length=128, description="our AS2 name")
    partner_as2_id: str = Field(min_length=1, max_length=128)
    partner_url: HttpUrl | None = Field(default=None, description="where we POST messages")
    signing: KeyPair = Field(description="signs our messages and MDNs")
    decryption: KeyPair | None = Field(
        default=None, description="decrypts the partner's messages; default: the signing pair"
    )
    partner_certificates: list[PartnerCertificate] = Field(min_length=1)
    sign: bool = True
    encrypt: bool = True
    compress: bool = False
    encryption_algorithm: EncryptionAlgorithm = "aes_256_cbc"
    digest_algorithm: DigestAlgorithm = "sha256"
    mdn_mode: Literal["sync", "async"] = "sync"
    mdn_url: HttpUrl | None = Field(
        default=None, description="where the partner POSTs asynchronous MDNs to us"
    )
    signed_mdn: bool = Field(default=True, description="ask the partner to sign its MDNs")
    require_signed_payload: bool = True
    require_encrypted_payload: bool = True
    subject: str = "AS2 Message"
    # Left side of Message-IDs is ours; the domain after '@' identifies the sending host.
    message_id_domain: str = Field(default="procurelink", pattern=r"^[A-Za-z0-9.-]{1,100}$")
    connect_timeout_seconds: float = Field(default=10.0, gt=0)
    timeout_seconds: float = Field(default=120.0, gt=0, description="whole request, incl. MDN")
    verify_tls: bool = True

    @model_validator(mode="after")
    def _async_needs_url(self) -> Self:
        if self.mdn_mode == "async" and self.mdn_url is None:
            raise ValueError("mdn_mode async needs mdn_url (where the partner sends MDNs)")
        return self

    def decryption_pair(self) -> KeyPair:
        return self.decryption or self.signing
