from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, HttpUrl


class HttpWebhookSettings(BaseModel):
    """Options of a `type: http-webhook` channel in a partner profile."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    type: str = "http-webhook"
    url: HttpUrl
    timeout_seconds: float = Field(default=10.0, gt=0)
    verify_tls: bool = True
