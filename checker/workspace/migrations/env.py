"""Alembic's environment for the review store.

:func:`checker.workspace.store.upgrade_schema` runs Alembic with a connection that is already
inside the one transaction the whole upgrade runs in (``config.attributes["connection"]``), so
a failed revision leaves the store as it was. The ``alembic`` command (``alembic.ini`` next to
this file, for writing revisions) gets a connection of its own from ``sqlalchemy.url``.

SQLite renders ``ALTER``s in batch mode (copy the table, move the rows), since SQLite cannot
alter most of a table in place.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from checker.workspace.store import Base, database_url


def run_migrations(connection: Connection) -> None:
    """Run the migrations Alembic was asked for on ``connection``."""
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no connection given and no sqlalchemy.url in the Alembic config")
    engine = create_engine(database_url(url))
    try:
        with engine.begin() as connection:
            run_migrations(connection)
    finally:
        engine.dispose()


# Alembic runs this file with its context set up; importing it otherwise (pytest's doctest
# collection, mypy) must do nothing.
if hasattr(context, "config"):
    main()
