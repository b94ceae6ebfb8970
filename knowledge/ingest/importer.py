"""Store parsed documents: all files in one transaction, idempotent by content hash, changed
files replaced."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from knowledge.db import write_session
from knowledge.identity import (
    RuleContent,
    deadline_uids,
    document_identity,
    document_uid,
    number_is_blank,
    task_uids,
)
from knowledge.ingest.deadlines import ParsedDeadline
from knowledge.ingest.errors import IngestError
from knowledge.ingest.parser import ParsedDocument, parse_document
from knowledge.ingest.readers import SUPPORTED_EXTENSIONS, RawDocument, read_document
from knowledge.models import (
    Deadline,
    DeadlineUnit,
    Document,
    Reference,
    Responsibility,
    Section,
    Task,
    TaskUnit,
    Unit,
    UnitAlias,
    UnitRole,
)
from knowledge.normalize import fold
from knowledge.units import CatalogUnit, UnitCatalog, ensure_seed_units

logger = logging.getLogger(__name__)

STATUS_NEW = "mới"
STATUS_REPLACED = "thay thế bản cũ"
STATUS_UNCHANGED = "không đổi"


@dataclass
class DocumentReport:
    source_file: str
    title: str
    status: str
    sections: int = 0
    tasks: int = 0
    units_new: list[str] = field(default_factory=list)
    units_known: int = 0
    responsibilities: int = 0
    deadlines: int = 0
    references: int = 0
    warnings: list[str] = field(default_factory=list)
    document_id: int | None = None  # the stored row (None when unchanged)


@dataclass
class ImportReport:
    documents: list[DocumentReport] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(1 for d in self.documents if d.status != STATUS_UNCHANGED)

    def lines(self) -> list[str]:
        """Vietnamese summary, one line per fact, for the CLI."""
        out: list[str] = []
        for doc in self.documents:
            out.append(f"• {doc.source_file}: {doc.title or '(không có tiêu đề)'} — {doc.status}")
            if doc.status == STATUS_UNCHANGED:
                continue
            out.append(
                f"  {doc.sections} mục, {doc.tasks} nhiệm vụ, {doc.responsibilities} trách nhiệm, "
                f"{doc.deadlines} hạn chót, {doc.references} văn bản được dẫn chiếu"
            )
            unit_line = f"  Đơn vị: {doc.units_known} đã biết"
            if doc.units_new:
                unit_line += f", {len(doc.units_new)} mới ({', '.join(doc.units_new)})"
            out.append(unit_line)
            for warning in doc.warnings:
                out.append(f"  ⚠ {warning}")
        new = sum(1 for d in self.documents if d.status == STATUS_NEW)
        replaced = sum(1 for d in self.documents if d.status == STATUS_REPLACED)
        same = sum(1 for d in self.documents if d.status == STATUS_UNCHANGED)
        out.append(f"Tổng cộng: {new} văn bản mới, {replaced} thay thế, {same} không đổi.")
        return out


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files to import: a folder gives its supported files (sorted); a missing path is an error."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_EXTENSIONS
                and not p.name.startswith(".")
            )
            if not found:
                raise IngestError(
                    "thư mục không có tệp .txt, .md, .docx hay .pdf nào.", source=str(path)
                )
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise IngestError("không tìm thấy tệp hoặc thư mục.", source=str(path))
    unique: list[Path] = []
    for f in files:
        if f.resolve() not in {u.resolve() for u in unique}:
            unique.append(f)
    return unique


def import_paths(engine: Engine, paths: list[Path]) -> ImportReport:
    """Import files and folders in one transaction; on any IngestError nothing is written."""
    files = expand_paths([Path(p) for p in paths])
    raws = [read_document(f) for f in files]  # read everything before touching the database
    report = ImportReport()
    with write_session(engine) as session:
        ensure_seed_units(session)
        catalog = UnitCatalog.from_session(session)
        for file, raw in zip(files, raws, strict=False):
            report.documents.append(
                import_raw(session, raw, catalog, source_path=str(file.resolve()))
            )
    return report


def import_raw(
    session: Session, raw: RawDocument, catalog: UnitCatalog, *, source_path: str = ""
) -> DocumentReport:
    """Store one read document in the caller's transaction (new, replacing, or unchanged).

    A document replaces the stored one with the same identity (issuer, kind, number, date), or
    the one imported from the same path; it keeps that document's uid, so the deadlines and
    tasks whose content did not change keep theirs, and with them their done marks and sent
    reminders. A different document that merely shares a file name is kept beside it.
    """
    wrapped = not raw.source.lower().endswith(".docx")
    digest = hashlib.sha256(raw.data).hexdigest()
    same = session.exec(select(Document).where(Document.content_hash == digest)).first()
    if same is not None:
        return DocumentReport(raw.source, same.title, STATUS_UNCHANGED)
    try:
        parsed = parse_document(raw, catalog, wrapped=wrapped)
    except Exception as exc:  # a parser bug must not leave half a document behind
        logger.exception("parse failed for %s", raw.source)
        raise IngestError(
            f"không phân tích được văn bản ({exc.__class__.__name__}).", source=raw.source
        ) from exc
    identity = parsed_identity(parsed)
    target, notes = _replacement_target(session, identity, source_path, parsed.source)
    status = STATUS_NEW
    if target is not None:
        uid = target.uid or document_uid(identity)
        _delete_document(session, target.id)
        status = STATUS_REPLACED
    else:
        uid = _free_document_uid(session, identity, source_path)
    report = _store(session, parsed, catalog, status, uid=uid, source_path=source_path)
    report.warnings[:0] = notes
    return report


def parsed_identity(parsed: ParsedDocument) -> str:
    h = parsed.header
    return document_identity(
        kind=h.kind,
        issuer=h.issuer,
        number=h.number,
        issued_year=h.issued_year,
        issued_month=h.issued_month,
        issued_day=h.issued_day,
        source_file=parsed.source,
        title=h.title,
    )


def stored_identity(doc: Document) -> str:
    return document_identity(
        kind=doc.kind,
        issuer=doc.issuer,
        number=doc.number,
        issued_year=doc.issued_year,
        issued_month=doc.issued_month,
        issued_day=doc.issued_day,
        source_file=doc.source_file,
        title=doc.title,
    )


def _replacement_target(
    session: Session, identity: str, source_path: str, source_file: str
) -> tuple[Document | None, list[str]]:
    """The stored document this file replaces, if any, and notes for the import report."""
    documents = list(session.exec(select(Document).order_by(col(Document.id))))
    by_identity = next((d for d in documents if stored_identity(d) == identity), None)
    if by_identity is not None:
        notes = []
        if source_path and by_identity.source_path and by_identity.source_path != source_path:
            notes.append(
                f"cùng số hiệu, ngày và cơ quan ban hành với văn bản đã nạp từ "
                f"{by_identity.source_path}: đã thay thế văn bản đó."
            )
        return by_identity, notes
    by_path = next((d for d in documents if source_path and d.source_path == source_path), None)
    if by_path is not None:
        return by_path, []
    namesakes = [d for d in documents if d.source_file == source_file]
    notes = [
        f"đã có một văn bản khác cùng tên tệp {source_file} "
        f"({_describe(d)}{', nạp từ ' + d.source_path if d.source_path else ''}); "
        "hai văn bản khác số hiệu, ngày hoặc trích yếu nên được giữ cả hai."
        for d in namesakes
    ]
    return None, notes


def _describe(doc: Document) -> str:
    number = doc.number if not number_is_blank(doc.number) else "không số"
    return f"{doc.kind.value} {number}, {doc.title or doc.subject or 'không tiêu đề'}"


def _free_document_uid(session: Session, identity: str, source_path: str) -> str:
    """The identity's uid, or (rarely: a replaced document already carries it) a fresh one."""
    taken = set(session.exec(select(Document.uid)))
    uid = document_uid(identity)
    salt = 0
    while uid in taken:
        salt += 1
        uid = document_uid(f"{identity}|{source_path}|{salt}")
    return uid


def _delete_document(session: Session, document_id: int | None) -> None:
    task_ids = select(Task.id).where(Task.document_id == document_id)
    deadline_ids = select(Deadline.id).where(Deadline.document_id == document_id)
    session.exec(delete(TaskUnit).where(col(TaskUnit.task_id).in_(task_ids)))
    session.exec(delete(DeadlineUnit).where(col(DeadlineUnit.deadline_id).in_(deadline_ids)))
    for model in (Deadline, Task, Responsibility, Reference, Section, UnitAlias):
        session.exec(delete(model).where(col(model.document_id) == document_id))
    session.exec(delete(Document).where(col(Document.id) == document_id))
    session.flush()


def _unit_id(session: Session, unit: CatalogUnit) -> int:
    if unit.unit_id is None:
        row = session.exec(select(Unit).where(Unit.name == unit.name)).first()
        if row is None:
            row = Unit(
                name=unit.name,
                short_name=unit.short_name,
                aliases=list(unit.aliases),
                is_collective=unit.is_collective,
                learned_from=unit.learned_from,
            )
            session.add(row)
            session.flush()
        assert row.id is not None  # stored, or flushed just above
        unit.unit_id = row.id
    return unit.unit_id


def _store(
    session: Session,
    parsed: ParsedDocument,
    catalog: UnitCatalog,
    status: str,
    *,
    uid: str,
    source_path: str,
) -> DocumentReport:
    """Write one parsed document and everything read from it; the report says what was stored."""
    doc_id = _store_document(session, parsed, uid=uid, source_path=source_path)
    report = DocumentReport(
        parsed.source,
        parsed.header.title,
        status,
        warnings=list(parsed.warnings),
        document_id=doc_id,
    )
    new_names = [u.name for u in parsed.units_seen if u.unit_id is None and u.is_new]
    report.units_new = new_names
    report.units_known = len(parsed.units_seen) - len(new_names)
    report.sections = _store_sections(session, doc_id, parsed)
    task_rows = _store_tasks(session, doc_id, parsed, uid)
    report.tasks = len(task_rows)
    report.responsibilities = _store_duties(session, doc_id, parsed)
    report.deadlines = _store_deadlines(session, doc_id, parsed, catalog, uid, task_rows)
    report.references = _store_references(session, doc_id, parsed)
    # learned units that no row used yet are still stored, so the next document knows them
    for unit in parsed.units_seen:
        _unit_id(session, unit)
    _store_defined_aliases(session, doc_id, parsed)
    session.flush()
    return report


def _store_defined_aliases(session: Session, doc_id: int, parsed: ParsedDocument) -> None:
    """The short forms the document defines for units stored before it ("Thanh tra Sở (TTS)"),
    kept with the document: questions, and later documents of its province, use them."""
    for unit, alias in parsed.defined_aliases:
        session.add(
            UnitAlias(
                unit_id=_unit_id(session, unit),
                document_id=doc_id,
                alias=alias,
                province=parsed.header.province,
            )
        )


def _store_document(
    session: Session, parsed: ParsedDocument, *, uid: str, source_path: str
) -> int:
    h = parsed.header
    doc = Document(
        uid=uid,
        source_path=source_path,
        kind=h.kind,
        number=h.number,
        issuer=h.issuer,
        issuer_parent=h.issuer_parent,
        province=h.province,
        place=h.place,
        date_text=h.date_text,
        issued_year=h.issued_year,
        issued_month=h.issued_month,
        issued_day=h.issued_day,
        title=h.title,
        subject=h.subject,
        period_start=h.period_start,
        period_end=h.period_end,
        recipients=h.recipients,
        signer_name=h.signer_name,
        signer_title=h.signer_title,
        source_file=parsed.source,
        content_hash=parsed.content_hash,
        full_text=parsed.full_text,
    )
    session.add(doc)
    session.flush()
    assert doc.id is not None
    return doc.id


def _store_sections(session: Session, doc_id: int, parsed: ParsedDocument) -> int:
    session.add_all(
        Section(
            document_id=doc_id,
            ordinal=s.ordinal,
            path=s.path,
            heading=s.heading,
            text=s.text,
            search_key=fold(f"{s.heading} {s.text}"),
        )
        for s in parsed.sections
    )
    return len(parsed.sections)


def _store_tasks(session: Session, doc_id: int, parsed: ParsedDocument, uid: str) -> list[Task]:
    """The catalogue rows (each with a uid stable across re-imports) and their units."""
    task_rows: list[Task] = []
    t_uids = task_uids(uid, [(t.raw.number, t.raw.content) for t in parsed.tasks])
    for ordinal, (task, task_uid) in enumerate(zip(parsed.tasks, t_uids, strict=False)):
        raw = task.raw
        task_rows.append(
            Task(
                document_id=doc_id,
                ordinal=ordinal,
                uid=task_uid,
                number=raw.number,
                content=raw.content,
                lead_text=raw.lead_text,
                cooperate_text=raw.cooperate_text,
                due_text=raw.due_text,
                product=raw.product,
                section_path=raw.section_path,
                search_key=fold(f"{raw.content} {raw.product}"),
            )
        )
    session.add_all(task_rows)
    session.flush()
    for row, task in zip(task_rows, parsed.tasks, strict=False):
        assert row.id is not None  # flushed above
        for role, units in ((UnitRole.LEAD, task.lead), (UnitRole.COOPERATE, task.cooperate)):
            for position, unit in enumerate(units):
                unit_id = _unit_id(session, unit)
                session.add(
                    TaskUnit(task_id=row.id, unit_id=unit_id, role=role, position=position)
                )
    return task_rows


def _store_duties(session: Session, doc_id: int, parsed: ParsedDocument) -> int:
    for ordinal, duty in enumerate(parsed.duties):
        session.add(
            Responsibility(
                document_id=doc_id,
                unit_id=_unit_id(session, duty.unit),
                ordinal=ordinal,
                section_path=duty.section_path,
                text=duty.text,
                search_key=fold(duty.text),
            )
        )
    return len(parsed.duties)


def _deadline_row(
    doc_id: int, ordinal: int, parsed: ParsedDeadline, uid: str, task_id: int | None
) -> Deadline:
    rule = parsed.rule
    return Deadline(
        document_id=doc_id,
        task_id=task_id,
        ordinal=ordinal,
        uid=uid,
        title=parsed.title,
        quote=parsed.quote,
        section_path=parsed.section_path,
        rule_kind=rule.kind,
        due_date=rule.due_date,
        month=rule.month,
        month_in_period=rule.month_in_period,
        day=rule.day,
        valid_from_year=parsed.valid_from_year,
        valid_to_year=parsed.valid_to_year,
        all_units=parsed.all_units,
        search_key=fold(f"{parsed.title} {parsed.quote}"),
    )


def _store_deadlines(
    session: Session,
    doc_id: int,
    parsed: ParsedDocument,
    catalog: UnitCatalog,
    uid: str,
    task_rows: list[Task],
) -> int:
    """The deadline rules (uids stable while their content is) and the units each binds."""
    by_name = {u.name: u for u in catalog.units}
    contents = [
        RuleContent(
            d.title,
            d.quote,
            d.rule.kind,
            d.rule.due_date,
            d.rule.month,
            d.rule.month_in_period,
            d.rule.day,
        )  # fmt: skip
        for d in parsed.deadlines
    ]
    d_uids = deadline_uids(uid, contents)
    for ordinal, (item, deadline_uid) in enumerate(zip(parsed.deadlines, d_uids, strict=False)):
        task_id = task_rows[item.task_index].id if item.task_index is not None else None
        deadline = _deadline_row(doc_id, ordinal, item, deadline_uid, task_id)
        session.add(deadline)
        session.flush()
        assert deadline.id is not None
        for name in dict.fromkeys(item.unit_names):
            unit_id = _unit_id(session, by_name[name])
            session.add(DeadlineUnit(deadline_id=deadline.id, unit_id=unit_id))
    return len(parsed.deadlines)


def _store_references(session: Session, doc_id: int, parsed: ParsedDocument) -> int:
    session.add_all(
        Reference(
            document_id=doc_id,
            ordinal=ordinal,
            code=ref.code,
            code_key=ref.code_key,
            number=ref.number,
            doc_type=ref.doc_type,
            date_text=ref.date_text,
            issued_on=ref.issued_on,
            context=ref.context,
            section_path=ref.section_path,
        )
        for ordinal, ref in enumerate(parsed.references)
    )
    return len(parsed.references)


def import_bundled_if_empty(engine: Engine, documents_dir: Path) -> ImportReport | None:
    """On first use (no document stored), import the bundled documents folder."""
    with Session(engine) as session:
        count = session.exec(select(func.count()).select_from(Document)).one()
    if count:
        return None
    documents_dir = Path(documents_dir)
    if not documents_dir.is_dir():
        logger.warning("bundled documents folder %s not found", documents_dir)
        return None
    try:
        report = import_paths(engine, [documents_dir])
    except IngestError as exc:
        logger.error("Không nạp được văn bản có sẵn: %s", exc)
        return None
    logger.info("imported %d bundled documents", report.changed)
    return report
