"""Settings of the SQL store: which database to use."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator
from sqlalchemy.engine import make_url

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./var/procurelink.db"

# Only these async drivers are installed and tested; the bare schemes people paste from other
# tools are mapped onto them.
_DRIVER_ALIASES = (
    ("sqlite://", "sqlite+aiosqlite://"),
    ("postgresql://", "postgresql+psycopg://"),
    ("postgres://", "postgresql+psycopg://"),
)
SUPPORTED_DRIVERS = frozenset({"sqlite+aiosqlite", "postgresql+psycopg"})


def normalise_url(url: str) -> str:
    """Map ``sqlite://`` and ``postgres(ql)://`` onto the async drivers procurelink uses."""
    for prefix, replacement in _DRIVER_ALIASES:
        if url.startswith(prefix):
            return replacement + url[len(prefix) :]
    return url


def redact_url(url: str) -> str:
    """The URL with its password hidden, safe for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        # An unparsable URL may still hold a secret anywhere; show only its scheme.
        return url.split(":", 1)[0] + "://***"


class StoreSettings(BaseModel):
    # repr=False keeps a password in the URL out of settings dumps and tracebacks.
    database_url: str = Field(default=DEFAULT_DATABASE_URL, repr=False)

    @field_validator("database_url")
    @classmethod
    def _normalise(cls, value: str) -> str:
        return normalise_url(value.strip())

    @property
    def redacted_url(self) -> str:
        return redact_url(self.database_url)
