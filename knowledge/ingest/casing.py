"""Names written in capitals in a header, in normal case: "UBND THÀNH PHỐ HẢI PHÒNG" →
"UBND thành phố Hải Phòng"."""

from __future__ import annotations

import re

from knowledge.ingest.provinces import recase_names
from knowledge.ingest.text import is_caps_line
from knowledge.normalize import fold

_ACRONYMS = {"ubnd", "hdnd", "gddt", "cchc", "thpt", "tp", "gdnn", "gdtx", "ub"}


def pretty_org(text: str) -> str:
    """ "UBND THÀNH PHỐ HẢI PHÒNG" → "UBND thành phố Hải Phòng"; mixed-case text is kept."""
    text = re.sub(r"\s+", " ", text).strip(" -_")
    if not is_caps_line(text):
        return text
    words = text.split()
    out: list[str] = []
    title_case = False
    for i, word in enumerate(words):
        key = fold(word)
        if key in _ACRONYMS or ("&" in word):
            out.append(word)
        elif title_case:
            out.append(word[:1] + word[1:].lower())
        else:
            out.append(word.lower())
        if key in ("tinh", "pho", "quan", "huyen", "xa") and i > 0 or key == "tinh":
            title_case = True
    result = recase_names(" ".join(out))
    result = re.sub(r"(?i)giáo dục và đào tạo", "Giáo dục và Đào tạo", result)
    result = re.sub(r"(?i)^ủy ban nhân dân", "Ủy ban nhân dân", result)
    result = re.sub(r"(?i)^uỷ ban nhân dân", "Ủy ban nhân dân", result)
    return result[:1].upper() + result[1:]


def sentence_case(text: str) -> str:
    """An all-capitals title in normal case: acronyms and province names kept."""
    words = []
    for word in text.split():
        key = fold(word)
        words.append(word if key in _ACRONYMS or "&" in word else word.lower())
    result = recase_names(" ".join(words))
    result = re.sub(r"(?i)sở giáo dục và đào tạo", "Sở Giáo dục và Đào tạo", result)
    return result[:1].upper() + result[1:]
