"""Documents: the list, one document's card, who signed it, and which of ours cite a given code."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date

from sqlmodel import Session, col, select

from knowledge.answers import Answer, SourceRef, Suggestion
from knowledge.compose.duties import document_order
from knowledge.compose.paging import Block, clip, paged_answer, sources_line
from knowledge.compose.refs import document_ref
from knowledge.intents import Parsed
from knowledge.kb import DocInfo, Snapshot, section_label, split_passages
from knowledge.models import Reference, Section
from knowledge.normalize import expand, fold, nfc

HEAD = "phần đầu văn bản"
_KIND_WORDS = {"ke hoach": "kế hoạch", "cong van": "công văn"}
_BULLET = re.compile(r"^\s*(?:[-+•]|\d+[.)]|[a-zđ][.)])\s*")
_SKIP_POINTS = re.compile(r"^(noi nhan|kinh gui|luu|nhu tren|so:|v/v)", re.IGNORECASE)


# ---------------------------------------------------------------- resolving a document by name
def named_by_number(doc: DocInfo, parsed: Parsed) -> bool:
    """The question names this document by its own number: "1234/SGDĐT-VP", "công văn 1234"."""
    doc_number = fold(doc.number)
    lead = re.match(r"\d+", doc_number)
    if lead is None:
        return False
    for _, code in parsed.codes:
        if code and (code in doc_number or doc_number.startswith(code)):
            return True
    return any(
        num == lead.group(0) and (word == "van ban" or _KIND_WORDS.get(word) == doc.kind)
        for word, num in parsed.doc_type_numbers
    )


def rank_documents(snap: Snapshot, parsed: Parsed) -> list[tuple[DocInfo, float]]:
    """Documents ranked by how well the question names them (0 = not at all)."""
    key = parsed.key
    words = set(parsed.topic.split()) - {"ke", "hoach", "cong", "van", "ban", "so"}
    words -= {str(y) for y in parsed.years} | set(parsed.task_numbers)
    out: list[tuple[DocInfo, float]] = []
    numbers = {n for _, n in parsed.doc_type_numbers} | {n for n, _ in parsed.codes}
    kinds = {kind for word, kind in _KIND_WORDS.items() if re.search(rf"\b{word}\b", key)}
    n_docs = max(1, len(snap.docs))
    idf = {w: math.log(1 + n_docs / snap.doc_df.get(w, 0.5)) for w in words}
    total_idf = sum(idf.values())
    any_covers = any(d.covers(y) for d in snap.docs.values() for y in parsed.years)
    for doc in snap.docs.values():
        score = 0.0
        for year in parsed.years:
            if doc.covers(year):
                score += 30 if any_covers else 15
            elif str(year) in doc.words:
                score += 6
            elif any_covers:
                score -= 15  # another document is the one of that year
        if named_by_number(doc, parsed):
            score += 60
        score += 10 * _title_coverage(doc, key)
        if parsed.years and len(set(parsed.years)) == 1 and doc.covers(parsed.years[0]):
            # "kế hoạch năm 2026": the plan of that one year before a 2026-2030 plan
            score += 5 if (doc.period_start or 0) == (doc.period_end or 0) else 0
        province = fold(doc.province)
        if province and re.search(rf"\b{province}\b", key):
            score += 30
        cited = snap.cited.get(doc.id, frozenset())
        score += 12 * len(numbers & cited)
        if total_idf:
            score += 40 * sum(v for w, v in idf.items() if w in doc.words) / total_idf
        if kinds and score >= 8:  # the kind word only ranks documents named otherwise too
            score += 20 if doc.kind in kinds else -10
        out.append((doc, score))
    if re.search(r"\b(moi nhat|gan day nhat|gan nhat|moi ban hanh)\b", key):
        kinds = {kind for word, kind in _KIND_WORDS.items() if re.search(rf"\b{word}\b", key)}
        pool = [d for d, _ in out if not kinds or d.kind in kinds]
        if pool:
            newest = max(
                pool,
                key=lambda d: (d.issued_year or 0, d.issued_month or 0, d.issued_day or 0, d.id),
            )
            out = [(d, s + (30 if d.id == newest.id else 0)) for d, s in out]
    out.sort(key=lambda x: -x[1])
    return out


_TITLE_NOISE = {"ke", "hoach", "cong", "van", "ban", "so", "v", "ve", "viec", "cua", "va", "nam"}


def _title_coverage(doc: DocInfo, key: str) -> float:
    """Share of the words of the document's label that the question uses."""
    words = {
        w for w in expand(fold(doc.label)).split() if w not in _TITLE_NOISE and not w.isdigit()
    }
    if not words:
        return 0.0
    return len(words & set(key.split())) / len(words)


def choose_document(
    snap: Snapshot, parsed: Parsed, *, min_score: float = 14
) -> tuple[DocInfo | None, list[DocInfo]]:
    """The best document and the close alternatives (empty when the choice is clear)."""
    ranked = [r for r in rank_documents(snap, parsed) if r[1] >= min_score]
    if not ranked:
        return None, []
    best, score = ranked[0]
    close = [d for d, s in ranked[1:4] if s >= 0.85 * score]
    return best, close


def choice_note(chosen: DocInfo, close: list[DocInfo]) -> tuple[str, list[Suggestion]]:
    if not close:
        return "", []
    note = f"(Có {len(close) + 1} văn bản gần giống; tôi chọn «{chosen.label}».)\n"
    return note, [Suggestion(label=d.label, query=f"văn bản {d.label}") for d in close]


# ---------------------------------------------------------------- list
def list_documents(snap: Snapshot, *, today: date) -> Answer:
    docs = document_order(list(snap.docs.values()), today)
    if not docs:
        return Answer(
            intent="documents",
            text="Chưa có văn bản nào. Quản trị viên có thể nạp bằng: python -m bot import TỆP…",
        )
    blocks = []
    for d in docs:
        bits = [d.kind.capitalize()]
        if _has_number(d.number):
            bits.append(f"số {d.number}")
        if d.date_text:
            bits.append(d.date_text)
        blocks.append(Block(f"• {d.label} — {', '.join(bits)}", (SourceRef(d.label, HEAD),)))
    return paged_answer(
        "documents",
        f"Tôi đang có {len(docs)} văn bản:",
        blocks,
        documents=[document_ref(d) for d in docs],
    )


def _has_number(number: str) -> bool:
    return bool(re.search(r"\d", number or ""))


# ---------------------------------------------------------------- detail
def key_points(session: Session, doc: DocInfo, limit: int = 6) -> list[tuple[str, str]]:
    """The main directives of a document as (text, section label): top headings or bullets."""
    sections = session.exec(
        select(Section).where(Section.document_id == doc.id).order_by(col(Section.ordinal))
    ).all()
    top = [s for s in sections if s.heading and s.path and "." not in s.path.strip(".")]
    if doc.kind == "kế hoạch" and len(top) >= 3:
        return [(_sentence_case(s.heading), section_label(s.path)) for s in top][:limit]
    points: list[tuple[str, str]] = []
    for s in sections:
        numbered = bool(re.match(r"^\d+$", (s.path or "").strip(". ")))
        in_quote = False
        for i, piece in enumerate(split_passages(s.text or "")):
            bare = _BULLET.sub("", piece).strip()
            opens, closes = piece.count("“"), piece.count("”")
            quoted = in_quote or piece.lstrip().startswith(("*", "“", '"'))
            in_quote = (in_quote or opens > 0) and not (
                closes >= opens + (1 if in_quote else 0) and closes > 0
            )
            if quoted or _SKIP_POINTS.match(fold(bare)):
                continue  # quoted text, signature block, recipients
            first_of_item = numbered and i == 0
            is_bullet = bool(re.match(r"^\s*[-+•]", piece))
            if not (first_of_item or is_bullet) or len(bare) < 25:
                continue
            if not first_of_item and (bare.endswith(":") or (_is_basis(bare) and not points)):
                continue
            points.append((clip(bare.rstrip(":"), 200), section_label(s.path, s.heading)))
            if len(points) >= limit:
                return points
    return points


def _sentence_case(text: str) -> str:
    text = nfc(text).strip()
    if text.isupper():
        text = text.lower()
        text = text[0].upper() + text[1:]
    return re.sub(r"^[IVXLC]+\.\s*", "", text)


def signer_text(doc: DocInfo) -> str:
    title = " ".join(doc.signer_title.split())
    if title.isupper():
        title = title.lower()
        title = re.sub(
            r"^(kt|tm|tl|tuq)\.\s*(.+?)\s+(phó .+)$",
            lambda m: f"{m.group(1).upper()}. {m.group(2)}, {m.group(3)}",
            title,
        )
        title = re.sub(r"\b(kt|tm|tl|tuq)\.", lambda m: m.group(1).upper() + ".", title)
        title = re.sub(r"\b(giám đốc|chủ tịch)\b", lambda m: m.group(0).capitalize(), title)
        title = re.sub(r"(^|, )phó\b", lambda m: m.group(1) + "Phó", title)
        title = title[0].upper() + title[1:]
    name = doc.signer_name.strip()
    return f"{title} {name}".strip() if name else title


def detail(
    session: Session,
    snap: Snapshot,
    doc: DocInfo,
    *,
    preface: str = "",
    suggestions: Iterable[Suggestion] | None = None,
) -> Answer:
    lines = [f"{preface}{doc.kind.upper()}: {doc.label}"]
    number = (
        doc.number
        if _has_number(doc.number)
        else (f"{doc.number} (chưa ghi số)" if doc.number else "chưa ghi số")
    )
    lines.append(f"Số: {number}" + (f" · {doc.date_text}" if doc.date_text else ""))
    issuer = ", ".join(x for x in (doc.issuer, doc.issuer_parent) if x)
    if issuer:
        lines.append(f"Cơ quan ban hành: {issuer}")
    if doc.subject and fold(doc.subject) != fold(doc.label):
        lines.append(f"Trích yếu: {clip(doc.subject, 200)}")
    if doc.recipients:
        lines.append(f"Kính gửi: {clip('; '.join(doc.recipients), 200)}")
    signer = signer_text(doc)
    if signer:
        lines.append(f"Người ký: {signer}")
    header = "\n".join(lines)
    points = key_points(session, doc)
    blocks = [Block("Nội dung chính:", counts=False)] if points else []
    blocks += [Block(f"• {text}", (SourceRef(doc.label, sec or HEAD),)) for text, sec in points]
    if not blocks:
        blocks.append(Block("", (SourceRef(doc.label, HEAD),), counts=False))
    else:
        blocks[0] = Block(blocks[0].text, (SourceRef(doc.label, HEAD),), counts=False)
    return paged_answer(
        "document",
        header,
        blocks,
        documents=[document_ref(doc)],
        suggestions=list(suggestions or []),
    )


# ---------------------------------------------------------------- cited codes
def find_references(session: Session, parsed: Parsed) -> list[Reference]:
    """References matching a code or "<type> <number>" in the question."""
    numbers = {n for n, _ in parsed.codes} | {n for _, n in parsed.doc_type_numbers}
    if not numbers:
        return []
    refs = session.exec(select(Reference).where(col(Reference.number).in_(numbers))).all()
    if not refs:
        refs = [
            r
            for r in session.exec(select(Reference))
            if fold(r.code).split()[:1] and fold(r.code).split()[0] in numbers
        ]
    scored: list[tuple[float, Reference]] = []
    types = {t for t, _ in parsed.doc_type_numbers}
    for r in refs:
        code = fold(r.code)
        s = 1.0
        for _, q in parsed.codes:
            qt, ct = set(q.split()), set(code.split())
            s += 3 * len(qt & ct) / max(len(qt), 1)
        if types and fold(r.doc_type) in types:
            s += 1
        scored.append((s, r))
    if not scored:
        return []
    best = max(s for s, _ in scored)
    return [r for s, r in sorted(scored, key=lambda x: -x[0]) if s >= best - 0.01]


def reference_answer(
    session: Session, snap: Snapshot, parsed: Parsed, refs: list[Reference]
) -> Answer:
    first = refs[0]
    code = nfc(first.code)
    what = (
        f"{nfc(first.doc_type)} {code}".strip()
        if first.doc_type and fold(first.doc_type) not in fold(code)
        else code
    )
    dated = next((r.date_text for r in refs if r.date_text), "")
    by_doc: dict[int, list[Reference]] = {}
    for r in refs:
        by_doc.setdefault(r.document_id, []).append(r)
    when = (" ngày " if "ngày" not in dated else " ") + nfc(dated) if dated else ""
    header = f"{what}{when} được nhắc đến trong {len(by_doc)} văn bản của Sở:"
    blocks: list[Block] = []
    docs = []
    for doc_id, rs in by_doc.items():
        doc = snap.docs.get(doc_id)
        if doc is None:
            continue
        docs.append(doc)
        r = rs[0]
        src = SourceRef(doc.label, section_label(r.section_path, default=HEAD))
        blocks.append(
            Block(
                f"• {doc.label} — {src.section}: “{_around(nfc(r.context), nfc(r.code))}”", (src,)
            )
        )
        if _is_basis(r.context) and not re.search(r"\d|^[IVX]+\b", r.section_path or ""):
            points = key_points(session, doc, limit=3)
            if points:
                lead_in = (
                    "Văn bản này yêu cầu:"
                    if doc.kind == "công văn"
                    else "Nội dung chính của văn bản này:"
                )
                blocks.append(Block(f"  {lead_in}", counts=False))
                for text, sec in points:
                    blocks.append(
                        Block(f"  – {clip(text, 170)}", (SourceRef(doc.label, sec or HEAD),))
                    )
    return paged_answer(
        "document",
        header,
        blocks,
        documents=[document_ref(d) for d in docs],
    )


def _around(text: str, needle: str, limit: int = 260) -> str:
    """A window of the text that keeps the cited code in view."""
    text = " ".join(text.split())
    pos = text.find(needle) if needle else -1
    if len(text) <= limit or pos < limit - 80:
        return clip(text, limit)
    start = text.rfind(" ", 0, max(0, pos - 100)) + 1
    return "…" + clip(text[start:], limit - 1)


def _is_basis(context: str) -> bool:
    """The citing sentence says the document implements the cited one ("Thực hiện…", "Căn cứ…")."""
    return bool(re.match(r"^\W*(thuc hien|can cu)\b", fold(context)))


# ---------------------------------------------------------------- signer
def years_unknown(snap: Snapshot, parsed: Parsed) -> bool:
    """The question names a year that no document covers or mentions ("kế hoạch năm 2019")."""
    return bool(parsed.years) and not any(
        d.covers(y) or str(y) in d.words for d in snap.docs.values() for y in parsed.years
    )


def no_document_of_year(snap: Snapshot, parsed: Parsed, intent: str) -> Answer:
    years = ", ".join(str(y) for y in parsed.years)
    text = f"Không có văn bản nào của năm {years} trong các văn bản hiện có. Các văn bản tôi có:\n"
    text += "\n".join(f"• {d.label}" for d in snap.docs.values())
    return Answer(intent=intent, text=text)


def number_unknown(snap: Snapshot, parsed: Parsed) -> str:
    """The number of a document the question names ("công văn 4444") when none of ours has it
    and the question names no cited code either; "" otherwise."""
    numbers = [n for _, n in parsed.doc_type_numbers] + [n for n, _ in parsed.codes]
    if not numbers or any(named_by_number(d, parsed) for d in snap.docs.values()):
        return ""
    if any(n in snap.cited.get(d.id, frozenset()) for d in snap.docs.values() for n in numbers):
        return ""
    return numbers[0]


def signer_answer(snap: Snapshot, parsed: Parsed, *, today: date) -> Answer:
    if years_unknown(snap, parsed):
        return no_document_of_year(snap, parsed, "signer")
    missing = number_unknown(snap, parsed)
    if missing:
        text = f"Không có văn bản số {missing} trong các văn bản hiện có. Các văn bản tôi có:\n"
        text += "\n".join(f"• {d.label}" for d in snap.docs.values())
        return Answer(intent="signer", text=text)
    doc, close = choose_document(snap, parsed)
    if doc is None:
        kinds = {k for w, k in _KIND_WORDS.items() if re.search(rf"\b{w}\b", parsed.key)}
        docs = document_order(
            [d for d in snap.docs.values() if not kinds or d.kind in kinds], today
        )
        blocks = [
            Block(
                f"• {d.label}: {signer_text(d) or 'không ghi người ký'}",
                (SourceRef(d.label, HEAD),),
            )
            for d in docs
        ]
        return paged_answer(
            "signer",
            "Bạn hỏi văn bản nào? Người ký của từng văn bản:",
            blocks,
            documents=[document_ref(d) for d in docs],
            suggestions=[Suggestion(d.label, f"ai ký {d.label}") for d in docs[:5]],
        )
    note, suggestions = choice_note(doc, close)
    signer = signer_text(doc)
    body = f"{doc.label} do {signer} ký." if signer else f"{doc.label} không ghi người ký."
    src = SourceRef(doc.label, HEAD)
    text = f"{note}{body}\n\n{sources_line([src])}"
    return Answer(
        intent="signer",
        text=text,
        documents=[document_ref(doc)],
        sources=[src],
        suggestions=suggestions,
    )
