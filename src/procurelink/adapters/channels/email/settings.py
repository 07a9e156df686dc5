"""Options of a `type: email` channel in a partner profile.

One profile, one supplier: the same settings model serves the inbound side (an IMAP mailbox
read for this supplier's senders) and the outbound side (purchase orders mailed over SMTP).
Each side checks that its own part is present when the channel is built.
"""

from __future__ import annotations

import ipaddress
import string
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

# Placeholders a subject or body template may use; anything else is a typo caught at load.
TEMPLATE_FIELDS = frozenset({"order_number", "correlation_id", "filename", "partner_id"})

# .zip: intake unpacks archives within the partner's limits (services/archives.py).
DEFAULT_ATTACHMENT_TYPES = (".x12", ".edi", ".txt", ".csv", ".xlsx", ".pdf", ".json", ".zip")


class TlsMode(StrEnum):
    SSL = "ssl"  # TLS from the first byte (IMAPS 993, SMTPS 465)
    STARTTLS = "starttls"  # plain connect, upgraded before login (IMAP 143, submission 587)
    PLAIN = "plain"  # no TLS at all: loopback only (tests, a local relay)


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Server(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    host: str = Field(min_length=1)
    port: int | None = Field(default=None, gt=0, lt=65536, description="default per TLS mode")
    tls: TlsMode = TlsMode.SSL
    username: str | None = None
    password: SecretStr | None = Field(default=None, description="use ${ENV_VAR} in YAML")
    ca_file: str | None = Field(default=None, description="PEM bundle for a private CA")
    timeout_seconds: float = Field(default=30.0, gt=0)

    @model_validator(mode="after")
    def _plain_only_on_loopback(self) -> _Server:
        # Credentials and purchase orders must never cross a network in clear text.
        if self.tls is TlsMode.PLAIN and not is_loopback(self.host):
            raise ValueError(f"tls: plain is only allowed for loopback hosts, not {self.host!r}")
        if (self.username is None) != (self.password is None):
            raise ValueError("username and password go together")
        return self


class ImapSettings(_Server):
    mailbox: str = "INBOX"
    processed_folder: str = "procurelink-processed"
    error_folder: str = "procurelink-error"
    # Only for a mailbox dedicated to this supplier: mail from anyone else is moved here.
    # Unset (the default), such mail is left untouched for another profile or a person.
    unmatched_folder: str | None = None

    @property
    def effective_port(self) -> int:
        return self.port or (993 if self.tls is TlsMode.SSL else 143)

    @field_validator("mailbox", "processed_folder", "error_folder", "unmatched_folder")
    @classmethod
    def _simple_folder_name(cls, value: str | None) -> str | None:
        # Quoted IMAP strings cannot hold these; non-ASCII would need modified UTF-7.
        if value is not None and (
            not value or not value.isascii() or any(c in value for c in '"\\\r\n')
        ):
            raise ValueError(f"folder name {value!r} must be non-empty ASCII without quotes")
        return value


class SmtpSettings(_Server):
    tls: TlsMode = TlsMode.STARTTLS

    @property
    def effective_port(self) -> int:
        return self.port or {TlsMode.SSL: 465, TlsMode.STARTTLS: 587, TlsMode.PLAIN: 25}[self.tls]


def _check_template(template: str) -> str:
    for _, name, spec, conversion in string.Formatter().parse(template):
        if name is None:
            continue
        # Plain names only: "{order_number.__class__}" must not reach str.format.
        if name not in TEMPLATE_FIELDS or spec or conversion:
            raise ValueError(
                f"unknown placeholder {{{name}}} (known: {', '.join(sorted(TEMPLATE_FIELDS))})"
            )
    return template


class EmailSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    type: str = "email"

    # Inbound: read this supplier's mail from a mailbox.
    imap: ImapSettings | None = None
    allowed_senders: tuple[str, ...] = Field(
        default=(),
        description="this supplier's From addresses; '@example.com' allows a whole domain",
    )
    attachment_types: tuple[str, ...] = Field(
        default=DEFAULT_ATTACHMENT_TYPES, description="file name endings captured"
    )
    # Decoded attachments over this are still returned, flagged with a refusal reason.
    max_attachment_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    # Checked on the server's RFC822.SIZE before downloading: bigger mail is not fetched.
    max_message_bytes: int = Field(default=25 * 1024 * 1024, gt=0)
    max_messages_per_poll: int = Field(default=50, gt=0)
    keep_raw_message: bool = Field(
        default=True, description="also return the whole e-mail (message/rfc822) as evidence"
    )

    # Outbound: mail documents to the supplier.
    smtp: SmtpSettings | None = None
    from_address: str | None = None
    to_addresses: tuple[str, ...] = ()
    cc_addresses: tuple[str, ...] = ()
    subject_template: str = "Purchase order {order_number} [{correlation_id}]"
    attach_pdf: bool = Field(
        default=False,
        description="also attach a printable PDF copy of the document (a CSV as a table)",
    )
    body_template: str = (
        "Please find purchase order {order_number} attached ({filename}).\n\n"
        "Reference: {correlation_id}\n"
    )

    @field_validator("allowed_senders", "to_addresses", "cc_addresses")
    @classmethod
    def _addresses(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for address in value:
            if "@" not in address or any(c.isspace() for c in address):
                raise ValueError(f"{address!r} is not an e-mail address")
        return value

    @field_validator("attachment_types")
    @classmethod
    def _endings(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(v.lower() if v.startswith(".") else f".{v.lower()}" for v in value)

    @field_validator("subject_template", "body_template")
    @classmethod
    def _template(cls, value: str) -> str:
        return _check_template(value)

    @model_validator(mode="after")
    def _complete_sides(self) -> EmailSettings:
        if self.imap is not None and not self.allowed_senders:
            raise ValueError("allowed_senders: the supplier's addresses are needed to read mail")
        if self.smtp is not None and (self.from_address is None or not self.to_addresses):
            raise ValueError("from_address and to_addresses are needed to send mail")
        if self.imap is None and self.smtp is None:
            raise ValueError("an e-mail channel needs imap (inbound) or smtp (outbound)")
        return self

    def sender_allowed(self, address: str) -> bool:
        # Addresses are compared case-insensitively: servers treat them so in practice.
        allowed = {a.lower() for a in self.allowed_senders}
        address = address.lower()
        return address in allowed or f"@{address.rpartition('@')[2]}" in allowed
