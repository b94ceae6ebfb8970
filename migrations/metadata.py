"""The metadata the migrations describe: every table of every model module."""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlmodel import SQLModel


def target_metadata() -> MetaData:
    """Import every module that defines tables (knowledge, jobs, handlers, the channel inbox);
    return the metadata."""
    import bot.inbox  # noqa: F401
    import handlers.models  # noqa: F401
    import jobs.models  # noqa: F401
    import knowledge.models  # noqa: F401

    return SQLModel.metadata
