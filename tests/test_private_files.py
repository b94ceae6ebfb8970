"""Files holding people's data are private: database, WAL, exports 0600; their folder 0700."""

from __future__ import annotations

import stat
from pathlib import Path

from tests.support.subprocess_bot import bot_env, run_bot


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_wal_and_exports_are_created_private(tmp_path: Path) -> None:
    folder = tmp_path / "state"
    env = bot_env(tmp_path, DATABASE_URL=f"sqlite:///{folder / 'bot.db'}")
    export = tmp_path / "audit.csv"
    result = run_bot(env, "audit", "--csv", str(export))
    assert result.returncode == 0, result.stderr
    assert _mode(folder) == 0o700
    for path in [folder / "bot.db", export, *folder.glob("bot.db-*")]:
        assert _mode(path) == 0o600, (path, oct(_mode(path)))


def test_an_existing_world_readable_database_is_made_private(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    database = shared / "old.db"
    env = bot_env(tmp_path, DATABASE_URL=f"sqlite:///{database}")
    assert run_bot(env, "units").returncode == 0
    database.chmod(0o644)
    assert run_bot(env, "units").returncode == 0
    assert _mode(database) == 0o600
    assert _mode(shared) == 0o755  # a folder that merely holds the file is left alone
