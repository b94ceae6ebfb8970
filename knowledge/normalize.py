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


# Folded abbreviation → folded expansion. Keys and queries are both rewritten to the expansion
# (the canonical form), so "TTHC" and "thủ tục hành chính" produce the same tokens.
ABBREVIATIONS: dict[str, str] = {
    "cchc": "cai cach hanh chinh",
    "tthc": "thu tuc hanh chinh",
    "kstthc": "kiem soat thu tuc hanh chinh",
    "kstt": "kiem soat thu tuc",
    "gddt": "giao duc va dao tao",
    "sgddt": "so giao duc va dao tao",
    "sgdddt": "so giao duc va dao tao",
    "gd": "giao duc",
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "cbccvc": "can bo cong chuc vien chuc",
    "cbcc": "can bo cong chuc",
    "ccvc": "cong chuc vien chuc",
    "cb": "can bo",
    "cc": "cong chuc",
    "vc": "vien chuc",
    "vp": "van phong",
    "tccb": "to chuc can bo",
    "khtc": "ke hoach tai chinh",
    "gdtxdh": "giao duc thuong xuyen dai hoc",
    "gdtx": "giao duc thuong xuyen",
    "dh": "dai hoc",
    "gdmn": "giao duc mam non",
    "thpt": "trung hoc pho thong",
    "thcs": "trung hoc co so",
    "cmnv": "chuyen mon nghiep vu",
    "dvc": "dich vu cong",
    "dvctt": "dich vu cong truc tuyen",
    "gdnn": "giao duc nghe nghiep",
    "bcd": "ban chi dao",
    "cntt": "cong nghe thong tin",
    "cds": "chuyen doi so",
    "ktkdclgd": "khao thi va kiem dinh chat luong giao duc",
    "ttcp": "thanh tra chinh phu",
    "nq": "nghi quyet",
    "nd": "nghi dinh",
    "qd": "quyet dinh",
    "kh": "ke hoach",
    "cv": "cong van",
    "tw": "trung uong",
    "cp": "chinh phu",
    "tp": "thanh pho",
}
# Abbreviations written as two folded tokens ("GD-ĐT" folds to "gd dt").
_ABBREVIATION_PAIRS: dict[tuple[str, str], str] = {
    ("gd", "dt"): "giao duc va dao tao",
    ("gdtx", "dh"): "giao duc thuong xuyen dai hoc",
    ("cb", "ccvc"): "can bo cong chuc vien chuc",
}


def expand_tokens(tokens: list[str]) -> list[str]:
    """Rewrite folded tokens, replacing known abbreviations by their folded expansion."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if i + 1 < len(tokens) and (tokens[i], tokens[i + 1]) in _ABBREVIATION_PAIRS:
            out.extend(_ABBREVIATION_PAIRS[(tokens[i], tokens[i + 1])].split())
            i += 2
            continue
        expansion = ABBREVIATIONS.get(tokens[i])
        out.extend(expansion.split() if expansion else (tokens[i],))
        i += 1
    return out


def expand(key: str) -> str:
    """A folded key with abbreviations expanded: expand("tthc cap so") == "thu tuc hanh chinh cap
    so"."""
    return " ".join(expand_tokens(key.split()))


def search_key(text: str) -> str:
    """The canonical matching key of a text: folded, abbreviations expanded."""
    return expand(fold(text))


# Display-side contractions for phone-sized titles (longest first).
_CONTRACTIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), short)
    for pattern, short in (
        (r"cải cách hành chính", "CCHC"),
        (r"thủ tục hành chính", "TTHC"),
        (r"giáo dục và đào tạo", "GDĐT"),
        (r"ủy ban nhân dân|uỷ ban nhân dân", "UBND"),
    )
)


def contract(text: str) -> str:
    """Shorten well-known long phrases for display: "Cải cách hành chính" → "CCHC"."""
    text = nfc(text)
    for pattern, short in _CONTRACTIONS:
        text = pattern.sub(short, text)
    return text
