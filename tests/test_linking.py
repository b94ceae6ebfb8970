"""Account linking on a real SQLite file: codes expire, are single-use, guesses are limited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from bot.wiring import register_models
from handlers import linking
from handlers.models import LinkCode
from jobs.models import ChatAddress, MemberApproval, Person, ReminderLog
from knowledge.db import init_db, make_engine, read_session, write_session
from knowledge.models import Unit

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)


@pytest.fixture
def engine(tmp_path: Path):
    engine = make_engine(f"sqlite:///{tmp_path / 'link.db'}")
    register_models()
    init_db(engine)
    return engine


def _person(engine, channel: str, chat: str, unit_id: int | None = None) -> int:
    with write_session(engine) as session:
        person = Person(display_name=f"{channel}-{chat}", unit_id=unit_id)
        session.add(person)
        session.flush()
        session.add(ChatAddress(channel=channel, chat_id=chat, user_id=chat, person_id=person.id))
        return person.id


def _addr(session, channel: str, chat: str) -> ChatAddress:
    return session.exec(
        select(ChatAddress).where(ChatAddress.channel == channel, ChatAddress.chat_id == chat)
    ).one()


def _cmd(engine, channel: str, chat: str, args: str, now: datetime = NOW) -> str:
    with write_session(engine) as session:
        return linking.link_command(
            session, address=_addr(session, channel, chat), args=args, now=now
        )


def _code(text: str) -> str:
    return text.split("Mã liên kết của bạn: ")[1][:6]


def test_link_merges_persons_and_keeps_one_primary(engine) -> None:
    with write_session(engine) as session:
        unit = Unit(name="Phòng Tổ chức cán bộ", short_name="TCCB")
        session.add(unit)
        session.flush()
        unit_id = unit.id
    tg = _person(engine, "telegram", "100")
    zl = _person(engine, "zalo", "z100", unit_id=unit_id)
    with write_session(engine) as session:
        session.add(MemberApproval(person_id=zl, unit_id=unit_id, approved_by="admin"))
    code = _code(_cmd(engine, "telegram", "100", ""))
    reply = _cmd(engine, "zalo", "z100", code)
    assert "Đã liên kết" in reply
    with read_session(engine) as session:
        people = session.exec(select(Person)).all()
        addresses = session.exec(select(ChatAddress)).all()
    assert [p.id for p in people] == [tg]
    assert {a.person_id for a in addresses} == {tg}
    assert [a.channel for a in addresses if a.is_primary] == ["telegram"]
    assert people[0].unit_id == unit_id  # the unit came from the Zalo side
    with read_session(engine) as session:
        [approval] = session.exec(select(MemberApproval)).all()
    assert approval.person_id == tg  # one approval, now the linked person's


def test_expired_wrong_and_used_codes(engine) -> None:
    _person(engine, "telegram", "1")
    _person(engine, "zalo", "z1")
    _person(engine, "zalo", "z2")
    code = _code(_cmd(engine, "telegram", "1", ""))
    late = NOW + timedelta(minutes=15, seconds=1)
    assert "đã hết hạn" in _cmd(engine, "zalo", "z1", code, now=late)
    wrong = "000000" if code != "000000" else "111111"
    assert "không đúng" in _cmd(engine, "zalo", "z1", wrong)
    code = _code(_cmd(engine, "telegram", "1", ""))
    assert "Đã liên kết" in _cmd(engine, "zalo", "z1", code)
    assert "đã được sử dụng" in _cmd(engine, "zalo", "z2", code)
    assert "6 chữ số" in _cmd(engine, "zalo", "z2", "12ab")


def test_new_code_replaces_old_and_same_channel_is_refused(engine) -> None:
    _person(engine, "telegram", "1")
    _person(engine, "zalo", "z1")
    old = _code(_cmd(engine, "telegram", "1", ""))
    new = _code(_cmd(engine, "telegram", "1", ""))
    if old != new:
        assert "hết hạn" in _cmd(engine, "zalo", "z1", old)
    assert "kênh còn lại" in _cmd(engine, "telegram", "1", new)
    with read_session(engine) as session:
        stored = session.exec(select(LinkCode)).all()
    assert all(new not in (c.code_hash, c.salt) for c in stored)  # never stored in clear


def test_guessing_is_rate_limited(engine) -> None:
    _person(engine, "telegram", "1")
    _person(engine, "zalo", "z1")
    code = _code(_cmd(engine, "telegram", "1", ""))
    guesses = [f"{n:06d}" for n in range(20) if f"{n:06d}" != code][:5]
    for guess in guesses:
        assert "không đúng" in _cmd(engine, "zalo", "z1", guess)
    assert "quá nhiều lần" in _cmd(engine, "zalo", "z1", code)  # even the right code, for now
    later = NOW + timedelta(minutes=16)
    code = _code(_cmd(engine, "telegram", "1", "", now=later))
    assert "Đã liên kết" in _cmd(engine, "zalo", "z1", code, now=later)


def test_deliver_all_channels_toggle_and_group_refusal(engine) -> None:
    tg = _person(engine, "telegram", "1")
    _person(engine, "zalo", "z1")
    _cmd(engine, "zalo", "z1", _code(_cmd(engine, "telegram", "1", "")))
    assert "mọi kênh" in _cmd(engine, "zalo", "z1", "cahai")
    with read_session(engine) as session:
        assert session.get(Person, tg).deliver_all_channels is True
    _cmd(engine, "zalo", "z1", "motkenh")
    _cmd(engine, "zalo", "z1", "chinh")
    with read_session(engine) as session:
        person = session.get(Person, tg)
        primary = session.exec(select(ChatAddress).where(ChatAddress.is_primary)).all()
    assert person.deliver_all_channels is False
    assert [a.channel for a in primary] == ["zalo"]
    with write_session(engine) as session:
        group = Person(display_name="nhóm")
        session.add(group)
        session.flush()
        session.add(ChatAddress(channel="zalo", chat_id="g1", is_group=True, person_id=group.id))
    assert "trong nhóm" in _cmd(engine, "zalo", "g1", "")


def test_sent_log_follows_the_merge(engine) -> None:
    tg = _person(engine, "telegram", "1", unit_id=None)
    zl = _person(engine, "zalo", "z1")
    with write_session(engine) as session:
        zaddr = _addr(session, "zalo", "z1")
        session.add(
            ReminderLog(
                key=f"p{zl}|7@2027-01-15|before7",
                person_id=zl,
                address_id=zaddr.id,
                channel="zalo",
                deadline_id=7,
                due=datetime(2027, 1, 15).date(),
                occurrence_key="7@2027-01-15",
                planned_for=NOW,
            )
        )
    _cmd(engine, "zalo", "z1", _code(_cmd(engine, "telegram", "1", "")))
    with read_session(engine) as session:
        [log] = session.exec(select(ReminderLog)).all()
    assert log.person_id == tg and log.key == f"p{tg}|7@2027-01-15|before7"


def test_guessing_from_many_chats_locks_the_codes(engine) -> None:
    """20 chats x 5 guesses each stayed under the per-chat limit; the overall one stops them."""
    _person(engine, "telegram", "owner")
    code = _code(_cmd(engine, "telegram", "owner", ""))
    wrong = (f"{n:06d}" for n in range(1000) if f"{n:06d}" != code)
    answers = []
    for chat in range(20):
        _person(engine, "zalo", f"guesser{chat}")
        for _ in range(5):
            answers.append(_cmd(engine, "zalo", f"guesser{chat}", next(wrong)))
    assert sum("không đúng" in a for a in answers) == linking.MAX_FAILED_OVERALL - 1
    assert all("tạm khoá" in a for a in answers[linking.MAX_FAILED_OVERALL - 1 :])
    _person(engine, "zalo", "real-owner")
    assert "tạm khoá" in _cmd(engine, "zalo", "real-owner", code)  # even the right code
    later = NOW + timedelta(minutes=16)
    assert "hết hạn" in _cmd(engine, "zalo", "real-owner", code, now=later)  # it was revoked
    fresh = _code(_cmd(engine, "telegram", "owner", "", now=later))
    assert "Đã liên kết" in _cmd(engine, "zalo", "real-owner", fresh, now=later)
