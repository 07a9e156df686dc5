"""Settings of the embedded SFTP server and of the channels that read and fill its homes."""

from __future__ import annotations

from pathlib import Path

import asyncssh
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from procurelink.adapters.channels.sftp_server.passwords import is_password_hash

# Also the name of the home folder: no dots, no slashes, so it cannot name anything but a
# direct child of the server root (and never the ``.staging`` folder).
USERNAME_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,62}$"


class SupplierAccount(BaseModel):
    """One supplier's login on the embedded server; its home is ``<root>/<username>``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    username: str = Field(pattern=USERNAME_PATTERN)
    password_hash: str | None = Field(
        default=None, description="scrypt hash from `python -m ...sftp_server.passwords`"
    )
    authorized_keys: tuple[str, ...] = Field(
        default=(), description="OpenSSH public key lines allowed to log in"
    )

    @field_validator("password_hash")
    @classmethod
    def _is_hash(cls, value: str | None) -> str | None:
        if value is not None and not is_password_hash(value):
            raise ValueError("password_hash must be a scrypt hash, never the password itself")
        return value

    @field_validator("authorized_keys")
    @classmethod
    def _keys_parse(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for line in value:
            try:
                asyncssh.import_public_key(line.strip())
            except (asyncssh.KeyImportError, ValueError) as exc:
                raise ValueError("authorized_keys holds a line that is not a public key") from exc
        return tuple(line.strip() for line in value)

    @model_validator(mode="after")
    def _can_log_in(self) -> SupplierAccount:
        if self.password_hash is None and not self.authorized_keys:
            raise ValueError(f"{self.username}: give a password_hash or authorized_keys")
        return self


class SftpServerSettings(BaseModel):
    """The embedded server: where it listens, its host key, its supplier accounts."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    host: str = "127.0.0.1"
    port: int = Field(default=2222, ge=0, le=65535, description="0: any free port (tests)")
    root: Path = Field(description="homes live in <root>/<username>/{in,out}")
    host_key_path: Path = Field(description="private host key; generated (ed25519) if missing")
    suppliers: tuple[SupplierAccount, ...] = ()
    login_timeout_seconds: float = Field(default=30.0, gt=0)
    # Per upload; a supplier cannot fill the disk with one endless file.
    max_upload_bytes: int = Field(default=200 * 1024 * 1024, gt=0)


class EmbeddedSftpSettings(BaseModel):
    """Options of a `type: sftp-server` channel: a supplier's home on the embedded server."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    type: str = "sftp-server"
    root: Path = Field(description="the embedded server's root (SftpServerSettings.root)")
    username: str = Field(pattern=USERNAME_PATTERN, description="the supplier's account")
    pattern: str = Field(default="*", description="glob of files to pick up from in/")
    # Names that conventional clients use while uploading before renaming (WinSCP .filepart).
    ignore_suffixes: tuple[str, ...] = (".part", ".tmp", ".filepart")
    max_file_bytes: int = Field(default=50 * 1024 * 1024, gt=0)
    # The supplier's login, given in the profile next to its home (only the hash, never the
    # password; `python -m procurelink.adapters.channels.sftp_server.passwords` makes one).
    password_hash: str | None = None
    authorized_keys: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _login_is_valid(self) -> EmbeddedSftpSettings:
        if self.password_hash is not None or self.authorized_keys:
            self.account()
        return self

    def account(self) -> SupplierAccount:
        return SupplierAccount(
            username=self.username,
            password_hash=self.password_hash,
            authorized_keys=self.authorized_keys,
        )
