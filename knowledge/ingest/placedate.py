"""The place-and-date line of a header: "Hải Phòng, ngày 15 tháng 01 năm 2025"."""

from __future__ import annotations

import re
from dataclasses import dataclass

_DATE_TAIL = re.compile(
    r",\s*(?P<date>ngày\b[^,;]*?năm\s*\d{4}|ngày\s*\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4})"
)
_DATE_PARTS = re.compile(
    r"ngày\s*(?P<d>\d{1,2})?\s*(?:/\s*)?tháng\s*(?P<m>\d{1,2})?\s*(?:/\s*)?năm\s*(?P<y>\d{4})",
    re.IGNORECASE,
)
_DATE_SLASH = re.compile(r"ngày\s*(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})")


@dataclass(frozen=True)
class PlaceDate:
    """Where and when a document was signed; a day or month left blank ("ngày  tháng 4") is
    None."""

    place: str
    date_text: str
    start: int  # where the place begins in the line
    day: int | None
    month: int | None
    year: int | None


def _place_before(text: str, end: int) -> list[str]:
    """The capitalised words (at most four) right before `end`: the place's name."""
    place: list[str] = []
    for word in reversed(re.split(r"\s+", text[:end].strip())):
        if len(place) >= 4 or not word or not (word[0].isupper() or word in ("TP.", "Tp.")):
            break
        if re.search(r"[\d/:]", word):
            break
        place.insert(0, word)
    return place


def find_place_date(text: str) -> PlaceDate | None:
    """ "Hải Phòng, ngày … năm 2025" anywhere in a line, or None."""
    for m in _DATE_TAIL.finditer(text):
        place = _place_before(text, m.start())
        if not place:
            continue
        start = len(text[: m.start()].rstrip()) - len(" ".join(place))
        date_text = re.sub(r"\s+", " ", m.group("date")).strip()
        parts = _DATE_PARTS.search(date_text) or _DATE_SLASH.search(date_text)
        day, month, year = (
            (parts.group("d"), parts.group("m"), parts.group("y")) if parts else (None, None, None)
        )
        return PlaceDate(
            " ".join(place).strip(),
            date_text,
            max(0, start),
            int(day) if day else None,
            int(month) if month else None,
            int(year) if year else None,
        )
    return None
