"""Citations of legal documents: "Nghị quyết số 131/NQ-CP ngày 06/10/2022", "57-NQ/TW",
"47/2020/NĐ-CP"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from knowledge.normalize import strip_diacritics

_CODE = re.compile(
    r"(?<![\w/])(?:"
    r"(?P<a>\d{1,5}(?:/\d{4})?/[A-ZĐ][A-ZĐa-z0-9]*(?:\s?-\s?[A-ZĐ][A-ZĐa-z0-9]*)*)"
    r"|(?P<b>\d{1,5}\s?-\s?[A-ZĐ]{1,6}/[A-ZĐ][A-ZĐa-z0-9]{0,10})"
    r")(?![\w/])"
)
_DATE_AFTER = re.compile(
    r"^\s*,?\s*(?:ban\s+hành\s+)?ngày\s+(?:(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4}))"
)
_LIST_GAP = re.compile(r"^\s*(?:,|và|;)\s*$")
DOC_TYPES = (
    "Nghị quyết", "Nghị định", "Quyết định", "Công văn", "Văn bản", "Kế hoạch", "Kết luận",
    "Báo cáo", "Chỉ thị", "Thông tư", "Thông báo", "Luật", "Đề án", "Hướng dẫn", "Tờ trình",
    "Chương trình", "Công điện", "Pháp lệnh",
)  # fmt: skip
_TYPE_RE = re.compile("|".join(re.escape(t) for t in DOC_TYPES), re.IGNORECASE)
_TYPE_BY_CODE = {
    "NQ": "Nghị quyết", "NĐ": "Nghị định", "QĐ": "Quyết định", "KH": "Kế hoạch", "KL": "Kết luận",
    "BC": "Báo cáo", "CT": "Chỉ thị", "TT": "Thông tư", "TB": "Thông báo", "HD": "Hướng dẫn",
    "TTr": "Tờ trình", "CĐ": "Công điện", "QH": "Luật",
}  # fmt: skip


@dataclass
class ParsedReference:
    code: str
    code_key: str
    number: str
    doc_type: str
    date_text: str
    issued_on: date | None
    context: str
    section_path: str


def code_key(code: str) -> str:
    """Normalised code for lookups: "24/BCĐ-KSTTHC" → "24/bcd-kstthc"."""
    return strip_diacritics(re.sub(r"\s+", "", code)).lower()


def _type_from_code(code: str) -> str:
    parts = re.split(r"[/-]", code)
    for part in parts[1:] if parts and parts[0].isdigit() else parts:
        if part in _TYPE_BY_CODE:
            return _TYPE_BY_CODE[part]
        if part.startswith("QH"):
            return "Luật" if False else "Nghị quyết"
    if len(parts) > 1 and parts[1] == "UBND":
        return "Công văn"
    return ""


def find_references(sentence: str, section_path: str) -> list[ParsedReference]:
    """Every cited document code in a sentence, with its type and date where written."""
    matches = list(_CODE.finditer(sentence))
    out: list[ParsedReference] = []
    previous_end = 0
    previous_type = ""
    for idx, m in enumerate(matches):
        code = re.sub(r"\s+", "", m.group())
        if re.fullmatch(r"\d+/\d+", code):
            continue
        before = sentence[max(previous_end, m.start() - 60) : m.start()]
        types = list(_TYPE_RE.finditer(before))
        if types:
            doc_type = types[-1].group()
            doc_type = doc_type[:1].upper() + doc_type[1:].lower()
            doc_type = next((t for t in DOC_TYPES if t.lower() == doc_type.lower()), doc_type)
        elif previous_type and _LIST_GAP.match(sentence[previous_end : m.start()]):
            doc_type = previous_type
        else:
            doc_type = _type_from_code(code)
        date_text, issued = _date_after(sentence, matches, idx)
        digits = re.match(r"\d+", code)
        number = digits.group() if digits else ""
        out.append(
            ParsedReference(
                code, code_key(code), number, doc_type, date_text, issued, sentence, section_path
            )
        )
        previous_end = m.end()
        previous_type = doc_type
    return out


def _date_after(sentence: str, matches: list[re.Match[str]], idx: int) -> tuple[str, date | None]:
    """The date right after the code; in a list "01/NQ-CP, 02/NQ-CP ngày 08/01/2025" both share
    it."""
    for j in range(idx, len(matches)):
        end = matches[j].end()
        dm = _DATE_AFTER.match(sentence[end:])
        if dm:
            d = int(dm.group("d") or dm.group("d2"))
            mo = int(dm.group("m") or dm.group("m2"))
            y = int(dm.group("y") or dm.group("y2"))
            text = dm.group().strip(" ,")
            try:
                return text, date(y, mo, d)
            except ValueError:
                return text, None
        if j + 1 < len(matches) and _LIST_GAP.match(sentence[end : matches[j + 1].start()]):
            continue
        break
    return "", None
