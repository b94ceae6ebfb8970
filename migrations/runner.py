"""Bring a database to the newest schema revision, safely when several processes start at once.

A database created by `create_all` before migrations existed has tables but no `alembic_version`:
it is stamped at the baseline (whose schema it has) and upgraded, never recreated.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

logger = logging.getLogger(__name__)

SCRIPT_LOCATION = Path(__file__).resolve().parent
BASELINE = "0001_baseline"
# Tables every database made by `create_all` before the baseline had (any one marks such a file).
BASELINE_TABLES = frozenset(
    {"document", "unit", "deadline", "person", "chataddress", "reminderlog"}
)
ADVISORY_LOCK_KEY = 0x43434843  # "CCHC": one migrating process at a time on PostgreSQL
STARTUP_LOCK_KEY = 0x43434844  # one replica at a time through start-up (migrate, then seed)


@dataclass(frozen=True)
class RevisionInfo:
    revision: str
    down_revision: str | None
    message: str
    is_head: bool


def alembic_config(url: str | None = None) -> Config:
    """An Alembic configuration pointing at this folder (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


@contextmanager
def _schema_lock(engine: Engine) -> Iterator[Connection]:
    """One connection in one transaction that excludes other migrating processes.

    SQLite: BEGIN IMMEDIATE, and foreign keys off meanwhile, because batch mode rebuilds tables
    (dropping a parent table would otherwise cascade). PostgreSQL: a transaction advisory lock.
    """
    is_sqlite = engine.dialect.name == "sqlite"
    with engine.execution_options(sqlite_begin="BEGIN IMMEDIATE").connect() as connection:
        raw = connection.connection.driver_connection
        if is_sqlite:
            raw.execute("PRAGMA foreign_keys = OFF")  # only effective outside a transaction
        try:
            with connection.begin():
                if engine.dialect.name == "postgresql":
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
                    )
                yield connection
                if is_sqlite:
                    _warn_broken_references(connection)
        finally:
            if is_sqlite:
                raw.execute("PRAGMA foreign_keys = ON")


@contextmanager
def startup_lock(engine: Engine) -> Iterator[None]:
    """Replicas starting together on PostgreSQL pass start-up (migrate, seed the bundled
    documents into an empty database) one at a time: a session advisory lock on its own
    connection. SQLite needs none: its write transactions are exclusive already."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": STARTUP_LOCK_KEY})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": STARTUP_LOCK_KEY})
            connection.commit()


def _warn_broken_references(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        logger.warning(
            "Database has %d row(s) referring to missing rows (first: %s)", len(broken), broken[0]
        )


def _is_unversioned(connection: Connection) -> bool:
    tables = set(inspect(connection).get_table_names())
    return "alembic_version" not in tables and bool(tables & BASELINE_TABLES)


def _matches_models(connection: Connection) -> bool:
    """True when the tables already are the newest schema (made by `create_all` of today's models).

    Such a file is stamped at the head, not at the baseline: replaying the later revisions on it
    would create tables it already has.
    """
    from migrations.metadata import target_metadata

    context = MigrationContext.configure(connection, opts={"render_as_batch": True})
    return not compare_metadata(context, target_metadata())


def upgrade_to_head(engine: Engine) -> None:
    """Apply every missing revision (stamping a pre-migration database at the baseline first)."""
    config = alembic_config()
    with _schema_lock(engine) as connection:
        config.attributes["connection"] = connection
        if _is_unversioned(connection):
            known = head_revision() if _matches_models(connection) else BASELINE
            logger.warning(
                "Database without a schema version: stamping it at %s, then upgrading", known
            )
            command.stamp(config, known)
        before = MigrationContext.configure(connection).get_current_revision()
        command.upgrade(config, "head")
        after = MigrationContext.configure(connection).get_current_revision()
    if before != after:
        logger.info("Database schema upgraded from %s to %s", before or "empty", after)


def upgrade_to(engine: Engine, revision: str) -> None:
    """Apply revisions up to `revision` (tests build old databases with it)."""
    config = alembic_config()
    with _schema_lock(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for an empty or pre-migration database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migration revisions found"
    return head


def autogenerate_revision(message: str) -> list[str]:
    """Write a new revision for the model changes not yet in a revision (for developers).

    The models are compared with a scratch SQLite database at head; read the file it writes
    and fix it (data moves, PostgreSQL specifics) before committing. Returns the new files.
    """
    import tempfile

    from knowledge.db import make_engine

    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{Path(scratch) / 'head.db'}"
        engine = make_engine(url)
        try:
            upgrade_to_head(engine)
        finally:
            engine.dispose()
        written = command.revision(alembic_config(url), message=message, autogenerate=True)
    scripts = written if isinstance(written, list) else [written]
    return [script.path for script in scripts if script is not None]


def history() -> list[RevisionInfo]:
    """Every revision, newest first."""
    scripts = ScriptDirectory.from_config(alembic_config())
    heads = set(scripts.get_heads())
    return [
        RevisionInfo(
            revision=rev.revision,
            down_revision=rev.down_revision if isinstance(rev.down_revision, str) else None,
            message=(rev.doc or "").strip(),
            is_head=rev.revision in heads,
        )
        for rev in scripts.walk_revisions()
    ]
