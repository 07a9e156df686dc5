"""The SQL store: SQLite by default, PostgreSQL for scale-out (ARCHITECTURE.md section 3)."""

from procurelink.adapters.store.schema import current_revision, head_revision, migrate
from procurelink.adapters.store.settings import StoreSettings
from procurelink.adapters.store.store import SqlStore, create_store

__all__ = [
    "SqlStore",
    "StoreSettings",
    "create_store",
    "current_revision",
    "head_revision",
    "migrate",
]
