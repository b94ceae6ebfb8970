"""Units across provinces through `python -m bot ask - --json` in a subprocess (issue 9, unit
resolution and collectives): a short form a document defines for a known unit is kept with
that document and holds for its province only, a question naming a province resolves that
province's unit, initials that extend a shorter name win, a unit owes no deadline of another
province's directive, other bodies are not ours, and a school asking about itself gets its own
obligations with dates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support import ask_cli
from tests.support.ask_cli import lead
from tests.support.subprocess_bot import ROOT, bot_env, run_bot

TODAY = "2026-06-10"

# A plan of a province the built-in units were not written from: it defines short forms, one
# of them ("TTS") for a unit every database has (Thanh tra Sở).
QUANG_TRI_PLAN = """UBND TỈNH QUẢNG TRỊ
SỞ GIÁO DỤC VÀ ĐÀO TẠO

Số: 55/KH-SGDĐT

Quảng Trị, ngày 10 tháng 01 năm 2026

KẾ HOẠCH
Cải cách hành chính năm 2026 của Sở Giáo dục và Đào tạo

I. MỤC ĐÍCH

- Nâng cao chất lượng phục vụ người dân, cha mẹ học sinh.

II. TỔ CHỨC THỰC HIỆN

1. Thanh tra Sở (TTS) chủ trì kiểm tra việc giải quyết khiếu nại, tố cáo tại các trường.

2. Phòng Tổ chức cán bộ và Pháp chế (Phòng TCCB&PC) chủ trì rà soát vị trí việc làm, tinh giản biên chế.

3. Phòng Kế hoạch, Tài chính và Cơ sở vật chất (Phòng KHTC&CSVC) chủ trì lập dự toán kinh phí CCHC năm 2027, gửi Sở Tài chính trước ngày 20/7/2026.

4. Phòng Giáo dục phổ thông và Giáo dục thường xuyên chủ trì số hóa học bạ cấp trung học.

5. Phòng Giáo dục chuyên nghiệp - Giáo dục thường xuyên (Phòng GDCN-GDTX) chủ trì số hóa sổ gốc văn bằng.

6. Các trường trung học phổ thông xây dựng kế hoạch CCHC năm 2026, gửi về Sở (qua Văn phòng Sở) trước ngày 20/01/2026; báo cáo quý gửi trước ngày 12 của tháng cuối quý.

DANH MỤC NHIỆM VỤ

| TT | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành | Sản phẩm |
|---|---|---|---|---|---|
| 1 | Kiểm tra công tác tiếp công dân tại các trường | TTS | Văn phòng Sở | Quý III/2026 | Kết luận kiểm tra |
| 2 | Rà soát vị trí việc làm trong các đơn vị | Phòng TCCB&PC | Các phòng, đơn vị | Tháng 9/2026 | Đề án vị trí việc làm |

Nơi nhận:
- UBND tỉnh;
- Lưu: VT, VP.

GIÁM ĐỐC

Lê Văn Hòa
"""  # noqa: E501 (document text: paragraphs and table rows are long lines)

# A directive of another province naming the built-in departments, with its own report dates.
YEN_BAI_DIRECTIVE = """UBND TỈNH YÊN BÁI
SỞ GIÁO DỤC VÀ ĐÀO TẠO

Số: 301/SGDĐT-VP

Yên Bái, ngày 05 tháng 02 năm 2026

V/v báo cáo định kỳ công tác cải cách hành chính năm 2026

Kính gửi: Trưởng các phòng thuộc Sở.

1. Phòng Tổ chức cán bộ chủ trì tổng hợp số liệu biên chế, gửi Văn phòng Sở trước ngày 22/6/2026.

2. Phòng Kế hoạch - Tài chính chủ trì hướng dẫn thanh quyết toán kinh phí CCHC.

3. Các phòng thuộc Sở gửi báo cáo quý về Văn phòng Sở trước ngày 03 của tháng cuối quý.

Nơi nhận:
- Như trên;
- Lưu: VT, VP.

KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC

Trần Thị Mai
"""  # noqa: E501


def _plan(province: str, number: str, lead: str, task: str) -> str:
    """A later plan of a province whose table names a unit by a short form it does not define."""
    return f"""UBND TỈNH {province.upper()}
SỞ GIÁO DỤC VÀ ĐÀO TẠO

Số: {number}/KH-SGDĐT

{province}, ngày 02 tháng 3 năm 2026

KẾ HOẠCH
Kiểm tra công tác cải cách hành chính năm 2026

I. MỤC ĐÍCH

- Đánh giá việc thực hiện nhiệm vụ CCHC.

DANH MỤC NHIỆM VỤ

| TT | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành | Sản phẩm |
|---|---|---|---|---|---|
| 1 | {task} | {lead} | Văn phòng Sở | Tháng 10/2026 | Báo cáo |

Nơi nhận:
- Lưu: VT.

GIÁM ĐỐC

Hồ Văn Nam
"""


def _import(env: dict[str, str], folder: Path) -> str:
    done = run_bot(env, "import", str(folder))
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def provinces(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("unit_provinces")
    first, later = tmp / "first", tmp / "later"
    first.mkdir()
    later.mkdir()
    (first / "kh-55-quang-tri.md").write_text(QUANG_TRI_PLAN, encoding="utf-8")
    (first / "cv-301-yen-bai.md").write_text(YEN_BAI_DIRECTIVE, encoding="utf-8")
    # imported afterwards, in another run: only the stored aliases can resolve "TTS" then
    (later / "kh-70-quang-tri.md").write_text(
        _plan("Quảng Trị", "70", "TTS", "Thanh tra việc thu chi đầu năm học"), encoding="utf-8"
    )
    (later / "kh-90-yen-bai.md").write_text(
        _plan("Yên Bái", "90", "TTS", "Kiểm tra hồ sơ tuyển sinh đầu cấp"), encoding="utf-8"
    )
    empty = tmp / "none"
    empty.mkdir()
    env = bot_env(tmp, DOCUMENTS_DIR=str(empty), LOG_LEVEL="WARNING")
    _import(env, first)
    _import(env, later)
    return env


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("unit_provinces_bundled")
    return bot_env(tmp, DOCUMENTS_DIR=str(ROOT / "data" / "documents"), LOG_LEVEL="WARNING")


def ask(env: dict[str, str], questions: list[str], today: str = TODAY) -> list[dict[str, Any]]:
    return ask_cli.ask(env, questions, today)


def test_a_short_form_a_document_defines_names_the_known_unit(provinces: dict[str, str]) -> None:
    a = ask(provinces, ["tts làm gì", "TTS phụ trách những việc gì"])
    for answer in a:
        assert lead(answer) == "Thanh tra Sở", answer["text"]
        assert "khiếu nại" in answer["text"]


def test_a_stored_short_form_holds_for_later_documents_of_its_province_only(
    provinces: dict[str, str],
) -> None:
    own, other = ask(
        provinces, ["ai chủ trì thanh tra việc thu chi đầu năm học", "ai chủ trì hồ sơ tuyển sinh"]
    )
    assert own["intent"] == "who_leads" and lead(own) == "Thanh tra Sở", own["text"]
    # Yên Bái defined no "TTS": its plan's "TTS" is not Quảng Trị's Thanh tra Sở
    assert lead(other) != "Thanh tra Sở", other["text"]


def test_a_question_naming_a_province_resolves_that_provinces_unit(
    provinces: dict[str, str],
) -> None:
    a = ask(
        provinces,
        ["phòng tccb quảng trị làm gì", "phong ke hoach quang tri lam gi", "phòng tccb yên bái"],
    )
    assert lead(a[0]) == "Phòng Tổ chức cán bộ và Pháp chế", a[0]["text"]
    assert lead(a[1]) == "Phòng Kế hoạch, Tài chính và Cơ sở vật chất", a[1]["text"]
    assert lead(a[2]) == "Phòng Tổ chức cán bộ", a[2]["text"]


def test_the_start_of_a_name_in_initials_names_the_unit(provinces: dict[str, str]) -> None:
    for answer in ask(provinces, ["phong gdpt quang tri lam gi", "phong gdpt lam gi"]):
        assert lead(answer) == "Phòng Giáo dục phổ thông và Giáo dục thường xuyên", answer["text"]
        assert "học bạ" in answer["text"]


def test_a_partial_name_two_units_fit_asks_which(provinces: dict[str, str]) -> None:
    (answer,) = ask(provinces, ["phòng giáo dục thường xuyên làm gì"])
    assert answer["clarify"] == "unit" and answer["units"] == [], answer["text"]
    labels = {s["label"] for s in answer["suggestions"]}
    assert {
        "Phòng Giáo dục phổ thông và Giáo dục thường xuyên",
        "Phòng Giáo dục chuyên nghiệp - Giáo dục thường xuyên",
    } <= labels


def test_my_unit_unknown_asks_which_offering_schools_too(provinces: dict[str, str]) -> None:
    a = ask(provinces, ["đơn vị tôi phải nộp gì", "co quan minh co han gi"])
    for answer in a:
        assert answer["deadlines"] == [] and answer["units"] == [], answer["text"]
        assert answer["text"].startswith("Bạn thuộc phòng/đơn vị nào?")
        labels = [s["label"] for s in answer["suggestions"]]
        assert "Phòng Tổ chức cán bộ và Pháp chế" in labels and "Các đơn vị giáo dục" in labels
        assert "Các phòng CMNV Sở" not in labels  # the umbrella is nobody's own unit
    queries = {s["label"]: s["query"] for s in a[0]["suggestions"]}
    assert queries["Các đơn vị giáo dục"] == "Các đơn vị giáo dục phải nộp gì"


def test_initials_that_extend_a_shorter_name_name_the_longer_unit(
    provinces: dict[str, str],
) -> None:
    a = ask(
        provinces,
        [
            "p. ke hoach tai chinh va csvc lap du toan truoc ngay nao",
            "phòng kh tc và csvc có hạn gì",
        ],
    )
    for answer in a:
        assert lead(answer) == "Phòng Kế hoạch, Tài chính và Cơ sở vật chất", answer["text"]
        assert "20/07/2026" in answer["text"]


def test_a_unit_owes_no_deadline_of_another_provinces_directive(
    provinces: dict[str, str],
) -> None:
    (answer,) = ask(provinces, ["phòng tccb&pc làm gì"])
    assert lead(answer) == "Phòng Tổ chức cán bộ và Pháp chế"
    # Yên Bái's quarterly report (3rd of the quarter's last month) is not Quảng Trị's
    assert "03/09/2026" not in answer["text"] and "22/06/2026" not in answer["text"]


def test_who_question_with_the_work_as_verb_names_the_lead_first(
    provinces: dict[str, str],
) -> None:
    (answer,) = ask(provinces, ["ở quảng trị ai lập dự toán kinh phí cchc"])
    assert answer["intent"] == "who_leads", answer["text"]
    assert lead(answer) == "Phòng Kế hoạch, Tài chính và Cơ sở vật chất"
    assert lead(answer) in answer["text"].split("\n", 1)[0]


def test_another_sos_office_is_not_ours(bundled: dict[str, str]) -> None:
    (answer,) = ask(bundled, ["văn phòng sở nội vụ làm gì"], today="2026-11-22")
    assert lead(answer) != "Văn phòng Sở", answer["text"]
    assert answer["tasks"] == []


def test_a_collective_named_with_its_locality_is_ours(bundled: dict[str, str]) -> None:
    a = ask(
        bundled,
        [
            "trung tâm gdnn-gdtx quận huyện phải làm gì",
            "trung tam gdnn gdtx quan huyen nop bao cao nam khi nao",
        ],
        today="2026-11-22",
    )
    assert lead(a[0]) == lead(a[1]) == "Các đơn vị giáo dục", a[1]["text"]
    assert "15/01/2027" in a[0]["text"]
    assert any(d["due"] == "2026-12-10" for d in a[1]["deadlines"]), a[1]["text"]


def test_a_school_asking_about_the_reform_gets_its_dated_obligations(
    bundled: dict[str, str],
) -> None:
    a = ask(
        bundled,
        ["nha truong can lam gi ve cchc", "trường pt nhiều cấp phải nộp gì"],
        today="2026-11-22",
    )
    for answer in a:
        assert lead(answer) == "Các đơn vị giáo dục", answer["text"]
    assert "15/01/2027" in a[0]["text"] and "10/12/2026" in a[0]["text"]
    assert any(d["due"] == "2027-01-15" for d in a[1]["deadlines"]), a[1]["text"]


def test_a_school_asking_about_a_directive_to_all_units_gets_what_it_asks(
    bundled: dict[str, str],
) -> None:
    (answer,) = ask(bundled, ["truong toi phai lam gi theo cv binh dinh"], today="2026-11-22")
    assert lead(answer) == "Các đơn vị giáo dục"
    first = answer["text"].split("\n", 1)[0]
    assert "không giao việc riêng" in first and "131" in answer["text"]
    assert "Kế hoạch công tác CCHC năm 2025" not in answer["text"]


def test_a_school_head_introducing_themself_gets_the_schools_dates(
    provinces: dict[str, str],
) -> None:
    a = ask(
        provinces,
        [
            "tôi là hiệu trưởng trường thpt quảng trị, bc quý nộp trc ngày mấy",
            "trường thpt quảng trị nộp kế hoạch cchc trước ngày nào",
        ],
    )
    for answer in a:
        assert lead(answer) == "Các đơn vị giáo dục" or answer["intent"] == "deadline"
    assert a[0]["deadlines"] and a[0]["deadlines"][0]["due"] == "2026-06-12", a[0]["text"]
    assert a[1]["deadlines"] and a[1]["deadlines"][0]["due"] == "2027-01-20", a[1]["text"]


def test_does_a_unit_take_part_in_a_task_answers_with_its_rows(
    provinces: dict[str, str],
) -> None:
    (answer,) = ask(provinces, ["tts có phải chủ trì kiểm tra tiếp công dân không"])
    assert answer["intent"] == "unit_duties" and lead(answer) == "Thanh tra Sở", answer["text"]
    assert "Kiểm tra công tác tiếp công dân" in answer["text"]


def test_does_a_school_have_to_do_a_work_answers_with_its_rows(bundled: dict[str, str]) -> None:
    (answer,) = ask(
        bundled, ["truong thpt co phai do luong su hai long khong"], today="2026-11-22"
    )
    assert answer["intent"] == "unit_duties" and lead(answer) == "Các đơn vị giáo dục"
    assert "đo lường sự hài lòng" in answer["text"], answer["text"]


def test_a_school_asking_through_which_office_gets_the_office(bundled: dict[str, str]) -> None:
    (answer,) = ask(bundled, ["trường thpt gửi kế hoạch cchc qua phòng nào"], today="2026-11-22")
    assert answer["intent"] == "deadline" and "Văn phòng Sở" in answer["text"]
    assert "Phòng GDĐT" not in answer["text"].split("Gửi về:", 1)[1].split("\n", 1)[0]


def test_a_school_naming_its_level_gets_all_it_owes(bundled: dict[str, str]) -> None:
    """ "các trường mầm non phải nộp gì", "… nộp gì cho sở": the level and the "cho sở" left
    beside the unit match no deadline's words; the question asks for everything owed."""
    answers = ask(
        bundled,
        ["cac truong mam non phai nop gi", "truong thpt phai nop gi cho so"],
        "2026-11-22",
    )
    for answer in answers:
        assert answer["intent"] == "deadline", answer["text"]
        assert "15/01/2027" in answer["text"] and "10/12/2026" in answer["text"]
