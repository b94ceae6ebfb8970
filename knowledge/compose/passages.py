"""Targets and figures, and the free-text fallback: the best passages with short snippets."""

from __future__ import annotations

import re

from knowledge.answers import Answer, SourceRef
from knowledge.compose.paging import Block, paginate
from knowledge.compose.snippets import RECIPIENT_RE, clauses, focused
from knowledge.intents import Parsed
from knowledge.kb import Passage, PassageKind, Snapshot
from knowledge.normalize import fold
from knowledge.search import Hit

MIN_COVERAGE = 0.5


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


_HEADING = re.compile(r"^\s*(?:[IVX]+|\d+(?:\.\d+)*|[a-zđ])[.)]\s")
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)?\s?%|\d+(?:[.,]\d+)?|[^\W\d_]+")
_DOC_DESIGNATOR = re.compile(r"^(?:theo )?(?:ke hoach|cong van|van ban|chuong trinh)\b\s*")


def figure_weight(text: str, topic_words: set[str]) -> float:
    """How strongly a passage reads as the figure asked for: a number close to the topic words.

    A percentage within a few words of a topic word ("giảm bình quân 10% biên chế") beats
    one elsewhere in the passage, which beats a bare number; years and dates are not figures.
    """
    tokens = _TOKEN_RE.findall(fold(text))
    near = [i for i, t in enumerate(tokens) if t in topic_words]
    best = 0.7
    for i, tok in enumerate(tokens):
        if not tok[:1].isdigit():
            continue
        percent = tok.endswith("%")
        if not percent:
            value = tok.replace(",", ".")
            is_year = len(tok) == 4 and tok[:2] in ("19", "20")
            dated = i > 0 and tokens[i - 1] in ("ngay", "thang", "nam", "so", "quy")
            if is_year or dated or "." in value and not value.replace(".", "").isdigit():
                continue
        distance = min((abs(i - j) for j in near), default=99)
        if percent:
            weight = 1.8 if distance <= 4 else (1.5 if distance <= 10 else 1.3)
        else:
            weight = 1.25 if distance <= 4 else 1.05
        best = max(best, weight)
    return best


def ranked_passages(
    snap: Snapshot, parsed: Parsed, *, figures: bool, limit: int = 5
) -> list[Hit[Passage]]:
    topic = parsed.topic
    if figures:
        # Context words ("giai đoạn", "năm 2026", "phần trăm") rarely stand in a target sentence;
        # the years still weigh through _year_boost.
        words = re.sub(
            r"\b(phan tram|giai doan|trong nam|nam|den|chi tieu|muc tieu|so lieu|con so|dat duoc|"
            r"ty le|ti le)\b",
            " ",
            topic,
        ).split()
        topic = " ".join(t for t in words if not t.isdigit()) or topic
        # "kế hoạch 2026-2030 giảm …": the leading words name the document, not the figure
        topic = _DOC_DESIGNATOR.sub("", topic) or topic
    scope = set(parsed.doc_ids)
    hits = snap.index.search(
        topic, limit=40, allow=(lambda p: p.document_id in scope) if scope else None
    )
    sections = _topic_sections(hits, topic)
    hits = [
        h
        for h in hits
        if confident(h, topic, _min_coverage(figures, bool(scope)))
        or (_under(h.item, sections) and h.matched_pairs + h.coverage > 0)
    ]
    rescored = []
    topic_words = set(topic.split())
    for h in hits:
        s = h.score * _year_boost(snap, h.item, parsed.years)
        s *= 1.6 if _under(h.item, sections) and not _is_heading(h.item) else 1.0
        if figures:
            s *= figure_weight(h.item.text, topic_words)
        if h.item.kind is PassageKind.REFERENCE:
            s *= 0.8
        if _is_heading(h.item):
            s *= 0.5  # a bare heading ("5. Cải cách tài chính công") names, never answers
        if "recipient" in parsed.asks and RECIPIENT_RE.search(h.item.text):
            s *= 1.4
        rescored.append((s, h))
    rescored.sort(key=lambda x: -x[0])
    rescored = [(s, h) for s, h in rescored if not _is_heading(h.item)]  # headings only name
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


def _min_coverage(figures: bool, scoped: bool) -> float:
    """How much of the topic a passage must hold; less inside the document the user named."""
    base = 0.42 if figures else MIN_COVERAGE
    return base - 0.1 if scoped else base


def _is_heading(passage: Passage) -> bool:
    return bool(_HEADING.match(passage.text)) and len(passage.text.split()) <= 10


def _topic_sections(hits: list[Hit[Passage]], topic: str) -> set[tuple[int, str]]:
    """Sections whose heading the topic names ("về tài chính công" → "5. Cải cách tài chính
    công"): the passages under them answer it even when they do not repeat the words."""
    return {
        (h.item.document_id, h.item.section)
        for h in hits
        if _is_heading(h.item) and h.item.section and confident(h, topic, 0.4)
    }


def _under(passage: Passage, sections: set[tuple[int, str]]) -> bool:
    return any(
        passage.document_id == doc_id
        and (passage.section == section or passage.section.startswith(section + "."))
        for doc_id, section in sections
    )


def snippet(text: str, topic: str, limit: int = 240, *, figures: bool = False) -> str:
    """The window of a passage centred on the topic (keeping a figure, when asked)."""
    if figures and len(text) > limit:
        wanted = set(topic.split())
        with_figure = [c for c in clauses(text) if "%" in c]
        with_figure.sort(key=lambda c: -len(wanted & set(fold(c).split())))  # the asked one
        if with_figure:
            topic = f"{topic} {' '.join(fold(c) for c in with_figure[:1])}"
    return focused(
        text, topic, limit, want_date=bool(re.search(r"\b(han|ngay|thoi gian)\b", topic))
    )


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
        text = snippet(h.item.text, parsed.topic, figures=figures)
        if "recipient" in parsed.asks:
            text = focused(h.item.text, parsed.topic, 240, want_to=True)
        blocks.append(Block(f"• “{text}”\n  ({doc.label}, {h.item.section})", (src,)))
    header = "Nội dung có số liệu phù hợp nhất:" if figures else "Các đoạn liên quan nhất:"
    pages = paginate(header, blocks)
    return Answer(intent=intent, text=pages.text, more=pages.more, sources=pages.sources)
