"""Conversation handler tests: no channel, a real SQLite file, a hand-made knowledge layer."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from handlers.conversation import Conversation, ConversationConfig
from handlers.models import BroadcastRequest
from handlers.types import ContentKind, Incoming, Reply
from jobs.models import ChatAddress, DoneMark, Person
from knowledge.db import read_session, write_session
from tests.support.handmade_knowledge import handmade, seeded_engine

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=TZ)


class RecordingBroadcaster:
    """Stands in for the reminders outbox: records what would be queued."""

    def __init__(self) -> None:
        self.calls: list[dict] = []

    def __call__(self, session, *, unit_id, text, requested_by, now) -> int:
        self.calls.append({"unit_id": unit_id, "text": text, "by": requested_by})
        return 2


@pytest.fixture
def engine(tmp_path: Path):
    return seeded_engine(tmp_path / "conv.db")


@pytest.fixture
def broadcaster() -> RecordingBroadcaster:
    return RecordingBroadcaster()


@pytest.fixture
def conv(engine, broadcaster) -> Conversation:
    config = ConversationConfig(admin_ids=frozenset({"900"}), page_chars=400)
    return Conversation(engine, config, lambda: NOW, knowledge=handmade(), broadcaster=broadcaster)


_ids = iter(range(1, 10_000))


def msg(
    text: str,
    *,
    chat: str = "42",
    user: str = "42",
    channel: str = "telegram",
    kind=ContentKind.TEXT,
    group: bool = False,
    addressed: bool = True,
    update_id: str | None = None,
) -> Incoming:
    return Incoming(
        channel=channel,
        chat_id=chat,
        user_id=user,
        display_name="Chị Lan",
        kind=kind,
        text=text,
        is_group=group,
        addressed_to_bot=addressed,
        update_id=update_id if update_id is not None else str(next(_ids)),
    )


def press(payload: str, **kw) -> Incoming:
    return msg(payload, kind=ContentKind.CHOICE, **kw)


def one(replies: list[Reply]) -> Reply:
    assert len(replies) == 1, replies
    return replies[0]


def test_start_offers_units_and_choice_sets_unit(conv: Conversation, engine) -> None:
    from knowledge.models import Unit

    with write_session(engine) as session:  # the umbrella of the departments above
        session.add(Unit(name="Các phòng thuộc Sở", short_name="", is_collective=True))
    reply = one(conv.handle(msg("/start")))
    assert reply.text.startswith("Xin chào Chị Lan!")
    labels = [c.label for c in reply.choices]
    # departments first, then the collective of member units; never the umbrella
    assert "Phòng Tổ chức cán bộ" in labels and labels[-1] == "Các đơn vị trực thuộc"
    assert "Các phòng thuộc Sở" not in labels
    assert all(len(c.payload.encode()) <= 64 for c in reply.choices)
    tccb = next(c for c in reply.choices if c.label == "Phòng Tổ chức cán bộ")
    done = one(conv.handle(press(tccb.payload)))
    assert "Phòng Tổ chức cán bộ" in done.text
    with read_session(engine) as session:
        address = session.exec(select(ChatAddress)).one()
        person = session.get(Person, address.person_id)
        assert person.unit_id is not None and address.user_id == "42" and not address.is_group
    # the unit is remembered: /start now shows it and /nhiemvu defaults to it
    assert "Đơn vị hiện tại: Phòng Tổ chức cán bộ" in one(conv.handle(msg("/start"))).text
    assert one(conv.handle(msg("/nhiemvu"))).text.startswith("Nhiệm vụ của Phòng Tổ chức cán bộ")


@pytest.mark.parametrize("query", ["tccb", "to chuc can bo", "Tổ chức cán bộ", "TCCB"])
def test_donvi_fuzzy(conv: Conversation, query: str) -> None:
    reply = one(conv.handle(msg(f"/donvi {query}")))
    assert "Đã ghi nhận: Bạn thuộc Phòng Tổ chức cán bộ." in reply.text


def test_donvi_ambiguous_offers_choices_and_unknown_lists_all(conv: Conversation) -> None:
    reply = one(conv.handle(msg("/donvi phong giao duc")))
    assert "Có nhiều đơn vị" in reply.text
    assert {"Phòng Giáo dục Trung học", "Phòng Giáo dục Tiểu học"} <= {
        c.label for c in reply.choices
    }
    reply = one(conv.handle(msg("/donvi xyzxyz")))
    assert "Không tìm thấy đơn vị" in reply.text and len(reply.choices) == 6


def test_nhiemvu_without_unit_asks_and_with_argument(conv: Conversation) -> None:
    reply = one(conv.handle(msg("/nhiemvu")))
    assert "chưa chọn đơn vị" in reply.text
    assert all(c.payload.startswith("nu:") for c in reply.choices)
    assert one(conv.handle(press(reply.choices[0].payload))).text.startswith("Nhiệm vụ của")
    assert one(conv.handle(msg("/nhiemvu van phong so"))).text.startswith(
        "Nhiệm vụ của Văn phòng Sở"
    )


def test_more_pages_survive_a_restart_and_stale_buttons(
    conv: Conversation, engine, broadcaster
) -> None:
    first = one(conv.handle(msg("han nop ke hoach cchc")))
    assert first.text.startswith("Trả lời: han nop ke hoach cchc — trang 1")
    more = next(c for c in first.choices if c.label == "Xem thêm")
    assert len(more.payload.encode()) <= 64
    # typing "xem thêm" works like pressing the button
    assert "trang 2" in one(conv.handle(msg("xem thêm"))).text
    # a brand-new Conversation on the same database (a restart) continues the answer
    restarted = Conversation(
        engine, conv.config, lambda: NOW, knowledge=handmade(), broadcaster=broadcaster
    )
    second = one(restarted.handle(press(more.payload)))
    assert "trang 2" in second.text
    third = one(restarted.handle(press(second.choices[0].payload)))
    assert "trang 3" in third.text and not third.choices
    # pressing an old page again is harmless (same page), unknown ids are stale
    assert "trang 2" in one(restarted.handle(press(more.payload))).text
    for payload in (
        "m:nonexist:1",
        "m:" + more.payload.split(":")[1] + ":9",
        "zz:1",
        "u:999",
        "c:nope",
        "q:bad",
    ):
        assert one(restarted.handle(press(payload))).text == "Nội dung đã cũ, vui lòng hỏi lại."
    # another chat cannot use this chat's button
    assert (
        one(restarted.handle(press(more.payload, chat="7", user="7"))).text
        == "Nội dung đã cũ, vui lòng hỏi lại."
    )


def test_typed_more_with_nothing_to_continue_gets_the_stale_reply(conv: Conversation) -> None:
    stale = "Nội dung đã cũ hoặc đã xem hết, vui lòng hỏi lại."
    for text in ("xem thêm", "xem them", "Xem Thêm"):
        assert one(conv.handle(msg(text))).text == stale
    # after the last page has been shown there is nothing more either
    conv.handle(msg("han nop ke hoach cchc"))
    assert "trang 2" in one(conv.handle(msg("xem them"))).text
    assert "trang 3" in one(conv.handle(msg("xem them"))).text
    assert one(conv.handle(msg("xem them"))).text == stale
    # the same on a channel without buttons, and after another command replaced the pending
    conv.handle(msg("han nop ke hoach cchc", channel="zalo"))
    conv.handle(msg("/trogiup", channel="zalo"))
    assert one(conv.handle(msg("xem them", channel="zalo"))).text == stale


def test_suggestion_button_asks_the_stored_query(conv: Conversation) -> None:
    first = one(conv.handle(msg("cau hoi")))
    suggestion = next(c for c in first.choices if c.label == "Hạn nộp báo cáo quý")
    assert suggestion.payload.startswith("q:")
    assert one(conv.handle(press(suggestion.payload))).text.startswith(
        "Trả lời: han nop bao cao quy"
    )


def test_hanchot_shows_dates_days_left_and_done(conv: Conversation, engine) -> None:
    everyone = one(conv.handle(msg("/hanchot")))
    assert "tất cả các đơn vị" in everyone.text
    assert "15/01/2027 (còn 54 ngày)" in everyone.text
    conv.handle(msg("/donvi tccb"))
    mine = one(conv.handle(msg("/hanchot")))
    assert "Phòng Tổ chức cán bộ" in mine.text and "đã xong" not in mine.text
    with write_session(engine) as session:
        session.add(
            DoneMark(
                unit_id=1, deadline_id=1, due=date(2027, 1, 15), occurrence_key="1@2027-01-15"
            )
        )
    assert "15/01/2027 (còn 54 ngày) — đã xong" in one(conv.handle(msg("/hanchot"))).text
    conv.handle(msg("/donvi van phong so"))
    assert "Không có hạn chót nào của Văn phòng Sở" in one(conv.handle(msg("/hanchot"))).text


def test_vanban_timkiem(conv: Conversation) -> None:
    assert one(conv.handle(msg("/vanban"))).text.startswith("Văn bản:")
    assert one(conv.handle(msg("/vanban 131"))).text == "Chi tiết văn bản: 131"
    assert one(conv.handle(msg("/timkiem dịch vụ công"))).text.startswith(
        "Kết quả tìm “dịch vụ công”"
    )
    assert "ví dụ: /timkiem" in one(conv.handle(msg("/timkiem"))).text


def test_nhacnho_settings_are_stored(conv: Conversation, engine) -> None:
    assert "Nhắc hạn: BẬT" in one(conv.handle(msg("/nhacnho"))).text
    assert "7 ngày, 3 ngày, 1 ngày, đúng ngày (lúc 08:00" in one(conv.handle(msg("/nhacnho"))).text
    assert "Đã tắt nhắc hạn" in one(conv.handle(msg("/nhacnho tắt"))).text
    assert "Đã đặt số ngày" in one(conv.handle(msg("/nhacnho 5, 2 ,0"))).text
    assert "Đã đặt giờ nhắc 08:30" in one(conv.handle(msg("/nhacnho gio 8:30"))).text
    assert "không hợp lệ" in one(conv.handle(msg("/nhacnho gio 23:00"))).text
    assert "Chưa hiểu" in one(conv.handle(msg("/nhacnho 500"))).text
    with read_session(engine) as session:
        person = session.exec(select(Person)).one()
        assert (person.reminders_enabled, person.offsets, person.reminder_time) == (
            False,
            [5, 2, 0],
            "08:30",
        )
    conv.handle(msg("/nhacnho bat"))
    assert "Đã về cài đặt mặc định" in one(conv.handle(msg("/nhacnho macdinh"))).text
    with read_session(engine) as session:
        person = session.exec(select(Person)).one()
        assert (person.reminders_enabled, person.offsets, person.reminder_time) == (
            True,
            None,
            None,
        )


def test_help_lists_every_command_once_and_admin_only_for_admins(conv: Conversation) -> None:
    text = one(conv.handle(msg("/trogiup"))).text
    for name in (
        "start",
        "donvi",
        "nhiemvu",
        "hanchot",
        "vanban",
        "timkiem",
        "nhacnho",
        "trogiup",
    ):
        assert f"/{name}" in text
    assert "/thongke" not in text
    assert one(conv.handle(msg("/help"))).text == text
    assert "/thongke" in one(conv.handle(msg("/trogiup", user="900"))).text


def test_registry_lets_other_features_add_commands(conv: Conversation) -> None:
    def cmd_xong(ctx, args):
        """Đánh dấu đã hoàn thành một hạn chót"""
        return [Reply(f"xong {args}")]

    conv.commands.add("xong", cmd_xong)
    assert one(conv.handle(msg("/xong 1"))).text == "xong 1"
    assert "/xong: Đánh dấu đã hoàn thành một hạn chót" in one(conv.handle(msg("/trogiup"))).text
    menu = conv.commands.menu()
    assert ("xong", "Đánh dấu đã hoàn thành một hạn chót") in menu
    assert menu[-1][0] == "trogiup"  # help stays last


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", "Tin nhắn trống"),
        ("   \n ", "Tin nhắn trống"),
        ("x" * 4097, "Tin nhắn quá dài"),
        ("/khongco", "Không có lệnh /khongco"),
        ("😀😀🎉", "Mình chưa hiểu tin nhắn này"),
        ("\u0007\u200b!!", "Mình chưa hiểu tin nhắn này"),
    ],
)
def test_bad_input_gets_a_short_vietnamese_reply(
    conv: Conversation, text: str, expected: str
) -> None:
    assert expected in one(conv.handle(msg(text))).text


def test_unsupported_content_and_duplicates(conv: Conversation) -> None:
    assert one(conv.handle(msg("", kind=ContentKind.UNSUPPORTED))).text.startswith(
        "Hiện chỉ hỗ trợ tin nhắn văn bản."
    )
    assert conv.handle(msg("/start", update_id="dup-1"))
    assert conv.handle(msg("/start", update_id="dup-1")) == []
    # the same id on another channel is another update
    assert conv.handle(msg("/start", update_id="dup-1", channel="zalo"))


def test_commands_with_diacritics_and_bot_suffix(conv: Conversation) -> None:
    assert "Các lệnh" in one(conv.handle(msg("/trợgiúp"))).text
    assert "Các lệnh" in one(conv.handle(msg("/trogiup@cchc_test_bot"))).text


def test_group_is_its_own_person_and_silent_unless_addressed(conv: Conversation, engine) -> None:
    assert (
        conv.handle(msg("chào cả nhà", chat="-100", user="5", group=True, addressed=False)) == []
    )
    reply = one(conv.handle(msg("/donvi tccb", chat="-100", user="5", group=True)))
    assert "Nhóm này thuộc Phòng Tổ chức cán bộ" in reply.text
    conv.handle(msg("/donvi van phong so", chat="5", user="5"))  # the member's own chat
    with read_session(engine) as session:
        addresses = {a.chat_id: a for a in session.exec(select(ChatAddress))}
        group, private = addresses["-100"], addresses["5"]
        assert group.is_group and group.user_id == "" and group.person_id != private.person_id
        assert session.get(Person, group.person_id).unit_id == 1


def test_numbered_choices_on_channels_without_buttons(conv: Conversation, engine) -> None:
    reply = one(conv.handle(msg("/start", channel="zalo", chat="z1", user="z1")))
    index = [c.label for c in reply.choices].index("Văn phòng Sở") + 1
    assert (
        "Văn phòng Sở"
        in one(conv.handle(msg(str(index), channel="zalo", chat="z1", user="z1"))).text
    )
    # after the unit is set the quick actions are pending: a wrong number keeps them,
    # and they can be answered by name
    assert "từ 1 đến 2" in one(conv.handle(msg("7", channel="zalo", chat="z1", user="z1"))).text
    assert one(
        conv.handle(msg("hạn chót sắp tới", channel="zalo", chat="z1", user="z1"))
    ).text.startswith("Không có hạn chót")
    # the offer is cleared by a reply without choices: a digit is then just a question
    conv.handle(msg("/trogiup", channel="zalo", chat="z1", user="z1"))
    assert one(conv.handle(msg("1", channel="zalo", chat="z1", user="z1"))).text.startswith(
        "Trả lời: 1"
    )
    # an option is also answered by its name without the part in brackets
    from handlers.render import pick_option

    options = [{"label": "Văn phòng Sở (VP)", "payload": "u:7"}]
    assert pick_option("van phong so", options) == "u:7"
    assert pick_option("Văn phòng Sở (VP)", options) == "u:7"
    assert pick_option("van phong", options) is None
    # on Telegram a digit is just text
    assert one(conv.handle(msg("1"))).text.startswith("Trả lời: 1")


def test_admin_commands_refused_for_others_and_logged(
    conv: Conversation, caplog, broadcaster
) -> None:
    for command in ("/thongke", "/guitin tatca | Họp"):
        assert "chỉ dành cho cán bộ quản trị" in one(conv.handle(msg(command))).text
    assert "refused admin command /thongke from telegram:42" in caplog.text
    assert broadcaster.calls == []


def test_thongke_counts_users_and_groups_per_unit(conv: Conversation) -> None:
    conv.handle(msg("/donvi tccb", chat="1", user="1"))
    conv.handle(msg("/donvi tccb", chat="2", user="2"))
    conv.handle(msg("/donvi tccb", chat="-9", user="2", group=True))
    conv.handle(msg("/start", chat="3", user="3"))
    text = one(conv.handle(msg("/thongke", chat="900", user="900"))).text
    assert "• Phòng Tổ chức cán bộ: 2 người, 1 nhóm" in text
    assert "• Chưa chọn đơn vị: 2 người, 0 nhóm" in text  # user 3 and the admin


def read_rows(engine) -> int:
    with read_session(engine) as session:
        return len(session.exec(select(BroadcastRequest)).all())


def test_guitin_confirms_then_queues_once(conv: Conversation, engine, broadcaster) -> None:
    conv.handle(msg("/donvi tccb", chat="1", user="1"))
    conv.handle(msg("/donvi tccb", chat="2", user="2"))
    admin = {"chat": "900", "user": "900"}
    assert "Cú pháp" in one(conv.handle(msg("/guitin", **admin))).text
    assert (
        "Không xác định được đơn vị" in one(conv.handle(msg("/guitin qqqq | Họp", **admin))).text
    )
    prompt = one(conv.handle(msg("/guitin tccb | Đề nghị nộp báo cáo quý", **admin)))
    assert "Gửi tới 2 cuộc trò chuyện của Phòng Tổ chức cán bộ" in prompt.text
    send, _cancel = prompt.choices
    # another user pressing the admin's button (e.g. in a group) is refused
    assert "chỉ dành cho" in one(conv.handle(press(send.payload, chat="900", user="1"))).text
    nudges = []
    conv.on_broadcast_queued = lambda: nudges.append(read_rows(engine))
    assert "Đã xếp hàng gửi tới 2" in one(conv.handle(press(send.payload, **admin))).text
    assert nudges == [1]  # called once, after the commit (the request row is visible)
    assert (
        one(conv.handle(press(send.payload, **admin))).text == "Nội dung đã cũ, vui lòng hỏi lại."
    )
    assert broadcaster.calls == [
        {"unit_id": 1, "text": "Đề nghị nộp báo cáo quý", "by": "telegram:900"}
    ]
    with read_session(engine) as session:
        assert session.exec(select(BroadcastRequest)).one().recipients == 2
    prompt = one(conv.handle(msg("/guitin tatca Họp giao ban", **admin)))
    assert "tất cả các đơn vị" in prompt.text
    assert "Đã huỷ" in one(conv.handle(press(prompt.choices[1].payload, **admin))).text
    assert len(broadcaster.calls) == 1


def test_a_failing_answer_engine_gives_a_polite_reply_and_no_half_write(engine) -> None:
    api = handmade()
    from dataclasses import replace

    def broken(*a, **k):
        raise RuntimeError("boom")

    conv = Conversation(
        engine, ConversationConfig(), lambda: NOW, knowledge=replace(api, answer_question=broken)
    )
    assert "Xin lỗi, đã có lỗi" in one(conv.handle(msg("hoi gi do", update_id="u-err"))).text
    with read_session(engine) as session:
        assert (
            session.exec(select(ChatAddress)).all() == []
        )  # rolled back, so a redelivery retries
    conv.knowledge = api
    assert one(conv.handle(msg("hoi gi do", update_id="u-err"))).text.startswith("Trả lời")


def test_housekeeping_forgets_old_buttons_and_update_ids(conv: Conversation, engine) -> None:
    from datetime import timedelta

    from handlers.models import ProcessedUpdate, StoredAction

    more = one(conv.handle(msg("cau hoi dai", update_id="old-1"))).choices[0]
    assert conv.housekeeping() == 0
    with write_session(engine) as session:
        for row in (
            session.exec(select(StoredAction)).all() + session.exec(select(ProcessedUpdate)).all()
        ):
            row.created_at = row.created_at - timedelta(days=40)
            session.add(row)
    assert conv.housekeeping() >= 3
    assert one(conv.handle(press(more.payload))).text == "Nội dung đã cũ, vui lòng hỏi lại."
