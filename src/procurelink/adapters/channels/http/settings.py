from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl


class HttpWebhookSettings(BaseModel):
    """Options of a `type: http-webhook` channel in a partner profile."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    type: str = "http-webhook"
    url: HttpUrl
    timeout_seconds: float = Field(default=10.0, gt=0)
    verify_tls: bool = True
    # standard-webhooks (default), or the supplier's own HMAC header described below.
    signature: Literal["standard-webhooks", "hmac-sha256"] = "standard-webhooks"
    hmac_header: str = "X-Signature"
    hmac_prefix: str = ""
    hmac_encoding: Literal["hex", "base64"] = "hex"
    hmac_timestamp_header: str | None = None
