"""The web board in a real browser: `python -m bot` against the fake Bot API, Chromium via
Playwright.

An admin asks /bangtheodoi in chat and opens the link; the board follows a /xong made in chat;
the CSV download has the CLI's bytes; reused, expired links and POSTs without CSRF are refused;
an upload is previewed, confirmed and its deadlines appear;
the unit's .ics feed parses and holds the expected dates. Screenshots at 390 px and 1280 px are
saved in test-output/web-board/ (the path is printed at the end).
"""

from __future__ import annotations

import html
import re
import socket
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from icalendar import Calendar
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlmodel import select

from handlers import weblinks
from handlers.models import WebLoginToken
from jobs.audience import expanded
from knowledge.db import make_engine, read_session, write_session
from knowledge.deadlines import load_occurrences
from knowledge.models import Unit
from tests.fakes.telegram_server import FakeTelegramServer
from tests.support.subprocess_bot import run_bot, start_bot, stop_bot, telegram_bot_env

ADMIN = 777
USER = 4242
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "kh-cchc-2026-khanh-hoa.txt"
# The test's output folder: kept after the run (pytest's tmp folders are pruned), ignored by git.
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / "web-board"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def buttons(message: dict) -> list[dict]:
    markup = message.get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


class Chat:
    """One Telegram user talking to the bot through the fake server. Notices (an approval, a new
    document) arrive through the outbox at their own pace, so a reply is found by what it says."""

    def __init__(self, server: FakeTelegramServer, user: int) -> None:
        self.server, self.user = server, user

    def send(self, text: str, expect: str) -> dict:
        before = len(self.server.sent_messages(self.user))
        self.server.enqueue_message(self.user, text, first_name=f"CB{self.user}")
        return self._reply(before, expect)

    def press(self, data: str, expect: str) -> dict:
        before = len(self.server.sent_messages(self.user))
        self.server.enqueue_callback(self.user, data)
        return self._reply(before, expect)

    def _reply(self, before: int, expect: str) -> dict:
        def found() -> list[dict]:
            return [
                m
                for m in self.server.sent_messages(self.user)[before:]
                if expect in plain(m["text"])
            ]

        self.server.wait_for(found, timeout=60)
        return found()[0]


def expired_link(db: Path, base_url: str) -> str:
    """A genuine link signed and recorded 16 minutes ago (as if left unopened)."""
    engine = make_engine(f"sqlite:///{db}")
    with write_session(engine) as session:
        nonce = "expired-test-nonce"
        issued = datetime.now(UTC) - timedelta(minutes=16)
        session.add(WebLoginToken(nonce=nonce, actor=f"telegram:{ADMIN}", issued_at=issued))
        key = weblinks.server_key(session)

    class PastSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - 16 * 60

    token = URLSafeTimedSerializer(key, salt=weblinks.LOGIN_SALT, signer=PastSigner).dumps(
        {"n": nonce}
    )
    engine.dispose()
    return f"{base_url}{weblinks.LOGIN_PATH}?t={token}"


def test_admin_board_in_a_real_browser(
    tmp_path: Path, telegram_server: FakeTelegramServer, chromium_browser
) -> None:  # type: ignore[no-untyped-def]
    server = telegram_server
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    db = tmp_path / "bot.db"
    env = telegram_bot_env(tmp_path, server, ADMIN_IDS=str(ADMIN), WEB_PORT=str(port))
    shots = SCREENSHOTS
    shots.mkdir(parents=True, exist_ok=True)
    process = start_bot(env)
    try:
        server.wait_for(lambda: server.calls("getUpdates"), timeout=60)
        admin = Chat(server, ADMIN)
        # The admin belongs to the Văn phòng Sở, approves themself and marks the first open
        # deadline done.
        admin.send("/donvi vp", expect="Văn phòng Sở")
        listing = admin.send("/duyet", expect="Chờ duyệt")
        approve = next(b for b in buttons(listing) if b["callback_data"].startswith("dy:"))
        admin.press(approve["callback_data"], expect="Đã duyệt")
        open_list = admin.send("/xong", expect="Chưa hoàn thành")
        mark = next(b for b in buttons(open_list) if b["callback_data"].startswith("x:"))
        done_key = mark["callback_data"][2:]
        admin.press(mark["callback_data"], expect="Đã ghi nhận")

        # /bangtheodoi: only admins get a link
        user = Chat(server, USER)
        user.send("/bangtheodoi", expect="chỉ dành cho cán bộ quản trị")
        link_text = plain(admin.send("/bangtheodoi", expect="/dangnhap?t=")["text"])
        link = re.search(r"(http://\S+/dangnhap\?t=\S+)", link_text).group(1)
        assert link.startswith(base_url)

        context = chromium_browser.new_context(
            viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="vi-VN"
        )
        page = context.new_page()
        page.goto(link)
        page.click("#login")
        page.wait_for_url(f"{base_url}/bang")
        assert page.title().startswith("Bảng theo dõi")
        cell = page.locator(f'a[href="/han/{done_key}"]').first
        assert cell.count() == 1
        with read_session(make_engine(f"sqlite:///{db}")) as session:
            vp = next(u for u in session.exec(select(Unit)) if u.short_name == "VP")
        row = page.locator("table.pivot tbody tr", has=page.locator("th", has_text=vp.name))
        assert "Xong đúng hạn" in row.inner_text()
        page.screenshot(path=str(shots / "board-1280.png"), full_page=True)

        # the CSV download has the CLI's bytes (same filter: the default period)
        with page.expect_download() as info:
            page.click("#csv")
        downloaded = Path(info.value.path()).read_bytes()
        cli_file = tmp_path / "cli.csv"
        result = run_bot(env, "status", "--csv", str(cli_file))
        assert result.returncode == 0, result.stderr
        assert downloaded == cli_file.read_bytes()
        assert "hoàn thành đúng hạn" in downloaded.decode("utf-8-sig")

        # filtered to the unit, then the deadline's detail page
        page.goto(f"{base_url}/bang?unit={vp.id}")
        assert page.locator("table.pivot tbody tr").count() == 1
        page.goto(f"{base_url}/han/{done_key}")
        assert "đánh dấu hoàn thành bởi" in page.inner_text("main")
        page.goto(f"{base_url}/bieudo")
        assert page.locator("svg.chart").count() == 2

        # a POST without the CSRF token is refused, even with the session cookie
        refused = page.request.post(f"{base_url}/donvi/lich", form={"unit": str(vp.id)})
        assert refused.status == 403

        # an upload: the chat's staging preview, then confirm; the new deadlines are on the board
        page.goto(f"{base_url}/vanban")
        page.set_input_files("#file", str(FIXTURE))
        page.click("#preview")
        assert "Chưa nạp, chưa thay đổi gì" in page.inner_text("main")
        assert page.locator("#preview-deadlines tbody tr").count() >= 1
        page.screenshot(path=str(shots / "upload-preview-1280.png"), full_page=True)
        page.click("#confirm")
        assert "Đã nạp" in page.inner_text("main")
        page.click("#new-deadlines")
        assert page.locator("table.pivot thead th").count() > 1
        assert "năm 2026" in page.inner_text("select[name=document] option[selected]")
        headers = page.locator("table.pivot thead th a").all_inner_texts()
        assert any(h.startswith("20/") for h in headers), headers  # "hằng tháng, trước ngày 20"

        # the phone view
        phone = chromium_browser.new_context(
            viewport={"width": 390, "height": 844},
            is_mobile=True,
            locale="vi-VN",
            device_scale_factor=2,
        )
        phone.add_cookies(context.cookies())
        phone_page = phone.new_page()
        phone_page.goto(f"{base_url}/bang")
        assert phone_page.locator(".cards").is_visible()
        assert not phone_page.locator("table.pivot").is_visible()
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the phone board scrolls sideways ({width}px)"
        phone_page.screenshot(path=str(shots / "board-390.png"), full_page=True)
        phone_page.goto(f"{base_url}/bieudo")
        phone_page.screenshot(path=str(shots / "charts-390.png"), full_page=True)
        page.goto(f"{base_url}/bieudo")
        page.screenshot(path=str(shots / "charts-1280.png"), full_page=True)

        # a reused link and an expired one are refused
        fresh = chromium_browser.new_context()
        again = fresh.new_page()
        response = again.goto(link)
        assert response.status == 403 and "đã được dùng" in again.inner_text("main")
        response = again.goto(expired_link(db, base_url))
        assert response.status == 403 and "hết hạn" in again.inner_text("main")
        assert again.goto(f"{base_url}/bang").status == 401

        # /lich gives the unit's calendar; the feed parses and holds the unit's dates
        feed_text = plain(admin.send("/lich", expect=".ics")["text"])
        feed_url = re.search(r"(http://\S+\.ics)", feed_text).group(1)
        ics = again.request.get(feed_url)
        assert ics.status == 200
        events = Calendar.from_ical(ics.body()).walk("VEVENT")
        today = date.today()
        with read_session(make_engine(f"sqlite:///{db}")) as session:
            expected = {
                o.due
                for o in expanded(
                    session,
                    load_occurrences(
                        session, today - timedelta(days=60), today + timedelta(days=366)
                    ),
                )
                if o.concerns(vp.id)
            }
        assert {e.decoded("dtstart") for e in events} == expected
        assert date.fromisoformat(done_key.split("@")[1]) in expected
        for ctx in (context, phone, fresh):
            ctx.close()
    finally:
        out, err = stop_bot(process, timeout=30)
    print(f"\nscreenshots: {shots}")
    assert process.returncode == 0, err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    assert "/dangnhap?t=" not in err and ".ics" not in err  # secrets never logged
    assert server.errors == []
