"""Documents an admin sends from chat or the web board: stage (parse and preview, change
nothing), then confirm in one transaction or cancel. One service, every adapter calls it."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path, PurePath

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from knowledge.db import read_session, write_session
from knowledge.ingest.deadlines import ParsedDeadline
from knowledge.ingest.errors import IngestError
from knowledge.ingest.importer import (
    STATUS_REPLACED,
    STATUS_UNCHANGED,
    import_raw,
    parsed_identity,
    stored_identity,
)
from knowledge.ingest.parser import ParsedDocument, parse_document
from knowledge.ingest.readers import SUPPORTED_EXTENSIONS, RawDocument, read_document
from knowledge.members import MemberImportReport, import_members_csv
from knowledge.models import (
    Document,
    DocumentRetirement,
    RecurrenceKind,
    StagedUpload,
    UploadStatus,
)
from knowledge.recurrence import next_due
from knowledge.units import UnitCatalog, ensure_seed_units

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # Telegram lets a bot download up to 20 MB
STAGE_MAX_AGE = timedelta(days=1)  # a preview older than this must be sent again
MEMBER_CSV_EXTENSION = ".csv"
UPLOAD_PATH_PREFIX = "upload:"
MAX_PREVIEW_DEADLINES = 12
_UNSAFE_NAME = re.compile(r"[\x00-\x1f/\\]+")


class UploadError(Exception):
    """An upload cannot be staged or confirmed; `str(error)` is a Vietnamese message."""


@dataclass(frozen=True)
class DeadlinePreview:
    title: str
    next_due: date | None
    units: tuple[str, ...]
    all_units: bool = False


@dataclass(frozen=True)
class StagedPreview:
    """What the admin sees before pressing "Nạp": the document, its tasks, deadlines, new units."""

    token: str
    filename: str
    kind: str
    number: str
    date_text: str
    title: str
    replaces: str  # title of the stored version this upload replaces, "" if new
    tasks: int
    leads: tuple[tuple[str, int], ...]  # lead unit name → how many tasks it leads
    duties: tuple[tuple[str, int], ...]  # unit name → how many duties the text gives it
    deadlines: tuple[DeadlinePreview, ...]
    new_units: tuple[str, ...]
    warnings: tuple[str, ...]

    def text(self) -> str:
        """The Vietnamese preview, plain text."""
        lines = [
            f"Xem trước văn bản “{self.filename}” (chưa nạp, chưa thay đổi gì):",
            f"• Loại: {self.kind or 'không rõ'}; số: {self.number or 'không rõ'}; "
            f"ngày: {self.date_text or 'không rõ'}",
            f"• Tiêu đề: {self.title or '(không có)'}",
        ]
        if self.replaces:
            lines.append(
                f"• Thay thế bản đã nạp: {self.replaces} (giữ đánh dấu hoàn thành "
                "của các hạn không đổi)"
            )
        lines.append(f"• {self.tasks} nhiệm vụ" + (":" if self.leads else "."))
        lines += [f"   – {name}: chủ trì {count}" for name, count in self.leads]
        if self.duties:
            lines.append("• Giao trách nhiệm: " + "; ".join(f"{n} ({c})" for n, c in self.duties))
        lines.append(f"• {len(self.deadlines)} hạn chót" + (":" if self.deadlines else "."))
        for d in self.deadlines[:MAX_PREVIEW_DEADLINES]:
            when = f"{d.next_due:%d/%m/%Y}" if d.next_due else "không còn kỳ hạn nào"
            who = "các phòng, đơn vị" if d.all_units else ", ".join(d.units) or "chưa rõ đơn vị"
            lines.append(f"   – {d.title} — hạn tới: {when} — {who}")
        if len(self.deadlines) > MAX_PREVIEW_DEADLINES:
            lines.append(f"   … và {len(self.deadlines) - MAX_PREVIEW_DEADLINES} hạn khác")
        if self.new_units:
            lines.append(
                "• Đơn vị mới (chưa có trong cơ sở dữ liệu): "
                + ", ".join(f"⚑ {u}" for u in self.new_units)
            )
        if self.warnings:
            lines.append("• Cảnh báo:")
            lines += [f"   ⚠ {w}" for w in self.warnings]
        lines.append("Chọn “Nạp” để đưa vào cơ sở dữ liệu và báo cho các đơn vị, hoặc “Huỷ”.")
        return "\n".join(lines)


@dataclass(frozen=True)
class ConfirmedUpload:
    """The outcome of "Nạp": the stored document and how old deadlines map to new ones."""

    token: str
    document_id: int
    title: str
    replaced_document_id: int | None  # the stored version it replaced (its uids carry over)


InTransaction = Callable[[Session, ConfirmedUpload, datetime], None]


# ---------------------------------------------------------------------- stage
def clean_filename(filename: str) -> str:
    """The base name without path parts or control characters, at most 120 characters."""
    name = _UNSAFE_NAME.sub("_", PurePath(filename.replace("\\", "/")).name).strip(" .")
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:110] + dot + ext) if dot else name[:120]
    return name or "van_ban.txt"


def check_upload(filename: str, size: int) -> None:
    """Raise UploadError for a type or size the service refuses (before downloading it)."""
    ext = PurePath(filename).suffix.lower()
    if ext == MEMBER_CSV_EXTENSION:
        return
    if ext not in SUPPORTED_EXTENSIONS:
        raise UploadError(
            f"Tệp “{clean_filename(filename)}” có định dạng "
            f"{ext or 'không có đuôi'} không được hỗ trợ. Chỉ nhận .docx, .pdf, "
            ".txt, .md (văn bản) hoặc .csv (danh sách thành viên)."
        )
    if size <= 0:
        raise UploadError(f"Tệp “{clean_filename(filename)}” rỗng, không có nội dung.")
    if size > MAX_UPLOAD_BYTES:
        raise UploadError(
            f"Tệp “{clean_filename(filename)}” quá lớn ({size / 1024 / 1024:.1f} MB);"
            f" tối đa {MAX_UPLOAD_BYTES // 1024 // 1024} MB."
        )


def is_member_csv(filename: str) -> bool:
    return PurePath(filename).suffix.lower() == MEMBER_CSV_EXTENSION


def read_upload(filename: str, data: bytes) -> RawDocument:
    """Read uploaded bytes with the same readers as the CLI import; IngestError → UploadError."""
    name = clean_filename(filename)
    check_upload(name, len(data))
    with tempfile.TemporaryDirectory(prefix="cchc-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            return read_document(path)
        except IngestError as exc:
            raise UploadError(f"Không đọc được tệp “{name}”: {exc.reason}") from exc
        except Exception as exc:  # a corrupt file must give a message, never a traceback
            logger.warning("unreadable upload %s: %s", name, exc)
            raise UploadError(
                f"Không đọc được tệp “{name}”: tệp bị hỏng hoặc không đúng định dạng."
            ) from exc


def _parse(session: Session, raw: RawDocument) -> ParsedDocument:
    catalog = UnitCatalog.from_session(session)  # learned units stay in memory only
    try:
        parsed = parse_document(raw, catalog, wrapped=not raw.source.lower().endswith(".docx"))
    except Exception as exc:
        logger.exception("parse failed for upload %s", raw.source)
        raise UploadError(f"Không phân tích được văn bản “{raw.source}”.") from exc
    if not (parsed.tasks or parsed.deadlines or parsed.duties or parsed.sections):
        raise UploadError(
            f"“{raw.source}” không giống một kế hoạch hay công văn: không tìm thấy "
            "mục, nhiệm vụ, trách nhiệm hay hạn chót nào."
        )
    return parsed


def upload_source_path(filename: str) -> str:
    """Where an uploaded document "comes from", so a later upload of the same file replaces it."""
    return f"{UPLOAD_PATH_PREFIX}{filename}"


def _replaced(session: Session, parsed: ParsedDocument) -> Document | None:
    """The stored version this upload replaces: the same document (issuer, kind, number and
    date: knowledge/identity.py), else an earlier upload of the same file."""
    identity = parsed_identity(parsed)
    documents = list(session.exec(select(Document).order_by(col(Document.id))))
    same = next((d for d in documents if stored_identity(d) == identity), None)
    path = upload_source_path(parsed.source)
    return same or next((d for d in documents if d.source_path == path), None)


def _rule_view(parsed_deadline: ParsedDeadline) -> _RuleView:
    rule = parsed_deadline.rule
    return _RuleView(
        rule.kind,
        rule.due_date,
        rule.month,
        rule.month_in_period,
        rule.day,
        parsed_deadline.valid_from_year,
        parsed_deadline.valid_to_year,
    )


@dataclass
class _RuleView:
    """A parsed deadline's rule as recurrence.DeadlineRule, to preview its next due date."""

    rule_kind: RecurrenceKind
    due_date: date | None
    month: int | None
    month_in_period: int | None
    day: int | None
    valid_from_year: int | None
    valid_to_year: int | None


def _warnings(parsed: ParsedDocument) -> list[str]:
    out = list(dict.fromkeys(parsed.warnings))
    linked = {d.task_index for d in parsed.deadlines}
    no_lead = [t.raw.number or str(i + 1) for i, t in enumerate(parsed.tasks) if not t.lead]
    if no_lead and not any("đơn vị chủ trì" in w for w in out):
        out.append(
            f"{len(no_lead)} nhiệm vụ không có đơn vị chủ trì (TT {', '.join(no_lead[:10])})."
        )
    unread = [
        t.raw.number or str(i + 1)
        for i, t in enumerate(parsed.tasks)
        if re.search(r"\d", t.raw.due_text) and i not in linked
    ]
    if unread:
        out.append(
            f"{len(unread)} nhiệm vụ có thời hạn không đọc được thành ngày cụ thể "
            f"(TT {', '.join(unread[:10])})."
        )
    return out


def build_preview(parsed: ParsedDocument, token: str, replaces: str, today: date) -> StagedPreview:
    h = parsed.header
    leads = Counter(u.name for t in parsed.tasks for u in t.lead)
    duties = Counter(d.unit.name for d in parsed.duties)
    deadlines = tuple(
        DeadlinePreview(
            d.title,
            next_due(_rule_view(d), today),
            tuple(dict.fromkeys(d.unit_names)),
            d.all_units,
        )
        for d in parsed.deadlines
    )
    new_units = tuple(u.name for u in parsed.units_seen if u.unit_id is None and u.is_new)
    kind = h.kind.value if hasattr(h.kind, "value") else str(h.kind)
    return StagedPreview(
        token,
        parsed.source,
        kind,
        h.number,
        h.date_text,
        h.title,
        replaces,
        len(parsed.tasks),
        tuple(leads.most_common()),
        tuple(duties.most_common()),
        deadlines,
        new_units,
        tuple(_warnings(parsed)),
    )


def stage_upload(
    engine: Engine,
    *,
    filename: str,
    data: bytes,
    staged_by: str,
    today: date,
    now: datetime | None = None,
) -> StagedPreview | StagedMembers:
    """Read and parse an uploaded document, store it as staged and return its preview.

    Nothing in the knowledge base changes. Raises UploadError with a Vietnamese message for a
    refused type or size, a corrupt or empty file, or a document already loaded unchanged.
    """
    with write_session(engine) as session:
        return stage(
            session, filename=filename, data=data, staged_by=staged_by, today=today, now=now
        )


def stage(
    session: Session,
    *,
    filename: str,
    data: bytes,
    staged_by: str,
    today: date,
    now: datetime | None = None,
) -> StagedPreview | StagedMembers:
    """`stage_upload` in the caller's unit of work (a chat handler's session)."""
    if is_member_csv(filename):
        return stage_member_csv(
            session,
            filename=filename,
            data=data,
            staged_by=staged_by,
            now=now or datetime.now(UTC),
        )
    raw = read_upload(filename, data)
    digest = hashlib.sha256(raw.data).hexdigest()
    same = session.exec(select(Document).where(Document.content_hash == digest)).first()
    if same is not None:
        raise UploadError(
            f"Văn bản này đã có trong cơ sở dữ liệu (“{same.title}”), không có gì thay đổi."
        )
    parsed = _parse(session, raw)
    replaced = _replaced(session, parsed)
    token = secrets.token_urlsafe(9)
    preview = build_preview(parsed, token, replaced.title if replaced else "", today)
    session.add(
        StagedUpload(
            token=token,
            filename=raw.source,
            data=raw.data,
            content_hash=digest,
            replaces_document_id=replaced.id if replaced else None,
            preview_text=preview.text(),
            staged_by=staged_by,
            staged_at=now or datetime.now(UTC),
        )
    )
    session.flush()
    logger.info("upload %s staged by %s as %s", raw.source, staged_by, token)
    return preview


@dataclass(frozen=True)
class StagedMembers:
    """The preview of a member list (.csv): what "Nạp" would add or update."""

    token: str
    filename: str
    lines: tuple[str, ...]

    def text(self) -> str:
        return "\n".join(
            [
                f"Xem trước danh sách thành viên “{self.filename}” (chưa nạp):",
                *self.lines,
                "Chọn “Nạp” để ghi vào cơ sở dữ liệu, hoặc “Huỷ”.",
            ]
        )


def _dry_member_import(
    session: Session, filename: str, data: bytes, by: str, now: datetime
) -> MemberImportReport:
    """Run the member import inside a savepoint that is always rolled back: a preview."""
    savepoint = session.begin_nested()
    try:
        return import_members_csv(session, data, source=filename, by=by, now=now)
    finally:
        savepoint.rollback()


def stage_member_csv(
    session: Session, *, filename: str, data: bytes, staged_by: str, now: datetime
) -> StagedMembers:
    """Check a member list (knowledge/members.py) without writing it and stage it."""
    name = clean_filename(filename)
    check_upload(name, len(data))
    report = _dry_member_import(session, name, data, staged_by, now)
    if report.errors:
        raise UploadError("\n".join(report.lines()))
    lines = (
        f"• {len(report.added)} thành viên mới"
        + (f": {', '.join(report.added[:20])}" if report.added else ""),
        f"• {len(report.updated)} cập nhật, {report.unchanged} không đổi",
        *(f"⚠ {w}" for w in report.warnings),
    )
    token = secrets.token_urlsafe(9)
    preview = StagedMembers(token, name, lines)
    session.add(
        StagedUpload(
            token=token,
            filename=name,
            data=data,
            content_hash=hashlib.sha256(data).hexdigest(),
            preview_text=preview.text(),
            staged_by=staged_by,
            staged_at=now,
        )
    )
    session.flush()
    return preview


# ---------------------------------------------------------------------- confirm / cancel
def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _open_staged(session: Session, token: str, now: datetime) -> StagedUpload:
    row = session.exec(select(StagedUpload).where(StagedUpload.token == token)).first()
    if row is None:
        raise UploadError("Không tìm thấy bản xem trước này; hãy gửi lại tệp.")
    if row.status is UploadStatus.CONFIRMED:
        raise UploadError(f"Văn bản “{row.filename}” đã được nạp rồi.")
    if row.status is UploadStatus.CANCELLED:
        raise UploadError(f"Bản xem trước “{row.filename}” đã bị huỷ; hãy gửi lại tệp.")
    if _aware(now) - _aware(row.staged_at) > STAGE_MAX_AGE:
        raise UploadError(f"Bản xem trước “{row.filename}” đã quá 24 giờ; hãy gửi lại tệp.")
    return row


def confirm_upload(
    engine: Engine,
    token: str,
    *,
    confirmed_by: str,
    now: datetime,
    in_transaction: InTransaction | None = None,
) -> ConfirmedUpload:
    """Commit a staged upload in one transaction (with `in_transaction`, e.g. the notices and
    the carried-over done marks, inside the same one). Raises UploadError if it cannot."""
    with write_session(engine) as session:
        return confirm(
            session, token, confirmed_by=confirmed_by, now=now, in_transaction=in_transaction
        )


def confirm(
    session: Session,
    token: str,
    *,
    confirmed_by: str,
    now: datetime,
    in_transaction: InTransaction | None = None,
) -> ConfirmedUpload:
    """`confirm_upload` in the caller's unit of work; on UploadError nothing of it is written."""
    with session.begin_nested():
        row = _open_staged(session, token, now)
        if is_member_csv(row.filename):
            return _confirm_members(session, row, confirmed_by=confirmed_by, now=now)
        raw = read_upload(row.filename, row.data)
        ensure_seed_units(session)
        catalog = UnitCatalog.from_session(session)
        try:
            report = import_raw(session, raw, catalog, source_path=upload_source_path(raw.source))
        except IngestError as exc:
            raise UploadError(f"Không nạp được “{row.filename}”: {exc.reason}") from exc
        if report.status == STATUS_UNCHANGED or report.document_id is None:
            raise UploadError(f"Văn bản “{row.filename}” đã có trong cơ sở dữ liệu, không đổi.")
        row.status = UploadStatus.CONFIRMED
        row.resolved_by, row.resolved_at = confirmed_by, now
        row.document_id = report.document_id
        session.add(row)
        replaced = row.replaces_document_id if report.status == STATUS_REPLACED else None
        confirmed = ConfirmedUpload(token, report.document_id, report.title, replaced)
        if in_transaction is not None:
            in_transaction(session, confirmed, now)
    logger.info(
        "upload %s confirmed by %s as document %s", token, confirmed_by, report.document_id
    )
    return confirmed


def _confirm_members(
    session: Session, row: StagedUpload, *, confirmed_by: str, now: datetime
) -> ConfirmedUpload:
    report = import_members_csv(session, row.data, source=row.filename, by=confirmed_by, now=now)
    if report.errors:
        raise UploadError("\n".join(report.lines()))
    row.status = UploadStatus.CONFIRMED
    row.resolved_by, row.resolved_at = confirmed_by, now
    session.add(row)
    summary = " ".join(report.lines()[:1])
    logger.info("member list %s confirmed by %s", row.filename, confirmed_by)
    return ConfirmedUpload(row.token, 0, summary, None)


def cancel_upload(
    engine: Engine, token: str, *, cancelled_by: str = "", now: datetime | None = None
) -> bool:
    """Drop a staged upload; False if it was already confirmed, cancelled or unknown."""
    with write_session(engine) as session:
        return cancel(session, token, cancelled_by=cancelled_by, now=now)


def cancel(
    session: Session, token: str, *, cancelled_by: str = "", now: datetime | None = None
) -> bool:
    """`cancel_upload` in the caller's unit of work."""
    row = session.exec(select(StagedUpload).where(StagedUpload.token == token)).first()
    if row is None or row.status is not UploadStatus.STAGED:
        return False
    row.status = UploadStatus.CANCELLED
    row.resolved_by = cancelled_by
    row.resolved_at = now or datetime.now(UTC)
    row.data = b""  # nothing of a cancelled file is kept but its name and preview
    session.add(row)
    logger.info("upload %s cancelled by %s", token, cancelled_by)
    return True


def staged_preview_text(engine: Engine, token: str) -> str | None:
    with read_session(engine) as session:
        row = session.exec(select(StagedUpload).where(StagedUpload.token == token)).first()
        return row.preview_text if row else None


# ---------------------------------------------------------------------- retire
def retired_document_ids(session: Session) -> set[int]:
    return set(session.exec(select(DocumentRetirement.document_id)).all())


def retire_document(session: Session, document_id: int, *, retired_by: str, now: datetime) -> bool:
    """Stop applying a document: its deadlines stop reminding; False if already retired."""
    if session.get(Document, document_id) is None or document_id in retired_document_ids(session):
        return False
    session.add(DocumentRetirement(document_id=document_id, retired_by=retired_by, retired_at=now))
    session.flush()
    logger.info("document %s retired by %s", document_id, retired_by)
    return True
