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
