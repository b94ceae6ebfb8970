"""The web board over plain HTTP (no browser): headers, auth refusals, CSRF, limits, feeds."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import select
from icalendar import Calendar

from handlers import weblinks
from handlers.types import Attachment
from jobs.audience import expanded
from jobs.models import Person
from knowledge.deadlines import load_occurrences
from knowledge.db import write_session
from knowledge.models import Document, Unit
from tests.support.subprocess_bot import bot_env, run_bot
from tests.support.web_client import WebHarness, make_harness

PAGES = ["/bang", "/bang.csv", "/bieudo", "/han/1@2027-01-15", "/vanban", "/donvi"]


@pytest.fixture
def web(bundled_copy: Path) -> WebHarness:
    return make_harness(bundled_copy)


def _unit_id(web: WebHarness, short: str) -> int:
    with write_session(web.engine) as session:
        return next(u.id for u in session.exec(select(Unit)) if u.short_name == short)


def test_security_headers_on_every_kind_of_response(web: WebHarness) -> None:
    for path in ["/", "/bang", "/dangnhap?t=x", "/static/style.css", "/lich/1.x.ics"]:
        response = web.client.get(path)
        csp = response.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "script-src" not in csp
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
    assert web.client.get("/static/style.css").status_code == 200


def test_no_page_without_a_session(web: WebHarness) -> None:
    for path in PAGES:
        response = web.client.get(path)
        assert response.status_code == 401, path
        assert "/bangtheodoi" in response.text
    assert web.client.post("/donvi/duyet", data={"person": "1"}).status_code == 401
    web.client.cookies.set("cchc_phien", "1.forged-secret")
    assert web.client.get("/bang").status_code == 401


def test_login_link_opens_a_session_once(web: WebHarness) -> None:
    link = web.path(web.login_link())
    token = link.split("t=", 1)[1]
    assert web.client.get(link).status_code == 200  # a preview of the link does not use it
    assert web.client.get(link).status_code == 200
    response = web.client.post("/dangnhap", data={"t": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/bang"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie
    assert "Max-Age=36000" in cookie
    assert web.client.get("/bang").status_code == 200
    web.client.cookies.clear()
    again = web.client.post("/dangnhap", data={"t": token}, follow_redirects=False)
    assert again.status_code == 403 and "đã được dùng" in again.text
    assert web.client.get(link).status_code == 403


def test_expired_and_tampered_links_are_refused(web: WebHarness) -> None:
    token = web.path(web.login_link()).split("t=", 1)[1]
    web.clock.advance(minutes=16)
    expired = web.client.post("/dangnhap", data={"t": token}, follow_redirects=False)
    assert expired.status_code == 403 and "hết hạn" in expired.text
    tampered = web.path(web.login_link()).split("t=", 1)[1][:-2] + "xx"
    refused = web.client.post("/dangnhap", data={"t": tampered}, follow_redirects=False)
    assert refused.status_code == 403 and "không hợp lệ" in refused.text


def test_session_expires_after_a_working_day(web: WebHarness) -> None:
    web.login()
    web.clock.advance(hours=9, minutes=59)
    assert web.client.get("/bang").status_code == 200
    web.clock.advance(minutes=2)
    assert web.client.get("/bang").status_code == 401


def test_secure_cookie_behind_https(bundled_copy: Path) -> None:
    web = make_harness(bundled_copy, base_url="https://cchc.example.vn")
    token = web.path(web.login_link()).split("t=", 1)[1]
    response = web.client.post("/dangnhap", data={"t": token}, follow_redirects=False)
    assert "Secure" in response.headers["set-cookie"]


def test_post_without_csrf_token_is_refused(web: WebHarness) -> None:
    web.login()
    unit_id = _unit_id(web, "TCCB")
    refused = web.client.post("/donvi/lich", data={"unit": str(unit_id)}, follow_redirects=False)
    assert refused.status_code == 403 and "CSRF" in refused.text
    wrong = web.client.post("/donvi/lich", data={"unit": str(unit_id), "csrf": "nope"},
                            follow_redirects=False)
    assert wrong.status_code == 403
    accepted = web.client.post("/donvi/lich", data={"unit": str(unit_id), "csrf": web.csrf()},
                               follow_redirects=False)
    assert accepted.status_code == 303
    assert "/lich/" in web.client.get("/donvi").text


def test_logout_ends_the_session(web: WebHarness) -> None:
    web.login()
    cookie = web.client.cookies.get("cchc_phien")
    assert web.client.post("/dangxuat", data={"csrf": web.csrf()}).status_code == 200
    web.client.cookies.set("cchc_phien", cookie)
    assert web.client.get("/bang").status_code == 401


def test_login_endpoint_is_rate_limited(bundled_copy: Path) -> None:
    web = make_harness(bundled_copy, login_per_minute=3, failures_per_window=100)
    link = web.path(web.login_link())
    assert [web.client.get(link).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_failed_attempts_are_rate_limited(bundled_copy: Path) -> None:
    web = make_harness(bundled_copy, failures_per_window=3)
    for _ in range(3):
        assert web.client.get("/lich/1.wrong.ics").status_code == 404
    assert web.client.get("/lich/1.wrong.ics").status_code == 429
    assert web.client.get(web.path(web.login_link())).status_code == 429  # even a good link now


def test_request_size_limits(bundled_copy: Path) -> None:
    web = make_harness(bundled_copy, max_upload_bytes=1000)
    web.login()
    big_form = web.client.post("/donvi/duyet", data={"person": "1", "pad": "x" * 100_000})
    assert big_form.status_code == 413
    upload = web.client.post("/vanban/tai-len", files={"file": ("a.txt", b"x" * 5000, "text/plain")})
    assert upload.status_code == 413


def test_calendar_feed_parses_and_is_stable_and_revocable(web: WebHarness) -> None:
    unit_id = _unit_id(web, "TCCB")
    with write_session(web.engine) as session:
        feed = weblinks.active_feed(session, unit_id=unit_id)
        url = web.path(weblinks.feed_url(session, feed, web.config.base_url))
        feed_id = feed.id
    first = web.client.get(url)
    assert first.status_code == 200 and first.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(first.content)
    events = calendar.walk("VEVENT")
    assert events
    due_dates = {e.decoded("dtstart") for e in events}
    with write_session(web.engine) as session:
        expected = {o.due for o in expanded(session, load_occurrences(
            session, date(2026, 11, 13), date(2028, 1, 13))) if o.concerns(unit_id)}
    assert due_dates == expected
    assert {date(2027, 3, 10), date(2027, 6, 10), date(2027, 12, 10)} <= due_dates  # reports
    triggers = sorted(a.decoded("trigger") for a in events[0].walk("VALARM"))
    assert triggers == sorted(timedelta(days=-d, hours=8) for d in (7, 3, 1, 0))
    uids = {str(e["uid"]) for e in events}
    web.clock.advance(days=1)
    again = {str(e["uid"]) for e in Calendar.from_ical(web.client.get(url).content).walk("VEVENT")}
    assert uids & again == uids - {u for u in uids if "@2026-11-" in u}  # same events, same UIDs
    assert web.client.get(url.replace(".ics", "x.ics")).status_code == 404
    with write_session(web.engine) as session:
        assert weblinks.revoke_feed(session, feed_id, by="test", now=web.clock())
    assert web.client.get(url).status_code == 404


def test_member_feed_uses_the_members_offsets(web: WebHarness) -> None:
    unit_id = _unit_id(web, "TCCB")
    with write_session(web.engine) as session:
        person = Person(display_name="Lan", unit_id=unit_id, offsets=[5, 2], reminder_time="07:30")
        session.add(person)
        session.flush()
        feed = weblinks.active_feed(session, unit_id=unit_id, person_id=person.id)
        url = web.path(weblinks.feed_url(session, feed, web.config.base_url))
    event = Calendar.from_ical(web.client.get(url).content).walk("VEVENT")[0]
    triggers = sorted(a.decoded("trigger") for a in event.walk("VALARM"))
    assert triggers == sorted(timedelta(days=-d, hours=7, minutes=30) for d in (5, 2))


def test_download_link_works_once(web: WebHarness) -> None:
    with write_session(web.engine) as session:
        url = weblinks.store_download(session, Attachment("bang.csv", b"a,b\r\n"), actor="zalo:1",
                                      base_url=web.config.base_url, now=web.clock())
    path = web.path(url)
    first = web.client.get(path)
    assert first.status_code == 200 and first.content == b"a,b\r\n"
    assert 'filename="bang.csv"' in first.headers["content-disposition"]
    assert web.client.get(path).status_code == 404


def test_board_csv_has_the_same_bytes_as_the_cli(web: WebHarness, tmp_path: Path, bundled_copy: Path) -> None:
    web.login()
    unit_id = _unit_id(web, "VP")
    today = web.clock().date()
    for query, cli in [("", []), (f"from=2027-01-01&to=2027-12-31&unit={unit_id}",
                                  ["--from", "2027-01-01", "--to", "2027-12-31", "--unit", str(unit_id)])]:
        response = web.client.get("/bang.csv" + (f"?{query}" if query else ""))
        assert response.status_code == 200
        out = tmp_path / "cli.csv"
        env = bot_env(tmp_path, DATABASE_URL=f"sqlite:///{bundled_copy}")
        result = run_bot(env, "status", "--today", today.isoformat(), "--csv", str(out), *cli)
        assert result.returncode == 0, result.stderr
        assert response.content == out.read_bytes()
        assert response.content.startswith("\ufeff".encode())
    assert len(response.content.splitlines()) > 1


def test_bad_filter_is_a_clear_message(web: WebHarness) -> None:
    web.login()
    response = web.client.get("/bang?from=2027-13-01")
    assert response.status_code == 400 and "Ngày không hợp lệ" in response.text


def test_a_link_whose_signature_is_too_old_is_refused(web: WebHarness) -> None:
    """The signed timestamp is checked as well as the recorded issue time."""
    import time as _time

    from itsdangerous import TimestampSigner, URLSafeTimedSerializer

    from handlers.models import WebLoginToken

    class PastSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(_time.time()) - 16 * 60

    with write_session(web.engine) as session:
        session.add(WebLoginToken(nonce="old-signature", actor="telegram:777", issued_at=web.clock()))
        key = weblinks.server_key(session)
    token = URLSafeTimedSerializer(key, salt=weblinks.LOGIN_SALT, signer=PastSigner).dumps({"n": "old-signature"})
    response = web.client.post("/dangnhap", data={"t": token}, follow_redirects=False)
    assert response.status_code == 403 and "hết hạn" in response.text


def test_a_read_only_unit_role_sees_only_its_unit(web: WebHarness) -> None:
    """The role designed for heads of units (not issued from chat yet): view only, one unit."""
    unit_id = _unit_id(web, "TCCB")
    with write_session(web.engine) as session:
        link = weblinks.issue_login_link(session, actor="telegram:55", base_url=web.config.base_url,
                                         now=web.clock(), role=weblinks.Role.UNIT_HEAD, unit_id=unit_id)
    token = web.path(link).split("t=", 1)[1]
    assert web.client.post("/dangnhap", data={"t": token}, follow_redirects=False).status_code == 303
    board = web.client.get("/bang?unit=")  # the filter cannot widen the view
    assert board.status_code == 200
    assert "Phòng Tổ chức cán bộ" in board.text and "Thanh tra Sở</th>" not in board.text
    csv_rows = list(csv.reader(io.StringIO(web.client.get("/bang.csv").content.decode("utf-8-sig"))))
    assert len(csv_rows) > 1 and {row[4] for row in csv_rows[1:]} == {"Phòng Tổ chức cán bộ"}
    assert web.client.get("/donvi").status_code == 403
    assert web.client.post("/donvi/lich", data={"unit": str(unit_id)}).status_code == 403


MEMBERS_CSV = ("don_vi,ten,ten_khac\n"
               "Các đơn vị giáo dục,THPT Trần Phú,Trường THPT Trần Phú\n"
               "Các đơn vị giáo dục,THPT Ngô Quyền,\n").encode()


def test_member_csv_import_all_or_nothing(web: WebHarness) -> None:
    from knowledge.models import UnitMember

    web.login()
    csrf = web.csrf()
    bad = "don_vi,ten\nCác đơn vị giáo dục,THPT Mới\nPhòng không tồn tại,Z\n".encode()
    refused = web.client.post("/donvi/nhap-csv", data={"csrf": csrf}, files={"file": ("sai.csv", bad, "text/csv")})
    assert refused.status_code == 200 and "chưa thay đổi gì" in refused.text
    with write_session(web.engine) as session:
        assert session.exec(select(UnitMember)).all() == []
    good = web.client.post("/donvi/nhap-csv", data={"csrf": csrf},
                           files={"file": ("ds.csv", MEMBERS_CSV, "text/csv")})
    assert "2 mới" in good.text and "THPT Trần Phú" in good.text
    with write_session(web.engine) as session:
        assert sorted(m.name for m in session.exec(select(UnitMember))) == ["THPT Ngô Quyền", "THPT Trần Phú"]
    board = web.client.get("/bang").text
    assert "THPT Trần Phú (Các đơn vị giáo dục)" in board  # members of collectives are rows


def test_approve_and_reject_from_the_units_page(web: WebHarness) -> None:
    from jobs.done import is_approved
    from jobs.models import ApprovalRequest, ChatAddress, ReminderLog

    web.login()
    csrf = web.csrf()
    unit_id = _unit_id(web, "TCCB")
    ids = []
    with write_session(web.engine) as session:
        for n in (1, 2):
            person = Person(display_name=f"Cán bộ {n}", unit_id=unit_id)
            session.add(person)
            session.flush()
            session.add(ChatAddress(channel="telegram", chat_id=f"60{n}", user_id=f"60{n}", person_id=person.id))
            session.add(ApprovalRequest(person_id=person.id, unit_id=unit_id, requested_by=f"telegram:60{n}"))
            ids.append(person.id)
    page = web.client.get("/donvi").text
    assert "Cán bộ 1" in page and "Cán bộ 2" in page
    ok = web.client.post("/donvi/duyet", data={"csrf": csrf, "person": str(ids[0])}, follow_redirects=False)
    assert ok.status_code == 303 and "tb=duyet" in ok.headers["location"]
    no = web.client.post("/donvi/tuchoi", data={"csrf": csrf, "person": str(ids[1])}, follow_redirects=False)
    assert "tb=tuchoi" in no.headers["location"]
    again = web.client.post("/donvi/tuchoi", data={"csrf": csrf, "person": str(ids[1])}, follow_redirects=False)
    assert "tb=daduyet" in again.headers["location"]
    with write_session(web.engine) as session:
        assert is_approved(session, session.get(Person, ids[0]))
        assert not is_approved(session, session.get(Person, ids[1]))
        notices = [r.chat_id for r in session.exec(select(ReminderLog)) if r.key.startswith("decision:")]
        assert sorted(notices) == ["601", "602"]  # each told once, through the outbox


FIXTURE = Path(__file__).resolve().parent / "fixtures" / "kh-cchc-2026-khanh-hoa.txt"


def _real_time(web: WebHarness) -> None:
    """The staging service stamps previews with the real clock: follow it."""
    from datetime import datetime

    web.clock.now = datetime.now(web.config.tz)


def test_upload_preview_confirm_through_the_shared_staging_service(web: WebHarness) -> None:
    _real_time(web)
    web.login()
    csrf = web.csrf()
    data = FIXTURE.read_bytes()
    refused = web.client.post("/vanban/tai-len", files={"file": (FIXTURE.name, data, "text/plain")})
    assert refused.status_code == 403  # no CSRF token
    preview = web.client.post("/vanban/tai-len", data={"csrf": csrf},
                              files={"file": (FIXTURE.name, data, "text/plain")})
    assert preview.status_code == 200, preview.text
    assert "Chưa nạp, chưa thay đổi gì" in preview.text and "125/KH-SGDĐT" in preview.text
    assert "preview-deadlines" in preview.text
    with write_session(web.engine) as session:
        assert not [d for d in session.exec(select(Document)) if d.number == "125/KH-SGDĐT"]
    token = preview.text.split('name="token" value="', 1)[1].split('"', 1)[0]
    done = web.client.post("/vanban/xac-nhan", data={"csrf": csrf, "token": token})
    assert done.status_code == 200 and "Đã nạp" in done.text
    with write_session(web.engine) as session:
        document = next(d for d in session.exec(select(Document)) if d.number == "125/KH-SGDĐT")
    year = web.clock().year
    board = web.client.get(f"/bang?document={document.id}&from={year}-01-01&to={year + 1}-12-31")
    assert "Báo cáo" in board.text or "báo cáo" in board.text
    assert 'class="pivot"' in board.text
    again = web.client.post("/vanban/xac-nhan", data={"csrf": csrf, "token": token})
    assert again.status_code == 400 and "đã được nạp" in again.text
    listing = web.client.get("/vanban").text
    assert "Còn hiệu lực" in listing


def test_upload_cancel_and_bad_files(web: WebHarness) -> None:
    _real_time(web)
    web.login()
    csrf = web.csrf()
    preview = web.client.post("/vanban/tai-len", data={"csrf": csrf},
                              files={"file": (FIXTURE.name, FIXTURE.read_bytes(), "text/plain")})
    token = preview.text.split('name="token" value="', 1)[1].split('"', 1)[0]
    cancelled = web.client.post("/vanban/huy", data={"csrf": csrf, "token": token}, follow_redirects=False)
    assert cancelled.status_code == 303 and "tb=huy" in cancelled.headers["location"]
    assert web.client.post("/vanban/xac-nhan", data={"csrf": csrf, "token": token}).status_code == 400
    exe = web.client.post("/vanban/tai-len", data={"csrf": csrf},
                          files={"file": ("virus.exe", b"MZ....", "application/octet-stream")})
    assert exe.status_code == 400 and "không được hỗ trợ" in exe.text
    empty = web.client.post("/vanban/tai-len", data={"csrf": csrf})
    assert empty.status_code == 400 and "Chưa chọn tệp" in empty.text


def test_retire_asks_then_retires(web: WebHarness) -> None:
    web.login()
    csrf = web.csrf()
    with write_session(web.engine) as session:
        document = session.exec(select(Document).order_by(Document.id)).first()
    ask = web.client.post("/vanban/ngung", data={"csrf": csrf, "document": str(document.id)})
    assert ask.status_code == 200 and "Ngừng áp dụng" in ask.text
    done = web.client.post("/vanban/ngung", data={"csrf": csrf, "document": str(document.id), "confirm": "1"},
                           follow_redirects=False)
    assert done.status_code == 303 and "tb=ngung" in done.headers["location"]
    assert "Đã thay thế/thu hồi" in web.client.get("/vanban").text


def test_deadline_detail_shows_source_reminders_marks_and_holds(web: WebHarness) -> None:
    from jobs.done import mark_done
    from jobs.holds import hold

    web.login()
    unit_id = _unit_id(web, "TCCB")
    now = web.clock()
    with write_session(web.engine) as session:
        occ = next(o for o in expanded(session, load_occurrences(session, now.date(), date(2027, 12, 31)))
                   if o.concerns(unit_id) and o.quote)
        person = Person(display_name="Chị Lan", unit_id=unit_id)
        session.add(person)
        session.flush()
        hold(session, person_id=person.id, occurrence=occ, until=occ.due - timedelta(days=1),
             by="telegram:5 (Chị Lan)", now=now)
        mark_done(session, unit_id=unit_id, occurrence=occ, person_id=person.id, by="Chị Lan (telegram:5)",
                  now=now)
    page = web.client.get(f"/han/{occ.key}")
    assert page.status_code == 200
    assert occ.quote[:40].replace("&", "&amp;") in page.text or occ.quote[:20] in page.text
    assert "hoãn nhắc đến" in page.text and "đánh dấu hoàn thành bởi Chị Lan" in page.text
    assert "Xong đúng hạn" in page.text
    assert web.client.get("/han/999999@2027-01-01").status_code == 404
