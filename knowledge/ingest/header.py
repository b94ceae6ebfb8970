"""Header and signature of an administrative document: kind, number, issuer, place/date, subject, signer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.ingest.readers import Block
from knowledge.ingest.text import is_caps_line, marker_of, strip_markup
from knowledge.models import DocumentKind
from knowledge.normalize import fold

PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre",
    "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cần Thơ", "Cao Bằng",
    "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang",
    "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên",
    "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An",
    "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình",
    "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh",
    "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Huế", "Tiền Giang",
    "Hồ Chí Minh", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)  # fmt: skip
_PROVINCE_KEYS = sorted(((fold(p), p) for p in PROVINCES), key=lambda kv: -len(kv[0]))

_MOTTO = re.compile(
    r"C[ỘO]NG\s+H[OÒÓ][AÀÁ]\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM"
    r"|Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+phúc",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^(?:Số|SỐ)\s*[:.]?\s*(?P<value>.*)$")
_DATE_TAIL = re.compile(
    r",\s*(?P<date>ngày\b[^,;]*?năm\s*\d{4}|ngày\s*\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4})"
)


class _PlaceDate:
    """"Hải Phòng, ngày … năm 2025" anywhere in a line: the place is the capitalised words before it."""

    @staticmethod
    def search(text: str) -> "_PlaceMatch | None":
        for m in _DATE_TAIL.finditer(text):
            words = re.split(r"\s+", text[: m.start()].strip())
            place: list[str] = []
            for word in reversed(words):
                if len(place) >= 4 or not word or not (word[0].isupper() or word in ("TP.", "Tp.")):
                    break
                if re.search(r"[\d/:]", word):
                    break
                place.insert(0, word)
            if place:
                start = m.start() - len(text[: m.start()]) + len(text[: m.start()].rstrip()) - len(" ".join(place))
                return _PlaceMatch(" ".join(place), m.group("date"), max(0, start))
        return None


class _PlaceMatch:
    def __init__(self, place: str, date: str, start: int) -> None:
        self._groups = {"place": place, "date": date}
        self._start = start

    def group(self, name: str) -> str:
        return self._groups[name]

    def start(self) -> int:
        return self._start


_PLACE_DATE = _PlaceDate()
_DATE_PARTS = re.compile(
    r"ngày\s*(?P<d>\d{1,2})?\s*(?:/\s*)?tháng\s*(?P<m>\d{1,2})?\s*(?:/\s*)?năm\s*(?P<y>\d{4})", re.IGNORECASE
)
_DATE_SLASH = re.compile(r"ngày\s*(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})")
_SUBJECT = re.compile(r"^(?:V/v|V/V|v/v|Về việc)\s*[:.]?\s*(?P<rest>.*)$")
_RECIPIENTS = re.compile(r"^Kính\s+gửi\b\s*(?P<rest>.*)$", re.IGNORECASE)
_DOC_TYPES = {
    "ke hoach": ("Kế hoạch", DocumentKind.PLAN),
    "cong van": ("Công văn", DocumentKind.DIRECTIVE),
    "quyet dinh": ("Quyết định", DocumentKind.OTHER),
    "bao cao": ("Báo cáo", DocumentKind.OTHER),
    "thong bao": ("Thông báo", DocumentKind.OTHER),
    "huong dan": ("Hướng dẫn", DocumentKind.OTHER),
    "chuong trinh": ("Chương trình", DocumentKind.OTHER),
    "to trinh": ("Tờ trình", DocumentKind.OTHER),
    "chi thi": ("Chỉ thị", DocumentKind.OTHER),
}
_BODY_OPENER = re.compile(r"^(Căn cứ|Thực hiện|Triển khai|Nhằm|Để|Theo)\b")
_SIGN_TITLE = re.compile(
    r"^(KT\.?|TM\.?|Q\.|TL\.?|TUQ\.?|PHÓ|GIÁM|CHÁNH|TRƯỞNG|CHỦ|HIỆU|THỦ|PGĐ|GĐ)", re.IGNORECASE
)
_ACRONYMS = {"ubnd", "hdnd", "gddt", "cchc", "thpt", "tp", "gdnn", "gdtx", "ub"}


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
        text = _columns(blocks[i].text)
        if text:
            out.append((i, text))
    return out


def _columns(raw: str) -> str:
    """Clean a header line but keep two-column layouts apart with a tab ("Số: 15/…\tHà Nội, ngày…")."""
    parts = [strip_markup(p) for p in re.split(r"\s{3,}|\t", raw.strip())]
    return "\t".join(p for p in parts if p)


def pretty_org(text: str) -> str:
    """"UBND THÀNH PHỐ HẢI PHÒNG" → "UBND thành phố Hải Phòng"; mixed-case text is kept."""
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


def recase_names(text: str) -> str:
    """Restore the capitals of province names in lower-cased text."""
    for name in PROVINCES:
        if name.lower() in text.lower():
            text = re.sub(re.escape(name), name, text, flags=re.IGNORECASE)
    return text


def sentence_case(text: str) -> str:
    """An all-capitals title in normal case: acronyms and province names kept."""
    words = []
    for word in text.split():
        key = fold(word)
        words.append(word if key in _ACRONYMS or "&" in word else word.lower())
    result = recase_names(" ".join(words))
    result = re.sub(r"(?i)sở giáo dục và đào tạo", "Sở Giáo dục và Đào tạo", result)
    return result[:1].upper() + result[1:]


def find_province(*texts: str) -> str:
    for text in texts:
        key = f" {fold(text)} "
        for pkey, name in _PROVINCE_KEYS:
            if f" {pkey} " in key:
                return name
    return ""


def _abbreviate(text: str) -> str:
    text = re.sub(r"(?i)cải cách hành chính(?: nhà nước)?", "CCHC", text)
    text = re.sub(r"(?i)giáo dục và đào tạo", "GDĐT", text)
    return text


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[1:2].islower():
        return text[:1].lower() + text[1:]
    return text


def _sign_split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"\s{3,}|\t+", text) if part.strip()]


def parse_header(blocks: list[Block]) -> Header:
    """Read the header (top) and signature (after "Nơi nhận") of a document."""
    header = Header()
    first_row = next((i for i, b in enumerate(blocks) if b.is_row), len(blocks))
    top = _lines(blocks, 0, first_row)[:40]
    consumed = -1
    issuer_lines: list[str] = []
    type_index: int | None = None
    inline_title = ""

    for pos, (i, text) in enumerate(top):
        if header.number == "" and (m := _NUMBER.match(text)) and pos < 25:
            value = m.group("value").strip()
            found = re.match(r"(?:\d[\d\s]*)?/\s*[^\s,;\t]+|\d+[^\s,;\t]*", value)
            if not value or found:
                header.number = re.sub(r"\s+", "", found.group()) if found else ""
                consumed = max(consumed, pos)
                rest = value[found.end() :] if found else ""
                if rest.strip():
                    _take_place_date(header, rest)
                continue
        if not header.date_text and _PLACE_DATE.search(text) and pos < 30:
            _take_place_date(header, text)
            consumed = max(consumed, pos)
            continue
        key = fold(text)
        if type_index is None and is_caps_line(text):
            doc_type = next((k for k in _DOC_TYPES if key == k or key.startswith(k + " ")), None)
            if doc_type is not None and (key == doc_type or len(key) > len(doc_type) + 8):
                header.type_label, header.kind = _DOC_TYPES[doc_type]
                type_index = pos
                consumed = max(consumed, pos)
                inline_title = text.split(None, len(doc_type.split()))[-1] if key != doc_type else ""
                break
        if type_index is None and header.number == "" and not header.date_text and pos < 8:
            stripped = _MOTTO.sub(" ", text)
            for part in _sign_split(stripped) or [stripped]:
                part = part.strip(" -_")
                if len(part) >= 3 and is_caps_line(part):
                    issuer_lines.append(part)
            consumed = max(consumed, pos)

    if type_index is not None:
        title_lines: list[str] = [inline_title] if inline_title else []
        for pos in range(type_index + 1, len(top)):
            text = top[pos][1]
            if (
                text.startswith("Căn cứ")
                or (_BODY_OPENER.match(text) and title_lines)
                or re.search(r"\bsố\s+\d+", text) and len(text) > 60
                or marker_of(text) is not None
                or len(title_lines) >= 5
                or len(text) > 160
            ):
                break
            if _PLACE_DATE.search(text) and not header.date_text:
                _take_place_date(header, text)
                consumed = max(consumed, pos)
                continue
            title_lines.append(text.strip("() "))
            consumed = max(consumed, pos)
        title = re.sub(r"\s+", " ", " ".join(title_lines)).strip()
        header.title_text = sentence_case(title) if is_caps_line(title) else title

    # V/v subject and recipients (directives)
    for pos, (i, text) in enumerate(top):
        m = _SUBJECT.match(text.split("\t")[0])
        if m and not header.subject:
            first_part = m.group("rest")
            shared = _PLACE_DATE.search(first_part)
            if shared is not None:
                if not header.date_text:
                    _take_place_date(header, first_part)
                first_part = first_part[: shared.start()].strip()
            parts = [first_part]
            for nxt in range(pos + 1, min(pos + 8, len(top))):
                line = top[nxt][1].split("\t")[0]
                gap = top[nxt][0] - top[nxt - 1][0] > 1
                if gap and re.match(r"^[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ-Ỹ][a-zà-ỹđ]", line) and not line[:1].islower():
                    break  # a blank line, then a capitalised sentence: the body has begun
                if (
                    _RECIPIENTS.match(line)
                    or _PLACE_DATE.search(line)
                    or _NUMBER.match(line)
                    or _MOTTO.search(line)
                    or _BODY_OPENER.match(line)
                    or marker_of(line) is not None
                    or len(line) > 100
                ):
                    break
                parts.append(line)
                consumed = max(consumed, nxt)
            header.subject = "V/v " + re.sub(r"\s+", " ", " ".join(parts)).strip()
            consumed = max(consumed, pos)
            if header.kind is DocumentKind.OTHER and type_index is None:
                header.kind = DocumentKind.DIRECTIVE
        r = _RECIPIENTS.match(text)
        if r and not header.recipients:
            rest = r.group("rest").strip()
            rest = re.sub(r"^(các\s+)?(ông|bà|đồng chí)[^:]*:", "", rest, flags=re.IGNORECASE)
            rest = rest.lstrip(": ").strip()
            found: list[str] = []
            if rest:
                found.extend(p for p in re.split(r";\s*", rest) if p.strip(" .;"))
            last = pos
            for nxt in range(pos + 1, len(top)):
                line = top[nxt][1]
                mk = marker_of(line)
                if mk is None or mk.kind != "bullet":
                    break
                found.append(mk.rest)
                last = nxt
            if not found and pos + 1 < len(top):
                line = top[pos + 1][1]
                if len(line) < 120 and not _BODY_OPENER.match(line) and marker_of(line) is None:
                    found.extend(p for p in re.split(r";\s*", line) if p.strip(" .;"))
                    last = pos + 1
            header.recipients = [re.sub(r"[;.,]+$", "", f).strip() for f in found if f.strip()]
            consumed = max(consumed, last)
            if header.kind is DocumentKind.OTHER and type_index is None:
                header.kind = DocumentKind.DIRECTIVE
            break

    if issuer_lines:
        if len(issuer_lines) >= 2:
            header.issuer_parent = pretty_org(issuer_lines[0])
            header.issuer = pretty_org(" ".join(issuer_lines[1:]))
        else:
            header.issuer = pretty_org(issuer_lines[0])
    header.body_start = top[consumed + 1][0] if consumed + 1 < len(top) else (
        top[consumed][0] + 1 if top else 0
    )
    if consumed + 1 >= len(top) and first_row < len(blocks):
        header.body_start = top[-1][0] + 1 if top else 0
    _parse_signature(blocks, header)
    _finish(header, blocks)
    return header


def _take_place_date(header: Header, text: str) -> None:
    m = _PLACE_DATE.search(text)
    if not m:
        return
    header.place = m.group("place").strip()
    header.date_text = re.sub(r"\s+", " ", m.group("date")).strip()
    parts = _DATE_PARTS.search(header.date_text) or _DATE_SLASH.search(header.date_text)
    if parts:
        d, mo, y = parts.group("d"), parts.group("m"), parts.group("y")
        header.issued_day = int(d) if d else None
        header.issued_month = int(mo) if mo else None
        header.issued_year = int(y) if y else None


def _parse_signature(blocks: list[Block], header: Header) -> None:
    start = None
    for i in range(len(blocks) - 1, header.body_start - 1, -1):
        b = blocks[i]
        if not b.is_row and fold(strip_markup(b.text)).startswith("noi nhan"):
            start = i
            break
    if start is None:
        _signature_without_recipients(blocks, header)
        return
    header.sign_start = start
    titles: list[str] = []
    name = ""
    end = None
    first = _columns(blocks[start].text)
    candidates: list[tuple[int, str]] = []
    for part in _sign_split(re.sub(r"(?i)^nơi\s+nhận\s*:?", "", first))[0:]:
        candidates.append((start, part))
    for i in range(start + 1, len(blocks)):
        if blocks[i].is_row:
            break
        text = _columns(blocks[i].text)
        if not text:
            continue
        parts = _sign_split(text)
        for part in parts:
            if marker_of(part) is not None and marker_of(part).kind == "bullet":
                continue
            candidates.append((i, part))
        if len(candidates) > 12:
            break
    for i, part in candidates:
        if _SIGN_TITLE.match(part) and is_caps_line(part):
            titles.append(part)
            continue
        if titles and _is_person_name(part):
            name = part
            end = i + 1
            break
        if titles and fold(part) in ("da ky", "(da ky)"):
            continue
    if name:
        header.signer_name = name
        header.sign_end = end
        header.signer_title = _signer_title(titles)


def _signature_without_recipients(blocks: list[Block], header: Header) -> None:
    """No "Nơi nhận": look for a signer title in capitals followed by a name near the end."""
    tail = [
        (i, _columns(b.text))
        for i, b in enumerate(blocks)
        if i >= header.body_start and not b.is_row and b.text.strip()
    ][-10:]
    for pos, (i, text) in enumerate(tail):
        if not (_SIGN_TITLE.match(text) and is_caps_line(text)):
            continue
        titles = [text]
        for j, nxt in tail[pos + 1 :]:
            if _SIGN_TITLE.match(nxt) and is_caps_line(nxt):
                titles.append(nxt)
            elif _is_person_name(nxt):
                header.sign_start = i
                header.sign_end = j + 1
                header.signer_name = nxt
                header.signer_title = _signer_title(titles)
                return
            else:
                break


def _is_person_name(text: str) -> bool:
    text = text.strip(" .")
    words = text.split()
    if not 2 <= len(words) <= 5 or is_caps_line(text) and len(words) < 2:
        return False
    return all(w[:1].isupper() for w in words) and not re.search(r"\d|[:;/]", text)


def _signer_title(titles: list[str]) -> str:
    """"KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC" → "Phó Giám đốc (KT. Giám đốc)"."""
    def nice(t: str) -> str:
        t = re.sub(r"\s+", " ", t).strip()
        prefix = ""
        m = re.match(r"^(KT|TM|TL|TUQ|Q)\.?\s*(.*)$", t, re.IGNORECASE)
        if m:
            prefix, t = m.group(1).upper() + ". ", m.group(2)
        low = t.lower()
        low = re.sub(r"giám đốc", "Giám đốc", low)
        return prefix + low[:1].upper() + low[1:]

    parts = [nice(t) for t in titles if t.strip()]
    if not parts:
        return ""
    main = parts[-1]
    delegated = [p for p in parts[:-1]]
    return f"{main} ({', '.join(delegated)})" if delegated else main


def _finish(header: Header, blocks: list[Block]) -> None:
    years = None
    if header.title_text:
        m = re.search(r"(?:giai đoạn|từ năm)\s*(\d{4})\s*[-–đến ]+\s*(?:năm\s*)?(\d{4})", header.title_text)
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
        strip_markup(b.text) for b in blocks[: min(len(blocks), header.body_start + 12)] if not b.is_row
    )
    if not header.issuer and re.search(r"Sở Giáo dục và Đào tạo|Sở GD&ĐT|Sở GDĐT", early_text):
        header.issuer = "Sở Giáo dục và Đào tạo"
    header.province = find_province(
        header.place, header.issuer_parent, header.issuer, header.title_text, header.subject
    ) or _province_in_text(early_text)
    header.title = display_title(header)


def _province_in_text(text: str) -> str:
    for m in re.finditer(r"(?:tỉnh|thành phố|TP\.?)\s+((?:[A-ZĐÀ-Ỹ][\wà-ỹđ]*\s?){1,3})", text):
        found = find_province(m.group(1))
        if found:
            return found
    return ""


def display_title(header: Header) -> str:
    """A short human title: "Kế hoạch công tác CCHC nhà nước năm 2025 …", "Công văn V/v …"."""
    if header.kind is DocumentKind.PLAN and header.title_text:
        return f"Kế hoạch {_lower_first(_abbreviate(header.title_text))}".strip()
    if header.subject:
        label = "Công văn" if header.kind in (DocumentKind.DIRECTIVE, DocumentKind.OTHER) else header.type_label
        if header.type_label and header.kind is DocumentKind.OTHER:
            label = header.type_label
        number = f" số {header.number}" if re.match(r"^\d", header.number) else ""
        return f"{label}{number} {header.subject}"
    if header.type_label and header.title_text:
        return f"{header.type_label} {_lower_first(header.title_text)}"
    if header.type_label:
        return header.type_label
    return ""
