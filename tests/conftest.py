"""Shared pytest fixtures: the fake Telegram Bot API server, the bundled knowledge base, and the
database backends (a SQLite file and a real PostgreSQL server started for the session)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bot.wiring import register_models
from knowledge.db import init_db, make_engine
from knowledge.ingest.importer import import_paths
from migrations.runner import upgrade_to_head
from tests.fakes.telegram_server import FakeTelegramServer
from tests.support.backends import BACKENDS, PostgresOnDemand, fresh_url
from tests.support.markers import mark_e2e

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DOCUMENTS = ROOT / "data" / "documents"


@pytest.fixture
def telegram_server() -> Iterator[FakeTelegramServer]:
    """A started fake Bot API server on 127.0.0.1 (random port); stopped after the test."""
    server = FakeTelegramServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def bundled_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with every table and the five bundled documents, imported once per session.

    Never write to it: read it through `bundled_engine`, or copy it with `bundled_copy`.
    """
    path = tmp_path_factory.mktemp("bundled") / "kb.db"
    engine = make_engine(f"sqlite:///{path}")
    register_models()
    init_db(engine)
    report = import_paths(engine, [BUNDLED_DOCUMENTS])
    assert len(report.documents) == 5
    engine.dispose()  # checkpoints the WAL, so the file alone holds everything
    return path


@pytest.fixture(scope="session")
def bundled_engine(bundled_db: Path) -> Iterator[Engine]:
    """A read-only engine on the shared bundled knowledge base (tests must not write through
    it)."""
    engine = make_engine(f"sqlite:///{bundled_db}")
    yield engine
    engine.dispose()


@pytest.fixture
def bundled_copy(bundled_db: Path, tmp_path: Path) -> Path:
    """This test's own writable copy of the bundled knowledge base (tmp_path / "kb.db")."""
    path = tmp_path / "kb.db"
    shutil.copy(bundled_db, path)
    return path


@pytest.fixture
def chromium_browser() -> Iterator[object]:
    """A headless Chromium (Debian's) driven by Playwright; see tests/support/browser.py."""
    from tests.support.browser import ARGS, require_chromium

    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


_POSTGRES = PostgresOnDemand()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresOnDemand]:
    """The session's PostgreSQL server, started on first use (see tests/support/backends.py)."""
    yield _POSTGRES
    _POSTGRES.stop()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each database-facing test runs once per backend: "sqlite" and "postgresql"."""
    return str(request.param)


@pytest.fixture
def db_url(backend: str, postgres: PostgresOnDemand, tmp_path: Path) -> str:
    """A fresh empty database of this test's backend (its own file or PostgreSQL database)."""
    return fresh_url(backend, postgres, tmp_path)


@pytest.fixture
def db_engine(db_url: str) -> Iterator[Engine]:
    """An engine on a fresh database migrated to the newest schema, as the bot's start-up does."""
    engine = make_engine(db_url)
    register_models()
    upgrade_to_head(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def bundled_url(backend: str, postgres: PostgresOnDemand, request: pytest.FixtureRequest) -> str:
    """A writable database holding the bundled documents, on this test's backend (SQLite: a
    copy of the session's file; PostgreSQL: a fresh database the bot's start-up seeds)."""
    if backend == "sqlite":
        return f"sqlite:///{request.getfixturevalue('bundled_copy')}"
    return postgres.get().create_database()


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    """Say it loudly when the PostgreSQL half of the suite, or the browser tests, did not run."""
    from tests.support.browser import SKIPPED

    if SKIPPED:
        terminalreporter.write_sep("=", "Browser tests skipped", yellow=True)
        terminalreporter.write_line(f"{len(SKIPPED)} browser test(s) SKIPPED — {SKIPPED[0]}.")
    if _POSTGRES.unavailable:
        terminalreporter.write_sep("=", "PostgreSQL tests skipped", yellow=True)
        terminalreporter.write_line(
            f"Các bài kiểm thử PostgreSQL đã bị bỏ qua: {_POSTGRES.unavailable}"
        )
        terminalreporter.write_line(
            "Cài gói `postgresql` (Debian) để chạy chúng; trong CI (CI=true) thiếu máy chủ là lỗi."
        )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that start another process get the `e2e` marker (see tests/support/markers.py)."""
    mark_e2e(items)
