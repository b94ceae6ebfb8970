"""Phone-sized pages: a header, item blocks, a sources line, and a "see more" footer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from knowledge.answers import Answer, SourceRef

PAGE_CHARS = 1450  # first page stays under ~1500 characters
MORE_LABEL = "Xem thêm"


@dataclass(frozen=True)
class Block:
    """One item of an answer (a task, a duty, a passage) with where it comes from."""

    text: str
    sources: tuple[SourceRef, ...] = ()
    counts: bool = True  # counted as an item in "còn N mục" (group headings are not)


@dataclass
class Pages:
    text: str
    more: list[str] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)


def unique_sources(sources: list[SourceRef] | tuple[SourceRef, ...]) -> list[SourceRef]:
    return list(dict.fromkeys(s for s in sources if s.document))


def sources_line(sources: list[SourceRef]) -> str:
    """ "Nguồn: Kế hoạch … (mục V.2.b; Danh mục, nhiệm vụ 2) | Công văn …" """
    by_doc: dict[str, list[str]] = {}
    for s in unique_sources(sources):
        sections = by_doc.setdefault(s.document, [])
        if s.section and s.section not in sections:
            sections.append(s.section)
    parts = []
    for doc, sections in by_doc.items():
        sections = _merge_numbered(sections)
        shown = sections[:3] + (["…"] if len(sections) > 3 else [])
        parts.append(f"{doc} ({'; '.join(shown)})" if shown else doc)
    return "Nguồn: " + " | ".join(parts) if parts else ""


def _merge_numbered(sections: list[str]) -> list[str]:
    """ "Phụ lục, nhiệm vụ 2", "Phụ lục, nhiệm vụ 13" → "Phụ lục, nhiệm vụ 2, 13"."""
    merged: list[str] = []
    heads: dict[str, int] = {}
    for sec in sections:
        head, sep, num = sec.rpartition(" ")
        if sep and num[:1].isdigit() and head.endswith("nhiệm vụ"):
            if head in heads:
                merged[heads[head]] += f", {num}"
                continue
            heads[head] = len(merged)
        merged.append(sec)
    return merged


def more_line(remaining: int) -> str:
    return f"… còn {remaining} mục, bấm/gõ «{MORE_LABEL}» để xem tiếp."


def paginate(header: str, blocks: list[Block], *, limit: int = PAGE_CHARS) -> Pages:
    """Split blocks into pages; every page names its sources, the first ends with "Xem thêm"."""
    pages: list[str] = []
    all_sources: list[SourceRef] = []
    for b in blocks:
        all_sources.extend(b.sources)
    i = 0
    total_items = sum(1 for b in blocks if b.counts)
    shown_items = 0
    first = True
    while True:
        lines: list[str] = [header] if first and header else []
        page_sources: list[SourceRef] = []
        used = sum(len(x) + 1 for x in lines)
        start = i
        while i < len(blocks):
            b = blocks[i]
            extra_sources = sources_line(page_sources + list(b.sources))
            remaining_after = total_items - shown_items - (1 if b.counts else 0)
            footer = len(more_line(remaining_after)) + 2 if remaining_after > 0 else 0
            cost = used + len(b.text) + 1 + len(extra_sources) + 2 + footer
            if cost > limit and i > start:
                break
            lines.append(b.text)
            page_sources.extend(b.sources)
            used += len(b.text) + 1
            shown_items += 1 if b.counts else 0
            i += 1
        # A group heading left alone at the bottom of a page moves to the next page.
        if i < len(blocks) and i - 1 > start and not blocks[i - 1].counts:
            i -= 1
            lines.pop()
        body = "\n".join(lines).strip()
        src = sources_line(page_sources)
        if src:
            body += "\n\n" + src
        remaining = sum(1 for b in blocks[i:] if b.counts)
        if remaining > 0:
            body += "\n" + more_line(remaining)
        pages.append(body)
        first = False
        if i >= len(blocks):
            break
    return Pages(pages[0], pages[1:], unique_sources(all_sources))


def clip(text: str, limit: int = 220) -> str:
    """Shorten a text at a word boundary, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def paged_answer(intent: str, header: str, blocks: list[Block], **refs: Any) -> Answer:
    """The Answer showing `blocks` under `header`: first page, further pages, their sources.

    `refs` are the other Answer fields (units, tasks, deadlines, documents, suggestions).
    """
    pages = paginate(header, blocks)
    return Answer(intent=intent, text=pages.text, more=pages.more, sources=pages.sources, **refs)
