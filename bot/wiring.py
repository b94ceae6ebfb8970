"""Composition root helpers: build the Services every command and adapter receives."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from bot.settings import Settings
from knowledge.db import make_engine
from migrations.metadata import target_metadata
from migrations.runner import startup_lock, upgrade_to_head

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Services:
    settings: Settings
    engine: Engine
    tz: ZoneInfo
    clock: Callable[[], datetime]

    def now(self) -> datetime:
        """Current time, aware, in the configured time zone."""
        return self.clock().astimezone(self.tz)


def register_models() -> None:
    """Import every module that defines tables, so the metadata knows them all."""
    target_metadata()


def protect_database_files(database_url: str) -> None:
    """Make an existing SQLite file, its WAL and shared-memory files 0600, and the bundled data/
    folder 0700: files created before the private umask may still be world-readable."""
    from pathlib import Path

    from sqlalchemy.engine import make_url

    from bot.settings import PROJECT_ROOT

    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return
    path = Path(url.database)
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = path.with_name(path.name + suffix)
        if candidate.exists():
            candidate.chmod(0o600)
    if path.parent.resolve() == (PROJECT_ROOT / "data").resolve():
        path.parent.chmod(0o700)  # never another folder (say /tmp) that merely holds the file


def build_services(
    settings: Settings,
    *,
    clock: Callable[[], datetime] | None = None,
    seed_documents: bool = True,
) -> Services:
    """Open the database, migrate it to the newest schema, and on an empty knowledge base import
    the bundled documents."""
    tz = ZoneInfo(settings.tz)
    engine = make_engine(settings.database_url)
    protect_database_files(settings.database_url)
    register_models()
    services = Services(
        settings=settings, engine=engine, tz=tz, clock=clock or (lambda: datetime.now(tz))
    )
    with startup_lock(engine):  # replicas starting together: one migrates and seeds at a time
        upgrade_to_head(engine)
        if seed_documents:
            from knowledge.ingest.importer import import_bundled_if_empty

            import_bundled_if_empty(engine, settings.documents_dir)
    return services
