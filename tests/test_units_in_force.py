"""Units only an outdated (superseded or retired) document names are neither offered in the
/donvi picker nor reminded; they stay answerable, cited with their document."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.run import build_conversation
from bot.settings import Settings
from bot.wiring import build_services
from handlers.types import ContentKind, Incoming, IncomingFile
from jobs.planner import PlannerConfig
from jobs.tick import plan_now
from knowledge.db import read_session
from knowledge.inforce import documents_in_force, units_in_force
from knowledge.models import Document, Unit
from tests.test_upload_chat import PLAN_MD

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ADMIN = "900"
NOW = datetime(2026, 12, 3, 9, 0, tzinfo=TZ)  # the 2026-2030 plan governs; 10/12 reports ahead


@pytest.fixture
def conv(bundled_copy):  # type: ignore[no-untyped-def]
    settings = Settings(database_url=f"sqlite:///{bundled_copy}", admin_ids=frozenset({ADMIN}))
    services = build_services(settings, clock=lambda: NOW)
    return build_conversation(services), services


def say(conv, user: str, text: str, kind: ContentKind = ContentKind.TEXT):  # type: ignore[no-untyped-def]
    return conv.handle(
        Incoming(
            channel="telegram",
            chat_id=user,
            user_id=user,
            display_name=f"Cán bộ {user}",
            kind=kind,
            text=text,
        )
    )


def unit_names(services, ids: set[int]) -> set[str]:  # type: ignore[no-untyped-def]
    with read_session(services.engine) as s:
        return {u.name for u in s.exec(select(Unit)) if u.id in ids}


def test_the_superseded_plans_district_offices_are_out_of_force(conv) -> None:
    conv, services = conv
    with read_session(services.engine) as s:
        now_units = unit_names(services, units_in_force(s, NOW.date()))
        then_units = unit_names(services, units_in_force(s, date(2025, 6, 1)))
        docs = {d.id: d.source_file for d in s.exec(select(Document))}
        in_force = {docs[i] for i in documents_in_force(s, NOW.date())}
    assert "kh-cchc-2025.txt" not in in_force and "kh-cchc-2026-2030.txt" in in_force
    assert "Phòng GDĐT quận, huyện" not in now_units  # named only by the 2025 plan
    assert "Phòng GDĐT quận, huyện" in then_units  # while that plan governed, it was offered
    # a yearly rule of the 2025 plan still gives the schools a date: they stay
    assert {"Các đơn vị giáo dục", "Văn phòng Sở", "Thanh tra Sở"} <= now_units

    picker = [c.label for c in say(conv, "501", "/start")[0].choices]
    assert "Phòng GDĐT quận, huyện" not in picker
    assert any(label.startswith("Các đơn vị giáo dục") for label in picker)


def test_a_subscriber_of_an_outdated_unit_is_not_reminded_but_can_still_ask(conv) -> None:
    conv, services = conv
    say(conv, "601", "/donvi Phòng GDĐT quận, huyện")  # typed: still possible to pick
    say(conv, "602", "/donvi van phong so")
    planned = plan_now(
        services.engine, PlannerConfig(tz=TZ), now=datetime(2026, 12, 3, 8, 5, tzinfo=TZ)
    )
    chats = {p.address.chat_id for p in planned}
    assert "602" in chats and "601" not in chats
    answer = "\n".join(r.text for r in say(conv, "601", "/nhiemvu"))
    assert "Kế hoạch" in answer and "2025" in answer  # answered, cited with its document


def test_a_unit_only_a_retired_document_names_leaves_the_picker(conv) -> None:
    conv, services = conv
    preview = conv.handle(
        Incoming(
            channel="telegram",
            chat_id=ADMIN,
            user_id=ADMIN,
            display_name="Quản trị",
            kind=ContentKind.FILE,
            file=IncomingFile("kh-77.md", len(PLAN_MD), PLAN_MD),
        )
    )
    load = next(c.payload for r in preview for c in r.choices if c.label == "Nạp")
    say(conv, ADMIN, load, ContentKind.CHOICE)
    new_unit = "Trung tâm Dữ liệu và Chuyển đổi số giáo dục"
    assert any(new_unit in c.label for c in say(conv, "701", "/donvi")[0].choices)
    with read_session(services.engine) as s:
        doc_id = next(d.id for d in s.exec(select(Document)) if d.number == "77/KH-SGDĐT")
    say(conv, ADMIN, f"rt:{doc_id}:y", ContentKind.CHOICE)
    assert not any(new_unit in c.label for c in say(conv, "701", "/donvi")[0].choices)


def test_answers_label_every_citation_of_an_expired_plan(bundled_copy, tmp_path) -> None:
    """In 2026 the 2025 plan is superseded: the document facts, the sources line and the JSON
    refs say "đã hết thời hạn", not only the duty lists; the plan in force is not labelled."""
    from tests.support.subprocess_bot import bot_env, run_bot

    env = bot_env(tmp_path, DATABASE_URL=f"sqlite:///{bundled_copy}")
    tag = "đã hết thời hạn"
    facts = run_bot(env, "ask", "--json", "--today", "2026-12-03", "ke hoach CCHC nam 2025 noi gi")
    assert facts.returncode == 0, facts.stderr
    answer = json.loads(facts.stdout)
    assert answer["text"].splitlines()[0].endswith(f"năm 2025, {tag}")
    assert all(d["title"].endswith(tag) for d in answer["documents"])
    lead = json.loads(
        run_bot(
            env, "ask", "--json", "--today", "2026-12-03", "Ai chu tri do luong su hai long"
        ).stdout
    )
    sources_line = next(x for x in lead["text"].splitlines() if x.startswith("Nguồn:"))
    assert f"năm 2025, {tag} (" in sources_line
    assert all(s["document"].endswith(tag) for s in lead["sources"] if "2025" in s["document"])
    current = json.loads(
        run_bot(
            env, "ask", "--json", "--today", "2026-12-03", "ke hoach giai doan 2026-2030 noi gi"
        ).stdout
    )
    assert tag not in current["text"]
    then = json.loads(
        run_bot(
            env, "ask", "--json", "--today", "2025-06-01", "ke hoach CCHC nam 2025 noi gi"
        ).stdout
    )
    assert tag not in then["text"]  # while it governed, nothing said it expired


def test_the_current_plans_communal_offices_are_offered_in_the_picker(conv) -> None:
    conv, services = conv
    picker = [c.label for c in say(conv, "801", "/donvi")[0].choices]
    assert any(label.startswith("UBND các xã, phường, đặc khu") for label in picker), picker
    assert not any("quận, huyện" in label for label in picker)  # the 2025 district offices
    reply = "\n".join(
        r.text for r in say(conv, "801", "/donvi uy ban nhan dan cac xa phuong dac khu")
    )
    assert "UBND các xã, phường, đặc khu" in reply
    with read_session(services.engine) as s:
        unit = next(u for u in s.exec(select(Unit)) if u.name == "UBND các xã, phường, đặc khu")
        assert unit.is_collective and unit.learned_from == "kh-cchc-2026-2030.txt"
        assert unit.id in units_in_force(s, NOW.date())


def test_groups_of_local_bodies_are_learned_from_any_document(tmp_path) -> None:
    from knowledge.ingest.parser import parse_document
    from knowledge.ingest.readers import read_document
    from knowledge.unit_catalog import UnitCatalog

    text = (
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH X\nSố: 12/SGDĐT-VP\nV/v báo cáo CCHC\n\n"
        "1. Đề nghị UBND cấp xã phối hợp rà soát thủ tục hành chính.\n"
        "2. Các trường THCS, các trường mầm non báo cáo kết quả trước ngày 10/12/2026.\n"
        "3. Cán bộ tại cấp xã được bồi dưỡng.\n"
    )
    catalog = UnitCatalog.seeded()
    (tmp_path / "cv-12.txt").write_text(text, encoding="utf-8")
    parsed = parse_document(read_document(tmp_path / "cv-12.txt"), catalog)
    groups = {d.unit.name for d in parsed.duties if d.unit.is_collective}
    assert {"UBND cấp xã", "Các trường THCS", "Các trường mầm non"} <= groups
    assert all(u.is_collective for u in parsed.units_seen if u.name in groups)
