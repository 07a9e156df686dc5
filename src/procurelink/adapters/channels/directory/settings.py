from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class DirectorySettings(BaseModel):
    """Options of a `type: directory` channel in a partner profile."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    type: str = "directory"
    outbox: Path | None = Field(default=None, description="where documents for the partner go")
    inbox: Path | None = Field(default=None, description="where the partner drops documents")
    pattern: str = Field(default="*", description="glob of files to pick up from the inbox")
    # Files younger than this may still be being written by a partner that does not use a
    # temporary name; they are left for the next poll.
    settle_seconds: float = Field(default=0.0, ge=0)
