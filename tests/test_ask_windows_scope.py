"""Date windows, the plan in force, a named document's scope and multi-part questions through
`python -m bot ask - --json` in a subprocess (issue 9, classes 2, 3 and 6).

Expected facts come from the documents: the five bundled ones, and the six of other provinces
in bench/eval/unseen/. More questions of these classes, with their expected facts, are in
tests/fixtures/qualifier_probes.jsonl (run by bench/probe_qualifiers.py).
"""

from __future__ import annotations

import re

from tests.test_ask_qualifiers import (  # noqa: F401  (fixtures)
    BUNDLED_TODAY,
    UNSEEN_TODAY,
    ask,
    bundled,
    head,
    lead,
    unseen,
)


def dues(answer: dict) -> list[str]:  # type: ignore[type-arg]
    return [d["due"] for d in answer["deadlines"]]


def test_windows_people_type_are_read_relative_to_today(bundled) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    nov = ask(
        bundled,
        ["30 ngay toi co han gi", "ngay 10/12 nop gi", "tu gio den het thang 1 co han gi"],
        BUNDLED_TODAY,
    )
    assert "2026-12-10" in dues(nov[0]) and "30 ngày tới" in head(nov[0], 1)
    assert "Báo cáo năm" in nov[1]["text"]  # the day's deadlines, not "not found"
    assert {"2027-01-15", "2027-01-25"} <= set(dues(nov[2]))
    late_jan = ask(bundled, ["cuoi thang 1 phai nop gi"], "2027-01-05")[0]
    assert dues(late_jan) == ["2027-01-25"]  # 21–31/01: the budget estimates, not 15/01
    assert "Dự trù kinh phí" in late_jan["text"]


def test_an_empty_window_names_the_next_deadline(bundled) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    a = ask(bundled, ["trong 2 tuan toi phai nop gi"], BUNDLED_TODAY)[0]
    assert "Không thấy hạn nào trong 2 tuần tới" in a["text"]
    assert "Hạn gần nhất sau đó: 10/12/2026" in a["text"]


def test_a_window_with_a_topic_keeps_what_falls_in_it(bundled) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    a = ask(bundled, ["thang sau phai nop bc gi ko"], "2027-08-20")[0]
    assert a["intent"] == "deadline"
    assert "2027-09-10" in dues(a) and all(d.startswith("2027-09") for d in dues(a))


def test_who_leads_in_a_window_names_the_rows_due_then(unseen) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    a = ask(unseen, ["quy 2 nam 2026 ha tinh kiem tra gi, ai chu tri"], UNSEEN_TODAY)[0]
    assert head(a, 1).startswith("Đơn vị chủ trì: Thanh tra Sở (NV 1)")
    assert lead(a) == "Thanh tra Sở"
    numbers = {t["number"] for t in a["tasks"]}
    assert {"1", "2"} <= numbers and "5" not in numbers  # NV 5 is due in September


def test_the_plan_in_force_comes_before_an_expired_one(bundled) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    a = ask(bundled, ["ve tai chinh cong ai chu tri"], BUNDLED_TODAY)[0]
    assert lead(a) == "Phòng Kế hoạch - Tài chính"
    first_bullet = a["text"].split("•", 2)[1]
    assert "V.2.2" in first_bullet  # the 2026-2030 plan's duty
    text = a["text"]
    assert text.index("V.2.2") < text.index("V.2.c")  # the 2025 plan's, after it


def test_a_named_plan_that_assigns_the_unit_nothing_says_so(bundled) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    a = ask(
        bundled,
        [
            "kế hoạch 2026-2030 có giao gì cho thanh tra ko",
            "nhiệm vụ của phòng KHTC về tài chính công giai đoạn 2026-2030",
        ],
        BUNDLED_TODAY,
    )
    assert lead(a[0]) == "Thanh tra Sở"
    # the named plan assigns Thanh tra nothing of its own, and the answer says so first
    assert re.search(r"2026-2030 không (phân công|giao việc) riêng cho", head(a[0], 2))
    assert lead(a[1]) == "Phòng Kế hoạch - Tài chính"
    assert "tài chính công" in a[1]["text"].split("▪", 2)[1]


def test_a_documents_point_is_quoted_not_its_card(bundled) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    a = ask(
        bundled,
        ["cv 2025 ve vneid noi gi", "kh 2025 ve hoi thi noi gi", "ke hoach 2026-2030 ai tong ket"],
        BUNDLED_TODAY,
    )
    assert "VNeID" in head(a[0]) and "Người ký" not in a[0]["text"]
    assert "hội thi" in head(a[1])
    assert lead(a[2]) == "Văn phòng Sở" and "tổng kết" in a[2]["text"]


def test_each_part_of_signer_and_recipient_is_answered(bundled) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    a = ask(bundled, ["cv 502 gui ai, ai ky"], BUNDLED_TODAY)[0]
    assert "Phạm Quốc Hiệu" in a["text"]
    assert "Kính gửi: Trưởng các phòng cơ quan Sở" in a["text"]
    assert not a["deadlines"]  # "gửi ai" is the letter's addressees, not a deadline


def test_a_part_of_a_catalogue_is_read_from_its_group_rows(unseen) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    a = ask(
        unseen,
        ["ve tai chinh cong thai nguyen co nv gi", "kh ha tinh phan tu kiem tra co nv gi"],
        UNSEEN_TODAY,
    )
    assert [t["number"] for t in a[0]["tasks"]] == ["6", "7"]  # "III. CẢI CÁCH TÀI CHÍNH CÔNG"
    assert "Phụ lục › III. Cải cách tài chính công" in a[0]["text"]
    assert [t["number"] for t in a[1]["tasks"]] == ["6"]  # "B. TỰ KIỂM TRA"


def test_whether_a_plan_is_still_in_force(bundled) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    a = ask(
        bundled, ["kh cchc 2025 con hieu luc ko", "kh 2026 2030 con ap dung khong"], BUNDLED_TODAY
    )
    assert "không còn áp dụng" in a[0]["text"]
    assert (
        "Đang áp dụng: Kế hoạch thực hiện Chương trình tổng thể CCHC giai đoạn 2026-2030"
        in (a[0]["text"])
    )
    assert "đang áp dụng (giai đoạn 2026-2030)" in a[1]["text"]


def test_each_part_of_a_document_question_is_answered(unseen) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    a = ask(
        unseen,
        [
            "cv 215 bao cao quy han nao va gui bang hinh thuc gi",
            "cv 930 noi gi va ai ky",
            "cv 215 co nhiem vu gi",
            "tinh nao bao cao quy truoc ngay 12 cua thang cuoi quy",
            "phu tho tong ket ke hoach khi nao",
        ],
        UNSEEN_TODAY,
    )
    assert "trước ngày 12 của tháng cuối quý" in a[0]["text"]
    assert "văn bản điện tử" in a[0]["text"]  # the second part, from the same công văn
    assert "Nguyễn Thị Lan Anh" in a[1]["text"] and "10/7/2026" in a[1]["text"]
    assert a[2]["intent"] == "document"  # a directive without a catalogue: its card
    assert "Báo cáo quý kết quả CCHC (Quảng Nam)" in head(a[3], 2)
    assert "hạn 31/12/2030" in a[4]["text"]  # beyond the recurrence horizon, still ahead


def test_a_rows_product_and_a_past_day_are_answered(bundled) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    a = ask(
        bundled,
        ["nv 4 ai chu tri, san pham la gi", "15/7/2021 co phai han nop gi khong"],
        BUNDLED_TODAY,
    )
    assert "Sản phẩm: Dữ liệu số hoá được chứa trong kho quản lý dữ liệu điện tử" in a[0]["text"]
    assert "Ngày 15/07 không phải hạn nộp" in a[1]["text"]
    assert "Nghị quyết số 76/NQ-CP ngày 15/7/2021" in a[1]["text"]  # where the day is written


def test_a_province_none_of_the_documents_is_of_invents_nothing(bundled) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    a = ask(bundled, ["ke hoach cchc cua so gddt da nang co gi"], BUNDLED_TODAY)[0]
    assert a["intent"] == "not_found" and "Đà Nẵng" in head(a, 1)
    assert not a["tasks"] and not a["deadlines"] and "Người ký" not in a["text"]


def test_still_in_time_names_the_deadline_just_passed(bundled) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    a = ask(bundled, ["kh cchc nam con kip nop ko"], "2027-01-20")[0]
    assert "hạn 15/01/2027 đã qua 5 ngày; lần tới: hạn 15/01/2028" in a["text"]
