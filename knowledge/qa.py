"""The answer engine's entry points: route a Vietnamese question to the right composer."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from sqlmodel import Session

from knowledge.answers import Answer, Suggestion
from knowledge.compose import (
    actions,
    deadlines,
    directives,
    documents,
    duties,
    elsewhere,
    facts,
    leads,
    passages,
    task_due,
    task_list,
    validity,
)
from knowledge.compose.fallback import ask_unit, help_answer, not_found
from knowledge.compose.refs import label_expired, unit_label, unit_ref
from knowledge.compose.snippets import RECIPIENT_RE, recipient
from knowledge.intents import (
    CODE_RE,
    DOC_DESIGNATOR,
    DOC_TYPES,
    PROVINCE_RE,
    Intent,
    Parsed,
    other_asks,
    parse,
    topic_for,
)
from knowledge.kb import DocInfo, Snapshot, UnitInfo, snapshot
from knowledge.mentions import (
    UnitMention,
    find_units,
    home_provinces,
    is_ambiguous,
    prefer_named_province,
    prefer_province,
    units_containing,
)
from knowledge.models import DocumentKind
from knowledge.normalize import expand, fold, search_key
from knowledge.typos import speller

logger = logging.getLogger(__name__)

EMPTY_QUESTION = "Bạn chưa nhập câu hỏi. Hãy gõ một câu hỏi, ví dụ «Phòng TCCB phụ trách gì?»."
EMPTY_KB = (
    "Chưa có văn bản nào trong cơ sở dữ liệu."
    " Quản trị viên hãy nạp văn bản bằng lệnh «python -m bot import»."
)


def answer_question(
    session: Session, question: str, *, today: date, unit_id: int | None = None
) -> Answer:
    """Answer a free-form question; `unit_id` is the asker's unit, for "phòng tôi …" questions."""
    if not fold(question or ""):
        return not_found(EMPTY_QUESTION)
    snap = snapshot(session)
    if not snap.docs:
        return not_found(EMPTY_KB)
    question = speller(snap).correct(question)  # "nihệm vụ" → "nhiem vụ", against the KB's words
    parsed = scoped(snap, parse(question, today, speller(snap).pairs))
    elsewhere_answer = elsewhere.compose(snap, question)
    if elsewhere_answer is not None:
        return elsewhere_answer
    mentions = find_units(snap.units, parsed.key)
    mentions = prefer_named_province(snap.units, mentions, named_provinces(snap, parsed.key))
    if is_ambiguous(mentions) and not parsed.task_numbers:
        asker = snap.unit(unit_id) if unit_id is not None else None
        mentions, choice = _settle_partial(snap, parsed, mentions, asker)
        if choice is not None:
            return choice
    answer = _route_parts(session, snap, parsed, mentions, today=today, unit_id=unit_id)
    logger.debug("question intent=%s answer=%s", parsed.intent.value, answer.intent)
    return label_expired(answer, snap, today)


def _settle_partial(
    snap: Snapshot, p: Parsed, mentions: list[UnitMention], asker: UnitInfo | None
) -> tuple[list[UnitMention], Answer | None]:
    """A partial name several units fit ("phòng giáo dục"): the one of the asker's province
    when only one is, else a "did you mean" choice between them."""
    first = mentions[0]
    tied = [m for m in mentions if m.score == first.score and m.start == first.start]
    home = {fold(snap.docs[i].province) for i in p.doc_ids if i in snap.docs}  # "… lâm đồng"
    home = home or home_provinces([fold(d.province) for d in snap.docs.values()], asker)
    kept = prefer_province([m.unit for m in tied], home)
    if len(kept) == 1:
        return [m for m in mentions if m not in tied or m.unit is kept[0]], None
    span = p.key.split()[first.start : first.end]
    raw = p.raw.split()
    at = next(
        (i for i in range(len(raw)) if fold(" ".join(raw[i : i + len(span)])).split() == span),
        None,
    )
    if at is None:
        return mentions, _choose_unit(" ".join(span), kept)
    named = " ".join(raw[at : at + len(span)])
    answer = _choose_unit(named, kept)
    answer.suggestions = [
        Suggestion(u.name, " ".join([*raw[:at], u.name, *raw[at + len(span) :]])) for u in kept[:8]
    ]
    return mentions, answer


def unit_duties(session: Session, unit_id: int, *, today: date) -> Answer:
    """What a unit is responsible for: tasks it leads, cooperates on, and its duty bullets."""
    snap = snapshot(session)
    unit = snap.unit(unit_id)
    if unit is None:
        return not_found("Không tìm thấy đơn vị này trong cơ sở dữ liệu.")
    return label_expired(duties.compose(session, snap, unit, today=today), snap, today)


def list_documents(session: Session, *, today: date | None = None) -> Answer:
    """Every document the bot knows, current plans first."""
    return documents.list_documents(snapshot(session), today=today or date.today())


def document_detail(session: Session, query: str) -> Answer:
    """One document's card: kind, number, date, issuer, subject, recipients, directives, signer."""
    snap = snapshot(session)
    if not fold(query or ""):
        return documents.list_documents(snap, today=date.today())
    return _document(session, snap, parse(query), min_score=8, fallback=_no_document)


_SCOPED_INTENTS = (
    Intent.WHO_LEADS, Intent.DEADLINE, Intent.SEARCH, Intent.UNIT_DUTIES, Intent.FIGURE,
)  # fmt: skip


def scoped(snap: Snapshot, p: Parsed) -> Parsed:
    """Take the words naming a document ("theo kh 2025", "công văn Bình Định") out of the topic
    and keep the documents they name as the question's scope."""
    if p.intent not in _SCOPED_INTENTS:
        return p
    named = named_provinces(snap, p.key)
    by_province = {d.id for d in snap.docs.values() if fold(d.province) in named}
    key = p.key
    for province in {fold(snap.docs[i].province) for i in by_province}:
        key = re.sub(
            rf"\b((ke hoach|cong van|van ban)( cua)? )?(tinh |thanh pho )?{province}\b", " ", key
        )
    topic = topic_for(key, p.window, speller(snap).pairs) if by_province else p.topic
    topic = " ".join(DOC_DESIGNATOR.sub(" ", topic).split())
    if by_province and p.parts:  # "quảng ninh bc quý 1 hạn nào và …": the province scopes
        provinces = {fold(snap.docs[i].province) for i in by_province}
        p = replace(p, parts=tuple(_without(part, provinces) for part in p.parts))
    if topic == p.topic:
        return p
    chosen, close = documents.choose_document(snap, p, min_score=30)
    doc_ids: tuple[int, ...] = (chosen.id,) if chosen is not None and not close else ()
    if by_province and (not doc_ids or doc_ids[0] not in by_province):
        doc_ids = tuple(sorted(by_province))
    emptied = (Intent.WHO_LEADS, Intent.DEADLINE, Intent.UNIT_DUTIES)
    if not topic and not (doc_ids and p.intent in emptied):
        return replace(p, doc_ids=doc_ids)
    return replace(p, topic=topic, doc_ids=doc_ids)


def _without(text: str, phrases: set[str]) -> str:
    for phrase in phrases:
        text = re.sub(rf"\b((tinh|thanh pho) )?{phrase}\b", " ", text)
    return " ".join(text.split())


def named_provinces(snap: Snapshot, key: str) -> set[str]:
    """The (folded) provinces of documents held that a question key names ("… lâm đồng")."""
    provinces = {fold(d.province) for d in snap.docs.values() if d.province}
    # in the key: the topic lost the "làm" of "Lâm Đồng" with the question words
    return {p for p in provinces if re.search(rf"\b{p}\b", key)}


def search_text(session: Session, query: str, *, today: date) -> Answer:
    """Free-text search: the best passages with short snippets and their sources."""
    if not fold(query or ""):
        return not_found(EMPTY_QUESTION)
    snap = snapshot(session)
    parsed = parse(query)
    found = passages.compose(snap, parsed, figures=False)
    return label_expired(found, snap, today) if found else not_found(snap=snap)


# ---------------------------------------------------------------------------------- routing
def _route_parts(
    session: Session,
    snap: Snapshot,
    p: Parsed,
    mentions: list[UnitMention],
    *,
    today: date,
    unit_id: int | None,
) -> Answer:
    """One answer section per part of a multi-part question, the main part first."""
    others = other_asks(p)
    if others:  # the deadline is ranked by its own part; each other part gets its passages
        topic = f" {p.topic} "
        for other in others:
            topic = topic.replace(f" {other} ", " ")
        p = replace(p, topic=" ".join(topic.split()), parts=())
    first = _route_first(session, snap, p, mentions, today=today, unit_id=unit_id)
    sections = [first]
    cited = {i for i, d in snap.docs.items() if any(s.document == d.label for s in first.sources)}
    for other in others:  # within the documents the first part answered from
        scope = p.doc_ids or tuple(sorted(cited))
        quoted = passages.compose(snap, replace(p, topic=other, doc_ids=scope), figures=False)
        if quoted is not None:
            sections.append(quoted)
    for extra in p.intents[1:]:
        if extra.value == first.intent:
            continue
        part = replace(p, intent=extra)
        answer = _route_first(session, snap, part, mentions, today=today, unit_id=unit_id)
        if answer.intent not in ("not_found", first.intent):
            sections.append(answer)
    return combine(sections) if len(sections) > 1 else first


def _route_first(
    session: Session,
    snap: Snapshot,
    p: Parsed,
    mentions: list[UnitMention],
    *,
    today: date,
    unit_id: int | None,
) -> Answer:
    """Slots that decide the answer before the intent does: actions, facts, date windows,
    obligations, several task numbers, a person who signed."""
    if p.intent is Intent.ACTION:
        return actions.compose(session, snap, p, today=today)
    if "validity" in p.asks:  # "kh 2021-2025 còn hiệu lực không"
        state = validity.compose(snap, p, today=today)
        if state is not None:
            return state
    if p.intent is Intent.FACTS:
        return facts.compose(session, snap, p, today=today) or _search(snap, p)
    if (
        p.intent in (Intent.SIGNER, Intent.LIST_DOCUMENTS)  # "những văn bản ông X ký"
        or p.intent is Intent.SEARCH
        and len(p.topic.split()) <= 6
    ):
        signed = facts.signed_by(snap, p)  # "ông X ký gì", "Phan Thanh Liêm chức vụ gì"
        if signed is not None:
            return signed
    if "recipient" in p.asks and _names_document_only(p, snap) and p.intent is not Intent.SIGNER:
        return facts.compose(session, snap, p, today=today) or _search(snap, p)
    if p.intent in (Intent.DEADLINE, Intent.DOCUMENT, Intent.SEARCH) and task_due.asks_when(p):
        found = task_due.compose(session, snap, p, today=today)
        if found is not None:
            return found
    if p.task_numbers and p.intent is Intent.DEADLINE and p.window is None:
        found = leads.compose(session, snap, p, today=today)  # "nv 7 hạn khi nào": its row
        if found is not None:
            return found
    if p.intent is Intent.DEADLINE or "obligations" in p.asks:
        unit = _deadline_unit(snap, p, mentions, unit_id)
        if mentions:
            topic = _topic_without(snap, p, mentions[0])
            topic = PROVINCE_RE.sub(" ", DOC_DESIGNATOR.sub(" ", topic))
            p = replace(p, topic=" ".join(topic.split()))
        if (p.self_kind or p.my_unit) and unit is None:
            return ask_unit(snap, p.raw)
        named = _named_documents(session, snap, p) if "recipient" not in p.asks else []
        topic = _doc_topic(snap, p, named)
        asked = directives.asked_words(p.raw, topic)
        undated = directives.without_deadline(session, snap, named, topic, asked)
        if undated is not None:  # "công văn 502 hạn báo cáo khi nào": it sets none, said so
            return undated
        event = _date_not_deadline(session, snap, p, today=today, unit=unit)
        if event is not None:  # "ngày 18/8 có phải hạn nộp không": a meeting that day
            return event
        found = deadlines.compose(session, snap, p, today=today, unit=unit)
        if found is None and unit is not None and "obligations" in p.asks and p.topic:
            # "các trường mầm non phải nộp gì cho sở": the words left beside the unit ("mầm
            # non", "cho sở") match no deadline; "phải nộp gì" asks for all the unit owes
            found = deadlines.compose(session, snap, replace(p, topic=""), today=today, unit=unit)
        if found is not None:
            found = _from_period_documents(snap, p, found)
            return _with_recipient(snap, p, found) if "recipient" in p.asks else found
    if len(p.task_numbers) > 1:
        found = leads.compose(session, snap, p, today=today)
        if found is not None:
            return found
    if p.intent is Intent.WHO_LEADS and p.window is not None and not p.window.whole_year:
        # "quý 2 kiểm tra gì, ai chủ trì": the rows due in that window, their leads first
        listed = (
            None
            if p.task_numbers or mentions
            else task_list.compose(session, snap, p, today=today, who=True)
        )
        if listed is not None:
            return listed
    return _route(session, snap, p, mentions, today=today, unit_id=unit_id)


def _date_not_deadline(
    session: Session, snap: Snapshot, p: Parsed, *, today: date, unit: UnitInfo | None
) -> Answer | None:
    """A single day asked about that the documents give as the date of a meeting or a training,
    not a time limit: said, then the deadline the question's topic has, if any."""
    window = p.window
    if window is None or window.start != window.end:
        return None
    day = window.start
    events = directives.date_events(snap, day.day, day.month, p.doc_ids)
    if not events:
        return None
    answer = directives.not_a_deadline(f"ngày {day.day:02d}/{day.month:02d}", events)
    words = [w for w in p.topic.split() if not w.isdigit() and w not in ("lam", "viec")]
    asked = replace(p, window=None, topic=" ".join(words))
    related = deadlines.compose(session, snap, asked, today=today, unit=unit) if words else None
    best = "Hạn phù hợp nhất với câu hỏi:"
    if related is not None and related.text.startswith(best):  # the topic's own deadline
        related.text = related.text.replace(best, "Hạn liên quan:", 1)
        return combine([answer, related])
    return answer


def _named_documents(session: Session, snap: Snapshot, p: Parsed) -> list[DocInfo]:
    """The documents a question names: its scope, else ours by number, else those citing the
    number it gives ("công văn 502": the Sở's directive that implements it)."""
    if p.doc_ids:
        return [snap.docs[i] for i in p.doc_ids if i in snap.docs]
    if not (p.codes or p.doc_type_numbers):
        return []
    own = [d for d in snap.docs.values() if documents.named_by_number(d, p)]
    if own:
        return own
    cited = {r.document_id for r in documents.find_references(session, p)}
    return [snap.docs[i] for i in sorted(cited) if i in snap.docs]


def _doc_topic(snap: Snapshot, p: Parsed, docs: list[DocInfo]) -> str:
    """The topic without the words that name the documents."""
    code_words = {w for _, code in p.codes for w in expand(code).split()}
    rest = DOC_DESIGNATOR.sub(" ", " ".join(w for w in p.topic.split() if w not in code_words))
    return directives.asked_topic(rest, docs)


def _from_period_documents(snap: Snapshot, p: Parsed, found: Answer) -> Answer:
    """ "dự toán kinh phí giai đoạn 2026-2030 gửi về đâu": when the deadlines found come only
    from documents outside the period named, the period's own document is quoted first."""
    if not p.years or not p.topic or p.window is not None and not p.window.whole_year:
        return found
    period = {i for i, d in snap.docs.items() if all(d.covers(y) for y in p.years)}
    cited = {i for i, d in snap.docs.items() if any(s.document == d.label for s in found.sources)}
    if not period or cited & period:
        return found
    quoted = passages.compose(snap, replace(p, doc_ids=tuple(sorted(period))), figures=False)
    if quoted is None:
        return found
    both = combine([quoted, found])
    both.intent = found.intent
    return both


def _topic_without(snap: Snapshot, p: Parsed, mention: UnitMention) -> str:
    """The question's topic without the unit it names, nor the province of a document held
    ("phòng gd dân tộc gia lai có hạn gì": the province scopes, it is no topic word)."""
    tokens = p.key.split()
    rest = " ".join(tokens[: mention.start] + tokens[mention.end :])
    topic = f" {topic_for(rest, p.window, speller(snap).pairs)} "
    for province in {fold(d.province) for d in snap.docs.values() if d.province}:
        topic = topic.replace(f" {province} ", " ")
    return " ".join(topic.split())


def _with_recipient(snap: Snapshot, p: Parsed, found: Answer) -> Answer:
    """ "… gửi ai / nộp cho ai": the recipient unit first in `units`; when the deadline's own
    wording names no recipient, the passage that does comes first."""
    text = found.text
    if "Gửi về:" not in text:
        quoted = passages.compose(snap, p, figures=False)
        if quoted is None or not RECIPIENT_RE.search(quoted.text.split("\n", 2)[1]):
            return found
        found = combine([quoted, found])
        found.intent = "deadline"
        text = quoted.text.split("\n", 2)[1]
    else:
        text = text.split("Gửi về:", 1)[1].split("\n", 1)[0]
    target = (recipient(text) or text).strip()
    # a recipient is one body: "Sở GDĐT (qua Văn phòng Sở)" is no "Phòng GDĐT quận, huyện"
    named = sorted(find_units(snap.units, search_key(target)), key=lambda m: m.unit.is_collective)
    if named:
        full = named[0].unit.name  # "Gửi về: Phòng TCCB" names the unit in full too
        if fold(full) not in fold(target) and f"Gửi về: {target}" in found.text:
            found.text = found.text.replace(f"Gửi về: {target}", f"Gửi về: {target} ({full})", 1)
        found.units = [unit_ref(named[0].unit)] + [
            u for u in found.units if u != unit_ref(named[0].unit)
        ]
    return found


_SENT_TO = re.compile(r"\bgui (cho )?((nhung|cac) )?(ai|don vi nao|co quan nao)\b|\bnoi nhan\b")


def _names_document_only(p: Parsed, snap: Snapshot) -> bool:
    """ "công văn 2023 (về cchc) gửi ai": a document and nothing else is named (its recipients);
    words of its title ("về cchc") name it too."""
    # "gửi những ai / gửi cho ai / nơi nhận" ask whom the document is sent to; "gửi về đâu"
    # asks where a submission goes, unless the question names nothing but the document
    sent_to = bool(_SENT_TO.search(fold(p.raw)))
    if not (DOC_DESIGNATOR.search(p.key) or p.codes or p.doc_ids and sent_to):
        return False
    docs = p.doc_ids if sent_to else ()
    titled = {w for i in docs if i in snap.docs for w in snap.docs[i].key.split()}
    rest = PROVINCE_RE.sub(" ", DOC_DESIGNATOR.sub(" ", p.topic)).split()  # "cv bình định"
    # "cv 2023 về cchc gửi ai": every document here is about CCHC, the words name no point
    generic = ("nop", "gui", "bao", "cao", "ve", "dau", "cua", "cai", "cach", "hanh", "chinh")
    return all(w in generic or w in titled or w.isdigit() for w in rest)


def _deadline_unit(
    snap: Snapshot, p: Parsed, mentions: list[UnitMention], unit_id: int | None
) -> UnitInfo | None:
    """The unit a deadline question is about: named, "phòng tôi", or "trường tôi" (a collective
    asking about itself: the asker's unit, else the collective whose names say "trường")."""
    if mentions:
        return mentions[0].unit
    if (p.my_unit or p.self_kind) and unit_id is not None:
        return snap.unit(unit_id)
    if p.self_kind:
        kind = p.self_kind
        groups = [u for u in snap.units if any(kind in k.split() for k in u.keys)]
        groups.sort(key=lambda u: (not u.is_collective, u.id))
        return groups[0] if groups else None
    return None


def combine(sections: list[Answer]) -> Answer:
    """Several answers as one, sections in order (each keeps its own text and references)."""
    first = sections[0]
    out = replace(first, more=list(first.more))
    for extra in sections[1:]:
        out.text = f"{out.text}\n\n{extra.text}"
        out.more += extra.more
        out.units += [u for u in extra.units if u not in out.units]
        out.tasks += extra.tasks
        out.deadlines += extra.deadlines
        out.documents += [d for d in extra.documents if d not in out.documents]
        out.sources += [s for s in extra.sources if s not in out.sources]
    return out


def _route(
    session: Session,
    snap: Snapshot,
    p: Parsed,
    mentions: list[UnitMention],
    *,
    today: date,
    unit_id: int | None,
) -> Answer:
    intent = p.intent
    if intent is Intent.NOT_FOUND:
        return not_found(EMPTY_QUESTION)
    if intent is Intent.HELP:
        return help_answer(thanks=bool(re.match(r"(cam on|thank)", p.key)), snap=snap)
    if p.task_number and (
        intent in (Intent.SEARCH, Intent.WHO_LEADS, Intent.DOCUMENT)
        or (intent is Intent.UNIT_DUTIES and not mentions)
    ):
        found = leads.compose(session, snap, p, today=today)
        if found is not None:
            return found
    if intent is Intent.LIST_DOCUMENTS:
        return documents.list_documents(snap, today=today)
    if intent is Intent.SIGNER:
        return documents.signer_answer(snap, p, today=today)
    if intent is Intent.WHO_LEADS:
        found = leads.compose(session, snap, p, today=today)
        if found is None and len(p.doc_ids) == 1 and p.doc_ids[0] in snap.docs:
            # "công văn 2023 giao phòng nào": it names no lead; what it asks of whom, in full
            return documents.detail(session, snap, snap.docs[p.doc_ids[0]])
        return found or _search(snap, p)
    if intent is Intent.DEADLINE:
        # "kho học liệu số xong năm nào": no dated deadline, but a catalogue row with its time
        rows = leads.compose(session, snap, p, today=today) if p.topic else None
        return rows if rows is not None and rows.tasks else _search(snap, p)
    if intent is Intent.FACTS:
        return facts.compose(session, snap, p, today=today) or _search(snap, p)
    if intent is Intent.DOCUMENT:
        return _document(session, snap, p, today=today)
    if intent is Intent.FIGURE:
        return passages.compose(snap, p, figures=True) or _search_or_card(session, snap, p)
    if intent is Intent.UNIT_DUTIES:
        return _unit_duties(session, snap, p, mentions, today=today, unit_id=unit_id)
    # SEARCH: a bare unit name asks for its duties; a named document asks for its card;
    # a period ("6 tháng cuối năm có kiểm tra gì") asks for the tasks due in it.
    if mentions and _only_names_unit(p, mentions[0]):
        return _duties_for(session, snap, mentions, p=p, today=today)
    if mentions and _ASKS_ROLE.search(p.key):
        # "trường THPT có phải phối hợp khảo sát hài lòng không": its rows on that topic
        return _duties_for(session, snap, mentions, p=p, today=today, role=_asked_role(p))
    if p.window is not None and not p.window.whole_year and not mentions:
        # "6 tháng cuối năm có kiểm tra gì": catalogue rows due then; "tháng sau phải nộp báo
        # cáo gì": the deadlines that fall then
        listed = task_list.compose(session, snap, p, today=today) or deadlines.compose(
            session, snap, p, today=today
        )
        if listed is not None:
            return listed
    if _names_document(p):
        doc, close = documents.choose_document(snap, p, min_score=36)
        about, _ = (
            _about_topic(session, snap, p, (doc.id,), title_words=True) if doc else (None, "")
        )
        if about is not None:  # "công văn 2023 về tinh giản biên chế": that point, quoted
            return about
        if doc is not None:
            note, suggestions = documents.choice_note(doc, close)
            return documents.detail(session, snap, doc, preface=note, suggestions=suggestions)
    return _search_or_card(session, snap, p)


def _unit_duties(
    session: Session,
    snap: Snapshot,
    p: Parsed,
    mentions: list[UnitMention],
    *,
    today: date,
    unit_id: int | None,
) -> Answer:
    """What a unit does: the named one(s), "phòng tôi", a partial name, or, with no unit, the
    tasks of the period or topic asked (the deadlines in the period when no row falls there)."""
    role = _asked_role(p)
    if mentions:
        return _duties_for(session, snap, mentions, p=p, today=today, role=role)
    if p.my_unit:
        unit = _deadline_unit(snap, p, [], unit_id)
        if unit is None:
            return ask_unit(snap, p.raw)
        return _duties_or_document(session, snap, unit, p, today=today, role=role)
    named = _named_unit(p.raw)
    if named:
        partial = units_containing(snap.units, search_key(named))
        asker = snap.unit(unit_id) if unit_id is not None else None
        home = home_provinces([fold(d.province) for d in snap.docs.values()], asker)
        partial = prefer_province(partial, home)
        if len(partial) == 1:
            preface = f"(Tôi hiểu là {unit_label(partial[0])}.)\n"
            return duties.compose(session, snap, partial[0], today=today, preface=preface)
        if len(partial) > 1:
            return _choose_unit(named, partial)
    listed = None if named else task_list.compose(session, snap, p, today=today)
    if listed is None and p.window is not None and not named:
        # "quý 1 năm 2027 có việc gì": no catalogue row then, but the deadlines that fall
        listed = deadlines.compose(session, snap, replace(p, topic=""), today=today)
    if listed is not None:
        return listed
    if len(p.doc_ids) == 1 and p.doc_ids[0] in snap.docs and not named:
        # "cv 215 có nhiệm vụ gì": a directive without a catalogue; what it asks, in full
        return documents.detail(session, snap, snap.docs[p.doc_ids[0]])
    answer = _search(snap, p)
    if named:
        note = f"Tôi không thấy đơn vị «{named}» trong các văn bản hiện có."
        if fold(named).startswith("so "):
            note = f"«{named}» là cơ quan khác, không phải một phòng hay đơn vị của Sở."
        if answer.intent == "not_found":
            return not_found(note, snap=snap)
        answer.text = f"{note} Các đoạn có liên quan:\n" + answer.text.split("\n", 1)[1]
    return answer


def _search_or_card(session: Session, snap: Snapshot, p: Parsed) -> Answer:
    """Passages; failing that, the card of a document the question clearly names
    ("kế hoạch Quảng Ninh có mục tiêu gì"), rather than "not found"."""
    answer = passages.compose(snap, p, figures=False)
    if answer is not None:
        return answer
    if re.search(r"\b(ke hoach|cong van|van ban)\b", p.key):
        doc, close = documents.choose_document(snap, p, min_score=24)
        if doc is not None and not close:
            return documents.detail(session, snap, doc)
    return not_found(snap=snap)


# "… những gì / những việc nào": a listing of the named plan's rows on that topic
_LISTING = re.compile(r"\b(nhung|cac) (gi|viec gi|noi dung gi)\b|\bnhung (viec|noi dung) nao\b")


def _names_document(p: Parsed) -> bool:
    return bool(re.match(r"^(ke hoach|cong van|van ban)\b", p.key))


_NAMED_UNIT = re.compile(
    r"^(?:.*? )??((?:van phong|phong|ban|trung tam|to|thanh tra"
    # another Sở ("Sở Tài chính làm gì") is named too, to be told apart from our units
    r"|so(?= (?!giao duc|gd|phai|can|co|lam|duoc|chu tri|phu trach)\w+ \w)) .+?)"
    r" (?:phu trach|lam|co|chu tri|duoc|phai|can)\b"
)


def _named_unit(raw: str) -> str:
    """The unit name as the user wrote it in "Phòng X làm gì?", or ""."""
    words = raw.split()
    folded = [fold(w) for w in words]
    if any(len(f.split()) != 1 for f in folded):
        return ""
    m = _NAMED_UNIT.match(" ".join(folded))
    if not m:
        return ""
    start = len(" ".join(folded)[: m.start(1)].split())
    count = len(m.group(1).split())
    return " ".join(words[start : start + count])


_DUTY_WORDS = re.compile(r"\b(trach nhiem|nhiem vu|cong viec|phan cong|chuc nang|viec|cua)\b")


# "X có phải đo lường sự hài lòng không", "X phải phối hợp … không": X's part in that work
_ASKS_ROLE = re.compile(r"\bphai (phoi hop|chu tri|thuc hien|tham gia)\b|\bco phai\b")


def _only_names_unit(p: Parsed, mention: UnitMention) -> bool:
    rest = _DUTY_WORDS.sub(" ", p.topic)
    for word in mention.matched.split():
        rest = rest.replace(word, " ", 1)
    # "phòng quản lý chất lượng phụ trác gì": a misspelt duty verb before "gì" still asks duties
    return len(rest.split()) <= (2 if re.search(r"\bgi$", p.key) else 1)


def _choose_unit(named: str, units: list[UnitInfo]) -> Answer:
    shown = units[:8]
    text = f"Có {len(units)} đơn vị khớp «{named}». Bạn hỏi đơn vị nào?\n" + "\n".join(
        f"• {unit_label(u)}" for u in shown
    )
    return Answer(
        intent="unit_duties",
        text=text,
        suggestions=[Suggestion(u.name, f"{u.name} phụ trách gì?") for u in shown],
        clarify="unit",
    )


def _asked_role(p: Parsed) -> str | None:
    """ "chủ trì những nhiệm vụ nào" asks only for led tasks; "phối hợp …" only for the others."""
    lead, coop = " chu tri " in f" {p.key} ", " phoi hop " in f" {p.key} "
    return "lead" if lead and not coop else ("cooperate" if coop and not lead else None)


_NOT_TOPIC = re.compile(
    r"\b(trach nhiem|nhiem vu|cong viec|phan cong|chuc nang|viec|cua|phong|don vi|so|"
    r"truong|trung tam|toi|minh|em|tui|chung|ke hoach|cong van|van ban|giai doan|nam|"
    r"phu trach|lam|phai|can|gi|nhung|cac|la|co|ve|theo|trong|\d+|"
    # the genre itself: every duty is about administrative reform
    r"cai cach hanh chinh|cchc)\b"
)


def _duty_topic(p: Parsed, unit: UnitInfo) -> str:
    """What a duties question is about beyond the unit: "… phải làm gì về dịch vụ công"."""
    topic = f" {p.topic} "
    for key in unit.keys:
        topic = topic.replace(f" {key} ", " ")
    return " ".join(_NOT_TOPIC.sub(" ", topic).split())


def _duties_for(
    session: Session,
    snap: Snapshot,
    mentions: list[UnitMention],
    *,
    p: Parsed,
    today: date,
    role: str | None = None,
) -> Answer:
    named = _several_units(p, mentions)
    if len(named) > 1:  # "phòng TCCB và phòng KHTC chủ trì gì": one section per unit
        topic = f" {p.topic} "
        for key in (k for m in named for k in m.unit.keys):
            topic = topic.replace(f" {key} ", " ")
        each = replace(p, topic=" ".join(w for w in topic.split() if w != "moi"))
        return combine(
            [_duties_for(session, snap, [m], p=each, today=today, role=role) for m in named]
        )
    chosen = mentions[0]
    rivals = [m for m in mentions[1:] if m.score >= chosen.score - 0.5]
    preface = ""
    suggestions: list[Suggestion] = []
    if rivals:
        preface = f"(Có {len(rivals) + 1} đơn vị gần giống; tôi chọn {unit_label(chosen.unit)}.)\n"
        suggestions = [Suggestion(m.unit.name, f"{m.unit.name} phụ trách gì?") for m in rivals[:4]]
    elif chosen.score < 100:
        preface = f"(Tôi hiểu là {unit_label(chosen.unit)}.)\n"
    rest = replace(p, topic=_topic_without(snap, p, chosen))
    answer = _duties_or_document(
        session, snap, chosen.unit, rest, today=today, role=role, preface=preface
    )
    answer.suggestions = suggestions
    return answer


def _duties_or_document(
    session: Session,
    snap: Snapshot,
    unit: UnitInfo,
    p: Parsed,
    *,
    today: date,
    role: str | None,
    preface: str = "",
) -> Answer:
    """A unit's duties; when the question names one directive that gives the unit nothing of
    its own ("trường tôi phải làm gì theo công văn Bình Định", a directive to every unit),
    what that directive asks, saying so, rather than the unit's duties in other documents (a
    plan that assigns it nothing: the duties composer says so and shows the other plans)."""
    doc = snap.docs.get(p.doc_ids[0]) if len(p.doc_ids) == 1 else None
    if (
        doc is not None
        and doc.kind != DocumentKind.PLAN.value
        and not duties.has_rows_in(session, snap, unit, doc.id)
    ):
        note = (
            f"{preface}({doc.label} không giao việc riêng cho {unit_label(unit)};"
            " dưới đây là các yêu cầu chung của văn bản.)\n"
        )
        answer = documents.detail(session, snap, doc, preface=note)
        answer.units = [unit_ref(unit), *(u for u in answer.units if u != unit_ref(unit))]
        return answer
    return duties.compose(
        session, snap, unit, today=today, preface=preface, role=role, years=p.years,
        doc_ids=p.doc_ids, topic=_duty_topic(p, unit),
    )  # fmt: skip


def _several_units(p: Parsed, mentions: list[UnitMention]) -> list[UnitMention]:
    """Units the question joins with "và" / "," ("TCCB và KHTC"), in the order written; one
    unit (or rivals for one name) otherwise."""
    ordered = sorted(mentions, key=lambda m: m.start)
    tokens = p.key.split()
    out = ordered[:1]
    for m in ordered[1:]:
        between = tokens[out[-1].end : m.start]
        if m.unit.id != out[-1].unit.id and m.start >= out[-1].end and "va" in between:
            out.append(m)
    return out if len(out) > 1 else []


def _document(
    session: Session,
    snap: Snapshot,
    p: Parsed,
    *,
    min_score: float = 14,
    fallback: Callable[[Snapshot, Parsed], Answer] | None = None,
    today: date | None = None,
) -> Answer:
    """One of our own documents by its number first, then a cited document, then by name."""
    doc, close = documents.choose_document(snap, p, min_score=min_score)
    own_number = doc is not None and documents.named_by_number(doc, p)
    if doc is not None and today is not None and _LISTING.search(p.key):
        # "kh 412 kiểm tra những gì": the named plan's rows on that topic
        topic = " ".join(DOC_DESIGNATOR.sub(" ", p.topic).split())
        scoped_p = replace(p, topic=topic, doc_ids=(doc.id,))
        listed = task_list.compose(session, snap, scoped_p, today=today) if topic else None
        if listed is not None:
            return listed
    refs = [] if own_number else documents.find_references(session, p)
    scope = (doc.id,) if doc is not None and own_number else tuple({r.document_id for r in refs})
    by_name = not scope and doc is not None and not close
    if by_name and doc is not None:
        scope = (doc.id,)  # "công văn 2023 nói gì về chuyển đổi số": named by year or name
    focused_answer, asked = _about_topic(session, snap, p, scope, title_words=by_name)
    if focused_answer is not None:
        return focused_answer
    if not own_number:
        if refs and {"issued"} & p.asks:
            return facts.reference_date(snap, refs)
        if refs:
            return documents.reference_answer(session, snap, p, refs)
        if p.codes or p.doc_type_numbers:
            if doc is None or not p.asks_document or leads.unknown_document(snap, p):
                code = CODE_RE.search(p.raw)
                unknown = leads.unknown_document(snap, p)
                what = code.group(0) if code else unknown or p.raw.strip(" ?.!")
                return not_found(
                    f"Không thấy văn bản «{what}» trong các văn bản hiện có,"
                    " cũng không văn bản nào trích dẫn nó.",
                    snap=snap,
                )
    if doc is None:
        return (fallback or _search)(snap, p)
    note, suggestions = documents.choice_note(doc, close)
    if asked and by_name:
        note += f"(Không thấy đoạn nào của văn bản nói riêng về «{asked}»; nội dung chính:)\n"
    return documents.detail(session, snap, doc, preface=note, suggestions=suggestions)


_DOC_QUESTION = re.compile(
    r"\b(noi gi|noi ve|yeu cau gi|de nghi gi|chi dao gi|giao gi|quy dinh gi|"
    r"noi dung|tom tat|la gi|nhu the nao|the nao|ra sao|nhung gi)\b"
)


# Document types that name the document in "công văn 502 nói gì về …" ("luật", "báo cáo",
# "chương trình" are also what a document talks about).
_DESIGNATING_TYPES = re.compile(
    r"\b("
    + "|".join(t for t in DOC_TYPES if t not in ("luat", "bao cao", "chuong trinh"))
    + r")\b"
)


def _about_topic(
    session: Session,
    snap: Snapshot,
    p: Parsed,
    scope: tuple[int, ...],
    *,
    title_words: bool = False,
) -> tuple[Answer | None, str]:
    """ "công văn 502 nói gì về khiếu nại": the passages of the named document about the topic,
    and the topic as the user wrote it ("" when the question asks only for the document;
    `title_words`: the words of its title name it, they are not the topic)."""
    if not scope:
        return None, ""
    rest = f" {_DOC_QUESTION.sub(' ', p.topic)} "
    rest = _DESIGNATING_TYPES.sub(" ", rest)
    code_words = {w for _, code in p.codes for w in expand(code).split()}
    rest = DOC_DESIGNATOR.sub(" ", " ".join(w for w in rest.split() if w not in code_words))
    for kind, _ in p.doc_type_numbers:  # "bc 2256 của ai": "báo cáo" names the document
        rest = re.sub(rf"\b{kind}\b", " ", rest)
    rest = directives.asked_topic(rest, [snap.docs[i] for i in scope if i in snap.docs])
    titled = {w for i in scope if i in snap.docs for w in snap.docs[i].key.split()}
    if title_words:  # "cv kết luận phiên họp thứ chín nói gì về vneid": the title names it
        rest = directives.without_runs(rest, titled)
    # one word asks too when it is a term, not a stray letter ("cv 2025 về VNeID nói gì")
    if len(rest) < 4 or len(rest.split()) < 2 and rest not in snap.index.idf:
        return None, ""  # nothing asked beyond the document itself: its card answers
    asked = directives.asked_words(p.raw, rest, snap.units)
    one = snap.docs.get(scope[0]) if len(scope) == 1 else None
    directive = one is not None and one.kind == "công văn"
    if one is not None and directive:  # what the directive asks about it
        focus = directives.focus(session, snap, one, rest, asked)
        if focus is not None and (
            focus.intent == "search" or directives.addressed_to(session, snap, one, rest)
        ):  # its points about the topic; or, sent to the unit asked, all it must do
            return focus, asked
    found = passages.compose(snap, replace(p, topic=rest, doc_ids=scope), figures=False)
    untitled = [w for w in rest.split() if w not in titled]
    if title_words and len(" ".join(untitled)) >= 4 and not _quotes_any(found, untitled):
        # "cv triển khai kết luận bcđ … về VNeID": the title named the document, VNeID asks
        bare = replace(p, topic=" ".join(untitled), doc_ids=scope)
        found = passages.compose(snap, bare, figures=False)
    if found is None and one is not None and directive:
        found = directives.focus(session, snap, one, rest, asked)  # said: nothing on it
    return found, asked


def _quotes_any(found: Answer | None, words: list[str]) -> bool:
    """Whether the first quoted passage holds any of the words (folded)."""
    if found is None:
        return False
    first = (
        f" {fold(found.text.split(chr(10) + '•', 2)[1] if chr(10) + '•' in found.text else '')} "
    )
    return any(f" {w} " in first for w in words)


def _search(snap: Snapshot, p: Parsed) -> Answer:
    return passages.compose(snap, p, figures=False) or not_found(snap=snap)


def _no_document(snap: Snapshot, _p: Parsed | None = None) -> Answer:
    answer = not_found("Không tìm thấy văn bản phù hợp. Các văn bản hiện có:")
    answer.text = (
        answer.text.split("\n")[0] + "\n" + "\n".join(f"• {d.label}" for d in snap.docs.values())
    )
    answer.suggestions = [
        Suggestion(d.label, f"văn bản {d.label}") for d in list(snap.docs.values())[:5]
    ]
    return answer
