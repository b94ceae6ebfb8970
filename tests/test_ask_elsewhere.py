"""A question about a province the documents neither come from nor mention: say so, never
answer with another province's plan (through the real CLI, on the bundled documents)."""

from __future__ import annotations

from tests.test_ask_qualifiers import BUNDLED_TODAY, ask, bundled, head

__all__ = ["bundled"]  # the module-scoped fixture, shared


def test_a_province_without_documents_is_said_not_replaced(bundled: dict[str, str]) -> None:
    answers = ask(
        bundled,
        ["ke hoach cchc cua so gddt da nang co gi", "sở gd hà nội hạn bc quý khi nào ạ"],
        BUNDLED_TODAY,
    )
    for answer in answers:
        assert answer["intent"] == "not_found"
        assert not answer["tasks"] and not answer["deadlines"] and not answer["documents"]
        assert "không có văn bản nào của" in head(answer, 1)
        assert "Hải Phòng" in head(answer, 1)  # and which provinces the bot does hold


def test_a_held_province_or_a_persons_name_is_no_absent_province(
    bundled: dict[str, str],
) -> None:
    held, person = ask(
        bundled, ["kh cchc hai phong 2025 ai ky", "hoc tap tu tuong ho chi minh"], BUNDLED_TODAY
    )
    assert "Phạm Quốc Hiệu" in held["text"]
    assert "không có văn bản nào của" not in person["text"]


def test_words_that_fold_like_a_province_are_no_province(bundled: dict[str, str]) -> None:
    """'năm định kỳ' folds to 'nam dinh ky', 'diễn biến' to 'dien bien'."""
    answers = ask(
        bundled,
        ["bc nam dinh ky nop khi nao", "học tập tư tưởng Hồ Chí Minh", "dien bien cchc"],
        BUNDLED_TODAY,
    )
    for answer in answers:
        assert "không có văn bản nào của" not in answer["text"]
    assert "10/12" in answers[0]["text"]
