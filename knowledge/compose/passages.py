"""Targets and figures, and the free-text fallback: the best passages with short snippets."""

from __future__ import annotations

import re

from knowledge.answers import Answer, SourceRef
from knowledge.compose.paging import Block, clip, paginate
from knowledge.intents import Parsed
from knowledge.kb import Passage, PassageKind, Snapshot
from knowledge.search import Hit

MIN_COVERAGE = 0.5
_FIGURE_RE = re.compile(r"\d+(?:[.,]\d+)?\s?%|\b\d{2,3}\b")


def confident(hit: Hit[Passage], topic: str, min_coverage: float = MIN_COVERAGE) -> bool:
    n = len(topic.split())
    if n == 0:
        return False
    if n >= 2 and hit.matched_pairs == 0:
        return False
    return hit.coverage >= min_coverage


def _year_boost(snap: Snapshot, passage: Passage, years: list[int]) -> float:
    if not years:
        return 1.0
    doc = snap.docs.get(passage.document_id)
    if doc is None:
        return 1.0
    return 1.6 if all(doc.covers(y) for y in years) else (1.2 if any(doc.covers(y) for y in years) else 0.8)


def ranked_passages(
    snap: Snapshot, parsed: Parsed, *, figures: bool, limit: int = 5
) -> list[Hit[Passage]]:
    topic = parsed.topic
    if figures:
        # The figure words ("tỷ lệ", "bao nhiêu") are part of what a target sentence says.
        topic = " ".join(t for t in topic.split() if not t.isdigit()) or topic
    hits = snap.index.search(topic, limit=40)
    hits = [h for h in hits if confident(h, topic, 0.42 if figures else MIN_COVERAGE)]
    rescored = []
    for h in hits:
        s = h.score * _year_boost(snap, h.item, parsed.years)
        if figures:
            s *= 1.4 if "%" in h.item.text else (1.1 if _FIGURE_RE.search(h.item.text) else 0.7)
        if h.item.kind is PassageKind.REFERENCE:
            s *= 0.8
        rescored.append((s, h))
    rescored.sort(key=lambda x: -x[0])
    out: list[Hit[Passage]] = []
    seen: set[str] = set()
    for _, h in rescored:
        if h.item.text in seen:
            continue
        seen.add(h.item.text)
        out.append(h)
        if len(out) >= limit:
            break
    return out


def snippet(text: str, topic: str, limit: int = 240) -> str:
    """A short window of the passage around the first topic word it contains."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    from knowledge.normalize import fold

    folded = fold(text)
    if len(folded) == len(text):
        for word in topic.split():
            m = re.search(rf"\b{re.escape(word)}\b", folded)
            if m and m.start() > limit // 2:
                start = text.rfind(" ", 0, max(0, m.start() - 60)) + 1
                return "…" + clip(text[start:], limit - 1)
    return clip(text, limit)


def compose(snap: Snapshot, parsed: Parsed, *, figures: bool) -> Answer | None:
    hits = ranked_passages(snap, parsed, figures=figures, limit=4 if figures else 5)
    if not hits:
        return None
    intent = "figure" if figures else "search"
    blocks = []
    for h in hits:
        doc = snap.docs.get(h.item.document_id)
        if doc is None:
            continue
        src = SourceRef(doc.label, h.item.section)
        blocks.append(Block(f"• “{snippet(h.item.text, parsed.topic)}”\n  ({doc.label}, {h.item.section})", (src,)))
    header = "Nội dung có số liệu phù hợp nhất:" if figures else "Các đoạn liên quan nhất:"
    pages = paginate(header, blocks)
    return Answer(intent=intent, text=pages.text, more=pages.more, sources=pages.sources)
