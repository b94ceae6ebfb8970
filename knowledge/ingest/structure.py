"""Document outline: paragraphs grouped into sections with heading paths ("V.2.b") and tables."""

from __future__ import annotations

from dataclasses import dataclass, field

from knowledge.ingest.header import Header
from knowledge.ingest.readers import Block
from knowledge.ingest.text import Marker, is_caps_line, marker_of, rejoin, strip_markup
from knowledge.normalize import fold

ANNEX = "Phụ lục"
_LEVELS = {"roman": 1, "arabic": 2, "letter": 6}


@dataclass
class OutSection:
    ordinal: int
    path: str
    heading: str
    level: int
    ancestors: list[str]  # headings of enclosing sections, outermost first
    paragraphs: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class Para:
    text: str
    section: OutSection
    marker: Marker | None

    @property
    def kind(self) -> str:
        if self.marker is None:
            return "text"
        return self.marker.kind


@dataclass
class OutTable:
    rows: list[tuple[str, ...]]
    section: OutSection


@dataclass
class Outline:
    sections: list[OutSection]
    paragraphs: list[Para]
    tables: list[OutTable]


def _level(marker: Marker) -> int:
    if marker.kind == "multi":
        return 1 + marker.label.count(".") + 1
    return _LEVELS[marker.kind]


def short_heading(text: str) -> str:
    text = text.strip().rstrip(":").strip()
    if len(text) <= 120:
        return text
    cut = text[:100]
    return cut[: cut.rfind(" ")] + " …"


class _Builder:
    def __init__(self) -> None:
        self.sections: list[OutSection] = []
        self.paragraphs: list[Para] = []
        self.tables: list[OutTable] = []
        self.stack: list[tuple[int, str, str, OutSection]] = []  # level, label, component, section
        self.current = self._new("", "Phần mở đầu", 0, [])

    def _new(self, path: str, heading: str, level: int, ancestors: list[str]) -> OutSection:
        section = OutSection(len(self.sections), path, heading, level, ancestors)
        self.sections.append(section)
        return section

    def start_annex(self, heading: str) -> None:
        self.stack = []
        section = self._new(ANNEX, heading or "Phụ lục", 1, [])
        self.stack.append((0, ANNEX, ANNEX, section))
        self.current = section

    def heading(self, marker: Marker, text: str) -> None:
        level = _level(marker)
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        component = marker.label
        if marker.kind == "multi" and self.stack:
            prefix = marker.label.rsplit(".", 1)[0]
            parent_label = self.stack[-1][1]
            if parent_label == prefix:
                component = marker.label.rsplit(".", 1)[1]
        path = ".".join([*(s[2] for s in self.stack), component])
        ancestors = [s[3].heading for s in self.stack]
        section = self._new(path, short_heading(marker.rest), level, ancestors)
        self.stack.append((level, marker.label, component, section))
        self.current = section
        self.add(text, marker)

    def add(self, text: str, marker: Marker | None) -> None:
        self.current.paragraphs.append(text)
        self.paragraphs.append(Para(text, self.current, marker))


def build_outline(blocks: list[Block], header: Header, *, wrapped: bool) -> Outline:
    """Split the body (between the header and "Nơi nhận") and any annex after the signature."""
    builder = _Builder()
    body_end = header.sign_start if header.sign_start is not None else len(blocks)
    segments = [(header.body_start, body_end, False)]
    if header.sign_end is not None and header.sign_end < len(blocks):
        segments.append((header.sign_end, len(blocks), True))
    elif header.sign_start is not None:
        # no signer found: tables after "Nơi nhận" still belong to the document
        first_row = next(
            (i for i in range(header.sign_start, len(blocks)) if blocks[i].is_row), None
        )
        if first_row is not None:
            segments.append((first_row, len(blocks), True))
    for start, end, is_annex in segments:
        _walk(builder, blocks[start:end], is_annex, wrapped)
    return Outline(builder.sections, builder.paragraphs, builder.tables)


def _walk(builder: _Builder, blocks: list[Block], is_annex: bool, wrapped: bool) -> None:
    lines: list[str] = []
    rows: list[tuple[str, ...]] = []
    annex_started = False

    def flush_text() -> None:
        nonlocal annex_started
        paragraphs = rejoin(lines, wrapped=wrapped)
        lines.clear()
        for text in paragraphs:
            if is_annex and not annex_started:
                heading = text if is_caps_line(text) else ""
                builder.start_annex(heading or text[:100])
                annex_started = True
                if heading:
                    continue
            marker = marker_of(text)
            if marker is not None and marker.is_heading:
                builder.heading(marker, text)
            else:
                builder.add(text, marker)

    def flush_rows() -> None:
        nonlocal annex_started
        if not rows:
            return
        if is_annex and not annex_started:
            builder.start_annex("")
            annex_started = True
        builder.tables.append(OutTable(list(rows), builder.current))
        rows.clear()

    for block in blocks:
        if block.is_row:
            if lines and any(strip_markup(x) for x in lines):
                flush_text()
            lines.clear()
            rows.append(block.cells)
        else:
            if rows and not block.text.strip():
                continue  # blank lines between page-broken table parts
            if rows:
                flush_rows()
            lines.append(block.text)
    if rows:
        flush_rows()
    flush_text()


_ASSIGNMENT_WORDS = (
    "phan cong",
    "trach nhiem",
    "to chuc thuc hien",
    "giao nhiem vu",
    "nhiem vu cua cac",
    "nhiem vu cu the cua",
    "nhiem vu cua tung",
)


def in_assignment(section: OutSection) -> bool:
    """True when an enclosing heading assigns work to units ("Phân công", "Trách nhiệm", "Tổ
    chức thực hiện")."""
    for heading in section.ancestors:
        key = fold(heading)
        if any(w in key for w in _ASSIGNMENT_WORDS):
            return True
    return False
