"""Targets and figures, and the free-text fallback: the best passages with short snippets."""

from __future__ import annotations

import re

from knowledge.answers import Answer, SourceRef
from knowledge.compose.paging import Block, clip, paginate
from knowledge.intents import Parsed
from knowledge.kb import Passage, PassageKind, Snapshot
from knowledge.normalize import fold
from knowledge.search import Hit

MIN_COVERAGE = 0.5
_FIGURE_RE = re.compile(r"\d+(?:[.,]\d+)?\s?%|\b\d{2,3}\b")


def confident(hit: Hit[Passage], topic: str, min_coverage: float = MIN_COVERAGE) -> bool:
    """Enough of the question's topic is in the passage to answer from it (no invention)."""
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
    return (
        1.6
        if all(doc.covers(y) for y in years)
        else (1.2 if any(doc.covers(y) for y in years) else 0.8)
    )


def ranked_passages(
    snap: Snapshot, parsed: Parsed, *, figures: bool, limit: int = 5
) -> list[Hit[Passage]]:
    topic = parsed.topic
    if figures:
        # Context words ("giai đoạn", "năm 2026", "phần trăm") rarely stand in a target sentence;
        # the years still weigh through _year_boost.
        words = re.sub(
            r"\b(phan tram|giai doan|trong nam|nam|den|chi tieu|muc tieu|so lieu|con so|dat duoc)\b",
            " ",
            topic,
        ).split()
        topic = " ".join(t for t in words if not t.isdigit()) or topic
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
        same = fold(h.item.text)
        if same in seen:
            continue
        seen.add(same)
        out.append(h)
        if len(out) >= limit:
            break
    return out


_SENTENCE_SPLIT = re.compile(r"(?<=[.;])\s+")


def snippet(text: str, topic: str, limit: int = 240, *, figures: bool = False) -> str:
    """The sentence of a passage that best matches the topic (with a figure, when asked)."""
    from knowledge.normalize import search_key
    from knowledge.search import terms

    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    wanted = set(terms(topic.split()))
    sentences = [x for x in _SENTENCE_SPLIT.split(text) if x.strip()]
    best_i, best_score = 0, -1.0
    for i, sentence in enumerate(sentences):
        have = set(terms(search_key(sentence).split()))
        score = sum(2.0 if "_" in t else 1.0 for t in wanted & have)
        if figures and "%" in sentence:
            score += 2.5
        if score > best_score:
            best_i, best_score = i, score
    chosen = sentences[best_i]
    prefix = "…" if best_i > 0 else ""
    return prefix + clip(chosen, limit - len(prefix))


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
        blocks.append(
            Block(
                f"• “{snippet(h.item.text, parsed.topic, figures=figures)}”\n  ({doc.label}, {h.item.section})",
                (src,),
            )
        )
    header = "Nội dung có số liệu phù hợp nhất:" if figures else "Các đoạn liên quan nhất:"
    pages = paginate(header, blocks)
    return Answer(intent=intent, text=pages.text, more=pages.more, sources=pages.sources)
