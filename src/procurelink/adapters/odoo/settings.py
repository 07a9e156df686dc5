"""Connection settings of the Odoo adapter (composed into procurelink's settings)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, SecretStr, model_validator

Protocol = Literal["auto", "xmlrpc", "jsonrpc", "json2"]


class OdooSettings(BaseModel):
    """Where and as whom to call Odoo. Secrets stay ``SecretStr``: never logged or printed."""

    url: str = Field(description="Base URL, e.g. https://erp.example.com (no /xmlrpc suffix)")
    db: str
    user: str
    password: SecretStr | None = None
    api_key: SecretStr | None = Field(default=None, description="Preferred over the password")
    timeout: float = Field(default=30.0, gt=0, description="Seconds per HTTP request")
    verify_tls: bool = True
    protocol: Protocol = Field(
        default="auto",
        description="auto: JSON-2 on Odoo 19+ with an API key, else JSON-RPC",
    )
    # Odoo has no per-client rate limit of its own (reference pitfall 2): every call takes a
    # worker, so one process never sends more than this to one database.
    max_calls_per_second: float = Field(default=10.0, gt=0)
    max_concurrency: int = Field(default=4, ge=1)

    @model_validator(mode="after")
    def _needs_a_secret(self) -> OdooSettings:
        if self.password is None and self.api_key is None:
            raise ValueError("set either password or api_key")
        if self.protocol == "json2" and self.api_key is None:
            raise ValueError("protocol json2 needs an api_key (bearer token)")
        return self

    def secret(self) -> str:
        """The credential sent with each call: an API key works wherever a password does."""
        chosen = self.api_key or self.password
        assert chosen is not None  # guaranteed by the validator
        return chosen.get_secret_value()
