"""The header of an administrative document: kind, number, issuer, place/date, subject,
recipients. Provinces, document types, the place-and-date line, the casing of names and the
signature block have their own modules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.ingest.casing import pretty_org, sentence_case
from knowledge.ingest.doctypes import DOC_TYPES, display_title, type_of_line
from knowledge.ingest.placedate import find_place_date
from knowledge.ingest.provinces import PROVINCES, find_province, province_in_text
from knowledge.ingest.readers import Block
from knowledge.ingest.signature import columns, parse_signature, sign_split
from knowledge.ingest.text import is_caps_line, marker_of, strip_markup
from knowledge.models import DocumentKind
from knowledge.normalize import fold

__all__ = ["Header", "parse_header", "pretty_org", "sentence_case", "PROVINCES", "find_province"]

_MOTTO = re.compile(
    r"C[ỘO]NG\s+H[OÒÓ][AÀÁ]\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM"
    r"|Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+phúc",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^(?:Số|SỐ)\s*[:.]?\s*(?P<value>.*)$")
_SUBJECT = re.compile(r"^(?:V/v|V/V|v/v|Về việc)\s*[:.]?\s*(?P<rest>.*)$")
_RECIPIENTS = re.compile(r"^Kính\s+gửi\b\s*(?P<rest>.*)$", re.IGNORECASE)
_BODY_OPENER = re.compile(r"^(Căn cứ|Thực hiện|Triển khai|Nhằm|Để|Theo)\b")


@dataclass
class Header:
    kind: DocumentKind = DocumentKind.OTHER
    type_label: str = ""
    number: str = ""
    issuer: str = ""
    issuer_parent: str = ""
    province: str = ""
    place: str = ""
    date_text: str = ""
    issued_year: int | None = None
    issued_month: int | None = None
    issued_day: int | None = None
    title_text: str = ""
    subject: str = ""
    title: str = ""
    period_start: int | None = None
    period_end: int | None = None
    recipients: list[str] = field(default_factory=list)
    signer_name: str = ""
    signer_title: str = ""
    body_start: int = 0  # block index where the body begins
    sign_start: int | None = None  # block index of "Nơi nhận" (end of the body)
    sign_end: int | None = None  # block index after the signer's name (annex follows)


def _lines(blocks: list[Block], start: int, stop: int) -> list[tuple[int, str]]:
    out = []
    for i in range(start, min(stop, len(blocks))):
        if blocks[i].is_row:
            break
        text = columns(blocks[i].text)
        if text:
            out.append((i, text))
    return out


@dataclass
class _Top:
    """The header lines (before the first table row) and what reading them has consumed."""

    lines: list[tuple[int, str]]
    consumed: int = -1
    issuer_lines: list[str] = field(default_factory=list)
    type_index: int | None = None
    inline_title: str = ""

    def take(self, pos: int) -> None:
        self.consumed = max(self.consumed, pos)


def parse_header(blocks: list[Block]) -> Header:
    """Read the header (top) and signature (after "Nơi nhận") of a document."""
    header = Header()
    first_row = next((i for i, b in enumerate(blocks) if b.is_row), len(blocks))
    top = _Top(_lines(blocks, 0, first_row)[:40])
    _scan_top(header, top)
    if top.type_index is not None:
        _read_title(header, top)
    for pos, (_, text) in enumerate(top.lines):
        if _SUBJECT.match(text.split("\t")[0]) and not header.subject:
            _read_subject(header, top, pos, text)
        if _RECIPIENTS.match(text) and not header.recipients:
            _read_recipients(header, top, pos, text)
            break
    _set_issuer(header, top.issuer_lines)
    _set_body_start(header, top, blocks, first_row)
    parse_signature(blocks, header)
    _finish(header, blocks)
    return header


def _scan_top(header: Header, top: _Top) -> None:
    """Number, place and date, the type line ("KẾ HOẠCH"), and the issuer lines above them."""
    for pos, (_, text) in enumerate(top.lines):
        if header.number == "" and (m := _NUMBER.match(text)) and pos < 25:
            value = m.group("value").strip()
            found = re.match(r"(?:\d[\d\s]*)?/\s*[^\s,;\t]+|\d+[^\s,;\t]*", value)
            if not value or found:
                header.number = re.sub(r"\s+", "", found.group()) if found else ""
                top.take(pos)
                rest = value[found.end() :] if found else ""
                if rest.strip():
                    _take_place_date(header, rest)
                continue
        if not header.date_text and find_place_date(text) and pos < 30:
            _take_place_date(header, text)
            top.take(pos)
            continue
        key = fold(text)
        if top.type_index is None and is_caps_line(text):
            doc_type = type_of_line(key)
            if doc_type is not None and (key == doc_type or len(key) > len(doc_type) + 8):
                header.type_label, header.kind = DOC_TYPES[doc_type]
                top.type_index = pos
                top.take(pos)
                top.inline_title = (
                    text.split(None, len(doc_type.split()))[-1] if key != doc_type else ""
                )
                return
        if top.type_index is None and header.number == "" and not header.date_text and pos < 8:
            stripped = _MOTTO.sub(" ", text)
            for part in sign_split(stripped) or [stripped]:
                part = part.strip(" -_")
                if len(part) >= 3 and is_caps_line(part):
                    top.issuer_lines.append(part)
            top.take(pos)


def _ends_title(text: str, title_lines: list[str]) -> bool:
    return bool(
        text.startswith("Căn cứ")
        or (_BODY_OPENER.match(text) and title_lines)
        or re.search(r"\bsố\s+\d+", text)
        and len(text) > 60
        or marker_of(text) is not None
        or len(title_lines) >= 5
        or len(text) > 160
    )


def _read_title(header: Header, top: _Top) -> None:
    """The title lines under the type line, up to the body."""
    assert top.type_index is not None
    title_lines: list[str] = [top.inline_title] if top.inline_title else []
    for pos in range(top.type_index + 1, len(top.lines)):
        text = top.lines[pos][1]
        if _ends_title(text, title_lines):
            break
        if find_place_date(text) and not header.date_text:
            _take_place_date(header, text)
            top.take(pos)
            continue
        title_lines.append(text.strip("() "))
        top.take(pos)
    title = re.sub(r"\s+", " ", " ".join(title_lines)).strip()
    header.title_text = sentence_case(title) if is_caps_line(title) else title


def _ends_subject(line: str) -> bool:
    return bool(
        _RECIPIENTS.match(line)
        or find_place_date(line)
        or _NUMBER.match(line)
        or _MOTTO.search(line)
        or _BODY_OPENER.match(line)
        or marker_of(line) is not None
        or len(line) > 100
    )


def _read_subject(header: Header, top: _Top, pos: int, text: str) -> None:
    """ "V/v …" and its continuation lines (a directive's subject)."""
    m = _SUBJECT.match(text.split("\t")[0])
    assert m is not None
    first_part = m.group("rest")
    shared = find_place_date(first_part)
    if shared is not None:
        if not header.date_text:
            _take_place_date(header, first_part)
        first_part = first_part[: shared.start].strip()
    parts = [first_part]
    lines = top.lines
    for nxt in range(pos + 1, min(pos + 8, len(lines))):
        line = lines[nxt][1].split("\t")[0]
        gap = lines[nxt][0] - lines[nxt - 1][0] > 1
        if gap and re.match(r"^[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ-Ỹ][a-zà-ỹđ]", line) and not line[:1].islower():
            break  # a blank line, then a capitalised sentence: the body has begun
        if _ends_subject(line):
            break
        parts.append(line)
        top.take(nxt)
    header.subject = "V/v " + re.sub(r"\s+", " ", " ".join(parts)).strip()
    top.take(pos)
    if header.kind is DocumentKind.OTHER and top.type_index is None:
        header.kind = DocumentKind.DIRECTIVE


def _read_recipients(header: Header, top: _Top, pos: int, text: str) -> None:
    """ "Kính gửi: …" inline, as bullets below it, or on the next line."""
    r = _RECIPIENTS.match(text)
    assert r is not None
    rest = r.group("rest").strip()
    rest = re.sub(r"^(các\s+)?(ông|bà|đồng chí)[^:]*:", "", rest, flags=re.IGNORECASE)
    rest = rest.lstrip(": ").strip()
    found: list[str] = []
    if rest:
        found.extend(p for p in re.split(r";\s*", rest) if p.strip(" .;"))
    last = pos
    lines = top.lines
    for nxt in range(pos + 1, len(lines)):
        mk = marker_of(lines[nxt][1])
        if mk is None or mk.kind != "bullet":
            break
        found.append(mk.rest)
        last = nxt
    if not found and pos + 1 < len(lines):
        line = lines[pos + 1][1]
        if len(line) < 120 and not _BODY_OPENER.match(line) and marker_of(line) is None:
            found.extend(p for p in re.split(r";\s*", line) if p.strip(" .;"))
            last = pos + 1
    header.recipients = [re.sub(r"[;.,]+$", "", f).strip() for f in found if f.strip()]
    top.take(last)
    if header.kind is DocumentKind.OTHER and top.type_index is None:
        header.kind = DocumentKind.DIRECTIVE


def _set_issuer(header: Header, issuer_lines: list[str]) -> None:
    if len(issuer_lines) >= 2:
        header.issuer_parent = pretty_org(issuer_lines[0])
        header.issuer = pretty_org(" ".join(issuer_lines[1:]))
    elif issuer_lines:
        header.issuer = pretty_org(issuer_lines[0])


def _set_body_start(header: Header, top: _Top, blocks: list[Block], first_row: int) -> None:
    lines, consumed = top.lines, top.consumed
    header.body_start = (
        lines[consumed + 1][0]
        if consumed + 1 < len(lines)
        else (lines[consumed][0] + 1 if lines else 0)
    )
    if consumed + 1 >= len(lines) and first_row < len(blocks):
        header.body_start = lines[-1][0] + 1 if lines else 0


def _take_place_date(header: Header, text: str) -> None:
    found = find_place_date(text)
    if found is None:
        return
    header.place, header.date_text = found.place, found.date_text
    header.issued_day, header.issued_month, header.issued_year = found.day, found.month, found.year


def _finish(header: Header, blocks: list[Block]) -> None:
    years = None
    if header.title_text:
        m = re.search(
            r"(?:giai đoạn|từ năm)\s*(\d{4})\s*[-–đến ]+\s*(?:năm\s*)?(\d{4})", header.title_text
        )
        if m:
            years = (int(m.group(1)), int(m.group(2)))
        else:
            m = re.search(r"năm\s*(?:học\s*)?(\d{4})", header.title_text)
            if m:
                years = (int(m.group(1)), int(m.group(1)))
    if header.kind is DocumentKind.PLAN:
        if years is None and header.issued_year:
            years = (header.issued_year, header.issued_year)
        if years:
            header.period_start, header.period_end = years
            if header.issued_year is None and years[0] == years[1]:
                pass
    early_text = " ".join(
        strip_markup(b.text)
        for b in blocks[: min(len(blocks), header.body_start + 12)]
        if not b.is_row
    )
    if not header.issuer and re.search(r"Sở Giáo dục và Đào tạo|Sở GD&ĐT|Sở GDĐT", early_text):
        header.issuer = "Sở Giáo dục và Đào tạo"
    header.province = find_province(
        header.place, header.issuer_parent, header.issuer, header.title_text, header.subject
    ) or province_in_text(early_text)
    header.title = display_title(header)
