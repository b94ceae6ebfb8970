"""Directive contents and document facts through `python -m bot ask - --json` in a subprocess
(issue 9, classes 4 and 9): what a công văn asks of a unit or about a topic, whether it sets a
deadline, who it is sent to, what it is based on, and what a person signed.

Expected facts come from the documents: the five bundled ones, and the documents of other
provinces in bench/eval/unseen/ and bench/eval/unseen2/, imported by `python -m bot import`.
"""

from __future__ import annotations

import pytest

from tests.support.ask_cli import ask, head
from tests.support.subprocess_bot import ROOT, bot_env, run_bot

BUNDLED_TODAY = "2026-11-22"
UNSEEN_TODAY = "2026-06-10"


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("directives_bundled")
    return bot_env(tmp, DOCUMENTS_DIR=str(ROOT / "data" / "documents"), LOG_LEVEL="WARNING")


@pytest.fixture(scope="module")
def unseen(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("directives_unseen")
    empty = tmp / "none"
    empty.mkdir()
    env = bot_env(tmp, DOCUMENTS_DIR=str(empty), LOG_LEVEL="WARNING")
    for folder in ("unseen", "unseen2"):
        done = run_bot(env, "import", str(ROOT / "bench" / "eval" / folder))
        assert done.returncode == 0, done.stderr
    return env


def test_a_directive_answers_what_it_asks_about_the_unit_or_topic(bundled) -> None:  # type: ignore[no-untyped-def]
    a = ask(
        bundled,
        [
            "cv 502 giao thanh tra lam gi",
            "cv 502 yeu cau thanh tra lam gi",
            "cv ket luan phien hop thu chin noi gi ve vneid",
            "cv 502 giao to chuc can bo lam gi",
            "truong thpt phai lam gi theo cv 24",
        ],
        BUNDLED_TODAY,
    )
    # the point about it first, not the document's reference card
    assert "Tăng cường công tác thanh tra" in head(a[0], 2)
    assert "Tăng cường công tác thanh tra" in head(a[1], 2)
    assert "được nhắc đến trong" not in a[0]["text"]
    assert "VNeID" in head(a[2], 2)
    assert all(s["document"].startswith("Công văn") for s in a[0]["sources"] + a[2]["sources"])
    # nothing singles the unit out: said, with the recipients and what all of them must do
    assert head(a[3], 1).startswith("Không thấy đoạn nào") and "cán bộ" in head(a[3], 1)
    assert "Trưởng các phòng cơ quan Sở" in head(a[3], 2)
    assert "thpt" in head(a[4], 1) and "Hiệu trưởng trường THPT" in head(a[4], 2)


def test_a_directive_without_deadlines_says_so(bundled, unseen) -> None:  # type: ignore[no-untyped-def]
    a = ask(
        bundled,
        [
            "cv cua binh dinh han bao cao ngay nao",
            "cv 502 han bao cao khi nao",
            "cv 24 co han nop ko",
        ],
        BUNDLED_TODAY,
    )
    for answer in a:
        assert answer["intent"] == "deadline" and "không đặt hạn" in head(answer, 1)
        assert answer["deadlines"] == []
    assert "Bình Định" not in a[0]["text"] or "131" in head(a[0], 1)
    assert "báo cáo định kỳ" in a[1]["text"]  # what it does ask about reports, undated
    u = ask(unseen, ["cv 215 han bao cao quy ngay nao", "cv 930 han nop du toan"], UNSEEN_TODAY)
    assert u[0]["deadlines"] and "không đặt hạn" not in u[0]["text"]  # it has one: given
    assert u[1]["deadlines"][0]["due"] == "2026-07-10"


def test_a_date_that_is_no_deadline_is_said_to_be_none(bundled, unseen) -> None:  # type: ignore[no-untyped-def]
    u = ask(
        unseen,
        [
            "ngày 18/8 sở tài chính làm việc có phải hạn nộp dự toán không",
            "ngay 04/3 co phai han nop bao cao khong",
            "cv vinh long ngay 22/4 la han gi",
            "15/5 phai nop gi",
        ],
        UNSEEN_TODAY,
    )
    assert head(u[0], 1).startswith("Ngày 18/08 không phải hạn")
    assert "làm việc" in head(u[0], 2) and "10/07/2026" in u[0]["text"]  # the real one, after
    assert "tập huấn" in head(u[1], 2) and not u[1]["deadlines"]
    assert "22/4/2026" in head(u[2], 2) and "Sở Khoa học và Công nghệ" in head(u[2], 2)
    assert "không phải hạn" not in u[3]["text"]  # nothing happens that day: not claimed either
    b = ask(bundled, ["ngay 20/02 co phai han gi khong", "15/1 phai nop gi"], BUNDLED_TODAY)
    assert "24/BCĐ-KSTTHC ngày 20/02/2025" in head(b[0], 2)  # a cited document's date
    assert b[1]["deadlines"][0]["due"] == "2027-01-15"  # a meeting that day too: still a deadline


def test_who_a_document_is_sent_to(bundled, unseen) -> None:  # type: ignore[no-untyped-def]
    b = ask(
        bundled,
        [
            "cv binh dinh gui nhung ai",
            "kh 2025 gui nhung ai",
            "noi nhan cua kh 2026-2030",
            "cv 502 gui nhung ai",
            "cv 24 can cu van ban nao",
        ],
        BUNDLED_TODAY,
    )
    assert b[0]["intent"] == "facts" and "Hiệu trưởng các trường THPT" in b[0]["text"]
    assert "Nơi nhận: UBND thành phố (để báo cáo); Sở Nội vụ" in b[1]["text"]  # no Kính gửi
    assert "Lưu" not in b[1]["text"] and "Các phòng, đơn vị thuộc Sở" in b[2]["text"]
    assert "Kính gửi: Trưởng các phòng cơ quan Sở" in b[3]["text"]  # ours, implementing 502
    assert "24/BCĐ-KSTTHC ngày 20/02/2025" in b[4]["text"]  # ours based on it
    u = ask(unseen, ["cv 1057 gui nhung ai"], UNSEEN_TODAY)
    assert "Hiệu trưởng các trường trung học phổ thông" in u[0]["text"]


def test_the_documents_a_person_signed(bundled) -> None:  # type: ignore[no-untyped-def]
    b = ask(
        bundled,
        [
            "nhung van ban ong Pham Quoc Hieu ky",
            "ong hieu ky nhung van ban nao",
            "ong liem ky van ban nao",
            "ong tran van a ky gi",
        ],
        BUNDLED_TODAY,
    )
    for answer in b[:2]:
        assert answer["intent"] == "signer" and head(answer, 1).startswith("Phạm Quốc Hiệu")
        assert len(answer["documents"]) == 3  # not Lương Văn Việt's plan nor Bình Định's
    assert "Phan Thanh Liêm" in head(b[2], 1) and len(b[2]["documents"]) == 1
    assert b[3]["intent"] == "not_found" and "ông Tran Van A" in b[3]["text"]
    assert not b[3]["documents"]


def test_a_unit_the_directive_is_sent_to_gets_all_its_points(bundled, unseen) -> None:  # type: ignore[no-untyped-def]
    b = ask(
        bundled,
        [
            "truong thpt o binh dinh phai lam gi theo cv ve nq 131",
            "trong cv 502 cac phong phai phoi hop voi ai de bao cao",
            "cv 2023 ve cchc gui ai",
        ],
        BUNDLED_TODAY,
    )
    assert "trong đó có «truong thpt»" in head(b[0], 1)
    assert "7 quan điểm" in b[0]["text"] and "thanh toán học phí" in b[0]["text"]
    assert "Văn phòng Sở báo cáo định kỳ" in head(b[1], 2)  # the words together, first
    assert "Kính gửi: Trưởng các phòng cơ quan Sở" in b[2]["text"]
    u = ask(unseen, ["cv 930 du toan gui ve dau", "cv 215 bao cao thang gui ve dau"], UNSEEN_TODAY)
    assert "Gửi về: Phòng Kế hoạch - Tài chính" in u[0]["text"]  # where it goes, not Kính gửi
    assert u[1]["intent"] == "deadline" and "Kính gửi" not in u[1]["text"]
