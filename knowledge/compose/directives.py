"""What a directive (công văn) asks: its points ranked by the question's topic or unit, each
quoted as a window centred on what was asked, and what it says about deadlines."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlmodel import Session, col, select

from knowledge.answers import Answer, SourceRef
from knowledge.compose.paging import Block, clip, paged_answer
from knowledge.compose.refs import document_ref
from knowledge.compose.snippets import clauses, focused
from knowledge.kb import DocInfo, Snapshot, UnitInfo, section_label
from knowledge.mentions import find_units
from knowledge.models import Deadline, Section
from knowledge.normalize import expand, fold, nfc, search_key
from knowledge.search import terms

HEAD = "phần đầu văn bản"
_BULLET = re.compile(r"^\s*(?:[-+•]|\d+[.)]|[a-zđ][.)])\s*")
_LINE_START = re.compile(r"^\s*(?:[-+•*]|[a-zđ]\)|[a-zđ]\.|\d+(?:\.\d+)*[.)])\s+", re.IGNORECASE)
# Not what the directive asks: its basis, its recipients and signature block, its closing formula.
_NOT_A_POINT = re.compile(
    r"^(thuc hien|can cu|kinh gui|noi nhan|luu|nhu tren|so:|v/v)\b"
    r"|\b(de biet|thong bao toi cac don vi)\b"
)
# The closing formula naming who carries out the whole directive ("… nghiêm túc triển khai
# thực hiện./."): it asks nothing of its own, it says to whom every point applies.
_CLOSING = re.compile(r"\b(nghiem tuc|khan truong) (trien khai )?(thuc hien|trien khai)\W*$")
SNIPPET_CHARS = 260


def _paragraphs(text: str) -> list[str]:
    """A section's paragraphs, hard-wrapped lines joined (a bullet line starts a new one)."""
    out: list[str] = []
    for raw in nfc(text).splitlines():
        line = raw.strip()
        if not line:
            continue
        if out and not _LINE_START.match(line) and not out[-1].endswith((".", ":", ";")):
            out[-1] += " " + line
        else:
            out.append(line)
    return [" ".join(p.split()) for p in out]


def _unquoted(paragraphs: list[str]) -> Iterator[str]:
    """The paragraphs outside a quotation (“…” spanning several bullets, or *italic* lines)."""
    in_quote = False
    for para in paragraphs:
        opens, closes = para.count("“"), para.count("”")
        quoted = in_quote or para.lstrip().startswith(("*", "“", '"'))
        in_quote = (in_quote or opens > 0) and not (
            closes >= opens + (1 if in_quote else 0) and closes > 0
        )
        if not quoted:
            yield para


def directive_points(
    session: Session, doc: DocInfo, *, closing: bool = False
) -> list[tuple[str, str]]:
    """Every paragraph of the document's body that asks something, whole, with its section
    (`closing`: the closing paragraphs saying who carries it all out, instead)."""
    sections = session.exec(
        select(Section).where(Section.document_id == doc.id).order_by(col(Section.ordinal))
    ).all()
    out: list[tuple[str, str]] = []
    for s in sections:
        label = section_label(s.path, s.heading, default=HEAD)
        for para in _unquoted(_paragraphs(s.text or "")):
            bare = _BULLET.sub("", para).strip()
            key = fold(bare)
            if len(bare) < 25 or _NOT_A_POINT.search(key):
                continue
            if bool(_CLOSING.search(key)) == closing:
                out.append((bare, label))
    return out


def addressed_to(session: Session, snap: Snapshot, doc: DocInfo, topic: str) -> bool:
    """The directive is sent to the unit the topic names (in its recipients or its closing)."""
    return _addressed(session, doc, _weights(snap, topic))


def _addressed(session: Session, doc: DocInfo, weights: dict[str, float]) -> bool:
    """The asked unit is among those the directive is sent to or that close it."""
    lines = list(doc.recipients) + [t for t, _ in directive_points(session, doc, closing=True)]
    return any(_match(line, weights) >= 0.6 for line in lines)


def _weights(snap: Snapshot, topic: str) -> dict[str, float]:
    """The topic's index terms with their weight (idf, a syllable pair counting double)."""
    idf = snap.index.idf
    out: dict[str, float] = {}
    for t in dict.fromkeys(terms(topic.split())):
        if t in idf:
            out[t] = idf[t] * (2.0 if "_" in t else 1.0)
    return out


def _match(text: str, weights: dict[str, float]) -> float:
    """Share of the topic's weight the text holds (0 when a two-word topic has no pair)."""
    total = sum(weights.values())
    if not total:
        return 0.0
    have = set(terms(search_key(text).split()))
    pairs = [t for t in weights if "_" in t]
    if pairs and not any(t in have for t in pairs):
        return 0.0
    return sum(w for t, w in weights.items() if t in have) / total


# "… yêu cầu các đồng chí … chỉ đạo thực hiện:": announces the points, asks nothing itself.
_LEAD_IN = re.compile(r"\b(yeu cau|de nghi|chi dao|thuc hien|nhu sau|sau)\s*$")


def _clause_match(text: str, weights: dict[str, float]) -> float:
    """The best share of the topic that one clause of the text holds."""
    return max((_match(c, weights) for c in clauses(text)), default=0.0)


def focus(session: Session, snap: Snapshot, doc: DocInfo, topic: str, asked: str) -> Answer | None:
    """ "công văn 502 giao thanh tra làm gì": the points of the directive about the topic first,
    each a window centred on it; when none is about it, the directive's recipients and what it
    asks of all of them, saying it names nothing for that topic. None without points."""
    points = directive_points(session, doc)
    if not points:
        return None
    weights = _weights(snap, topic)
    scored = [(_match(text, weights), _clause_match(text, weights), i) for i, (text, _) in
              enumerate(points)]  # fmt: skip
    hits = [(s, c, i) for s, c, i in scored if s >= 0.6]
    hits.sort(key=lambda x: (-x[0], -x[1], x[2]))  # the words together in one clause first
    overview = [(t, lab) for t, lab in points if not _LEAD_IN.search(fold(t))] or points
    sent = f"\nVăn bản gửi: {clip('; '.join(doc.recipients), 220)}." if doc.recipients else ""
    if hits:
        header = f"{doc.label} — nội dung về «{asked}»:"
        shown = [(focused(points[i][0], topic, SNIPPET_CHARS), points[i][1]) for *_, i in hits]
    else:
        header = (
            f"{doc.label} gửi chung cho các đơn vị, trong đó có «{asked}»; không có việc riêng."
            if _addressed(session, doc, weights)  # "trường THPT phải làm gì theo cv …"
            else f"Không thấy đoạn nào của {doc.label} nói riêng về «{asked}»."
        ) + f"{sent}\nCác đơn vị nhận văn bản thực hiện:"
        shown = [(clip(text, 200), label) for text, label in overview]
    blocks = [Block(f"• {text}", (SourceRef(doc.label, label),)) for text, label in shown]
    intent = "search" if hits else "document"  # passages found, or the directive's overview
    return paged_answer(intent, header, blocks, documents=[document_ref(doc)])


# Words that ask ("giao … làm gì", "yêu cầu", "phải") rather than name what is asked about.
# ("thì" is no longer here: the topic already lost it where it is a particle, and "thi" may be
# the "thi" of "hội thi", which the topic keeps)
_ASKING = re.compile(
    r"\b(giao cho|giao|yeu cau|de nghi|chi dao|phai lam|lam gi|lam|phai|can(?! bo)|gi|nhung|cac|"
    r"theo|trong|nao|the nao|ra sao|nhu the nao|cu the|ve viec|ve|a|vay|nhi|ha|ko|khong|"
    r"cua ai|ai|cua|la|de|voi|cho|o|cong van|ke hoach|van ban|nghi quyet|quyet dinh|"
    # the document's own particulars, which its card gives: "cv 502 số hiệu là gì"
    r"so hieu|ky hieu|so may|so bao nhieu|trich yeu|tom tat|noi dung chinh|noi dung)\b"
)


def asked_topic(rest: str, docs: list[DocInfo]) -> str:
    """What a question asks of the documents it names, without the asking words, the document's
    province ("công văn Bình Định") nor numbers: "giao thanh tra làm gì" → "thanh tra"."""
    text = " ".join(w for w in _ASKING.sub(" ", rest).split() if not w.isdigit())
    text = f" {text} "
    for doc in docs:
        province = fold(doc.province)
        if province:
            text = re.sub(rf"\b((tinh|thanh pho|tp) )?{province}\b", " ", text)
    text = re.sub(r"^\s*phan\b", " ", text)  # "phần số hóa": the part about it
    return " ".join(text.split())


def without_runs(text: str, named: set[str]) -> str:
    """The text without its runs of two or more words that all belong to `named` (the words
    of a document's title): "kết luận phiên họp thứ chín vneid" → "vneid"."""
    words = text.split()
    keep = [True] * len(words)
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and words[j] in named:
            j += 1
        if j - i >= 2:
            keep[i:j] = [False] * (j - i)
        i = max(j, i + 1)
    return " ".join(w for w, k in zip(words, keep, strict=True) if k)


def asked_words(raw: str, topic: str, units: list[UnitInfo] | None = None) -> str:
    """The words of the question as typed that name what is asked ("THPT" for "trung học phổ
    thông"); a unit's own name when the topic names one and nothing else; else the topic."""
    named = find_units(units or [], topic, fuzzy=False)
    whole = named and named[0].start == 0 and named[0].end == len(topic.split())
    if whole and not named[0].unit.is_collective:  # a school stays as the user wrote it
        return named[0].unit.name
    wanted = set(topic.split())
    kept = [w for w in raw.split() if fold(w) and set(expand(fold(w)).split()) <= wanted]
    return " ".join(w.strip(" ?.!,") for w in kept) or topic


def without_deadline(
    session: Session, snap: Snapshot, docs: list[DocInfo], topic: str, asked: str = ""
) -> Answer | None:
    """ "công văn Bình Định hạn báo cáo ngày nào": the named documents set no deadline, said
    plainly, with what they do ask about the topic (a report without a date, say). None when
    one of them has a deadline row (the deadline composers answer then)."""
    if not docs or any(d.kind != "công văn" or _has_deadline(session, d) for d in docs):
        return None  # a plan without dates defers to the rules of the plans that have them
    weights = _weights(snap, topic)
    blocks: list[Block] = []
    lines: list[str] = []
    for doc in docs:
        lines.append(f"{doc.label} không đặt hạn nộp hay hạn báo cáo cụ thể nào.")
        points = directive_points(session, doc)
        about = [(t, lab) for t, lab in points if _match(t, weights) >= 0.5]
        if about:
            lead_in = f"Về «{_shown_topic(asked or topic)}», văn bản chỉ yêu cầu:"
            blocks.append(Block(lead_in, counts=False))
        blocks += [
            Block(f"• {focused(t, topic, SNIPPET_CHARS)}", (SourceRef(doc.label, lab),))
            for t, lab in about[:3]
        ]
        if not about:
            blocks.append(Block("", (SourceRef(doc.label, HEAD),), counts=False))
    return paged_answer(
        "deadline", "\n".join(lines), blocks, documents=[document_ref(d) for d in docs]
    )


_DEADLINE_WORDS = re.compile(r"^(han|chot|nop|gui|thoi|ngay|nao|khi)$")


def _shown_topic(topic: str) -> str:
    return " ".join(w for w in topic.split() if not _DEADLINE_WORDS.match(fold(w))) or topic


def _has_deadline(session: Session, doc: DocInfo) -> bool:
    return (
        session.exec(select(Deadline.id).where(Deadline.document_id == doc.id)).first() is not None
    )


# A date the text gives as a time limit: "trước ngày 10/7", "chậm nhất ngày …", "hạn …".
_LIMIT_BEFORE = re.compile(
    r"\b(truoc|cham nhat|han|hoan thanh|den het|khong qua|trong thoi han)\b.{0,24}$"
)


def _date_pattern(day: int, month: int) -> re.Pattern[str]:
    return re.compile(rf"\bngay 0?{day}(?: thang)? 0?{month}\b")  # folded: "ngay 18 8 2026"


def date_events(
    snap: Snapshot, day: int, month: int, doc_ids: tuple[int, ...] = ()
) -> list[tuple[str, DocInfo, str]]:
    """Where a document gives this day as the date of something that is not a time limit (a
    meeting, a training, a cited document's date): (sentence, document, section). Empty when
    any document gives it as a time limit (it is a deadline then)."""
    pattern = _date_pattern(day, month)
    written = re.compile(rf"\b0?{day}\s*(?:/|tháng)\s*0?{month}\b", re.IGNORECASE)
    events: list[tuple[str, DocInfo, str]] = []
    seen: set[str] = set()
    for passage in snap.index.items:
        if doc_ids and passage.document_id not in doc_ids or not written.search(passage.text):
            continue  # (a cheap look at the raw text first: most passages hold no such date)
        for sentence in re.split(r"(?<=[.;])\s+", " ".join(passage.text.split())):
            key = fold(sentence)
            m = pattern.search(key)
            if m is None:
                continue
            if _LIMIT_BEFORE.search(key[: m.start()]):
                return []  # a time limit on that day: the deadline composers answer
            doc = snap.docs.get(passage.document_id)
            if doc is not None and key not in seen:
                seen.add(key)
                window = focused(sentence, f"ngay {day} {month} {day:02d} {month:02d}", 200)
                events.append((window, doc, passage.section))
    return events


def not_a_deadline(label: str, events: list[tuple[str, DocInfo, str]]) -> Answer:
    """ "ngày 18/8 có phải hạn nộp không": no; what the documents say happens that day."""
    header = f"{label[:1].upper()}{label[1:]} không phải hạn nộp hay hạn báo cáo nào. Văn bản ghi:"
    blocks = [
        Block(f"• “{text}”", (SourceRef(doc.label, section or HEAD),))
        for text, doc, section in events
    ]
    docs = list({doc.id: doc for _, doc, _ in events}.values())
    return paged_answer("deadline", header, blocks, documents=[document_ref(d) for d in docs])
