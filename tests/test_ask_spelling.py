"""Questions typed the way phone users type them, through `python -m bot ask - --json` in a
subprocess (issue 9, class 1): Telex keys left in, words run together, a slip that leaves a real
syllable, context-bound shorthand, the asker's own pronoun, question words that fold like
content syllables, and a task named by its first words. Each answer must match the canonical
question's.

Expected facts come from the documents: the five bundled ones, and the nine documents of other
provinces in bench/eval/unseen/ and unseen2/ (.docx, .pdf, .md, .txt).
"""

from __future__ import annotations

import pytest

from tests.support.subprocess_bot import ROOT, bot_env, run_bot
from tests.test_ask_qualifiers import BUNDLED_TODAY, UNSEEN_TODAY, ask, head, lead


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("spelling_bundled")
    return bot_env(tmp, DOCUMENTS_DIR=str(ROOT / "data" / "documents"), LOG_LEVEL="WARNING")


@pytest.fixture(scope="module")
def unseen(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("spelling_unseen")
    empty = tmp / "none"
    empty.mkdir()
    env = bot_env(tmp, DOCUMENTS_DIR=str(empty), LOG_LEVEL="WARNING")
    folders = [str(ROOT / "bench" / "eval" / name) for name in ("unseen", "unseen2")]
    done = run_bot(env, "import", *folders)
    assert done.returncode == 0, done.stderr
    return env


def test_telex_keys_left_in_are_read_as_the_marks_they_type(bundled) -> None:  # type: ignore[no-untyped-def]
    a = ask(
        bundled,
        [
            "baos caos quys gwir veef ddaau",  # báo cáo quý gửi về đâu
            "nhieemj vuj 17 ai chur trif",  # nhiệm vụ 17 ai chủ trì
            "kees hoachj cchc nawm gwir truwowcs ngayf naof",  # kế hoạch … gửi trước ngày nào
            "hanj nopj dwj truf kinh phis",  # hạn nộp dự trù kinh phí
        ],
        BUNDLED_TODAY,
    )
    assert "Báo cáo quý" in head(a[0]) and "qua Văn phòng Sở" in head(a[0])
    assert lead(a[1]) == "Phòng Kế hoạch - Tài chính" and a[1]["tasks"][0]["number"] == "17"
    assert "Gửi kế hoạch CCHC năm" in head(a[2]) and "15/01/2027" in head(a[2])
    assert "Dự trù kinh phí" in head(a[3]) and "25/01/2027" in head(a[3])


def test_words_typed_without_the_space_between_them(bundled) -> None:  # type: ignore[no-untyped-def]
    a = ask(
        bundled,
        [
            "bao cao nam conkip khong",
            "ai tham muucai cach tai chinh cong",
            "bao cao nam nop truoc ngaynao",
            "aichu tri co che mot cua lien thong",
        ],
        BUNDLED_TODAY,
    )
    assert "Báo cáo năm" in head(a[0]) and "10/12/2026" in head(a[0])
    assert lead(a[1]) == "Phòng Kế hoạch - Tài chính"
    assert "10/12/2026" in head(a[2])
    assert lead(a[3]) == "Văn phòng Sở" and a[3]["tasks"][0]["number"] == "11"


def test_a_run_together_word_is_cut_where_the_documents_pair_it(unseen) -> None:  # type: ignore[no-untyped-def]
    # "tinhai" is "tĩnh ai" (Hà Tĩnh), not "tin hai"
    a = ask(unseen, ["nhiem vu 3 cua ke hoach ha tinhai chu tri"], UNSEEN_TODAY)
    assert lead(a[0]) == "Phòng Tổ chức cán bộ"
    assert "kiểm tra công tác CCHC" in head(a[0], 2)


def test_a_slip_that_leaves_a_real_syllable_is_fixed_by_its_neighbour(bundled) -> None:  # type: ignore[no-untyped-def]
    a = ask(bundled, ["nhim vu 2 la gi", "nhệm vụ 17 ai chủ trì"], BUNDLED_TODAY)
    assert [t["number"] for t in a[0]["tasks"]][:1] == ["2"]
    assert lead(a[1]) == "Phòng Kế hoạch - Tài chính"
    assert a[1]["tasks"][0]["number"] == "17"


def test_shorthand_bound_to_a_who_word(bundled) -> None:  # type: ignore[no-untyped-def]
    a = ask(
        bundled,
        [
            "ai ct tinh gian bien che",
            "phong nao ct ra soat cong bo danh muc thu tuc hanh chinh noi bo",
            "ai pt thanh toan truc tuyen",
            "ct cai cach hanh chinh nam 2025 co may nhiem vu",  # "ct" alone is left alone
        ],
        BUNDLED_TODAY,
    )
    assert lead(a[0]) == "Phòng Tổ chức cán bộ"
    assert lead(a[1]) == "Văn phòng Sở"
    assert lead(a[2]) == "Phòng Kế hoạch - Tài chính"
    assert "chu tri" not in a[3]["text"].split("\n")[0].lower()


def test_the_askers_own_pronoun_after_a_unit_word(bundled) -> None:  # type: ignore[no-untyped-def]
    a = ask(
        bundled,
        ["truong minh phai nop nhung gi", "trường mình phải nộp những gì ạ"],
        BUNDLED_TODAY,
    )
    for answer in a:
        assert answer["intent"] == "deadline", answer["text"][:200]
        assert "Các đơn vị giáo dục" in head(answer, 1)
        assert "15/01/2027" in answer["text"]


def test_a_question_word_that_is_also_a_content_syllable_stays_in_the_topic(unseen) -> None:  # type: ignore[no-untyped-def]
    # "thi" is "thì" (a question word) and the "thi" of "cuộc thi"
    a = ask(
        unseen,
        ["đơn vị nào chủ trì việc cuộc thi tìm hiểu về", "ai lo cuoc thi tim hieu ve cchc"],
        UNSEEN_TODAY,
    )
    for answer in a:
        assert lead(answer) == "Phòng Chính trị, Tư tưởng và Công tác học sinh"


def test_a_task_named_by_its_first_words_outranks_a_duty_that_contains_them(bundled) -> None:  # type: ignore[no-untyped-def]
    a = ask(
        bundled,
        [
            "ai chủ trì triển khai thực hiện Nghị quyết của",
            "trien khai thuc hien nghi quyet cua do ai chu tri",
            "phòng nào làm triển khai thực hiện nghị quyết của vậy",
        ],
        BUNDLED_TODAY,
    )
    for answer in a:
        assert lead(answer) == "Phòng Tổ chức cán bộ", answer["text"][:200]
        assert answer["tasks"][0]["number"] == "16"


def test_shorthand_typed_against_its_number_or_the_next_word(bundled) -> None:  # type: ignore[no-untyped-def]
    a = ask(
        bundled,
        [
            "nv12 ai chu tri",  # nv 12
            "bcquy han nao",  # bc quý
            "han nop bcao q4",  # quý 4
            "bc q3 han bao h",  # quý 3, bao giờ
            "dtru kphi gui trc ngay nao",  # dự trù kinh phí
            "tgian nop bc quy",  # thời gian nộp: a deadline asked
            "bc nam hok bt nop khi nao",  # không biết
        ],
        BUNDLED_TODAY,
    )
    assert lead(a[0]) == "Thanh tra Sở" and a[0]["tasks"][0]["number"] == "12"
    assert "Báo cáo quý" in head(a[1]) and "10/12/2026" in head(a[1])
    assert "quý 4/2026" in head(a[2], 1) and "10/12/2026" in head(a[2])
    assert "quý 3/2027" in head(a[3], 1) and "10/09/2027" in head(a[3])
    assert "Dự trù kinh phí" in head(a[4]) and "25/01/2027" in head(a[4])
    assert "Báo cáo quý" in head(a[5]) and "10/12/2026" in head(a[5])
    assert "Báo cáo năm" in head(a[6]) and "10/12/2026" in head(a[6])


@pytest.fixture(scope="module")
def unseen3(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("spelling_unseen3")
    empty = tmp / "none"
    empty.mkdir()
    env = bot_env(tmp, DOCUMENTS_DIR=str(empty), LOG_LEVEL="WARNING")
    folders = [str(ROOT / "bench" / "eval" / f"unseen{n}") for n in ("", "2", "3")]
    done = run_bot(env, "import", *folders)
    assert done.returncode == 0, done.stderr
    return env


def test_still_in_time_asked_just_after_the_date_gives_that_date_as_past(bundled) -> None:  # type: ignore[no-untyped-def]
    a = ask(bundled, ["kh cchc nam con kip nop ko"], "2027-01-20")
    assert "15/01/2027" in head(a[0]) and "đã qua 5 ngày" in head(a[0])


def test_set_phrases_for_the_lead_and_the_recipient(bundled) -> None:  # type: ignore[no-untyped-def]
    a = ask(
        bundled,
        [
            "ai theo doi ap dung he thong quan ly chat luong iso",
            "nha truong gui bao cao cchc cho ai",
            "truong thpt chung toi phai nop nhung gi ve cchc",
        ],
        BUNDLED_TODAY,
    )
    assert lead(a[0]) == "Văn phòng Sở"
    assert "Các đơn vị giáo dục" in head(a[1], 1) and "qua Văn phòng Sở" in head(a[1])
    assert "Các đơn vị giáo dục" in head(a[2], 1) and "15/01/2027" in a[2]["text"]


def test_a_period_word_ky_is_no_signature_and_a_question_ending_on_phong_nao(unseen3) -> None:  # type: ignore[no-untyped-def]
    a = ask(
        unseen3,
        [
            "so ket giua ky ke hoach dong thap han nao",  # kỳ, not ký
            "ket noi co so du lieu quoc gia ve giao duc phong nao",
        ],
        "2027-01-25",
    )
    assert a[0]["intent"] == "deadline" and "30/06/2028" in head(a[0])
    assert lead(a[1]) == "Trung tâm Chuyển đổi số và Dữ liệu giáo dục"


def test_politeness_before_and_after_the_question(bundled) -> None:  # type: ignore[no-untyped-def]
    a = ask(
        bundled,
        [
            "dạ cho em hỏi hạn nộp báo cáo năm ạ",
            "hạn nộp báo cáo năm giúp em với",
            "em chào anh, hạn nộp bc năm là ngày nào vậy ạ",
            "nhờ bot xem giúp hạn nộp bc quý",
            "đã nộp báo cáo quý rồi",  # "đã" is no politeness: a done mark is offered
        ],
        BUNDLED_TODAY,
    )
    for answer in a[:3]:
        assert "Báo cáo năm" in head(answer) and "10/12/2026" in head(answer)
    assert "Báo cáo quý" in head(a[3]) and "10/12/2026" in head(a[3])
    assert a[4]["intent"] == "action" and "/xong" in a[4]["text"]


def test_the_recipient_is_one_body_not_a_group_of_units(bundled) -> None:  # type: ignore[no-untyped-def]
    # "Sở GDĐT (qua Văn phòng Sở)": not "Phòng GDĐT quận, huyện", whose name shares "GDĐT"
    a = ask(bundled, ["bc quy gui ve dau", "dt kp gửi cho ai z"], BUNDLED_TODAY)
    for answer in a:
        assert lead(answer) == "Văn phòng Sở"
        assert "Phòng GDĐT" not in head(answer, 4)


def test_rows_opening_with_the_words_in_several_plans_give_the_plan_in_force(unseen3) -> None:  # type: ignore[no-untyped-def]
    # "Số hóa hồ sơ …" opens rows of the 2026 Thái Nguyên and Lâm Đồng plans and of the 2027
    # Nghệ An plan; asked in 2027, the plan in force leads
    a = ask(unseen3, ["ai lo so hoa ho so vay"], "2027-01-25")
    assert lead(a[0]) == "Trung tâm Chuyển đổi số và Dữ liệu giáo dục"
