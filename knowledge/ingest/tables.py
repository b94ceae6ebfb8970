"""Catalogue tables: find the columns by their header names and turn rows into tasks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.ingest.casing import sentence_case
from knowledge.ingest.readers import Block
from knowledge.ingest.text import is_caps_line, strip_markup
from knowledge.normalize import fold

COLUMNS = ("tt", "content", "lead", "cooperate", "due", "product")


@dataclass
class RawTask:
    number: str
    content: str
    lead_text: str
    cooperate_text: str
    due_text: str
    product: str
    section_path: str


def column_of(header_cell: str) -> str | None:
    """Which catalogue column a header cell names (fuzzy, accent-insensitive)."""
    key = fold(header_cell)
    if not key:
        return None
    if key in ("tt", "stt", "so tt", "so thu tu", "thu tu", "no"):
        return "tt"
    if any(
        w in key for w in ("thoi gian", "thoi han", "tien do", "han hoan thanh", "moc thoi gian")
    ):
        return "due"
    if "chu tri" in key:
        return "lead"
    if "phoi hop" in key:
        return "cooperate"
    if any(w in key for w in ("san pham", "ket qua du kien", "hinh thuc van ban")):
        return "product"
    if any(w in key for w in ("noi dung", "nhiem vu", "cong viec", "ten hoat dong", "hoat dong")):
        return "content"
    if any(w in key for w in ("don vi thuc hien", "co quan thuc hien", "trach nhiem", "don vi")):
        return "lead"
    return None


def header_mapping(cells: tuple[str, ...]) -> dict[int, str] | None:
    """Column index → column name, when the row is a catalogue header row."""
    mapping: dict[int, str] = {}
    if any(re.match(r"^\s*\d{1,3}\s*[.)]?\s*$", strip_markup(c)) for c in cells):
        return None  # a numbered data row
    for i, cell in enumerate(cells):
        text = strip_markup(cell)
        if len(text) > 60:
            continue
        name = column_of(text)
        if name and name not in mapping.values():
            mapping[i] = name
    names = set(mapping.values())
    if len(mapping) >= 3 and ("content" in names) and names & {"lead", "due", "tt"}:
        return mapping
    return None


def flatten_layout_tables(blocks: list[Block]) -> list[Block]:
    """Tables that only lay out text (a Word header "UBND … | CỘNG HÒA …", a signature block)
    become text lines, their cells side by side as columns; catalogue tables stay rows."""
    catalogue: set[int] = set()
    widths: dict[int, int] = {}
    for block in blocks:
        if block.is_row:
            widths[block.table] = max(widths.get(block.table, 0), len(block.cells))
            if header_mapping(block.cells) is not None:
                catalogue.add(block.table)
    out: list[Block] = []
    for block in blocks:
        if not block.is_row or block.table in catalogue or widths.get(block.table, 0) > 3:
            out.append(block)
            continue
        columns = [cell.split("\n") for cell in block.cells]
        for k in range(max((len(c) for c in columns), default=0)):
            parts = [c[k].strip() for c in columns if k < len(c) and c[k].strip()]
            out.append(Block(text="     ".join(parts)))
        out.append(Block(text=""))
    return out


def _clean(cell: str) -> str:
    return re.sub(r"\s+", " ", strip_markup(cell)).strip()


_CONTINUED = re.compile(r"^(?:\(\s*tiếp(?:\s+theo)?\s*\)|tiếp\s+theo\s*:)\s*", re.IGNORECASE)


def _merge(old: str, new: str) -> str:
    new = _CONTINUED.sub("", new)  # "(tiếp theo) tại Bộ phận một cửa" continues the row above
    if not new or new == old:
        return old
    if not old:
        return new
    return f"{old} {new}"


_COLUMN_NUMBER = re.compile(r"^\(?(\d{1,2})\)?$")
_GROUP_MARKER = re.compile(r"^(?:[IVX]{1,5}|[A-Z])(?:[.)]\s*|\s+)\S")


def is_column_numbering(cells: tuple[str, ...]) -> bool:
    """The row under a catalogue header that numbers its columns: "(1) | (2) | … | (6)"."""
    numbers = [_COLUMN_NUMBER.match(_clean(c)) for c in cells if _clean(c)]
    if len(numbers) < 3 or not all(numbers):
        return False
    values = [int(m.group(1)) for m in numbers if m]
    return values == list(range(values[0], values[0] + len(values)))


def _is_group_row(values: dict[str, str]) -> bool:
    """A heading row inside the table, "I | CẢI CÁCH THỂ CHẾ | | |" or one cell merged across
    the whole row, "II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH"."""
    tt = values.get("tt", "").rstrip(".").strip()
    content = values.get("content", "")
    others = [v for k, v in values.items() if k not in ("tt", "content")]
    if any(others):
        return False
    if content:
        return bool(re.fullmatch(r"[IVX]{1,5}|[A-Z]", tt)) or is_caps_line(content)
    return bool(tt) and (bool(_GROUP_MARKER.match(tt)) or is_caps_line(tt))


GROUP_SEPARATOR = " › "  # "Phụ lục › III. Cải cách tài chính công": a row's group heading
_MARKED = re.compile(r"^([IVX]{1,5}|[A-Z])(?:[.)]\s*|\s+)(\S.*)$")


def _group_title(values: dict[str, str]) -> str:
    """ "III. Cải cách tài chính công" from a group row, in normal case."""
    tt = values.get("tt", "").rstrip(".").strip()
    content = values.get("content", "")
    text = f"{tt}. {content}" if tt and content and tt != content else (content or tt)
    marked = _MARKED.match(text)
    marker, title = (marked.group(1), marked.group(2)) if marked else ("", text)
    title = sentence_case(title) if is_caps_line(title) else title
    return f"{marker}. {title}" if marker else title


def _continue_task(task: RawTask, values: dict[str, str]) -> None:
    """A row without its own number carries on the task above (a row split by a page break)."""
    task.content = _merge(task.content, values.get("content", ""))
    task.lead_text = _merge(task.lead_text, values.get("lead", ""))
    task.cooperate_text = _merge(task.cooperate_text, values.get("cooperate", ""))
    task.due_text = _merge(task.due_text, values.get("due", ""))
    task.product = _merge(task.product, values.get("product", ""))


def _new_task(values: dict[str, str], tt: str, count: int, path: str) -> RawTask:
    return RawTask(
        number=tt or str(count + 1),
        content=values.get("content", ""),
        lead_text=values.get("lead", ""),
        cooperate_text=values.get("cooperate", ""),
        due_text=values.get("due", ""),
        product=values.get("product", ""),
        section_path=path,
    )


@dataclass
class _TableReader:
    """Reads catalogue rows in document order; the column mapping carries over table parts."""

    warnings: list[str]
    tasks: list[RawTask] = field(default_factory=list)
    mapping: dict[int, str] | None = None
    last_tt: str | None = None
    group: str = ""  # the group row above ("II. Cải cách thủ tục hành chính"), in the path

    def row(self, cells: tuple[str, ...], path: str) -> None:
        found = header_mapping(cells)
        if found is not None:
            self.mapping = found
            return
        if self.mapping is None or is_column_numbering(cells):
            return
        values = {
            name: _clean(cells[i]) if i < len(cells) else "" for i, name in self.mapping.items()
        }
        if not any(values.values()):
            return
        if _is_group_row(values):
            self.group = _group_title(values)
            return
        tt = values.get("tt", "").rstrip(".").strip()
        has_tt_column = "tt" in self.mapping.values()
        if self.tasks and has_tt_column and (not tt or tt == self.last_tt):
            _continue_task(self.tasks[-1], values)
            return
        if not values.get("content"):
            self.warnings.append(
                f"Dòng bảng không có nội dung công việc (TT {tt or '?'}), đã bỏ qua."
            )
            return
        self.last_tt = tt or None
        grouped = f"{path}{GROUP_SEPARATOR}{self.group}" if self.group else path
        self.tasks.append(_new_task(values, tt, len(self.tasks), grouped))


def tasks_from_rows(
    tables: list[tuple[list[tuple[str, ...]], str]], warnings: list[str]
) -> list[RawTask]:
    """Tasks from table rows; a row with an empty TT cell continues the task above it.

    `tables` holds (rows, section path) in document order. Repeated header rows (a table split
    by page breaks) and the column numbering row "(1) … (6)" are skipped; the column mapping
    carries over to the next table part.
    """
    reader = _TableReader(warnings)
    last_path = None
    for rows, path in tables:
        reader.last_tt = None
        if path != last_path:  # another catalogue: its own groups
            reader.group, last_path = "", path
        for cells in rows:
            reader.row(cells, path)
    return reader.tasks
