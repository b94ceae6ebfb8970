"""Table models of the knowledge base: documents, sections, units, tasks, duties, deadlines,
references."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import Enum

from sqlalchemy import JSON, Column, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from knowledge.dbtypes import AwareDateTime, enum_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class DocumentKind(str, Enum):
    PLAN = "kế hoạch"
    DIRECTIVE = "công văn"
    OTHER = "khác"


class RecurrenceKind(str, Enum):
    ONCE = "once"
    YEARLY = "yearly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    MONTHLY = "monthly"


class UnitRole(str, Enum):
    LEAD = "lead"
    COOPERATE = "cooperate"


class Document(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: DocumentKind = Field(default=DocumentKind.OTHER, sa_type=enum_column(DocumentKind))
    number: str = ""  # as written, may be blank: "/SGDĐT-VP"
    issuer: str = ""  # "Sở Giáo dục và Đào tạo"
    issuer_parent: str = ""  # "UBND thành phố Hải Phòng"
    province: str = ""  # "Hải Phòng", "Bình Định"
    place: str = ""
    date_text: str = ""  # as written, may be partial: "ngày tháng 01 năm 2025"
    issued_year: int | None = None
    issued_month: int | None = None
    issued_day: int | None = None
    title: str = ""  # short human title: "Kế hoạch Công tác CCHC năm 2025 …"
    subject: str = ""  # the "V/v …" line, unwrapped
    period_start: int | None = None  # first year the document governs
    period_end: int | None = None  # last year the document governs
    recipients: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    signer_name: str = ""
    signer_title: str = ""
    source_file: str = Field(default="", index=True)
    source_path: str = (
        ""  # the imported file's absolute path; "" when unknown (chat upload, old row)
    )
    # stable identity (knowledge/identity.py), kept by every re-import of the same document
    uid: str = Field(default="", index=True)
    content_hash: str = Field(default="", index=True)
    full_text: str = Field(default="", sa_column=Column(Text))
    imported_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class Section(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    ordinal: int = 0  # position in the document
    path: str = ""  # "V.2.b"
    heading: str = ""
    text: str = Field(default="", sa_column=Column(Text))
    search_key: str = Field(default="", sa_column=Column(Text))  # normalised text, precomputed


class Unit(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)  # canonical: "Phòng Tổ chức cán bộ"
    short_name: str = ""  # "TCCB"
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    is_collective: bool = False  # "các đơn vị giáo dục", "Phòng GDĐT quận, huyện"
    learned_from: str = ""  # source file that introduced it, empty for built-in units


class UnitAlias(SQLModel, table=True):
    """A short form one document defines for a unit already known ("Thanh tra Sở (TTS)"):
    a name of that unit in questions, and in later documents of the same province (a built-in
    unit has no province of its own). Goes with its document."""

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    alias: str  # as the document writes it: "TTS", "Phòng KHTC&CSVC"
    province: str = ""  # the document's province, as written: "Lâm Đồng"


class UnitMember(SQLModel, table=True):
    """One member of a collective unit: a school or centre of "Các đơn vị giáo dục", a communal
    office of "UBND các xã, phường". Reminders, done marks and the board are per member.

    Members come from an admin's CSV (approved at once) or from a user naming their own at
    /donvi (pending until an admin approves).
    """

    __table_args__ = (UniqueConstraint("unit_id", "name_key"),)
    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)  # the collective
    name: str  # "THPT Trần Phú"
    name_key: str = Field(index=True)  # fold(name): the matching key
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    approved: bool = False
    created_by: str = ""  # "CSV danh_sach.csv" or "telegram:12345"
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    approved_by: str = ""
    approved_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class Task(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    ordinal: int = 0
    uid: str = Field(default="", index=True)  # stable across re-imports (knowledge/identity.py)
    number: str = ""  # TT as written: "10"
    content: str = Field(default="", sa_column=Column(Text))
    lead_text: str = ""  # cell as written
    cooperate_text: str = ""
    due_text: str = ""  # "Trước ngày 15/01/2025", "Cả năm 2025"
    product: str = Field(default="", sa_column=Column(Text))
    section_path: str = ""  # "Phụ lục" or the heading the table sits under
    search_key: str = Field(default="", sa_column=Column(Text))


class TaskUnit(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("task_id", "unit_id", "role"),)
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True, ondelete="CASCADE")
    unit_id: int = Field(foreign_key="unit.id", index=True)
    role: UnitRole = Field(sa_type=enum_column(UnitRole))
    position: int = 0


class Responsibility(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    unit_id: int = Field(foreign_key="unit.id", index=True)
    ordinal: int = 0
    section_path: str = ""
    text: str = Field(default="", sa_column=Column(Text))
    search_key: str = Field(default="", sa_column=Column(Text))


class Deadline(SQLModel, table=True):
    """A due date rule found in a document.

    rule_kind once: due_date. yearly: month/day. quarterly: day of `month_in_period` (1-3) of
    each quarter. half_yearly: day of `month_in_period` (1-6) of each half. monthly: day.
    A rule applies from `valid_from_year` to `valid_to_year` (inclusive, None = open).
    """

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    task_id: int | None = Field(default=None, foreign_key="task.id", ondelete="SET NULL")
    ordinal: int = 0
    # stable across re-imports (knowledge/identity.py); done marks and outbox keys use it
    uid: str = Field(default="", index=True)
    title: str = ""  # "Báo cáo quý kết quả CCHC"
    quote: str = Field(default="", sa_column=Column(Text))  # source wording, verbatim
    section_path: str = ""
    rule_kind: RecurrenceKind = Field(
        default=RecurrenceKind.ONCE, sa_type=enum_column(RecurrenceKind)
    )
    due_date: date | None = None
    month: int | None = None
    month_in_period: int | None = None
    day: int | None = None
    valid_from_year: int | None = None
    valid_to_year: int | None = None
    all_units: bool = False  # "các phòng, đơn vị": every unit
    search_key: str = Field(default="", sa_column=Column(Text))


class DeadlineUnit(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("deadline_id", "unit_id"),)
    id: int | None = Field(default=None, primary_key=True)
    deadline_id: int = Field(foreign_key="deadline.id", index=True, ondelete="CASCADE")
    unit_id: int = Field(foreign_key="unit.id", index=True)


class Reference(SQLModel, table=True):
    """A legal document cited in the text: "Nghị quyết số 131/NQ-CP ngày 06/10/2022"."""

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    ordinal: int = 0
    code: str = ""  # "131/NQ-CP"
    code_key: str = Field(default="", index=True)  # normalised: "131/nq-cp"
    number: str = ""  # "131"
    doc_type: str = ""  # "Nghị quyết", "Văn bản", "Kế hoạch"
    date_text: str = ""
    issued_on: date | None = None
    context: str = Field(default="", sa_column=Column(Text))  # the sentence that cites it
    section_path: str = ""


class UploadStatus(str, Enum):
    STAGED = "staged"  # parsed and previewed; nothing in the knowledge base changed yet
    CONFIRMED = "confirmed"  # committed ("Nạp")
    CANCELLED = "cancelled"  # dropped ("Huỷ"); the bytes are kept for the audit until pruned


class StagedUpload(SQLModel, table=True):
    """A document an admin sent (chat or web), parsed but not yet committed: the preview and
    the file itself, so "Nạp" works after a restart and on any replica."""

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(index=True, unique=True)  # short ASCII id used in buttons and URLs
    filename: str = ""
    data: bytes = Field(default=b"", sa_column=Column(LargeBinary))
    content_hash: str = Field(default="", index=True)
    replaces_document_id: int | None = None  # the stored version this upload replaces
    preview_text: str = Field(default="", sa_column=Column(Text))
    status: UploadStatus = Field(default=UploadStatus.STAGED, sa_type=enum_column(UploadStatus))
    staged_by: str = ""  # "telegram:12345 (Nguyễn Văn A)"
    staged_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    resolved_by: str = ""
    resolved_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    document_id: int | None = None  # the document created on confirmation


class DocumentRetirement(SQLModel, table=True):
    """An admin stopped applying a document ("Ngừng áp dụng"): its deadlines stop reminding and
    answers label its items as expired. The document, its done marks and audit stay."""

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(index=True, unique=True)
    retired_by: str = ""
    retired_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
