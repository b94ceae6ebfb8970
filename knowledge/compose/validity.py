"""Whether a plan or directive is still in force: "kh 2021-2025 còn hiệu lực không"."""

from __future__ import annotations

import re
from datetime import date

from knowledge.answers import Answer, SourceRef
from knowledge.compose.documents import choose_document
from knowledge.compose.paging import Block, paged_answer
from knowledge.compose.passages import snippet
from knowledge.compose.refs import document_ref, expired
from knowledge.intents import Parsed
from knowledge.kb import RETIRED_TAG, DocInfo, PassageKind, Snapshot
from knowledge.normalize import fold, nfc

INTENT = "facts"
_REPLACES = re.compile(r"\b(thay the|bai bo|het hieu luc|het thoi han)\b")


def compose(snap: Snapshot, p: Parsed, *, today: date) -> Answer | None:
    """The named document's state (in force, expired, retired); a period none of the documents
    covers is answered by the passage of the one that replaces it, when there is one."""
    scope = set(p.doc_ids) or {
        i
        for i, d in snap.docs.items()
        if d.province and re.search(rf"\b{fold(d.province)}\b", p.key)
    }  # "công văn Quảng Ninh năm 2026 …": only that province's documents
    doc, _ = choose_document(snap, p)
    if scope and (doc is None or doc.id not in scope):
        doc = _best_in(snap, scope, p)
    if doc is not None and (not p.years or all(doc.covers(y) for y in p.years)):
        return _state(snap, doc, today)
    if p.years:
        return _replaced(snap, p, scope) or _no_such_period(p)
    return None


def _best_in(snap: Snapshot, scope: set[int], p: Parsed) -> DocInfo | None:
    """The scoped document covering the years asked, else the only one in scope."""
    docs = [snap.docs[i] for i in sorted(scope) if i in snap.docs]
    covering = [d for d in docs if p.years and all(d.covers(y) for y in p.years)]
    if covering:
        return covering[0]
    return docs[0] if len(docs) == 1 else None


def _state(snap: Snapshot, doc: DocInfo, today: date) -> Answer:
    period = _period(doc)
    src = (SourceRef(doc.label, "phần đầu văn bản"),)
    if doc.label.endswith(f"({RETIRED_TAG})"):
        state = "không còn áp dụng (đã được thay thế hoặc rút khỏi danh sách văn bản)"
    elif expired(doc, today):  # the label itself says "đã hết thời hạn" (label_expired)
        state = f"không còn áp dụng, thời hạn{period.replace(' (', ' ').rstrip(')')} đã qua"
    elif doc.period_start or doc.period_end:
        state = f"đang áp dụng{period}"
    else:
        state = "không ghi thời hạn; các yêu cầu của nó áp dụng đến khi có văn bản thay thế"
    blocks = [Block(f"• {doc.label}: {state}.", src)]
    if expired(doc, today) or doc.label.endswith(f"({RETIRED_TAG})"):
        current = [
            d
            for d in snap.docs.values()
            if d.kind == doc.kind and d.province == doc.province and d.covers(today.year)
        ]
        blocks += [Block(f"• Đang áp dụng: {d.label}{_period(d)}.", src) for d in current]
    return paged_answer(INTENT, "Tình trạng văn bản:", blocks, documents=[document_ref(doc)])


def _period(doc: DocInfo) -> str:
    start, end = doc.period_start, doc.period_end
    if start and end and start != end:
        return f" (giai đoạn {start}-{end})"
    return f" (năm {start or end})" if start or end else ""


def _replaced(snap: Snapshot, p: Parsed, scope: set[int]) -> Answer | None:
    """ "Kế hoạch này thay thế Kế hoạch số 389/KH-SGDĐT … giai đoạn 2021-2025": quoted."""
    years = [str(y) for y in p.years]
    hits = snap.index.search(
        " ".join(["thay the", *years]),
        limit=10,
        allow=lambda x: x.kind is PassageKind.SECTION and (not scope or x.document_id in scope),
    )
    for hit in hits:
        folded = fold(hit.item.text)
        if _REPLACES.search(folded) and all(y in folded for y in years):
            doc = snap.docs.get(hit.item.document_id)
            if doc is None:
                continue
            period = f"giai đoạn {years[0]}-{years[-1]}" if len(years) > 1 else f"năm {years[0]}"
            quote = snippet(nfc(hit.item.text), "thay the " + " ".join(years), 300)
            header = (
                f"Văn bản {period} không còn áp dụng: đã được thay thế bằng {doc.label}"
                f"{_period(doc)}:"
            )
            block = Block(f"• “{quote}”", (SourceRef(doc.label, hit.item.section),))
            return paged_answer(INTENT, header, [block], documents=[document_ref(doc)])
    return None


def _no_such_period(p: Parsed) -> Answer:
    period = "–".join(str(y) for y in p.years)
    return Answer(
        intent="not_found",
        text=f"Không có văn bản nào của {period} trong các văn bản hiện có.",
    )
