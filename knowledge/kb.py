"""A read-only snapshot of the knowledge base for answering: documents, units, passage index.

Built once per knowledge-base version (a fingerprint of the document and unit tables) and
cached per database, so a question never rebuilds the index.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy import text as sql_text
from sqlmodel import Session, col, select

from knowledge.models import (
    Deadline,
    DeadlineUnit,
    Document,
    DocumentRetirement,
    Reference,
    Responsibility,
    Section,
    Task,
    TaskUnit,
    Unit,
    UnitAlias,
)
from knowledge.normalize import contract, fold, nfc, search_key
from knowledge.search import BM25Index
from knowledge.unit_seeds import alias_scope

logger = logging.getLogger(__name__)

MAX_PASSAGE_CHARS = 420


class PassageKind(str, Enum):
    SECTION = "section"
    TASK = "task"
    DUTY = "duty"
    DEADLINE = "deadline"
    REFERENCE = "reference"


@dataclass(frozen=True)
class Passage:
    """A short citable piece of a document, the unit of free-text search."""

    kind: PassageKind
    row_id: int
    document_id: int
    section: str  # how to cite where it is: "mục II.2.a", "Danh mục, nhiệm vụ 10"
    text: str


@dataclass(frozen=True)
class DocInfo:
    id: int
    kind: str
    number: str
    title: str
    subject: str
    date_text: str
    issuer: str
    issuer_parent: str
    province: str
    issued_year: int | None
    issued_month: int | None
    issued_day: int | None
    period_start: int | None
    period_end: int | None
    signer_name: str
    signer_title: str
    recipients: tuple[str, ...]
    label: str  # short display title
    key: str  # canonical key of kind, number, title and subject
    words: frozenset[str] = frozenset()

    def covers(self, year: int) -> bool:
        """Whether the document governs the given year (its period, else its issue year)."""
        start = self.period_start or self.issued_year
        end = self.period_end or start
        return start is not None and end is not None and start <= year <= end


@dataclass(frozen=True)
class UnitInfo:
    id: int
    name: str
    short_name: str
    is_collective: bool
    keys: tuple[str, ...]  # canonical keys of the name, short name and aliases
    provinces: frozenset[str] = frozenset()  # folded provinces of the documents naming it
    named: bool = True  # named by a document held (else a built-in unit nobody uses)


_Memo = TypeVar("_Memo")


@dataclass
class Snapshot:
    fingerprint: tuple
    docs: dict[int, DocInfo]
    units: list[UnitInfo]  # the units the documents name, for reading questions
    index: BM25Index[Passage]
    passages_by_kind: dict[PassageKind, int] = field(default_factory=dict)
    cited: dict[int, frozenset[str]] = field(default_factory=dict)  # doc id → cited numbers
    doc_df: dict[str, int] = field(default_factory=dict)  # word → how many documents use it
    example_code: str = ""  # a cited code, for "how to ask" examples
    memo: dict[tuple[Any, ...], Any] = field(default_factory=dict)  # see memoized
    unit_by_id: dict[int, UnitInfo] = field(default_factory=dict)  # every unit, named or not

    def memoized(self, key: tuple[Any, ...], build: Callable[[], _Memo]) -> _Memo:
        """build() once per knowledge-base version: this snapshot lives exactly that long."""
        if key not in self.memo:
            if len(self.memo) > 2000:
                self.memo.clear()
            self.memo[key] = build()
        return self.memo[key]

    def unit(self, unit_id: int) -> UnitInfo | None:
        """Any unit by id, named by the documents or not (the asker's own unit)."""
        found = self.unit_by_id.get(unit_id)
        return found or next((u for u in self.units if u.id == unit_id), None)


_FINGERPRINT_SQL = sql_text(
    "SELECT (SELECT count(*) FROM document), (SELECT max(id) FROM document),"
    " (SELECT max(imported_at) FROM document), (SELECT count(*) FROM unit),"
    " (SELECT max(id) FROM unit), (SELECT count(*) FROM task),"
    " (SELECT count(*) FROM documentretirement)"
)
RETIRED_TAG = "đã ngừng áp dụng"

_cache: dict[str, Snapshot] = {}
_lock = threading.Lock()


def fingerprint(session: Session) -> tuple:
    """Cheap identity of the knowledge-base version: changes whenever an import changes it."""
    return tuple(session.execute(_FINGERPRINT_SQL).one())


def snapshot(session: Session) -> Snapshot:
    """The cached snapshot for this database, rebuilt only when the fingerprint changed."""
    bind = session.get_bind()
    url = str(getattr(bind, "url", ""))
    # A file database is shared by every engine opened on it; in-memory ones are per engine.
    cache_key = (
        url if url and ":memory:" not in url and url != "sqlite://" else f"{url}#{id(bind)}"
    )
    fp = fingerprint(session)
    cached = _cache.get(cache_key)
    if cached is not None and cached.fingerprint == fp:
        return cached
    with _lock:
        cached = _cache.get(cache_key)
        if cached is not None and cached.fingerprint == fp:
            return cached
        built = build_snapshot(session, fp)
        _cache[cache_key] = built
        return built


def clear_cache() -> None:
    _cache.clear()


def short_title(doc: Document) -> str:
    """A phone-sized document title, e.g. "Kế hoạch Công tác CCHC nhà nước năm 2025"."""
    title = nfc(doc.title or doc.subject or doc.source_file or "Văn bản").strip()
    title = re.sub(r"\s+", " ", contract(title))
    title = re.sub(r"\s+của Sở GDĐT.*$", "", title, flags=re.IGNORECASE)
    kind = doc.kind.value if hasattr(doc.kind, "value") else str(doc.kind)
    bare = re.sub(r"^(v/v|về việc)\s*", "", title, flags=re.IGNORECASE)
    if bare != title or not fold(title).startswith(fold(kind)):
        if kind and kind != "khác" and not fold(bare).startswith(fold(kind)):
            title = (
                f"{kind.capitalize()} V/v {bare}"
                if bare != title
                else f"{kind.capitalize()} {bare}"
            )
    if len(title) > 110:
        title = title[:107].rsplit(" ", 1)[0] + "…"
    return title


def _distinct_labels(docs: dict[int, DocInfo]) -> dict[int, DocInfo]:
    """Documents sharing a title ("Kế hoạch CCHC năm 2026" of two provinces) get their number,
    else their province or date, in the label, so every source names one document."""
    by_label: dict[str, list[DocInfo]] = {}
    for info in docs.values():
        by_label.setdefault(info.label, []).append(info)
    out = dict(docs)
    for same in by_label.values():
        if len(same) < 2:
            continue
        for info in same:
            extra = [f"số {info.number}" if re.match(r"\d", info.number) else "", info.province]
            if not any(extra) and re.search(r"\d", info.date_text):
                extra.append(info.date_text)
            tag = ", ".join(x for x in extra if x)
            if tag:
                out[info.id] = replace(info, label=f"{info.label} ({tag})")
    return out


def _doc_info(doc: Document) -> DocInfo:
    kind = doc.kind.value if hasattr(doc.kind, "value") else str(doc.kind)
    label = short_title(doc)
    key = search_key(
        " ".join(
            [
                kind,
                doc.number,
                doc.title,
                doc.subject,
                doc.date_text,
                doc.province,
                doc.place,
                doc.issuer_parent,
                doc.signer_name,
            ]
        )
    )
    return DocInfo(
        id=doc.id or 0,
        kind=kind,
        number=nfc(doc.number),
        title=nfc(doc.title),
        subject=nfc(doc.subject),
        date_text=nfc(doc.date_text),
        issuer=nfc(doc.issuer),
        issuer_parent=nfc(doc.issuer_parent),
        province=nfc(doc.province),
        issued_year=doc.issued_year,
        issued_month=doc.issued_month,
        issued_day=doc.issued_day,
        period_start=doc.period_start,
        period_end=doc.period_end,
        signer_name=nfc(doc.signer_name),
        signer_title=nfc(doc.signer_title),
        recipients=tuple(nfc(r) for r in (doc.recipients or [])),
        label=label,
        key=key,
        words=frozenset(key.split()),
    )


def _unit_info(
    unit: Unit, provinces: frozenset[str] = frozenset(), defined: tuple[str, ...] = ()
) -> UnitInfo:
    """The unit as questions name it; a built-in alias of another province than those of the
    documents held (unit_seeds.SEED_PROVINCE's "Phòng Khảo thí") is not one of its names, and
    the short forms documents held define for it are (`defined`, knowledge.models.UnitAlias)."""
    aliases = [a for a in unit.aliases or [] if alias_scope(unit.name, a) in ("", *provinces)]
    aliases += defined
    names = [unit.name, unit.short_name, *aliases]
    keys = tuple(dict.fromkeys(k for k in (search_key(n) for n in names if n) if k))
    return UnitInfo(unit.id or 0, nfc(unit.name), nfc(unit.short_name), unit.is_collective, keys)


_BULLET_START = re.compile(r"^\s*(?:[-+•*]|[a-zđ]\)|[a-zđ]\.|\d+(?:\.\d+)*[.)])\s+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+(?=[A-ZĐÀ-Ỹ\"“(])")


def split_passages(text: str) -> list[str]:
    """Cut a section text into short passages: bullets and paragraphs, long ones by sentence."""
    paragraphs: list[str] = []
    for raw in nfc(text).splitlines():
        line = raw.strip()
        if not line:
            continue
        if (
            paragraphs
            and not _BULLET_START.match(line)
            and not paragraphs[-1].endswith((".", ":", ";"))
        ):
            paragraphs[-1] += " " + line  # a hard-wrapped line continues its paragraph
        else:
            paragraphs.append(line)
    out: list[str] = []
    for para in paragraphs:
        para = re.sub(r"\s+", " ", para).strip()
        if len(para) <= MAX_PASSAGE_CHARS:
            out.append(para)
            continue
        chunk = ""
        for sentence in _SENTENCE_END.split(para):
            if chunk and len(chunk) + len(sentence) > MAX_PASSAGE_CHARS:
                out.append(chunk)
                chunk = sentence
            else:
                chunk = f"{chunk} {sentence}".strip()
        if chunk:
            out.append(chunk)
    return out


def section_label(path: str, heading: str = "", default: str = "nội dung văn bản") -> str:
    path = nfc(path or "").strip().rstrip(".")
    if path and not path.lower().startswith(("mục", "phụ lục", "danh mục")):
        return f"mục {path}"
    return path or nfc(heading or "").strip()[:60] or default


def build_snapshot(session: Session, fp: tuple) -> Snapshot:
    """Load documents, units and every passage, and index them."""
    docs = _distinct_labels(
        {d.id: _doc_info(d) for d in session.exec(select(Document)) if d.id is not None}
    )
    retired = set(session.exec(select(DocumentRetirement.document_id)).all())
    docs = {
        i: replace(d, label=f"{d.label} ({RETIRED_TAG})") if i in retired else d
        for i, d in docs.items()
    }
    all_units = _named_units(session, docs)
    units = [u for u in all_units if u.named]
    items: list[tuple[Passage, str]] = []

    def add(kind: PassageKind, row_id: int | None, doc_id: int, section: str, text: str) -> None:
        text = re.sub(r"\s+", " ", nfc(text)).strip()
        if text and row_id is not None and doc_id in docs:
            items.append((Passage(kind, row_id, doc_id, section, text), search_key(text)))

    sections = select(Section).order_by(col(Section.document_id), col(Section.ordinal))
    for sec in session.exec(sections):
        label = section_label(sec.path, sec.heading)
        heading = nfc(sec.heading or "").strip()
        for piece in split_passages(sec.text or ""):
            add(PassageKind.SECTION, sec.id, sec.document_id, label, piece)
        if heading and not (sec.text or "").strip():
            add(PassageKind.SECTION, sec.id, sec.document_id, label, heading)
    for task in session.exec(select(Task)):
        label = f"{nfc(task.section_path) or 'Danh mục'}, nhiệm vụ {task.number}".strip(", ")
        add(PassageKind.TASK, task.id, task.document_id, label, task.content)
    for duty in session.exec(select(Responsibility)):
        add(
            PassageKind.DUTY,
            duty.id,
            duty.document_id,
            section_label(duty.section_path),
            duty.text,
        )
    for dl in session.exec(select(Deadline)):
        body = dl.quote if fold(dl.title) in fold(dl.quote) else f"{dl.title}: {dl.quote}"
        add(PassageKind.DEADLINE, dl.id, dl.document_id, section_label(dl.section_path), body)
    cited: dict[int, set[str]] = {}
    for ref in session.exec(select(Reference)):
        cited.setdefault(ref.document_id, set()).add(fold(ref.number or ref.code.split("/")[0]))
        add(
            PassageKind.REFERENCE,
            ref.id,
            ref.document_id,
            section_label(ref.section_path),
            ref.context,
        )
    index: BM25Index[Passage] = BM25Index(items)
    counts: dict[PassageKind, int] = {}
    for p, _ in items:
        counts[p.kind] = counts.get(p.kind, 0) + 1
    logger.info("knowledge index built: %d passages, %d documents", len(items), len(docs))
    frozen = {k: frozenset(v) for k, v in cited.items()}
    doc_df: dict[str, int] = {}
    for d in docs.values():
        for w in d.words:
            doc_df[w] = doc_df.get(w, 0) + 1
    snap = Snapshot(fp, docs, units, index, counts, frozen, doc_df, _example_code(items))
    snap.unit_by_id = {u.id: u for u in all_units}
    return snap


def _example_code(items: list[tuple[Passage, str]]) -> str:
    """A cited code, for "how to ask" examples."""
    example = next((p.text for p, _ in items if p.kind is PassageKind.REFERENCE), "")
    if not example:
        return ""
    from knowledge.intents import CODE_RE

    found = CODE_RE.search(example)
    return found.group(0) if found else ""


def _unit_documents(session: Session) -> dict[int, set[int]]:
    """Unit id → ids of the documents that name it (a task's, a duty's or a deadline's unit)."""
    out: dict[int, set[int]] = {}
    rows = [
        *session.exec(select(TaskUnit.unit_id, Task.document_id).join(Task)).all(),
        *session.exec(select(Responsibility.unit_id, Responsibility.document_id)).all(),
        *session.exec(select(DeadlineUnit.unit_id, Deadline.document_id).join(Deadline)).all(),
    ]
    for unit_id, document_id in rows:
        out.setdefault(unit_id, set()).add(document_id)
    return out


def _named_units(session: Session, docs: dict[int, DocInfo]) -> list[UnitInfo]:
    """Every unit with the provinces of the documents naming it, and which of them questions
    may name: a built-in unit no document names answers no question (its provinces empty)."""
    provinces = frozenset(fold(d.province) for d in docs.values() if d.province)
    by_unit = _unit_documents(session)
    defined: dict[int, list[str]] = {}
    for unit_id, alias in session.exec(select(UnitAlias.unit_id, UnitAlias.alias)):
        defined.setdefault(unit_id, []).append(alias)
    out = []
    for unit in session.exec(select(Unit).order_by(col(Unit.id))):
        doc_ids = by_unit.get(unit.id or 0, set())
        named = {fold(docs[i].province) for i in doc_ids if i in docs and docs[i].province}
        info = _unit_info(unit, provinces, tuple(defined.get(unit.id or 0, ())))
        info = replace(info, provinces=frozenset(named))
        out.append(replace(info, named=bool(doc_ids) or bool(unit.learned_from)))
    return out
