"""Database engine and units of work: SQLite in WAL mode with IMMEDIATE write transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, SQLModel, create_engine

BUSY_TIMEOUT_MS = 30_000


def _sqlite_path(url: str) -> Path | None:
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url in (prefix, prefix + ":memory:"):
        return None
    return Path(url[len(prefix) :])


def make_engine(url: str) -> Engine:
    """Create an engine; for a SQLite file, create its folder and configure WAL and locking.

    SQLite's driver is put in autocommit mode and we emit BEGIN ourselves, so a write unit of
    work can start with BEGIN IMMEDIATE: a deferred transaction that later upgrades to a write
    fails with "database is locked" instead of waiting for the busy timeout.
    """
    path = _sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    is_sqlite = url.startswith("sqlite")
    connect_args = (
        {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000} if is_sqlite else {}
    )
    engine = create_engine(url, connect_args=connect_args)
    if is_sqlite:
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        begin_sql = connection.get_execution_options().get("sqlite_begin", "BEGIN")
        connection.exec_driver_sql(begin_sql)


def init_db(engine: Engine) -> None:
    """Create the tables of every model module imported so far, without migrations.

    A shortcut for tests and benchmarks on throwaway files only: the bot and its CLI bring a
    database to the newest schema with Alembic (`migrations.runner.upgrade_to_head`).
    """
    SQLModel.metadata.create_all(engine)


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A unit of work that only reads."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A unit of work that writes: BEGIN IMMEDIATE on SQLite, committed on success, else rolled
    back."""
    bound = engine.execution_options(sqlite_begin="BEGIN IMMEDIATE")
    with Session(bound, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
