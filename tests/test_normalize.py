"""Properties of the Vietnamese matching key."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from knowledge.normalize import fold


def test_old_and_new_tone_placement_fold_alike() -> None:
    assert fold("số hoá") == fold("số hóa") == "so hoa"
    assert fold("thuỷ") == fold("thủy")


def test_d_bar_and_case() -> None:
    assert fold("ĐÀO TẠO") == fold("đào tạo") == "dao tao"
    assert fold("GD&ĐT") == fold("GDĐT") == "gddt"


def test_punctuation_and_spacing_are_ignored() -> None:
    assert fold("  Phòng   Tổ-chức, cán bộ!! ") == "phong to chuc can bo"


@given(st.text())
def test_fold_is_idempotent_and_form_independent(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))


# ------------------------------------------------------------------ abbreviations and search keys
from knowledge.normalize import ABBREVIATIONS, contract, expand, search_key  # noqa: E402


def test_abbreviations_and_expansions_share_a_key() -> None:
    assert search_key("TTHC") == search_key("thủ tục hành chính") == "thu tuc hanh chinh"
    assert search_key("Phòng TCCB") == search_key("phòng tổ chức cán bộ")
    assert search_key("Sở GD&ĐT") == search_key("Sở GDĐT") == search_key("Sở Giáo dục và Đào tạo")
    assert search_key("CB,CC,VC") == search_key("cán bộ, công chức, viên chức")
    assert search_key("CBCCVC") == search_key("cán bộ công chức viên chức")
    assert search_key("GDTX&ĐH") == search_key("Giáo dục thường xuyên Đại học")
    assert search_key("KHTC") == search_key("Kế hoạch - Tài chính")
    assert search_key("24/BCĐ-KSTTHC") == "24 ban chi dao kiem soat thu tuc hanh chinh"


def test_contract_shortens_display_titles() -> None:
    assert contract("Kế hoạch Cải cách hành chính năm 2025") == "Kế hoạch CCHC năm 2025"


_words = st.sampled_from(
    ["phòng", "TCCB", "thủ", "tục", "hoá", "hóa", "Đ", "GD&ĐT", "CCHC", "2025", "-", "&"]
)


@given(st.lists(_words, max_size=8).map(" ".join))
def test_search_key_is_idempotent_and_form_independent(text: str) -> None:
    key = search_key(text)
    assert search_key(key) == key
    assert search_key(unicodedata.normalize("NFD", text)) == key
    assert search_key(text.upper()) == search_key(text.lower())


@given(st.text())
def test_search_key_is_plain_ascii_words(text: str) -> None:
    key = search_key(text)
    assert key == " ".join(key.split())
    assert all(ch.isascii() and (ch.isalnum() or ch == " ") for ch in key)


def test_every_expansion_is_already_canonical() -> None:
    for expansion in ABBREVIATIONS.values():
        assert expand(expansion) == expansion
