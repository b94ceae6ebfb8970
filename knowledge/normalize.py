"""Vietnamese text normalisation: NFC for display, a diacritic-free folded key for matching."""

from __future__ import annotations

import re
import unicodedata

_AMPERSAND_IN_WORD = re.compile(r"(?<=\w)\s*&\s*(?=\w)")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_CONTROL = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\ufeff]")


def nfc(text: str) -> str:
    """NFC-normalise and drop control and zero-width characters (keeps newlines and tabs)."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", text))


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese tone and vowel marks; đ/Đ become d/D."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.replace("đ", "d").replace("Đ", "D")


def fold(text: str) -> str:
    """The matching key: lower case, no diacritics, words separated by single spaces.

    Old and new tone placement ("hoá"/"hóa", "thuỷ"/"thủy") and NFD input fold to the same key.
    "GD&ĐT" and "GDĐT" both fold to "gddt".
    """
    text = strip_diacritics(nfc(text)).lower()
    text = _AMPERSAND_IN_WORD.sub("", text)
    return _NON_WORD.sub(" ", text).strip()


def words(text: str) -> list[str]:
    """The folded words of a text."""
    key = fold(text)
    return key.split() if key else []
