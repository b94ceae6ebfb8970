"""Catalogue tables: find the columns by their header names and turn rows into tasks."""

from __future__ import annotations

import re
from dataclasses import dataclass

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


def tasks_from_rows(
    tables: list[tuple[list[tuple[str, ...]], str]], warnings: list[str]
) -> list[RawTask]:
    """Tasks from table rows; a row with an empty TT cell continues the task above it.

    `tables` holds (rows, section path) in document order. Repeated header rows (a table split
    by page breaks) are skipped; the column mapping carries over to the next table part.
    """
    tasks: list[RawTask] = []
    mapping: dict[int, str] | None = None
    for rows, path in tables:
        last_tt = None
        for cells in rows:
            found = header_mapping(cells)
            if found is not None:
                mapping = found
                continue
            if mapping is None:
                continue
            values = {
                name: _clean(cells[i]) if i < len(cells) else "" for i, name in mapping.items()
            }
            if not any(values.values()):
                continue
            tt = values.get("tt", "").rstrip(".").strip()
            others = [v for k, v in values.items() if k not in ("tt", "content")]
            if (
                not any(others)
                and values.get("content")
                and (re.fullmatch(r"[IVX]{1,5}|[A-Z]", tt) or is_caps_line(values["content"]))
            ):
                continue  # a group row inside the table: "I | CẢI CÁCH THỂ CHẾ | | |"
            has_tt_column = "tt" in mapping.values()
            continuation = tasks and has_tt_column and (not tt or tt == last_tt)
            if continuation:
                task = tasks[-1]
                task.content = _merge(task.content, values.get("content", ""))
                task.lead_text = _merge(task.lead_text, values.get("lead", ""))
                task.cooperate_text = _merge(task.cooperate_text, values.get("cooperate", ""))
                task.due_text = _merge(task.due_text, values.get("due", ""))
                task.product = _merge(task.product, values.get("product", ""))
                continue
            if not values.get("content"):
                if any(values.values()):
                    warnings.append(
                        f"Dòng bảng không có nội dung công việc (TT {tt or '?'}), đã bỏ qua."
                    )
                continue
            last_tt = tt or None
            tasks.append(
                RawTask(
                    number=tt or str(len(tasks) + 1),
                    content=values.get("content", ""),
                    lead_text=values.get("lead", ""),
                    cooperate_text=values.get("cooperate", ""),
                    due_text=values.get("due", ""),
                    product=values.get("product", ""),
                    section_path=path,
                )
            )
    return tasks
