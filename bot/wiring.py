"""Composition root helpers: build the Services every command and adapter receives."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Callable
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from bot.settings import Settings
from knowledge.db import make_engine
from migrations.metadata import target_metadata
from migrations.runner import upgrade_to_head

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
    register_models()
    upgrade_to_head(engine)
    services = Services(settings=settings, engine=engine, tz=tz, clock=clock or (lambda: datetime.now(tz)))
    if seed_documents:
        from knowledge.ingest.importer import import_bundled_if_empty

        import_bundled_if_empty(engine, settings.documents_dir)
    return services
