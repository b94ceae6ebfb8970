"""Parse one read document into plain data: header, sections, tasks, duties, deadlines,
references."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from knowledge.ingest.collectives import addressed_groups
from knowledge.ingest.deadlines import (
    CATEGORY_BUDGET,
    CATEGORY_PLAN,
    CATEGORY_REPORT,
    CLAUSE_FILLER,
    Found,
    ParsedDeadline,
    Rule,
    category_of,
    find_rules,
    generic_title,
    impossible_date_warning,
    title_for,
)
from knowledge.ingest.header import Header, parse_header
from knowledge.ingest.readers import RawDocument
from knowledge.ingest.references import ParsedReference, find_references
from knowledge.ingest.structure import Outline, Para, build_outline, in_assignment
from knowledge.ingest.tables import RawTask, flatten_layout_tables, tasks_from_rows
from knowledge.ingest.text import marker_of, sentences, strip_markup
from knowledge.models import DocumentKind, RecurrenceKind
from knowledge.normalize import fold
from knowledge.units import CatalogUnit, CellItem, Mention, UnitCatalog, looks_like_unit

logger = logging.getLogger(__name__)

CYCLICAL = (CATEGORY_REPORT, CATEGORY_BUDGET, CATEGORY_PLAN)
Note = Callable[[CatalogUnit], CatalogUnit]


@dataclass
class ParsedTask:
    raw: RawTask
    lead: list[CatalogUnit] = field(default_factory=list)
    cooperate: list[CatalogUnit] = field(default_factory=list)


@dataclass
class ParsedDuty:
    unit: CatalogUnit
    section_path: str
    text: str


@dataclass
class ParsedSection:
    ordinal: int
    path: str
    heading: str
    text: str


@dataclass
class ParsedDocument:
    source: str
    content_hash: str
    header: Header
    full_text: str
    sections: list[ParsedSection]
    tasks: list[ParsedTask]
    duties: list[ParsedDuty]
    deadlines: list[ParsedDeadline]
    references: list[ParsedReference]
    warnings: list[str]
    units_seen: list[CatalogUnit]
    # short forms this document defines for units stored before it: (unit, form)
    defined_aliases: list[tuple[CatalogUnit, str]] = field(default_factory=list)


def parse_document(
    raw: RawDocument, catalog: UnitCatalog, *, wrapped: bool = True
) -> ParsedDocument:
    """Parse a read document; new units named in it are learned into the catalog."""
    warnings: list[str] = []
    blocks = flatten_layout_tables(raw.blocks)
    header = parse_header(blocks)
    catalog.use_province(header.province)  # another province's local aliases do not apply
    outline = build_outline(blocks, header, wrapped=wrapped)
    if not header.title:
        header.title = _fallback_title(outline, raw.source)
    seen: list[CatalogUnit] = []

    def note(unit: CatalogUnit) -> CatalogUnit:
        if all(unit is not u for u in seen):
            seen.append(unit)
        return unit

    catalog.learn_definitions("\n".join(b.text for b in blocks if not b.is_row), raw.source)
    _learn_defined_names(outline, catalog, raw.source)
    tasks = _tasks(outline, catalog, raw.source, warnings, note)
    section_units = _section_units(outline, catalog, raw.source, note)
    duties = _duties(outline, section_units, catalog, note, raw.source)
    duties += _group_duties(outline, duties, catalog, note, raw.source)
    deadlines = _deadlines(outline, header, tasks, section_units, catalog, warnings)
    references = _references(outline, tasks)
    full_text = "\n".join(
        strip_markup(b.text) if not b.is_row else " | ".join(strip_markup(c) for c in b.cells)
        for b in blocks
    )
    full_text = re.sub(r"\n{3,}", "\n\n", full_text).strip()
    sections = [
        ParsedSection(s.ordinal, s.path, s.heading, s.text)
        for s in outline.sections
        if s.paragraphs or s.path
    ]
    return ParsedDocument(
        source=raw.source,
        content_hash=hashlib.sha256(raw.data).hexdigest(),
        header=header,
        full_text=full_text,
        sections=sections,
        tasks=tasks,
        duties=duties,
        deadlines=deadlines,
        references=references,
        warnings=warnings,
        units_seen=seen,
        defined_aliases=list(catalog.defined),
    )


def _fallback_title(outline: Outline, source: str) -> str:
    for para in outline.paragraphs[:3]:
        if len(para.text) > 10:
            words = para.text.split()
            return " ".join(words[:14]) + (" …" if len(words) > 14 else "")
    return source.rsplit(".", 1)[0]


# -- tasks -------------------------------------------------------------------------------------


def _learn_defined_names(outline: Outline, catalog: UnitCatalog, source: str) -> None:
    """Units the prose names in full with a short form ("Phòng Tổ chức cán bộ và Pháp chế
    (Phòng TCCB&PC) chủ trì …") are learned before the catalogue, whose cells use the short
    form and must not learn it as a unit of its own."""
    for para in outline.paragraphs:
        body = para.marker.rest if para.marker is not None else para.text
        if "(" not in body[:160]:
            continue
        rest = body[_lead_prefix_end(body) :]
        _prose_unit(rest, catalog, source)


_DEFINITION_TAIL = re.compile(r"\s*\((?:sau\s+đây\s+)?gọi\s+tắt\s+là[^()]*\)\s*$", re.IGNORECASE)


# a cell part that only names a kind of body ("Các phòng, đơn vị" leaves "đơn vị"): no unit
_BARE_KIND = re.compile(r"^(?:cac |nhung )?(?:don vi|phong|ban|co quan|truong|bo phan)$")
_UNIT_WORD = re.compile(
    r"^(?:Phòng|Văn\s+phòng|Thanh\s+tra|Trung\s+tâm|Ban|Sở|UBND|Ủy\s+ban|Các|Trường|Bộ"
    r"|Đoàn|Công\s+đoàn|Hội|Liên\s+đoàn|Cục|Chi\s+cục|Viện|Tổ|Đảng)\b"
)


def _rejoin_and_names(text: str, items: list[CellItem], catalog: UnitCatalog) -> list[CellItem]:
    """ "Phòng Khảo thí và Kiểm định chất lượng" is one unit: a known name, "và", then words
    that do not open a unit name of their own finish that name, they are not a second unit."""
    out: list[CellItem] = []
    for item in items:
        previous = out[-1] if out else None
        if (
            previous is not None
            and previous.unit is not None
            and previous.text.startswith("Phòng ")
            and item.unit is None
            and not item.generic
            and item.text[:1].isupper()
            and not _UNIT_WORD.match(item.text)
            and re.search(re.escape(previous.text) + r"\s+và\s+" + re.escape(item.text), text)
        ):
            whole = f"{previous.text} và {item.text}"
            out[-1] = CellItem(whole, catalog.resolve(whole), False)
            continue
        out.append(item)
    return out


def _cell_units(
    text: str, catalog: UnitCatalog, source: str, what: str, warnings: list[str]
) -> list[CatalogUnit]:
    units: list[CatalogUnit] = []
    for item in _rejoin_and_names(text, catalog.split_cell(text), catalog):
        if item.generic or (item.unit is None and _BARE_KIND.match(fold(item.text))):
            continue
        unit = item.unit
        if unit is None:
            if len(fold(item.text).split()) < 2 or re.search(r"\d", item.text):
                warnings.append(f"{what}: không nhận ra đơn vị “{item.text}”.")
                continue
            unit = catalog.learn(item.text, source)
            if unit.is_new:
                warnings.append(f"{what}: đơn vị mới “{unit.name}” (từ “{item.text}”).")
        if all(unit is not u for u in units):
            units.append(unit)
    return units


def _tasks(
    outline: Outline, catalog: UnitCatalog, source: str, warnings: list[str], note: Note
) -> list[ParsedTask]:
    raw_tasks = tasks_from_rows([(t.rows, t.section.path) for t in outline.tables], warnings)
    out: list[ParsedTask] = []
    for raw in raw_tasks:
        what = f"Nhiệm vụ {raw.number}"
        lead = [note(u) for u in _cell_units(raw.lead_text, catalog, source, what, warnings)]
        coop = [
            note(u)
            for u in _cell_units(raw.cooperate_text, catalog, source, what, warnings)
            if all(u is not known for known in lead)
        ]
        if not lead:
            warnings.append(f"{what}: chưa xác định được đơn vị chủ trì.")
        out.append(ParsedTask(raw, lead, coop))
    return out


# -- responsibilities ------------------------------------------------------------------------


def _section_units(
    outline: Outline, catalog: UnitCatalog, source: str, note: Note
) -> dict[int, tuple[CatalogUnit, str]]:
    """Sections whose heading names a unit inside an assignment part: ordinal → (unit, inline
    text)."""
    found: dict[int, tuple[CatalogUnit, str]] = {}
    for section in outline.sections:
        if not section.path or not section.paragraphs:
            continue
        marker = marker_of(section.paragraphs[0])
        if marker is None or not marker.is_heading:
            continue
        head, _, inline = marker.rest.partition(":")
        head = re.sub(r"^(?:Đối với|Giao)\s+", "", head.strip(), flags=re.IGNORECASE)
        head = _DEFINITION_TAIL.sub("", head)  # "(sau đây gọi tắt là Phòng QLCL)"
        unit = catalog.resolve(head)
        assignment = in_assignment(section)
        if unit is None and assignment and (prose := _prose_unit(marker.rest, catalog, source)):
            # "2. Phòng Tổ chức cán bộ và Pháp chế (Phòng TCCB&PC) chủ trì …": that whole unit,
            # with its short form, not the shorter known name it opens with
            unit, inline = prose, inline.strip() or marker.rest
        if unit is None and assignment:
            mentions = catalog.mentions(head)
            if mentions and mentions[0].start == 0:
                unit = mentions[0].unit  # "Các trường THPT, trung tâm GDNN-GDTX"
                if len(head[mentions[0].end :].split()) > 3 and not inline.strip():
                    inline = marker.rest  # "a) Văn phòng Sở chủ trì tổ chức …" is itself a duty
        if unit is None and assignment and looks_like_unit(head) and len(head.split()) <= 10:
            unit = catalog.learn(head, source)
        if unit is not None:
            found[section.ordinal] = (note(unit), inline.strip())
    return found


_CLOSING = re.compile(r"^(Trên đây|Nơi nhận)|\./\.\s*$")
_LEAD_VERB = re.compile(
    r"^\s*(?:Sở\s+)?(?:chủ\s+trì|có\s+trách\s+nhiệm|chịu\s+trách\s+nhiệm|phụ\s+trách|tham\s+mưu"
    r"|là\s+đầu\s+mối"
    # a directive's "<unit> <verb> …" instruction is that unit's duty too
    r"|phối\s+hợp|tổng\s+hợp|theo\s+dõi|hướng\s+dẫn|rà\s+soát|xây\s+dựng|triển\s+khai"
    r"|tổ\s+chức"
    r"|kiểm\s+tra|đôn\s+đốc|cập\s+nhật|công\s+khai|trình|báo\s+cáo)\b",
    re.IGNORECASE,
)
_INSTRUCTION = re.compile(r"^(?:Giao|Đề\s+nghị|Yêu\s+cầu)\s", re.IGNORECASE)
_LEAD_PREFIX = re.compile(
    r"^(?:(?:Giao|Đề\s+nghị|Yêu\s+cầu)\s+)?(?:(?:đồng\s+chí\s+)?(?:Trưởng|Thủ\s+trưởng|Giám\s+đốc|Chánh|Lãnh\s+đạo)\s+(?:các\s+)?)?",
    re.IGNORECASE,
)


def _lead_prefix_end(text: str) -> int:
    """Where the text after "Giao …", "Đề nghị Trưởng các …" starts (0 when it has none)."""
    prefix = _LEAD_PREFIX.match(text)
    return prefix.end() if prefix else 0


def _duties(
    outline: Outline,
    section_units: dict[int, tuple[CatalogUnit, str]],
    catalog: UnitCatalog,
    note: Note,
    source: str = "",
) -> list[ParsedDuty]:
    duties: list[ParsedDuty] = []
    by_section: dict[int, list[Para]] = {}
    for para in outline.paragraphs:
        by_section.setdefault(para.section.ordinal, []).append(para)
    for section in outline.sections:
        paras = by_section.get(section.ordinal, [])
        if section.ordinal in section_units:
            unit, inline = section_units[section.ordinal]
            items: list[str] = [inline] if inline else []
            has_bullets = any(p.kind in ("bullet", "sub") for p in paras[1:])
            seen_bullet = False
            for para in paras[1:]:
                text = (
                    para.marker.rest
                    if para.marker and para.kind in ("bullet", "sub")
                    else para.text
                )
                if para.kind == "bullet":
                    items.append(text)
                    seen_bullet = True
                elif para.kind == "sub":
                    if items:
                        items[-1] = f"{items[-1]}\n+ {text}"
                    else:
                        items.append(text)
                elif _CLOSING.search(para.text):
                    continue
                elif not has_bullets or seen_bullet:
                    items.append(text)
            duties.extend(ParsedDuty(unit, section.path, t) for t in items if t.strip())
            continue
        bullet_unit: CatalogUnit | None = None
        for para in paras:
            if para.kind == "bullet" and para.marker is not None:
                named = catalog.resolve(para.marker.rest.rstrip(": "))
                bullet_unit = (
                    named
                    if named is not None and para.marker.rest.rstrip().endswith(":")
                    else None
                )
                if bullet_unit is not None:
                    note(bullet_unit)
                    continue
            elif para.kind == "sub" and bullet_unit is not None and para.marker is not None:
                duties.append(ParsedDuty(bullet_unit, section.path, para.marker.rest))
                continue
            elif para.kind != "sub":
                bullet_unit = None
            duties.extend(_sentence_duties(para.text, section.path, catalog, note, source))
    return duties


def _group_duties(
    outline: Outline, duties: list[ParsedDuty], catalog: UnitCatalog, note: Note, source: str
) -> list[ParsedDuty]:
    """A passage addressing a group of local bodies a document introduces ("UBND các xã,
    phường, đặc khu") names that group: the passage is recorded for it, so the group is a unit
    of this document (offered and reminded while the document is in force)."""
    have = {(id(d.unit), d.text) for d in duties}
    out: list[ParsedDuty] = []
    for para in outline.paragraphs:
        for unit in addressed_groups(para.text, catalog, source):
            if not unit.learned_from or (id(unit), para.text) in have:
                continue  # built-in collectives are read by the duty rules above
            have.add((id(unit), para.text))
            out.append(ParsedDuty(note(unit), para.section.path, para.text))
    return out


# "Phòng Khảo thí, Quản lý chất lượng và Công nghệ thông tin (Phòng KT&QLCL) chủ trì …": a unit
# named in prose, up to its verb; commas stay inside the name, a parenthesis gives its short form.
_PROSE_UNIT = re.compile(
    r"^(?P<name>(?:Phòng|Văn\s+phòng|Thanh\s+tra|Trung\s+tâm|Ban)\s+[A-ZĐÀ-Ỹ][^.;:()]{1,90}?)"
    r"\s*(?:\((?:sau\s+đây\s+gọi\s+(?:tắt\s+)?là\s*|gọi\s+tắt\s+là\s*)?(?P<short>[^()]{2,40})\))?"
    r"(?=\s+(?:chủ\s+trì|phối\s+hợp|tham\s+mưu|có\s+trách\s+nhiệm|chịu\s+trách\s+nhiệm|phụ\s+trách"
    r"|là\s+đầu\s+mối|thực\s+hiện|tổng\s+hợp|xây\s+dựng|hướng\s+dẫn|rà\s+soát|theo\s+dõi)\b)"
)


def _prose_unit(rest: str, catalog: UnitCatalog, source: str) -> CatalogUnit | None:
    """A unit a sentence opens with: known by its whole name (or its short form), else learned,
    never a shorter known name found inside it ("Phòng Khảo thí, …" is not "Phòng Khảo thí")."""
    m = _PROSE_UNIT.match(rest)
    if m is None or re.search(r"\d", m.group("name")):
        return None
    if re.search(
        r"(?:,|\bvà|\bvới)\s+(?:các\s+)?(?:Phòng|Văn\s+phòng|Thanh\s+tra|Trung\s+tâm|Ban|phòng)\b",
        m.group("name"),
    ):
        return None  # two units ("Phòng A và Phòng B chủ trì"): read by the known-name mentions
    known_start = catalog.mentions(rest[:120])
    if known_start and known_start[0].start <= 1:
        tail = rest[known_start[0].end : m.end("name")]
        if tail.strip() and not re.match(r"^\s*(?:,|và\b)", tail):
            return None  # "Phòng Tổ chức cán bộ cử công chức …": a known unit, then its verb
    name, short = m.group("name").strip(" ,"), (m.group("short") or "").strip()
    if short and not _SHORT_FORM.fullmatch(short):
        short = ""  # a parenthesis that is not an abbreviation ("(gửi kèm)")
    known = catalog.resolve(name) or (catalog.resolve(short) if short else None)
    if known is not None:
        return known
    unit = catalog.learn(name, source)
    _add_short_form(unit, short, catalog)
    return unit


# "Phòng TCCB&PC", "Trung tâm CNTT&TTGD", "Phòng GDTX, GDNN&ĐH": a unit's short form
_SHORT_FORM = re.compile(
    r"(?:(?:Phòng|Trung\s+tâm|Ban|Văn\s+phòng)\s+)?[A-ZĐ&\-]{2,12}(?:,\s*[A-ZĐ&\-]{2,12})*"
)


def _add_short_form(unit: CatalogUnit, short: str, catalog: UnitCatalog) -> None:
    """The short form a document defines for a unit, with and without its kind word."""
    if not short or not _SHORT_FORM.fullmatch(short):
        return
    bare = re.sub(r"^(?:Phòng|Trung\s+tâm|Ban|Văn\s+phòng)\s+", "", short)
    forms = [f for f in dict.fromkeys([short, bare]) if f not in unit.aliases]
    if unit.is_new and not unit.short_name:
        unit.short_name = bare  # the document's own short form labels the unit
    if forms:
        unit.aliases.extend(forms)
        catalog.add_forms(unit, forms)


def _sentence_duties(
    text: str, path: str, catalog: UnitCatalog, note: Note, source: str = ""
) -> list[ParsedDuty]:
    """ "Trưởng các Phòng Kế hoạch - Tài chính chủ trì phối hợp với Văn phòng Sở …" → KHTC (and
    VP)."""
    marker = marker_of(text)
    body = marker.rest if marker is not None else text
    rest = body[_lead_prefix_end(body) :]
    prose = _prose_unit(rest, catalog, source)
    if prose is not None and not prose.is_collective:
        return _lead_and_cooperators(body, prose, path, catalog, note)
    mentions = catalog.mentions(rest[:120])
    if not mentions or mentions[0].start > 1 or mentions[0].unit.is_collective:
        return []
    lead = mentions[0]
    after = rest[lead.end :]
    if re.match(r"^\s*[:：]\s*\S", after) and not lead.unit.is_collective:
        duty = after.split(":", 1)[1].strip()  # "- Văn phòng Sở: tổng hợp …"
        return [ParsedDuty(note(lead.unit), path, duty[:1].upper() + duty[1:])]
    # "Giao/Đề nghị/Yêu cầu <unit> <any verb> …" is an instruction to that unit whatever the verb
    instructed = bool(_INSTRUCTION.match(body)) and bool(re.match(r"\s+\w", after))
    if not _LEAD_VERB.match(after) and not instructed:
        return []
    return _lead_and_cooperators(body, lead.unit, path, catalog, note)


def _lead_and_cooperators(
    body: str, lead: CatalogUnit, path: str, catalog: UnitCatalog, note: Note
) -> list[ParsedDuty]:
    """The duty for its lead unit, and for each unit it "phối hợp với" in its first sentence."""
    sentence = sentences(body)[0] if sentences(body) else body
    out = [ParsedDuty(note(lead), path, body)]
    m = re.search(r"phối\s+hợp(?:\s+với)?\s+(.{0,160})", sentence, re.IGNORECASE)
    if m:
        after = m.group(1)
        for mention in catalog.mentions(after):
            if _NOT_SUBJECT_BEFORE.search(after[: mention.start]):
                continue  # "phối hợp lập dự toán …, gửi Phòng KHTC": a recipient, no cooperator
            if mention.unit is not lead and not mention.unit.is_collective:
                out.append(ParsedDuty(note(mention.unit), path, body))
    return out


# -- deadlines -------------------------------------------------------------------------------

_PERIOD_WORD = re.compile(r"\b(?:nam|quy|6 thang|sau thang|thang)\W*$")
# a unit right after these words is a recipient or a complement ("gửi Văn phòng Sở"), not who
# must act
_NOT_SUBJECT_BEFORE = re.compile(
    r"(?:qua|về|với|cho|tới|đến|của|tại|gửi|nộp|trình|báo\s+cáo)\s*\(?\s*$", re.IGNORECASE
)
_ALL_UNITS = re.compile(
    r"\bcac (?:phong|co quan)(?: so| co quan so)?,? (?:cac )?don vi\b|\btat ca cac\b"
    r"|\bthu truong cac don vi\b(?! truc thuoc| giao duc)"  # heads of schools are not every unit
)


_EVERY_UNIT = re.compile(
    r"(?:^|\b(?:cac|toan the|tat ca)\s)(?:cac )?don vi\b"
    r"(?! giao duc| truc thuoc| (?:co )?lien quan| duoc giao| chu tri)"
)


def _subject_units(lead_text: str, catalog: UnitCatalog) -> tuple[list[CatalogUnit], bool]:
    units: list[CatalogUnit] = []
    first: Mention | None = None
    for mention in catalog.mentions(lead_text):
        if _NOT_SUBJECT_BEFORE.search(lead_text[: mention.start]):
            continue
        first = first or mention
        if all(mention.unit is not u for u in units):
            units.append(mention.unit)
    collective_phong = any(u.is_collective and fold(u.name).startswith("cac phong") for u in units)
    collective_dv = any(u.is_collective and "don vi" in fold(u.name) for u in units)
    every = _names_every_unit(lead_text, first)
    return units, every or (collective_phong and collective_dv)


def _every_unit_phrase(key: str) -> re.Match[str] | None:
    return _ALL_UNITS.search(key) or _EVERY_UNIT.search(key)


def _names_every_unit(lead_text: str, first: Mention | None) -> bool:
    """ "Các phòng, đơn vị gửi …" binds every unit; in "Phòng X chủ trì …, hướng dẫn các đơn vị
    nhập số liệu" the units are the object of Phòng X's verb, and only Phòng X is bound."""
    if _every_unit_phrase(fold(lead_text)) is None:
        return False
    if first is None:
        return True
    tail = fold(lead_text[first.end :].split(";")[0])  # another clause has its own subject
    found = _every_unit_phrase(tail)
    if found is None:
        return True
    between = [w for w in tail[: found.start()].split() if w not in ("va", "cung", "cac")]
    return len(between) <= 1


@dataclass
class _DeadlineContext:
    """What every deadline of one document shares: its years, audience rules and catalog."""

    header: Header
    catalog: UnitCatalog
    section_units: dict[int, tuple[CatalogUnit, str]]
    warnings: list[str]
    doc_key: str = ""
    base_year: int | None = None
    to_year: int | None = None

    @classmethod
    def of(
        cls,
        header: Header,
        catalog: UnitCatalog,
        section_units: dict[int, tuple[CatalogUnit, str]],
        warnings: list[str],
    ) -> _DeadlineContext:
        multi_year = bool(
            header.period_start and header.period_end and header.period_end > header.period_start
        )
        return cls(
            header,
            catalog,
            section_units,
            warnings,
            doc_key=fold(f"{header.title_text} {header.subject}"),
            base_year=header.period_start or header.issued_year,
            to_year=header.period_end if multi_year else None,
        )


def _deadlines(
    outline: Outline,
    header: Header,
    tasks: list[ParsedTask],
    section_units: dict[int, tuple[CatalogUnit, str]],
    catalog: UnitCatalog,
    warnings: list[str],
) -> list[ParsedDeadline]:
    """Deadlines written in the text (one per rule and title) and in the catalogue's time
    column."""
    ctx = _DeadlineContext.of(header, catalog, section_units, warnings)
    out: list[ParsedDeadline] = []
    seen: set[tuple[object, ...]] = set()
    for para in outline.paragraphs:
        text = para.marker.rest if para.marker is not None else para.text
        for sentence in sentences(text):
            for deadline in _sentence_deadlines(sentence, para, ctx):
                rule = deadline.rule
                key = (rule.kind, rule.due_date, rule.month, rule.day, rule.month_in_period)
                if key + (deadline.title,) not in seen:
                    seen.add(key + (deadline.title,))
                    out.append(deadline)
    return out + _task_deadlines(tasks, ctx)


def _sentence_audience(
    sentence: str, before_rule: str, para: Para, ctx: _DeadlineContext
) -> tuple[list[CatalogUnit], bool]:
    """The units a deadline sentence binds, and whether it binds every unit."""
    units, all_units = _subject_units(before_rule, ctx.catalog)
    if not units and not all_units:
        # "Hằng tháng, trước ngày 20, các phòng, đơn vị gửi báo cáo": subject after the cue
        units, all_units = _subject_units(sentence, ctx.catalog)
    if not units and not all_units and para.section.ordinal in ctx.section_units:
        units = [ctx.section_units[para.section.ordinal][0]]
    if not units and not all_units:
        if ctx.header.kind is DocumentKind.DIRECTIVE:
            all_units = True
        else:
            ctx.warnings.append(f"Hạn chót “{sentence[:80]}…” chưa xác định được đơn vị.")
    return units, all_units


def _sentence_deadlines(sentence: str, para: Para, ctx: _DeadlineContext) -> list[ParsedDeadline]:
    found = find_rules(sentence)
    if not found:
        return []
    about_cchc = re.search(r"\bcchc\b|cai cach hanh chinh", f"{fold(sentence)} {ctx.doc_key}")
    topic = "CCHC" if about_cchc else ""
    if _OUTSIDE_BODY.match(sentence[_lead_prefix_end(sentence) :]):
        # "Sở Nội vụ kiểm tra … trong tháng 10/2026": another body's event, no deadline of ours
        found = [f for f in found if not f.period_only]
        if not found:
            return []
    units, all_units = _sentence_audience(sentence, sentence[: found[0].start], para, ctx)
    out = []
    for f in found:
        _warn_impossible_date(f, ctx.warnings)
        category, lead_words = _category(sentence, f, len(found))
        title = _deadline_title(sentence, f, category, topic, lead_words, ctx.catalog)
        rule, valid_from, valid_to = _validity(f, category, ctx)
        out.append(
            ParsedDeadline(
                title=title,
                quote=sentence,
                section_path=para.section.path,
                rule=rule,
                valid_from_year=valid_from,
                valid_to_year=valid_to,
                all_units=all_units,
                unit_names=[u.name for u in units],
            )
        )
    return out


_OUTSIDE_BODY = re.compile(
    r"^(?:Sở\s+(?!Giáo\s+dục|GD)[A-ZĐ]|UBND|Ủy\s+ban|Uỷ\s+ban|Bộ\s|Đoàn\s+(?:kiểm\s+tra|công\s+tác)"
    r"|Chính\s+phủ|Thủ\s+tướng|Hội\s+đồng\s+nhân\s+dân|HĐND|Tỉnh\s+ủy|Thanh\s+tra\s+tỉnh)"
)


def _category(sentence: str, found: Found, count: int) -> tuple[str, str]:
    """What is due (report, budget, plan or "") and the words that say it.

    The clause that carries the date decides when it says what it is about on its own
    ("…phần mềm báo cáo trực tuyến; hoàn thành việc cấp tài khoản trước ngày 10/3" is no report).
    """
    start = sentence.rfind(";", 0, found.start) + 1
    clause_lead = sentence[start : found.start]
    own_words = len(CLAUSE_FILLER.sub(" ", fold(clause_lead)).split())
    if start > 0 and own_words >= 2 and not category_of(clause_lead):
        return "", sentence
    category = category_of(found.lead_in) or (category_of(sentence) if count == 1 else "")
    lead_words = found.lead_in if category_of(found.lead_in) else sentence
    if not category and category_of(sentence) == CATEGORY_REPORT:
        if _PERIOD_WORD.search(fold(found.lead_in)):
            # "báo cáo định kỳ 6 tháng (trước ngày 15/6) và năm (trước ngày 15/12)"
            return CATEGORY_REPORT, found.lead_in
    return category, lead_words


def _deadline_title(
    sentence: str, found: Found, category: str, topic: str, lead_words: str, catalog: UnitCatalog
) -> str:
    span = (found.start, found.end)
    to_department = "ve so" in fold(sentence)
    title = title_for(category, found.rule, topic, sentence, to_department, lead_words, span)
    if category:
        return title
    # drop the unit before cutting to a dozen words: "Đề nghị Trưởng phòng Kế hoạch - Tài chính
    # bố trí kinh phí …" is titled "Bố trí kinh phí thực hiện"
    stripped = _without_leading_unit(sentence, catalog)
    cut = len(sentence) - len(stripped)
    if 0 < cut <= found.start and sentence[cut + 1 :] == stripped[1:]:
        return generic_title(stripped, (found.start - cut, found.end - cut))
    return _without_leading_unit(title, catalog)


def _validity(
    found: Found, category: str, ctx: _DeadlineContext
) -> tuple[Rule, int | None, int | None]:
    """The rule as stored and the years it applies to: an annual plan's cyclical obligation
    written with a year ("gửi kế hoạch năm 2026 trước ngày 25/01/2026") recurs every year."""
    rule, due = found.rule, found.rule.due_date
    if rule.kind is not RecurrenceKind.ONCE:
        return rule, ctx.base_year, ctx.to_year
    if due is not None and ctx.header.kind is DocumentKind.PLAN and category in CYCLICAL:
        return Rule(RecurrenceKind.YEARLY, month=due.month, day=due.day), due.year, ctx.to_year
    return rule, None, None


def _task_deadlines(tasks: list[ParsedTask], ctx: _DeadlineContext) -> list[ParsedDeadline]:
    """The rules a catalogue row's time column gives: "Quý I/2026", "Trước ngày 15/12 hằng
    năm"."""
    out: list[ParsedDeadline] = []
    for index, task in enumerate(tasks):
        raw = task.raw
        for f in find_rules(raw.due_text, cue_optional=True) if raw.due_text else []:
            _warn_impossible_date(f, ctx.warnings)
            words = raw.content.split()
            short = " ".join(words[:10]) + (" …" if len(words) > 10 else "")
            recurring = f.rule.kind is not RecurrenceKind.ONCE
            out.append(
                ParsedDeadline(
                    title=f"Nhiệm vụ {raw.number}: {short}",
                    quote=f"{raw.content} — {raw.due_text}",
                    section_path=raw.section_path,
                    rule=f.rule,
                    valid_from_year=ctx.base_year if recurring else None,
                    valid_to_year=ctx.to_year if recurring else None,
                    all_units=False,
                    unit_names=[u.name for u in task.lead],
                    task_index=index,
                )
            )
    return out


def _warn_impossible_date(found: Found, warnings: list[str]) -> None:
    warning = impossible_date_warning(found)
    if warning and warning not in warnings:
        warnings.append(warning)


def _without_leading_unit(title: str, catalog: UnitCatalog) -> str:
    """ "Văn phòng Sở hoàn thiện dự thảo Quy chế" → "Hoàn thiện dự thảo Quy chế"."""
    rest = title[_lead_prefix_end(title) :]
    mentions = catalog.mentions(rest)
    if mentions and mentions[0].start == 0:
        rest = rest[mentions[0].end :].lstrip(" ,:;-")
        rest = re.sub(r"^\([^()]{1,40}\)[\s,]*", "", rest)  # its short form: "(Phòng KHTC)"
        rest = re.sub(
            r"^(?:có trách nhiệm|chịu trách nhiệm|chủ trì,?)\s+", "", rest, flags=re.IGNORECASE
        )
        if len(rest.split()) >= 2:
            return rest[:1].upper() + rest[1:]
        return title
    # a duty bullet under its unit's heading: "Chủ trì xây dựng cơ sở dữ liệu …"
    opener = r"^(?:chủ trì|phối hợp với [^,;]{0,60}?)\s*,?\s+(?=\w)"
    rest = re.sub(opener, "", title, flags=re.IGNORECASE)
    if rest != title and len(rest.split()) >= 3:
        return rest[:1].upper() + rest[1:]
    return title


# -- references ------------------------------------------------------------------------------


def _references(outline: Outline, tasks: list[ParsedTask]) -> list[ParsedReference]:
    out: list[ParsedReference] = []
    seen: set[tuple[str, str]] = set()
    texts: list[tuple[str, str]] = [
        (p.marker.rest if p.marker is not None else p.text, p.section.path)
        for p in outline.paragraphs
    ]
    texts.extend((t.raw.content, t.raw.section_path) for t in tasks)
    for text, path in texts:
        for sentence in sentences(text):
            for ref in find_references(sentence, path):
                key = (ref.code_key, path)
                if key in seen:
                    continue
                seen.add(key)
                out.append(ref)
    return out
