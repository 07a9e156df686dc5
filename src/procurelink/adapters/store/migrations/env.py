"""Alembic environment: runs on the connection `procurelink.adapters.store.schema` passes in.

Run through ``migrate(url)``; the plain ``alembic`` command is not wired up, so no URL (and
no password) ever lands in an ini file.
"""

from __future__ import annotations

from alembic import context

from procurelink.adapters.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "run migrations with procurelink.adapters.store.migrate(url), not the alembic command"
    )

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
