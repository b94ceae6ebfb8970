"""Text clean-up: markup stripping, heading/bullet markers, and re-joining hard-wrapped lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TAGS = re.compile(r"</?[a-zA-Z][^>]*>")
_STARS = re.compile(r"\*{2,}")
_LONE_STAR = re.compile(r"(?<![\w(])\*(?=\S)|(?<=\S)\*(?![\w)])|^\*\s*|\s*\*$")
_SPACES = re.compile(r"[ \t\u00a0\u2002-\u200a]+")
_PAGE_NUMBER = re.compile(
    r"^(?:-\s*)?(?:\d{1,3}|trang\s+\d{1,3}(?:\s*(?:/|trên)\s*\d{1,3})?)(?:\s*-)?$", re.IGNORECASE
)  # "7", "- 7 -", "Trang 2", "Trang 2/5"; never a bare "1/12", which may be a wrapped date

_ROMAN = re.compile(r"^(?P<label>[IVX]{1,5})[.)]\s*(?P<rest>\S.*)$")
_MULTI = re.compile(r"^(?P<label>\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(?P<rest>\S.*)$")
_ARABIC = re.compile(r"^(?P<label>\d{1,2})[.)]\s+(?P<rest>\S.*)$")
_LETTER = re.compile(r"^(?P<label>[a-zđ])[.)]\s+(?P<rest>\S.*)$")
_BULLET = re.compile(r"^[-–—•]\s*(?P<rest>\S.*)$")
_SUB_BULLET = re.compile(r"^\+\s*(?P<rest>\S.*)$")
_VALID_ROMAN = {
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
    "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX",
}  # fmt: skip

TERMINAL = ".;:!?"


def strip_markup(text: str) -> str:
    """Remove HTML tags, markdown emphasis and stray quote-stars; collapse spaces."""
    text = _TAGS.sub("", text)
    text = re.sub(r"^\s*#{1,6}\s+", "", text)  # markdown heading marks
    text = re.sub(r"^(\s*)\*\s+(?=\S)", r"\1- ", text)  # markdown "* item" bullets
    text = text.replace("(*)", "\x00")
    text = re.sub(r"\(\*+(?=\S)", "(", text)
    text = re.sub(r"(?<=\S)\*+\)", ")", text)
    text = _STARS.sub("", text)
    text = _LONE_STAR.sub("", text)
    text = text.replace("\x00", "(*)")
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True)
class Marker:
    """A paragraph's leading marker: kind is roman/multi/arabic/letter/bullet/sub."""

    kind: str
    label: str
    rest: str

    @property
    def is_heading(self) -> bool:
        return self.kind in ("roman", "multi", "arabic", "letter")


def marker_of(text: str) -> Marker | None:
    """The heading or bullet marker a paragraph starts with, if any."""
    text = text.lstrip("“\"'").strip()
    m = _ROMAN.match(text)
    if m and m.group("label") in _VALID_ROMAN and not m.group("rest")[:1].islower():
        return Marker("roman", m.group("label"), m.group("rest"))
    m = _MULTI.match(text)
    if m:
        return Marker("multi", m.group("label"), m.group("rest"))
    m = _ARABIC.match(text)
    if m and not m.group("rest")[:1] == "%":
        return Marker("arabic", m.group("label"), m.group("rest"))
    m = _LETTER.match(text)
    if m:
        return Marker("letter", m.group("label"), m.group("rest"))
    m = _BULLET.match(text)
    if m and not m.group("rest")[:1].isdigit() or (m and re.match(r"\d+%", m.group("rest"))):
        return Marker("bullet", "-", m.group("rest"))
    m = _SUB_BULLET.match(text)
    if m:
        return Marker("sub", "+", m.group("rest"))
    return None


def is_caps_line(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and sum(ch.isupper() for ch in letters) / len(letters) > 0.85


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip()))


_TRAILING_NUMBER = re.compile(r"^(?P<body>.*\s(?P<word>[^\W\d_]+))\s+(?P<n>\d{1,3})\s*$")
_LONE_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")
# words after which a number is a quantity or a reference, never a stray page number
_COUNTING_WORDS = frozenset(
    "ngày tháng năm quý số điều khoản mục điểm trang phụ lục lần đạt là từ đến tới trong khoảng"
    " và hơn trên dưới thiểu đa giảm tăng còn có gồm với được thứ kỳ đợt tuần giờ".split()
)
# words a number may be the quantity of, at the start of the continuation line
_MEASURE_WORDS = frozenset(
    "ngày tháng năm giờ phút tuần quý lần người đơn cơ trường phòng học hồ thủ văn bản".split()
)


def _fits_page_sequence(index: int, number: int, pages: list[tuple[int, int]]) -> bool:
    """Whether `number` at line `index` is where a page number would be, given the lone ones."""
    before = [p for p in pages if p[0] < index]
    after = [p for p in pages if p[0] > index]
    if before and number <= before[-1][1] or after and number >= after[0][1]:
        return False
    if len(pages) < 2:
        return bool(after and after[0][1] == number + 1 or before and before[-1][1] == number - 1)
    (l1, p1), (l2, p2) = (before[-1] if before else pages[0]), (after[0] if after else pages[-1])
    if (l1, p1) == (l2, p2):
        (l1, p1), (l2, p2) = pages[-2], pages[-1]
    if p2 <= p1:
        return False
    expected = p1 + (index - l1) * (p2 - p1) / (l2 - l1)
    return abs(number - expected) <= 1.5


def unglue_page_numbers(lines: list[str]) -> list[str]:
    """Drop a page number that PDF extraction glued to the end of a wrapped line.

    "… giải thể đơn 7", blank line, "vị sự nghiệp …": the 7 goes when the text continues in lower
    case after a blank line, the word before it does not take a number, and 7 fits the sequence
    of the page numbers that stand alone on their own lines elsewhere in the document.
    """
    lone = ((i, _LONE_NUMBER.match(line)) for i, line in enumerate(lines))
    pages = [(i, int(m.group(1))) for i, m in lone if m]
    if not pages:
        return lines
    out = list(lines)
    for i, line in enumerate(lines):
        m = _TRAILING_NUMBER.match(line)
        if not m or m.group("word").lower() in _COUNTING_WORDS:
            continue
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j == i + 1 or j == len(lines):
            continue
        following = lines[j].strip()
        first_word = following.split()[0].lower()
        if not following[:1].islower() or first_word in _MEASURE_WORDS:
            continue
        if _fits_page_sequence(i, int(m.group("n")), pages):
            out[i] = m.group("body")
    return out


_NEW_PARAGRAPH_OPENERS = re.compile(r"^(Căn cứ|Nơi nhận|Trên đây|Kính gửi)\b")


def _should_join(previous: str, line: str) -> bool:
    if marker_of(line) is not None or _NEW_PARAGRAPH_OPENERS.match(line):
        return False
    if previous.endswith("./.") or is_caps_line(previous):
        return False
    first = line[:1]
    if previous.endswith("-") and not previous.endswith(" -"):
        return True
    if first.islower() or first.isdigit() or first in "(,;)%":
        return True
    if previous[-1:] in TERMINAL:
        return False
    prev_marker = marker_of(previous)
    if prev_marker is not None and prev_marker.is_heading:
        return False
    return True


def rejoin(lines: list[str], *, wrapped: bool = True) -> list[str]:
    """Paragraphs from text lines: hard-wrapped lines are glued back, headings and bullets
    never are.

    Blank lines and page numbers between wrapped lines (PDF extraction) are ignored; a line starts
    a new paragraph when it carries a heading/bullet marker, or when the text before it ended a
    sentence or was a heading. With wrapped=False (Word paragraphs) every line stays a paragraph.
    """
    paragraphs: list[str] = []
    for raw in lines:
        line = strip_markup(raw)
        if not line or is_page_number(line):
            continue
        if wrapped and paragraphs and _should_join(paragraphs[-1], line):
            previous = paragraphs[-1]
            glue = "" if previous.endswith("-") and re.search(r"\d-$", previous) else " "
            paragraphs[-1] = previous + glue + line
        else:
            paragraphs.append(line)
    return paragraphs


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\-–+“\"(]?[A-ZĐÀ-Ỹ])")


def sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences (a period followed by an upper-case start)."""
    parts = [p.strip() for p in _SENTENCE_END.split(paragraph)]
    return [p for p in parts if p]
