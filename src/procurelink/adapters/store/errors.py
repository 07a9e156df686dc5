"""Database errors translated into procurelink's error tree, with the password kept out."""

from __future__ import annotations

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL

from procurelink.errors import (
    AuthenticationError,
    ConfigurationError,
    PermanentError,
    ProcurelinkError,
    TransientError,
)


class StoreError(PermanentError):
    """The database refused the statement."""

    code = "store_error"


class DuplicateRecord(StoreError):
    """A record with this key is already stored."""

    code = "duplicate_record"


class StoreIntegrityError(StoreError):
    """The database refused a write that breaks one of its constraints."""

    code = "store_integrity"


class SchemaMissing(ConfigurationError):
    """The database has no procurelink tables: run `procurelink migrate` first."""

    code = "schema_missing"


_UNDEFINED_TABLE = "42P01"
_AUTH_FAILURES = frozenset({"28P01", "28000"})


def _reason(exc: BaseException, url: URL) -> str:
    """The driver's first line, scrubbed: libpq never echoes a password, but make sure."""
    orig = getattr(exc, "orig", None) or exc
    text = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    if url.password:
        text = text.replace(str(url.password), "***")
    return text


def translate(exc: BaseException, url: URL) -> ProcurelinkError:
    """The most specific procurelink error for a driver or pool error; raise it ``from exc``."""
    where = url.render_as_string(hide_password=True)
    reason = _reason(exc, url)
    sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None)
    if isinstance(exc, sa_exc.IntegrityError):
        return StoreIntegrityError(f"The database refused a write: {reason}", database=where)
    if sqlstate == _UNDEFINED_TABLE or "no such table" in reason:
        return SchemaMissing(database=where, reason=reason)
    if sqlstate in _AUTH_FAILURES or "authentication failed" in reason:
        return AuthenticationError(
            f"The database at {where} refused the credentials", database=where
        )
    if isinstance(
        exc,
        sa_exc.OperationalError
        | sa_exc.InterfaceError
        | sa_exc.TimeoutError
        | sa_exc.DisconnectionError
        | OSError,
    ) or (isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated):
        return TransientError(
            f"The database at {where} is unavailable: {reason}", database=where, reason=reason
        )
    return StoreError(f"The database refused the statement: {reason}", database=where)


# What `translate` knows how to map; anything else is a programming error and propagates.
TRANSLATABLE: tuple[type[BaseException], ...] = (
    sa_exc.DBAPIError,
    sa_exc.TimeoutError,
    sa_exc.DisconnectionError,
    OSError,
)
