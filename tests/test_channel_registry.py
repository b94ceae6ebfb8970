"""The channel descriptions are the one place a channel is registered."""

from __future__ import annotations

import ast
from pathlib import Path

from bot.channels import CHANNELS, bare_admin_channel, button_channels, message_limits
from bot.run import channel_runners
from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_every_channel_is_described_once_with_what_the_bot_needs() -> None:
    names = [spec.name for spec in CHANNELS]
    assert len(names) == len(set(names)) and {"telegram", "zalo"} <= set(names)
    assert message_limits() == {"telegram": 3800, "zalo": 1900}
    assert button_channels() == {"telegram"} and bare_admin_channel() == "telegram"
    for spec in CHANNELS:
        assert callable(spec.load_runner())


def test_runners_come_from_the_descriptions_of_configured_channels() -> None:
    both = Settings(telegram_bot_token="1:x", zalo_bot_token="z")
    assert [r.__name__ for r in channel_runners(both)] == ["run_telegram", "run_zalo"]
    assert channel_runners(Settings()) == []


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_adapters_do_not_import_bot_run_and_jobs_never_import_bot() -> None:
    for adapter in ("telegram_adapter", "zalo_adapter", "reminder_runner"):
        assert "bot.run" not in _imports(ROOT / "bot" / f"{adapter}.py"), adapter
    for path in (ROOT / "jobs").glob("*.py"):
        assert not any(m == "bot" or m.startswith("bot.") for m in _imports(path)), path
    combine = (ROOT / "jobs" / "combine.py").read_text(encoding="utf-8")
    assert '"telegram"' not in combine and '"zalo"' not in combine  # limits come as data


def test_the_inbox_forgets_only_old_handled_updates(tmp_path: Path) -> None:
    from datetime import timedelta

    from sqlmodel import select

    from bot import inbox
    from bot.wiring import register_models
    from knowledge.db import init_db, make_engine, read_session, write_session
    from knowledge.models import utcnow

    engine = make_engine(f"sqlite:///{tmp_path / 'inbox.db'}")
    register_models()
    init_db(engine)
    old_done = inbox.store(engine, "zalo", "a", "c", {"n": 1})
    old_pending = inbox.store(engine, "zalo", "b", "c", {"n": 2})
    fresh_done = inbox.store(engine, "zalo", "c", "c", {"n": 3})
    assert inbox.store(engine, "zalo", "a", "c", {"n": 1}) is None  # a redelivery
    for row_id in (old_done, fresh_done):
        inbox.mark_done(engine, row_id)
    with write_session(engine) as session:
        for row in session.exec(select(inbox.InboxUpdate)):
            if row.update_id in ("a", "b"):
                row.created_at = utcnow() - timedelta(days=8)
                session.add(row)
    assert inbox.prune(engine, timedelta(days=7)) == 1
    with read_session(engine) as session:
        left = {row.update_id for row in session.exec(select(inbox.InboxUpdate))}
    assert left == {"b", "c"}  # an unfinished update is never forgotten
    assert [item.update_id for item in inbox.unfinished(engine, "zalo")] == ["b"]
    assert old_pending is not None


def test_a_replica_resumes_its_own_updates_and_takes_over_only_stale_ones(tmp_path: Path) -> None:
    from datetime import timedelta

    from sqlmodel import select

    from bot import inbox
    from bot.wiring import register_models
    from knowledge.db import init_db, make_engine, write_session
    from knowledge.models import utcnow

    engine = make_engine(f"sqlite:///{tmp_path / 'replicas.db'}")
    register_models()
    init_db(engine)
    inbox.store(engine, "telegram", "1", "c", {}, owner="host-a")
    inbox.store(engine, "telegram", "2", "c", {}, owner="host-b")  # b is handling it now
    inbox.store(engine, "telegram", "3", "c", {}, owner="host-c")  # c died long ago
    with write_session(engine) as session:
        row = session.exec(
            select(inbox.InboxUpdate).where(inbox.InboxUpdate.update_id == "3")
        ).one()
        row.owned_since = utcnow() - timedelta(hours=1)
        session.add(row)
    assert [i.update_id for i in inbox.unfinished(engine, "telegram", "host-a")] == ["1", "3"]
    assert [i.update_id for i in inbox.unfinished(engine, "telegram", "host-b")] == ["2"]
