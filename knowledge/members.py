"""Members of collective units (schools, centres, communal offices): match, add, load from CSV."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from rapidfuzz import fuzz
from sqlmodel import Session, col, select

from knowledge.models import Unit, UnitMember
from knowledge.normalize import fold, nfc

MAX_CSV_BYTES = 1_000_000
MAX_CSV_ROWS = 5_000
MAX_NAME_CHARS = 200
# Header names accepted for each column (folded, "_" and spaces alike).
UNIT_HEADERS = ("don vi", "don vi tap the", "don vi chung", "unit")
NAME_HEADERS = (
    "ten",
    "ten thanh vien",
    "thanh vien",
    "ten don vi thanh vien",
    "ten truong",
    "name",
)
ALIAS_HEADERS = ("ten khac", "bi danh", "ten goi khac", "aliases")
_LEADING_KIND = re.compile(r"^(truong|cac truong)\s+")


def member_key(name: str) -> str:
    """The matching key of a member name: folded, without a leading "Trường"."""
    return _LEADING_KIND.sub("", fold(name))


def clean_name(name: str) -> str:
    return " ".join(nfc(name).split())[:MAX_NAME_CHARS]


def member_label(member: UnitMember, unit: Unit | None) -> str:
    """ "THPT Trần Phú (Các đơn vị giáo dục)"."""
    return f"{member.name} ({unit.name})" if unit is not None else member.name


def members_of(session: Session, unit_id: int, *, approved_only: bool = True) -> list[UnitMember]:
    query = select(UnitMember).where(UnitMember.unit_id == unit_id)
    if approved_only:
        query = query.where(col(UnitMember.approved).is_(True))
    return sorted(session.exec(query), key=lambda m: m.name_key)


def _score(query: str, key: str) -> float:
    if query == key:
        return 100.0
    score = max(fuzz.ratio(query, key), fuzz.token_sort_ratio(query, key))
    if len(query) >= 6 and len(key) >= 6:
        score = max(score, 0.9 * fuzz.partial_ratio(query, key))
    return float(score)


def match_members(
    session: Session, text: str, limit: int = 5, unit_id: int | None = None
) -> list[tuple[UnitMember, float]]:
    """Members ranked by how well the text names them (0-100), accents ignored."""
    query = member_key(text)
    if not query:
        return []
    rows = select(UnitMember)
    if unit_id is not None:
        rows = rows.where(UnitMember.unit_id == unit_id)
    scored = []
    for member in session.exec(rows):
        keys = [member.name_key, *(member_key(a) for a in member.aliases or [])]
        best = max(_score(query, k) for k in keys if k)
        if best >= 60:
            scored.append((best, member.approved, member))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [(m, round(score, 1)) for score, _, m in scored[:limit]]


def find_member(session: Session, unit_id: int, name: str) -> UnitMember | None:
    return session.exec(
        select(UnitMember).where(
            UnitMember.unit_id == unit_id, UnitMember.name_key == member_key(name)
        )
    ).first()


def add_member(
    session: Session,
    *,
    unit_id: int,
    name: str,
    by: str,
    now: datetime,
    approved: bool = False,
    aliases: list[str] | None = None,
) -> tuple[UnitMember, bool]:
    """The member of the unit with this name, created if new; (member, created)."""
    existing = find_member(session, unit_id, name)
    if existing is not None:
        return existing, False
    member = UnitMember(
        unit_id=unit_id,
        name=clean_name(name),
        name_key=member_key(name),
        aliases=list(aliases or []),
        approved=approved,
        created_by=by,
        created_at=_utc(now),
        approved_by=by if approved else "",
        approved_at=_utc(now) if approved else None,
    )
    session.add(member)
    session.flush()
    return member, True


def approve_member(session: Session, member: UnitMember, *, by: str, now: datetime) -> bool:
    if member.approved:
        return False
    member.approved, member.approved_by, member.approved_at = True, by, _utc(now)
    session.add(member)
    return True


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


# ---------------------------------------------------------------------- CSV import
@dataclass
class MemberImportReport:
    source: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)  # known before: aliases merged, approved
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)  # any error: nothing was written
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        """Vietnamese summary for the CLI and the chat."""
        if self.errors:
            out = [
                f"Không nạp danh sách thành viên từ {self.source}: {len(self.errors)} lỗi, "
                "chưa thay đổi gì. Hãy sửa tệp rồi nạp lại."
            ]
            out += [f"  ✗ {e}" for e in self.errors[:50]]
            if len(self.errors) > 50:
                out.append(f"  … và {len(self.errors) - 50} lỗi khác.")
            return out
        out = [
            f"Đã nạp danh sách thành viên từ {self.source}: {len(self.added)} mới, "
            f"{len(self.updated)} cập nhật, {self.unchanged} không đổi."
        ]
        out += [f"  ⚠ {w}" for w in self.warnings]
        return out


@dataclass(frozen=True)
class _Row:
    line: int
    unit: Unit
    name: str
    aliases: tuple[str, ...]


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _header_index(header: list[str]) -> dict[str, int]:
    keys = [fold(h.replace("_", " ")) for h in header]
    found: dict[str, int] = {}
    for column, accepted in (
        ("unit", UNIT_HEADERS),
        ("name", NAME_HEADERS),
        ("aliases", ALIAS_HEADERS),
    ):
        for i, key in enumerate(keys):
            if key in accepted:
                found[column] = i
                break
    return found


def _unit_lookup(session: Session) -> dict[str, Unit]:
    table: dict[str, Unit] = {}
    for unit in session.exec(select(Unit)):
        for form in (unit.name, unit.short_name, *(unit.aliases or [])):
            if form and fold(form) not in table:
                table[fold(form)] = unit
    return table


def _read_rows(
    text: str, source: str, report: MemberImportReport
) -> tuple[dict[str, int], list[list[str]]]:
    first_line = text.splitlines()[0] if text.strip() else ""
    delimiter = max(",;\t", key=first_line.count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows:
        report.errors.append("tệp rỗng: cần dòng tiêu đề (don_vi, ten) và ít nhất một dòng.")
        return {}, []
    columns = _header_index(rows[0])
    missing = [name for name, key in (("don_vi", "unit"), ("ten", "name")) if key not in columns]
    if missing:
        report.errors.append(
            f"dòng 1 (tiêu đề) thiếu cột {', '.join(missing)}. Tiêu đề cần có: don_vi, ten "
            f"(tuỳ chọn: ten_khac). Tiêu đề hiện có: {', '.join(rows[0])[:200] or '(trống)'}."
        )
    if len(rows) - 1 > MAX_CSV_ROWS:
        report.errors.append(
            f"tệp có {len(rows) - 1} dòng, tối đa {MAX_CSV_ROWS} dòng mỗi lần nạp."
        )
    return columns, rows[1:]


def _validate(
    session: Session, columns: dict[str, int], rows: list[list[str]], report: MemberImportReport
) -> list[_Row]:
    units = _unit_lookup(session)
    good: list[_Row] = []
    seen: dict[tuple[int, str], int] = {}
    for line, cells in enumerate(rows, start=2):
        if not any(c.strip() for c in cells):
            continue  # a blank line

        def cell(key: str, cells: list[str] = cells) -> str:
            return (
                cells[columns[key]].strip() if key in columns and columns[key] < len(cells) else ""
            )

        unit_text, name = nfc(cell("unit")), clean_name(cell("name"))
        if not unit_text or not name:
            report.errors.append(
                f"dòng {line}: thiếu "
                f"{'tên đơn vị (don_vi)' if not unit_text else 'tên thành viên (ten)'}."
            )
            continue
        if len(cell("name")) > MAX_NAME_CHARS:
            report.errors.append(f"dòng {line}: tên thành viên dài quá {MAX_NAME_CHARS} ký tự.")
            continue
        unit = units.get(fold(unit_text))
        if unit is None:
            report.errors.append(
                f"dòng {line}: không có đơn vị “{unit_text[:80]}” trong cơ sở dữ liệu "
                "(xem danh sách bằng: python -m bot units)."
            )
            continue
        if not unit.is_collective:
            report.errors.append(
                f"dòng {line}: “{unit.name}” là một đơn vị đơn lẻ, không có thành viên; "
                "chỉ đơn vị chung (như Các đơn vị giáo dục) mới có danh sách thành viên."
            )
            continue
        key = (unit.id or 0, member_key(name))
        if key in seen:
            report.warnings.append(f"dòng {line}: trùng với dòng {seen[key]} ({name}), bỏ qua.")
            continue
        seen[key] = line
        aliases = tuple(
            a for a in (clean_name(x) for x in re.split(r"[;|]", cell("aliases"))) if a
        )
        good.append(_Row(line, unit, name, aliases))
    if not good and not report.errors:
        report.errors.append("tệp không có dòng thành viên nào.")
    return good


def import_members_csv(
    session: Session, data: bytes, *, source: str, by: str, now: datetime
) -> MemberImportReport:
    """Load a member list (columns don_vi, ten, optional ten_khac) in the caller's transaction.

    Every row is checked first; with any error nothing is written and the report lists each
    bad row in Vietnamese. Members an admin lists are approved; known ones get new aliases.
    """
    report = MemberImportReport(source=source)
    if len(data) > MAX_CSV_BYTES:
        report.errors.append(f"tệp lớn quá {MAX_CSV_BYTES // 1_000_000} MB.")
        return report
    text = _decode(data)
    if text is None:
        report.errors.append(
            "tệp không phải văn bản UTF-8. Khi lưu từ Excel, chọn kiểu “CSV UTF-8”."
        )
        return report
    if "\x00" in text:
        report.errors.append("tệp nhị phân, không phải tệp CSV.")
        return report
    columns, rows = _read_rows(text, source, report)
    if report.errors:
        return report
    good = _validate(session, columns, rows, report)
    if report.errors:
        return report
    for row in good:
        _store_row(session, row, report, by=by, now=now)
    session.flush()
    return report


def _store_row(
    session: Session, row: _Row, report: MemberImportReport, *, by: str, now: datetime
) -> None:
    assert row.unit.id is not None
    member, created = add_member(
        session,
        unit_id=row.unit.id,
        name=row.name,
        by=by,
        now=now,
        approved=True,
        aliases=list(row.aliases),
    )
    if created:
        report.added.append(member.name)
        return
    new_aliases = [a for a in row.aliases if a not in (member.aliases or [])]
    approved_now = approve_member(session, member, by=by, now=now)
    if new_aliases:
        member.aliases = [*(member.aliases or []), *new_aliases]
        session.add(member)
    if new_aliases or approved_now:
        report.updated.append(member.name)
    else:
        report.unchanged += 1
