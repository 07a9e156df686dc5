"""Options of a `type: sftp` channel: procurelink is the client of a supplier's SFTP server."""

from __future__ import annotations

import posixpath
import re
from enum import StrEnum
from pathlib import Path

import asyncssh
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

# What `ssh-keygen -lf key.pub` prints (the default SHA256 form, base64 without padding).
_FINGERPRINT = re.compile(r"^SHA256:[A-Za-z0-9+/]{43}$")


class AfterCapture(StrEnum):
    ARCHIVE = "archive"
    DELETE = "delete"


class SftpSettings(BaseModel):
    """Options of a `type: sftp` channel in a partner profile."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    type: str = "sftp"
    host: str = Field(min_length=1)
    port: int = Field(default=22, ge=1, le=65535)
    username: str = Field(min_length=1)
    password: SecretStr | None = Field(default=None, description="use ${ENV_VAR} in YAML")
    private_key: SecretStr | None = Field(
        default=None, description="private key text (OpenSSH or PEM); use ${ENV_VAR} in YAML"
    )
    private_key_path: Path | None = None
    private_key_passphrase: SecretStr | None = None
    host_keys: tuple[str, ...] = Field(
        default=(),
        description=(
            "the server's public keys ('ssh-ed25519 AAAA...') or SHA256 fingerprints "
            "('SHA256:...', as `ssh-keygen -lf` prints); any one of them is accepted"
        ),
    )
    # Only for a first contact in a test environment: every connection logs a warning.
    insecure_skip_host_key_check: bool = False
    outbox: str | None = Field(default=None, description="remote folder where we put documents")
    inbox: str | None = Field(default=None, description="remote folder the partner fills")
    pattern: str = Field(default="*", description="glob of inbox files to pick up")
    after_capture: AfterCapture = AfterCapture.ARCHIVE
    # Relative folders are inside the inbox.
    archive_dir: str = "archive"
    error_dir: str = "error"
    temp_prefix: str = Field(default=".", min_length=1, description="prefix of in-flight uploads")
    connect_timeout_seconds: float = Field(default=15.0, gt=0)
    # Bound of one remote operation: a listing, one file's transfer, one rename.
    io_timeout_seconds: float = Field(default=60.0, gt=0)
    max_file_bytes: int = Field(default=50 * 1024 * 1024, gt=0)
    # Files modified more recently than this may still be being written by a partner that
    # does not upload under a temporary name; they wait for a later poll.
    settle_seconds: float = Field(default=0.0, ge=0)

    @field_validator("host_keys")
    @classmethod
    def _keys_parse(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for entry in value:
            if _FINGERPRINT.match(entry.strip()):
                continue
            try:
                asyncssh.import_public_key(entry.strip())
            except (asyncssh.KeyImportError, ValueError) as exc:
                raise ValueError(
                    "each host key must be an OpenSSH public key line or a SHA256:... fingerprint"
                ) from exc
        return tuple(entry.strip() for entry in value)

    @model_validator(mode="after")
    def _coherent(self) -> SftpSettings:
        if self.password is None and self.private_key is None and self.private_key_path is None:
            raise ValueError("give a password, a private_key or a private_key_path")
        if self.private_key is not None and self.private_key_path is not None:
            raise ValueError("give private_key or private_key_path, not both")
        if not self.host_keys and not self.insecure_skip_host_key_check:
            raise ValueError(
                "pin the server's host key (host_keys) or, for tests only, set "
                "insecure_skip_host_key_check: true"
            )
        return self

    def remote_dir(self, folder: str) -> str:
        """An archive/error folder as an absolute remote path (relative ones live in the inbox)."""
        if posixpath.isabs(folder) or self.inbox is None:
            return folder
        return posixpath.join(self.inbox, folder)
