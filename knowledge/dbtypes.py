"""Column types that behave alike on SQLite and PostgreSQL: aware UTC datetimes, enums as text."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Any

from sqlalchemy import types
from sqlalchemy.engine.interfaces import Dialect

ENUM_LENGTH = 32  # room for later values: a new member is a code change, not a schema change


class AwareDateTime(types.TypeDecorator[datetime]):
    """Every stored moment: aware datetimes go in (converted to UTC), aware UTC datetimes come out.

    PostgreSQL keeps them as `timestamp with time zone`; SQLite keeps the UTC wall time as text,
    which is read back as UTC. A naive datetime is refused: its zone would be a guess.
    """

    impl = types.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: give it a time zone before storing it")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_column(enum_class: type[Enum]) -> Any:
    """An enum stored as its member's name in a plain string column (no database enum type),
    so that adding a member never needs an ALTER TYPE and never fails on old rows."""
    return types.Enum(enum_class, native_enum=False, create_constraint=False, length=ENUM_LENGTH)
