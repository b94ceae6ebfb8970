"""The database backends the database-facing suites run on: a SQLite file and a real PostgreSQL.

`conftest.py` turns these into fixtures: `db_url` / `db_engine` are parameterised by backend.
In CI (CI=true) a missing PostgreSQL server fails the run; elsewhere its tests are skipped and
the reason is printed in the terminal summary.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.postgres import PostgresServer, PostgresUnavailable

BACKENDS = ("sqlite", "postgresql")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


class PostgresOnDemand:
    """Starts the session's server on first use; remembers why it could not."""

    def __init__(self) -> None:
        self.server: PostgresServer | None = None
        self.unavailable: str | None = None

    def get(self) -> PostgresServer:
        if self.server is None and self.unavailable is None:
            try:
                import psycopg  # noqa: F401 - the driver comes with the `postgres` extra
            except ImportError:
                self.unavailable = "thiếu trình điều khiển psycopg (pip install -e '.[postgres]')"
                return self._unavailable()
            try:
                self.server = PostgresServer().start()
            except (PostgresUnavailable, OSError) as exc:
                self.unavailable = str(exc)
        if self.server is None:
            return self._unavailable()
        return self.server

    def _unavailable(self) -> PostgresServer:
        reason = f"PostgreSQL không dùng được: {self.unavailable}"
        if in_ci():
            pytest.fail(f"{reason} (CI=true: bắt buộc có PostgreSQL)", pytrace=False)
        pytest.skip(reason)

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()


def fresh_url(backend: str, postgres: PostgresOnDemand, tmp_path: Path, name: str = "db") -> str:
    """A new, empty database of that backend for one test."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / f'{name}.db'}"
    return postgres.get().create_database()
