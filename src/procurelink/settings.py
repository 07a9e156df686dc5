"""Settings from PROCURELINK_* environment variables and an optional ``procurelink.toml``.

Each adapter owns its settings model; this module composes them from the flat variables an
operator sets (PROCURELINK_DATABASE_URL, PROCURELINK_ODOO_URL, ...).
"""

from __future__ import annotations

import os
import socket
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from procurelink.adapters.odoo.settings import OdooSettings
from procurelink.adapters.store.settings import StoreSettings
from procurelink.errors import ConfigurationError
from procurelink.services.planning_access import PlanningCredential


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PROCURELINK_", toml_file="procurelink.toml", extra="ignore"
    )

    database_url: str = "sqlite+aiosqlite:///./var/procurelink.db"
    odoo_url: str = "http://127.0.0.1:8069"
    odoo_db: str = "procurelink"
    odoo_user: str = "admin"
    odoo_password: SecretStr | None = None
    odoo_api_key: SecretStr | None = None
    odoo_timeout_seconds: float = 30.0
    odoo_verify_tls: bool = True
    # auto: JSON-2 on Odoo 19+ with an API key, JSON-RPC otherwise; or force one.
    odoo_protocol: Literal["auto", "xmlrpc", "jsonrpc", "json2"] = "auto"
    # Shared by every connection to the same Odoo, so a flood of supplier messages
    # never floods Odoo.
    odoo_max_calls_per_second: float = 10.0
    odoo_max_concurrency: int = 4
    # Orders confirmed before this instant are not released on the first poll (None: all).
    odoo_sync_since: datetime | None = None
    odoo_poll_overlap_seconds: float = 60.0
    # Where Odoo reaches this process's API (e.g. http://procurelink:8080); set, `serve`
    # provisions automation rules posting change hints there (17+). None: polling only.
    odoo_hooks_base_url: str | None = None
    # Odoo posts hints before its commit: the snapshot they queue waits this long.
    odoo_hook_delay_seconds: float = 2.0
    # Bills from matched supplier invoices: left as drafts for accounting ("never") or posted
    # when the three-way match found no discrepancy. Approved mismatches stay drafts.
    invoice_post_policy: Literal["never", "when_matched"] = "never"
    # Where held goods go, per plant code (stock.location full name or XML id, "*" for all
    # plants), e.g. PROCURELINK_QUARANTINE_LOCATIONS='{"WH2": "WH2/Quarantine"}'. A plant
    # without one gets "<warehouse code>/Quarantine", created in Odoo on first use.
    quarantine_locations: dict[str, str] = {}
    partners_dir: Path = Path("partners")
    poll_interval_seconds: float = 5.0
    api_host: str = "127.0.0.1"
    api_port: int = 8080
    # Signs OAuth2 access tokens; give every `serve` process the same one. Without it each
    # process makes its own, and tokens only work on the process that issued them.
    # It also signs buyer console sessions (under a key derived from it, for another audience).
    token_signing_key: SecretStr | None = None
    # How long a buyer console session lasts after signing in with the Odoo login.
    console_session_hours: float = Field(default=8.0, gt=0, le=24 * 7)
    # How often a live session's buyer is asked about again in Odoo (still active, still in
    # the Purchase group); 0 asks on every request.
    console_recheck_minutes: float = Field(default=5.0, ge=0, le=24 * 60)
    # Planning engines allowed to send purchase requests (POST /api/v1/planning/...): client
    # name -> key id and the SHA-256 of the key's secret, as `procurelink planning-keys
    # create` prints them, e.g. PROCURELINK_PLANNING_CLIENTS='{"mrp": {"key_id": "pl_…",
    # "key_sha256": "…"}}'. Never the key itself. None configured: the endpoint refuses all.
    planning_clients: dict[str, PlanningCredential] = {}
    # The largest purchase-request batch the planning endpoint reads (413 beyond).
    planning_max_body_bytes: int = 1024 * 1024
    # The embedded SFTP server for suppliers who push (`serve` runs it); None: not started.
    sftp_server_port: int | None = None
    sftp_server_host: str = "127.0.0.1"
    sftp_server_root: Path = Path("var/sftp")
    sftp_server_host_key: Path = Path("var/sftp_host_ed25519")
    worker_id: str = f"{socket.gethostname()}-{os.getpid()}"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Environment wins over the file, so one file can serve several deployments.
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    def store(self) -> StoreSettings:
        return StoreSettings(database_url=self.database_url)

    def odoo(self) -> OdooSettings:
        try:
            return OdooSettings(
                url=self.odoo_url,
                db=self.odoo_db,
                user=self.odoo_user,
                password=self.odoo_password,
                api_key=self.odoo_api_key,
                timeout=self.odoo_timeout_seconds,
                verify_tls=self.odoo_verify_tls,
                protocol=self.odoo_protocol,
                max_calls_per_second=self.odoo_max_calls_per_second,
                max_concurrency=self.odoo_max_concurrency,
            )
        except ValidationError as exc:
            problems = "; ".join(str(e["msg"]) for e in exc.errors())
            raise ConfigurationError(
                f"Odoo settings: {problems} (PROCURELINK_ODOO_PASSWORD or PROCURELINK_ODOO_API_KEY)"
            ) from exc
