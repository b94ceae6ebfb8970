"""Schema migrations: models and revisions agree, old databases upgrade without losing a row."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import select

from jobs.audit import audit_events
from jobs.models import DoneMark, OutboxStatus, ReminderKind, ReminderLog
from knowledge.db import make_engine, read_session, write_session
from knowledge.models import DocumentKind, Unit
from migrations.metadata import target_metadata
from migrations.runner import (
    BASELINE,
    current_revision,
    head_revision,
    upgrade_to,
    upgrade_to_head,
)

ROOT = Path(__file__).resolve().parent.parent
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MARKED = datetime(2027, 1, 14, 2, 30, tzinfo=UTC)
SENT = datetime(2027, 1, 8, 1, 0, tzinfo=UTC)


def schema_diff(engine: Engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, target_metadata()))


def test_models_and_the_newest_revision_describe_the_same_schema(db_engine: Engine) -> None:
    """A model changed without a revision fails here: write one (autogenerate, then read it)."""
    assert current_revision(db_engine) == head_revision()
    assert schema_diff(db_engine) == []


def test_the_check_notices_a_model_change_without_a_revision(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade_to_head(engine)
    with engine.begin() as connection:
        connection.execute(text("ALTER TABLE unit ADD COLUMN stray INTEGER"))
    assert schema_diff(engine) != []
    engine.dispose()


def _fill_at_baseline(engine: Engine) -> None:
    """Rows as the bot wrote them before migrations: done marks, approvals, outbox, sent log."""
    tables = MetaData()
    tables.reflect(engine)
    t = tables.tables
    with engine.begin() as connection:

        def insert(table: str, **row: object) -> int:
            return int(connection.execute(t[table].insert().values(**row)).inserted_primary_key[0])

        insert(
            "document",
            kind="PLAN",
            number="12/KH-SGDĐT",
            issuer="Sở GDĐT",
            issuer_parent="",
            province="",
            place="",
            date_text="",
            title="Kế hoạch CCHC",
            subject="",
            recipients=[],
            signer_name="",
            signer_title="",
            source_file="kh.txt",
            content_hash="h",
            full_text="x",
            imported_at=SENT,
        )
        unit = insert(
            "unit",
            name="Văn phòng Sở",
            short_name="VP",
            aliases=[],
            is_collective=False,
            learned_from="",
        )
        person = insert(
            "person",
            display_name="Chị Lan",
            unit_id=unit,
            reminders_enabled=True,
            offsets=None,
            reminder_time=None,
            deliver_all_channels=False,
            created_at=SENT,
        )
        address = insert(
            "chataddress",
            channel="telegram",
            chat_id="501",
            user_id="501",
            display_name="Chị Lan",
            is_group=False,
            person_id=person,
            active=True,
            is_primary=True,
            created_at=SENT,
            last_seen_at=SENT,
        )
        insert(
            "donemark",
            unit_id=unit,
            deadline_id=7,
            due=date(2027, 1, 15),
            occurrence_key="7@2027-01-15",
            marked_by_person_id=person,
            marked_by="Chị Lan (telegram)",
            marked_at=MARKED,
            undone_by="",
            undone_at=None,
        )
        insert(
            "memberapproval",
            person_id=person,
            unit_id=unit,
            approved_by="telegram:1",
            approved_at=SENT,
            revoked_at=None,
        )
        outbox_row = dict(
            person_id=person,
            address_id=address,
            channel="telegram",
            chat_id="501",
            is_group=False,
            unit_id=unit,
            deadline_id=7,
            due=date(2027, 1, 15),
            occurrence_key="7@2027-01-15",
            offset_days=7,
            planned_for=SENT,
            attempts=1,
            next_attempt_at=None,
            last_error="",
            created_at=SENT,
            updated_at=SENT,
        )
        insert(
            "reminderlog",
            **{
                **outbox_row,
                "key": "sent",
                "kind": "BEFORE",
                "status": "SENT",
                "text": "Nhắc hạn",
                "sent_at": SENT,
            },
        )
        insert(
            "reminderlog",
            **{
                **outbox_row,
                "key": "queued",
                "kind": "BROADCAST",
                "status": "PENDING",
                "text": "Tin quản trị",
                "sent_at": None,
                "attempts": 0,
            },
        )


def _assert_everything_is_there(engine: Engine) -> None:
    with read_session(engine) as session:
        mark = session.exec(select(DoneMark)).one()
        assert (mark.occurrence_key, mark.marked_by, mark.marked_at) == (
            "7@2027-01-15",
            "Chị Lan (telegram)",
            MARKED,
        )
        assert mark.marked_at.tzinfo is not None
        rows = {r.key: r for r in session.exec(select(ReminderLog))}
        assert rows["sent"].status is OutboxStatus.SENT and rows["sent"].sent_at == SENT
        assert rows["queued"].kind is ReminderKind.BROADCAST
        assert rows["queued"].status is OutboxStatus.PENDING
        events = [(e.event, e.unit) for e in audit_events(session, tz=TZ)]
        assert ("đánh dấu hoàn thành", "Văn phòng Sở") in events
        assert ("duyệt thành viên", "Văn phòng Sở") in events
        assert ("nhắc hạn", "Văn phòng Sở") in events and (
            "tin quản trị gửi",
            "Văn phòng Sở",
        ) in events
    with write_session(engine) as session:  # and the upgraded schema takes new rows
        unit = session.exec(select(Unit).where(Unit.name == "Văn phòng Sở")).one()
        assert unit.short_name == "VP"
        session.add(Unit(name="Phòng Tổ chức cán bộ", short_name="TCCB"))


def test_a_database_at_the_first_revision_upgrades_to_head_keeping_every_row(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade_to(engine, BASELINE)
    assert current_revision(engine) == BASELINE
    _fill_at_baseline(engine)
    upgrade_to_head(engine)
    assert current_revision(engine) == head_revision()
    _assert_everything_is_there(engine)
    assert schema_diff(engine) == []
    with read_session(engine) as session:
        assert session.exec(select(ReminderLog.kind)).all()  # enum names read back
    engine.dispose()


def test_a_database_made_by_create_all_is_stamped_and_upgraded_never_recreated(
    db_url: str,
) -> None:
    """No alembic_version table: the schema is the baseline's; stamp, upgrade, keep the rows."""
    engine = make_engine(db_url)
    upgrade_to(engine, BASELINE)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))
    _fill_at_baseline(engine)
    assert current_revision(engine) is None
    upgrade_to_head(engine)
    assert current_revision(engine) == head_revision()
    _assert_everything_is_there(engine)
    engine.dispose()


def test_a_new_enum_member_needs_no_schema_change(db_engine: Engine) -> None:
    """Enums are plain strings: no database enum type that a new member would not fit."""
    assert DocumentKind.DIRECTIVE.name
    columns = {c["name"]: c for c in inspect(db_engine).get_columns("reminderlog")}
    assert "VARCHAR" in str(columns["kind"]["type"]).upper()
    if db_engine.dialect.name == "postgresql":
        with db_engine.connect() as connection:
            assert (
                connection.execute(
                    text(
                        "SELECT count(*) FROM pg_type WHERE typname IN "
                        "('reminderkind', 'outboxstatus')"
                    )
                ).scalar()
                == 0
            )
        with db_engine.begin() as connection:  # a value no enum type knows is stored fine
            connection.execute(text("UPDATE reminderlog SET kind = 'SOME_FUTURE_KIND'"))


def test_cli_db_upgrade_current_history(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "PYTHONIOENCODING": "utf-8",
    }

    def bot(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "bot", "db", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    before = bot("current")
    assert before.returncode == 1 and "chưa có phiên bản" in before.stdout
    upgraded = bot("upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert head_revision() in upgraded.stdout and "Traceback" not in upgraded.stderr
    now = bot("current")
    assert now.returncode == 0 and now.stdout.strip() == f"{head_revision()} (mới nhất)"
    history = bot("history")
    assert BASELINE in history.stdout and f"{head_revision()} (mới nhất)" in history.stdout


def test_inbox_rows_stored_before_owners_existed_keep_and_can_be_taken_over(db_url: str) -> None:
    """0006: an update left unfinished by a bot without owners is not lost by the upgrade."""
    from bot import inbox

    engine = make_engine(db_url)
    upgrade_to(engine, "0005_workflow")
    stored = datetime(2026, 1, 14, 2, 30, tzinfo=UTC)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO channel_inbox (channel, update_id, chat_key, payload, state, chat_id,"
                " created_at) VALUES ('zalo', 'm-1', 'c', '{}', 'pending', '', :at)"
            ),
            {"at": stored if engine.dialect.name == "postgresql" else "2026-01-14 02:30:00"},
        )
    upgrade_to_head(engine)
    [item] = inbox.unfinished(engine, "zalo", "new-host")
    assert (item.update_id, item.state) == ("m-1", "pending")
    with read_session(engine) as session:
        row = session.exec(select(inbox.InboxUpdate)).one()
    assert row.owner == "new-host"  # taken over: it was far older than TAKE_OVER_AFTER
    engine.dispose()
