"""Intent detection: what kind of question this is, and the slots the answer needs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from knowledge import lexicon
from knowledge.ingest.provinces import PROVINCES
from knowledge.normalize import expand, fold, nfc, strip_diacritics
from knowledge.search import spelling
from knowledge.windows import SPAN, UNTIL, DateWindow, find_window, relative_years


class Intent(str, Enum):
    UNIT_DUTIES = "unit_duties"
    WHO_LEADS = "who_leads"
    DEADLINE = "deadline"
    DOCUMENT = "document"
    SIGNER = "signer"
    FIGURE = "figure"
    LIST_DOCUMENTS = "documents"
    SEARCH = "search"
    HELP = "help"
    NOT_FOUND = "not_found"
    FACTS = "facts"  # issue date, basis ("căn cứ"), documents a person signed
    ACTION = "action"  # "đã nộp rồi", "phòng nào chưa nộp", "xuất excel", "nhắc tôi lúc 7h"


# Slots that ask for an action rather than an answer (lexicon set phrases fill them).
ACTION_ASKS = ("done", "status", "export", "remind_time")


# A cited code as written: "24/BCĐ-KSTTHC", "57-NQ/TW", "47/2020/NĐ-CP", "131/NQ-CP".
CODE_RE = re.compile(
    r"(?<![\w/])(\d{1,5})((?:\s?[-/]\s?(?:\d{4}|[A-Za-zĐđ&][\wĐđ&]*))+)", re.UNICODE
)
DOC_TYPES = (
    "nghi quyet", "nghi dinh", "quyet dinh", "cong van", "van ban", "ke hoach", "thong tu",
    "chi thi", "ket luan", "bao cao", "thong bao", "luat", "chuong trinh", "de an",
)  # fmt: skip
_DOC_TYPE_NUMBER = re.compile(
    r"\b(" + "|".join(DOC_TYPES) + r")( so)? (\d{1,5})\b(?! (?:thang|nam|quy|tuan)\b)"
)
_TASK_NUMBER = re.compile(
    r"\b(?:nhiem vu|muc|viec|dong) (?:so |thu )?(\d{1,3})"
    r"((?:(?: va| hoac|,)? (?:nhiem vu |so )?\d{1,3}\b)*)"
)
_YEAR = re.compile(r"\b(20\d\d)\b")

_LIST_DOCS = re.compile(
    r"\b(nhung|cac|danh sach|liet ke|bao nhieu) (van ban|tai lieu|ke hoach|cong van)\b"
    r"|\b(van ban|tai lieu) (nao|gi)\b.*\b(co|biet|luu|nap)\b|\bdanh sach van ban\b"
)
_SIGNER = re.compile(
    r"\b(ai|nguoi nao|lanh dao nao|do ai|nguoi) (da )?ky\b|\bky (boi|ten)\b|\bnguoi ky\b"
    # "kỳ" of "giữa kỳ / định kỳ / nhiệm kỳ" is no signature
    r"|(?<!giua )(?<!dinh )(?<!nhiem )(?<!hoc )(?<!thoi )\bky (nhung |cac |bao nhieu )?"
    r"(van ban|cong van|ke hoach)\b|\bchu ky\b"
)
_WHO = r"(ai|don vi nao|phong nao|bo phan nao|co quan nao|noi nao|ben nao|cho nao)"
_LEAD_VERB = (
    r"(chu tri|phu trach|thuc hien|dam nhiem|dam nhan|lam|duoc giao|chiu trach nhiem|"
    r"tham muu|trien khai|xay dung|to chuc|lo|phoi hop|tap hop|tong hop|lam dau moi|dau moi|"
    # the work itself: "ai lập dự toán", "ai vận hành cổng thông tin", "ai tổng kết"
    r"tong ket|so ket|don doc|"
    r"lap|van hanh|ra soat|cap nhat|huong dan|theo doi|quan ly|khao sat|so hoa|ban hanh|"
    r"soan thao|tiep nhan|giai quyet|tuyen truyen|nang cap|thong ke|tham dinh|kiem tra|"
    r"danh gia|do luong|kien toan|boi duong|sap xep|cong khai|cong bo)"
)
_WHO_LEADS = re.compile(
    rf"\b{_WHO} (se |thi |la |duoc |dang )?{_LEAD_VERB}\b|\b{_LEAD_VERB} (la|boi) {_WHO}\b"
    rf"|\b(chu tri|phu trach) .* (la )?{_WHO}$|\bdon vi chu tri\b|\bai lo\b"
    r"|\bdo (ai|don vi nao|phong nao|bo phan nao|co quan nao) (chu tri|phu trach|thuc hien|lam)\b"
    r"|\b(trach nhiem|nhiem vu|viec) (la )?cua (ai|phong nao|don vi nao)\b"
    r"|\bthuoc (ve )?(ai|phong nao)\b"
    r"|\bai chiu trach nhiem\b"
    r"|\bai la (co quan|don vi|phong|bo phan|dau moi|noi)\b"  # "ai là cơ quan thường trực …"
)
_DEADLINE_STRONG = re.compile(
    r"\b(thoi han|han chot|han cuoi|deadline|cham nhat|truoc ngay nao|ngay nao|khi nao|"
    r"bao gio|luc nao|thoi diem nao|thang nao|hom nao|may gio|den han|het han|sap den han|"
    r"han nop|han gui|han bao cao|nop truoc|gui truoc|trong thoi han|ngay may|truoc ngay|"
    r"thoi gian nop|thoi gian gui|luc may gio|han hoan thanh|hoan thanh truoc)\b"
    r"|\b(xong|hoan thanh|thuc hien|lam) (vao )?(nam|quy|thang) nao\b"
)
# "vận hành cơ sở dữ liệu ngành phòng nào": a task, then who
_WHO_LAST = re.compile(r"\b(phong|don vi|bo phan|co quan) nao$")
_DEADLINE_WEAK = re.compile(r"(?<!dung )(?<!qua )(?<!tre )(?<!truoc )(?<!quyen )\bhan\b(?! che)")
_FIGURE = re.compile(
    r"\b(ty le|ti le|bao nhieu|chi tieu|muc tieu|phan tram|toi thieu|it nhat|con so|so lieu|"
    r"dat muc|muc do hai long)\b|%"
)
_DUTY_VERB = re.compile(
    r"\b(phu trach|lam|nhiem vu|trach nhiem|duoc giao|chu tri|phoi hop|can lam|phai lam|"
    r"viec|dam nhiem|cong viec|phan cong|chuc nang|giao (gi|nhung gi|viec gi) cho)\b"
)
# "nhiệm vụ của phòng KHTC về tài chính công": a unit's duties asked without a question word
_DUTIES_OF = re.compile(
    r"\b(nhiem vu|trach nhiem|cong viec|viec) (cua|giao cho) (phong|ban|"
    r"van phong|thanh tra|to|trung tam|don vi|cac)\b"
)
_DUTY_QUESTION = re.compile(r"\b(gi|nao|nhung|ra sao|the nao|nhu the nao)\b")
_DOC_ASK = re.compile(
    r"\b(noi gi|noi ve|ve viec gi|yeu cau gi|de nghi gi|chi dao gi|noi dung|tom tat|de cap|"
    r"nhac (gi )?(den|toi)|"
    r"la gi|la van ban gi|quy dinh gi|giao gi)\b"
)
_CONTENT_ASK = re.compile(r"\b(noi gi|noi ve gi|ve viec gi|yeu cau gi|noi dung gi|tom tat)\b")
_DOC_WORD = re.compile(r"\b(" + "|".join(DOC_TYPES) + r")\b")
_MY_UNIT = re.compile(
    r"\b(phong|don vi|bo phan|co quan|truong|trung tam|to) (cua )?"
    r"(toi|minh|chung toi|em|tui|chung em)\b"
)
_SELF_KIND = re.compile(r"\b(truong|trung tam) (cua )?(toi|minh|chung toi|em|tui|chung em)\b")

# Words that carry the question, not its topic; removed before topic search (longest first).
_QUESTION_WORDS = sorted(
    """
    cho toi biet|cho biet|xin hoi|hay cho|vui long|lam on|giup toi|toi muon biet|muon hoi
    la gi|la ai|la bao nhieu|bao nhieu|the nao|nhu the nao|ra sao|nhung gi|nhung|cac|
    khi nao|bao gio|luc nao|ngay nao|truoc ngay nao|thoi han|han chot|han cuoi|cham nhat|
    deadline|don vi nao|phong nao|bo phan nao|co quan nao|ai|gi|nao|khong|chua|vay|a|nhi|oi|
    nhe|day|ha|la|duoc|phai|biet|ve|cua|cho|voi|se|hien nay|hom nay|bay gio|hay|va|
    trong|tren|theo|den|o|boi|chu tri|phu trach|dam nhiem|chiu trach nhiem|duoc giao|lam|
    han|nguoi ky|ai ky|da ky|ky boi|noi gi|yeu cau gi|noi dung|tom tat|bot|tro ly|nhiem vu|
    phoi hop|phong toi|don vi toi|phong minh|don vi minh|o dau|ve dau|dau|ra sao|
    ngay may|may gio|ngay bao nhieu|thang may|truoc ngay may|truoc ngay bao nhieu|
    do ai|do phong nao|do don vi nao|do bo phan nao|
    la trach nhiem cua|trach nhiem cua|thuoc ve|la cua|
    tuan nay|tuan sau|tuan toi|thang nay|thang toi|thang sau|nam nay|nam sau|nam toi|quy nay|
    quy toi|quy sau|ngay mai|co han|sap toi|con bao nhieu ngay|phai nop gi|han nop|gui ve dau|
    quy may|quy nao|thang nao|nam nao|tuan nao|han nao|han may|
    ngay ban hanh|can cu|co|nua|thi|dang|roi|hinh thuc gi|hinh thuc nao|bang cach nao|cach nao
    de cap gi toi|de cap gi den|de cap den|de cap toi|de cap|nhac gi den|nhac den|nhac toi
    """.replace("\n", "|").split("|"),
    key=lambda w: -len(w),
)
_QUESTION_WORDS = [w.strip() for w in _QUESTION_WORDS if w.strip()]
_QUESTION_WORDS_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in _QUESTION_WORDS) + r")\b")


@dataclass
class Parsed:
    """The question as the router understood it."""

    raw: str
    key: str  # canonical key of the whole question
    intent: Intent
    topic: str  # canonical key without question words
    codes: list[tuple[str, str]] = field(default_factory=list)  # (number, folded code key)
    doc_type_numbers: list[tuple[str, str]] = field(default_factory=list)  # ("nghi quyet", "131")
    task_number: str | None = None
    years: list[int] = field(default_factory=list)
    my_unit: bool = False
    asks_document: bool = False
    task_numbers: list[str] = field(default_factory=list)
    asks: frozenset[str] = frozenset()  # set-phrase slots: remaining, recipient, basis, …
    window: DateWindow | None = None  # date range the question names (needs today)
    self_kind: str = ""  # "truong" for "trường tôi …": a collective asking about itself
    remind_at: tuple[int, int] | None = None
    doc_ids: tuple[int, ...] = ()  # documents the question names as its scope ("theo kh 2025")
    parts: tuple[str, ...] = ()  # topics of "X và Y" (each at least two words), else empty

    @property
    def intents(self) -> list[Intent]:
        """The parts of a multi-part question, main intent first."""
        out = [self.intent]
        if (
            "lead" in self.asks
            and Intent.WHO_LEADS not in out
            and self.intent is not Intent.ACTION
        ):
            out.append(Intent.WHO_LEADS)
        facts = {"issued", "basis"} | ({"recipient"} if self.intent is Intent.SIGNER else set())
        if facts & self.asks and self.intent is not Intent.FACTS:
            out.append(Intent.FACTS)
        if self.intent is Intent.SIGNER and _CONTENT_ASK.search(self.key):
            out.append(Intent.DOCUMENT)  # "cv 930 nói gì và ai ký": its content too
        return out


def extract_codes(text: str) -> list[tuple[str, str]]:
    """Cited codes in raw text: [("24", "24 bcd kstthc"), …] (folded, not expanded)."""
    from knowledge.normalize import fold

    out = []
    for m in CODE_RE.finditer(nfc(text)):
        suffix = m.group(2)
        if not re.search(r"[A-Za-zĐđ]", suffix):
            continue  # a date or a range such as 2026-2030, not a code
        out.append((m.group(1), fold(m.group(0))))
    return out


# Phrases whose words are not question words: the lexicon's, and province names ("Lâm Đồng"
# keeps its "lâm", "Hà Tĩnh" its "hà"), so that a province still scopes the question.
_PROTECTED_RE = re.compile(
    r"\b("
    + "|".join(
        sorted({*lexicon.PROTECTED_PHRASES, *(fold(p) for p in PROVINCES)}, key=len, reverse=True)
    )
    + r")\b"
)


PROVINCE_RE = re.compile(
    r"\b(" + "|".join(sorted({fold(p) for p in PROVINCES}, key=len)[::-1]) + r")\b"
)


def topic_of(key: str, pairs: frozenset[str] = frozenset()) -> str:
    """The topic words of a canonical question key. `pairs` are the syllable pairs of the
    documents ("cuoc_thi"): a question word that folds like a content syllable stays where
    the documents pair it with its neighbour ("cuộc thi", "cơ chế", "bồi dưỡng")."""
    key = _PROTECTED_RE.sub(lambda m: m.group(0).replace(" ", "_"), key)
    key = _keep_content_homographs(key, pairs)
    topic = re.sub(r"\s+", " ", _QUESTION_WORDS_RE.sub(" ", key)).strip()
    return topic.replace("_", " ")


def _keep_content_homographs(key: str, pairs: frozenset[str]) -> str:
    """Glue an ambiguous question word to the neighbour the documents pair it with."""
    tokens = key.split()
    if not pairs or not lexicon.CONTENT_HOMOGRAPHS.keys() & set(tokens):
        return key
    asked = [False] * len(tokens)  # tokens inside a question phrase of two words or more
    starts = {m.start(): i for i, m in enumerate(re.finditer(r"\S+", key))}
    for m in _QUESTION_WORDS_RE.finditer(key):
        if " " in m.group(0) and m.start() in starts:
            first = starts[m.start()]
            for i in range(first, first + len(m.group(0).split())):
                asked[i] = True
    for i, token in enumerate(tokens):
        if token not in lexicon.CONTENT_HOMOGRAPHS or asked[i]:
            continue
        for j in (i + side for side in lexicon.CONTENT_HOMOGRAPHS[token]):
            if 0 <= j < len(tokens) and not asked[j] and "_" not in tokens[j]:
                left, right = sorted((i, j))
                pair = f"{spelling(tokens[left])}_{spelling(tokens[right])}"
                if pair in pairs and not _asked_word(tokens[j]):
                    tokens[left] = f"{tokens[left]}_{tokens[right]}"
                    tokens[right] = ""
                    break
    return " ".join(t for t in tokens if t)


def _asked_word(token: str) -> bool:
    return bool(_QUESTION_WORDS_RE.fullmatch(token))


_WINDOW_WORDS = re.compile(
    UNTIL.pattern
    + "|"
    + SPAN.pattern
    + r"|\b(6 thang|nua) (dau|cuoi)( nam)?( 20\d\d| nay| sau| toi)?\b"
    r"|\b((dau|giua|cuoi) )?(nam|quy|thang|tuan|ngay) "
    r"(20\d\d|\d{1,2}|nay|sau|toi|ngoai|truoc|mai|iv|iii|ii|i)( nam (20\d\d|nay|sau|toi))?\b"
)
# The day of a one-day window as written: "ngày 10/12", "15 1 2027", "ngày 15 tháng 1".
_DAY_WORDS = re.compile(
    r"\b(ngay )?\d{1,2} \d{1,2}( 20\d\d)?\b|\bngay \d{1,2} thang \d{1,2}( nam 20\d\d)?\b"
)


DOC_DESIGNATOR = re.compile(
    r"\b(?:(?:theo|trong|tai|o|cua) )?(?:ke hoach|cong van|van ban|chuong trinh|quyet dinh|"
    r"nghi quyet|nghi dinh|chi thi)(?: cai cach hanh chinh)?(?: so)?(?: (?:giai doan|nam))?"
    r"(?: \d{1,5}){1,2}\b|\b(?:theo|trong|tai) (?:ke hoach|cong van|van ban)\b"
)


# "giai đoạn 2026-2030", "năm 2027", "trong 2025": a period, read into `years`, never a topic
_PERIOD_WORDS = re.compile(
    r"\b(?:(?:trong|theo|cua|cho|ve|o) )?(?:(?:giai doan|thoi ky|nam) )?20\d\d(?: 20\d\d)?\b"
)


def without_periods(topic: str) -> str:
    """The topic without its period words, except those of a document's designator ("kế hoạch
    2025", "công văn 2023": the document's name or number, matched as such)."""
    named = [m.span() for m in DOC_DESIGNATOR.finditer(topic)]

    def drop(m: re.Match[str]) -> str:
        inside = any(start <= m.start() < end for start, end in named)
        return m.group(0) if inside else " "

    return " ".join(_PERIOD_WORDS.sub(drop, topic).split())


def topic_for(key: str, window: DateWindow | None, pairs: frozenset[str] = frozenset()) -> str:
    """The topic of a key without the words that name its date window or period."""
    if window is not None and window.start == window.end:
        key = _DAY_WORDS.sub(" ", key)
    topic = topic_of(_WINDOW_WORDS.sub(" ", key) if window is not None else key, pairs)
    if window is not None:
        topic = _WINDOW_WORDS.sub(" ", topic)
    return without_periods(topic)


def _parts(
    key: str, window: DateWindow | None = None, pairs: frozenset[str] = frozenset()
) -> tuple[str, ...]:
    """The topics of a question joined by "và"/"hoặc"/",": "kế hoạch cchc và dự trù kinh phí"
    (without the words of its date window or period: "bc quý 1 … và gửi qua hệ thống gì")."""
    pieces = [topic_for(piece, window, pairs) for piece in re.split(r"\b(?:va|hoac)\b|,", key)]
    pieces = [piece for piece in pieces if len(piece.split()) >= 2]
    return tuple(pieces) if len(pieces) >= 2 else ()


# What a later part of "… ai ký và ngày nào / và gửi những ai / , ai chủ trì" asks for.
_PART_ASKS = (
    ("issued", re.compile(r"^(ban hanh |ky )?(ngay nao|khi nao|bao gio|ngay may|thang may)$")),
    ("recipient", re.compile(r"\b(gui|kinh gui) (cho |toi |den )?(nhung |cac )?(ai|dau|noi nao|"
                             r"don vi nao|co quan nao)\b|\bnoi nhan\b")),
    ("lead", re.compile(r"^(ai|phong nao|don vi nao) (chu tri|phu trach|lam)$")),
)  # fmt: skip


# "… ai ký, ngày nào": the comma is gone from the key, the date is still asked
_SIGNED_WHEN = re.compile(
    r"\b(ai|nguoi nao|lanh dao nao) ky (va |roi )?(ngay nao|khi nao|bao gio|ngay may|thang may|"
    r"nam nao|luc nao)\b"
)


def part_asks(key: str) -> frozenset[str]:
    """Slots the second and later parts of a multi-part question fill on their own."""
    pieces = [" ".join(p.split()) for p in re.split(r"\b(?:va|con)\b|,", key)][1:]
    found = {slot for piece in pieces for slot, pattern in _PART_ASKS if pattern.search(piece)}
    return frozenset(found | ({"issued"} if _SIGNED_WHEN.search(key) else set()))


_OWN_ASK = re.compile(r"\b(gi|nao|ai|dau|bao nhieu|may)\b")


def other_asks(p: Parsed) -> tuple[str, ...]:
    """Topics of the later parts of a deadline question that ask something else ("bc quý 1 hạn
    nào và gửi qua hệ thống gì": "gui qua he thong"); a part without its own question word
    shares the deadline ("kế hoạch và dự trù kinh phí hạn khi nào")."""
    if p.intent not in (Intent.DEADLINE, Intent.DOCUMENT):
        return ()
    pieces = [" ".join(x.split()) for x in re.split(r"\b(?:va|hoac|con)\b", p.key)][1:]
    out = []
    for piece in pieces:
        if _DEADLINE_STRONG.search(piece) or _DEADLINE_WEAK.search(piece):
            continue
        if not _OWN_ASK.search(piece) or any(pat.search(piece) for _, pat in _PART_ASKS):
            continue
        topic = topic_for(piece, p.window)
        if len(topic.split()) >= 2:
            out.append(topic)
    return tuple(out)


def task_numbers_of(key: str) -> list[str]:
    """ "nhiệm vụ 17 và 18", "nv 3, 4" → ["17", "18"], ["3", "4"]."""
    m = _TASK_NUMBER.search(key)
    if m is None:
        return []
    return [m.group(1), *re.findall(r"\d{1,3}", m.group(2) or "")]


_SHORT_PERIOD = re.compile(r"\b(ke hoach|giai doan|nam) ([2-4]\d) ([2-4]\d)\b")
_SHORT_QUARTER = re.compile(r"\bq ?([1-4])\b")
_GLUED_NUMBER = re.compile(r"\b(nv|muc)(\d{1,3})\b")  # "nv5 ai chủ trì"
_NUMBERED = {"nv": "nhiem vu"}


def _written_out(key: str) -> str:
    """ "kh 26-30" → "ke hoach 2026 2030", "Q1 2027" → "quy 1 2027": periods typed short."""

    def period(m: re.Match[str]) -> str:
        start, end = int(m.group(2)), int(m.group(3))
        return f"{m.group(1)} 20{start} 20{end}" if start < end else m.group(0)

    key = _GLUED_NUMBER.sub(lambda m: f"{_NUMBERED.get(m.group(1), m.group(1))} {m.group(2)}", key)
    return _SHORT_QUARTER.sub(r"quy \1", _SHORT_PERIOD.sub(period, key))


def parse(question: str, today: date | None = None, pairs: frozenset[str] = frozenset()) -> Parsed:
    """Detect the intent of a question and extract its slots (pure, no database).

    `today` resolves relative dates ("tuần sau", "quý 1 năm sau"); without it no window is set.
    `pairs` are the documents' syllable pairs, which keep "cuộc thi" whole in the topic.
    """
    raw = nfc(question).strip()
    lexed = lexicon.apply(fold(raw))
    key = _written_out(expand(lexed.key))
    codes = extract_codes(raw)
    dtn = _DOC_TYPE_NUMBER.findall(key)
    years = {int(y) for y in _YEAR.findall(key)}
    window = None
    if today is not None:
        years.update(relative_years(key, today))
        window = find_window(key, strip_diacritics(raw).lower(), today)
    numbers = task_numbers_of(key)
    topic = topic_for(key, window, pairs)
    self_kind = _SELF_KIND.search(key)
    parsed = Parsed(
        raw=raw,
        key=key,
        intent=Intent.SEARCH,
        topic=" ".join(topic.split()),
        codes=codes,
        # "kế hoạch 2025" names a year, "kế hoạch số 2025" a number.
        doc_type_numbers=[(t, n) for t, so, n in dtn if so or not _YEAR.fullmatch(n)],
        task_number=numbers[0] if numbers else None,
        years=sorted(years),
        my_unit=bool(_MY_UNIT.search(key)),
        asks_document=bool(_DOC_ASK.search(key)),
        task_numbers=numbers,
        asks=lexed.asks | part_asks(key),
        window=window,
        self_kind=self_kind.group(1) if self_kind else "",
        remind_at=lexed.remind_at,
        parts=_parts(key, window, pairs),
    )
    parsed.intent = _classify(parsed)
    return parsed


_GREETING = re.compile(
    r"^(xin chao|chao|chao ban|chao bot|hello|hi|alo|cam on|cam on ban|thanks|thank you|tro giup|"
    r"huong dan|help|giup toi|ban la ai|ban lam duoc gi|bat dau|start)( a| nhe| nhieu)?$"
)


def _only_document(p: Parsed) -> bool:
    """The topic names a document and nothing else ("quyết định 3470"), not something in it
    ("công văn 215 báo cáo quý")."""
    if p.task_numbers:
        return False
    code_words = {w for _, code in p.codes for w in expand(code).split()}
    rest = DOC_DESIGNATOR.sub(" ", p.topic)
    rest = re.sub(r"\b(" + "|".join(DOC_TYPES) + r"|so|ngay|thang|nam|ban hanh)\b", " ", rest)
    return all(w in code_words or w.isdigit() for w in rest.split())


_COUNT_TASKS = re.compile(
    r"\b(bao nhieu|may) (nhiem vu|viec|cong viec|noi dung)\b"
    # "kh 36 về cải cách thể chế có những nv nào": the named plan's rows, not its card
    r"|\b(co|gom) (nhung |cac )?(nhiem vu|cong viec|hoat dong) (nao|gi)\b"
)
_WHEN = re.compile(r"\b(ngay nao|khi nao|bao gio|ngay may|ngay bao nhieu|luc nao|nam nao)\b")


def _classify(p: Parsed) -> Intent:
    k = p.key
    if not k:
        return Intent.NOT_FOUND
    if _GREETING.match(k):
        return Intent.HELP
    if set(ACTION_ASKS) & p.asks:
        return Intent.ACTION
    dated = (p.codes or p.doc_type_numbers) and _WHEN.search(k) and _only_document(p)
    if dated and not re.search(r"\bhan\b", k):  # "cv 502 hạn báo cáo khi nào": a deadline
        p.asks = p.asks | {"issued"}  # "quyết định 3470 ngày nào": a date of a document
    if {"issued", "basis"} & p.asks and not _SIGNER.search(k):
        return Intent.FACTS
    if _SIGNER.search(k):
        return Intent.SIGNER
    if _LIST_DOCS.search(k) and not p.codes and not p.doc_type_numbers:
        return Intent.LIST_DOCUMENTS
    if _WHO_LEADS.search(k):
        return Intent.WHO_LEADS
    if _DEADLINE_STRONG.search(k):
        return Intent.DEADLINE
    if _WHO_LAST.search(k) and len(k.split()) >= 4:
        return Intent.WHO_LEADS
    if _COUNT_TASKS.search(k):
        return Intent.UNIT_DUTIES  # "kế hoạch X có bao nhiêu nhiệm vụ": the list, counted
    if p.codes or p.doc_type_numbers:
        if not _FIGURE.search(k) or p.asks_document:
            return Intent.DOCUMENT
    if _FIGURE.search(k):
        return Intent.FIGURE
    if _DEADLINE_WEAK.search(k):
        return Intent.DEADLINE
    if p.my_unit or _DUTY_VERB.search(k) and _DUTY_QUESTION.search(k) or _DUTIES_OF.search(k):
        return Intent.UNIT_DUTIES  # confirmed (or downgraded) once units are matched
    if _DOC_WORD.search(k) and p.asks_document:
        return Intent.DOCUMENT
    return Intent.SEARCH
