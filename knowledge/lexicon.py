"""Phone shorthand, particles and set phrases as data, applied to a folded question first.

Everything a user types on a phone that the intent parser should not have to know about lives
here: shorthand ("bc", "nv", "ko"), trailing particles ("nhỉ", "ạ", "vậy") and set phrases
("còn kịp không", "nộp cho ai", "ai lo"). Adding an entry is a data change: the tables below are
the only place these words are listed. Keys are folded (no diacritics, lower case).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A folded token → its canonical folded words. Applied token by token, outside of the pairs below.
SHORTHAND: dict[str, str] = {
    "bc": "bao cao",
    "bcao": "bao cao",
    "nv": "nhiem vu",
    "nvu": "nhiem vu",
    "dt": "du tru",  # "gd dt" (giáo dục đào tạo) is kept by PAIRS below
    "kp": "kinh phi",
    "ko": "khong",
    "k": "khong",
    "kg": "khong",
    "kh0ng": "khong",
    "hok": "khong",
    "hong": "khong",
    "hem": "khong",
    "khg": "khong",
    "j": "gi",
    "ji": "gi",
    "ntn": "nhu the nao",
    "bn": "bao nhieu",
    "bnhieu": "bao nhieu",
    "dc": "duoc",
    "trc": "truoc",
    "tg": "thoi gian",
    "vs": "voi",
    "ng": "nguoi",
    "hs": "ho so",
    "dv": "don vi",
    "cq": "co quan",
    "ql": "quan ly",
    "tm": "tham muu",
    "z": "vay",
    "v": "vay",
    "mk": "minh",
    "qdinh": "quyet dinh",
    "khoach": "ke hoach",
    "cvan": "cong van",
    "vban": "van ban",
    "tphong": "truong phong",
    "p": "phong",
    "ph": "phong",
    "hnay": "hom nay",
    "hqua": "hom qua",
    "bh": "bao gio",
    "bgio": "bao gio",
    "dtru": "du tru",
    "dtoan": "du toan",
    "kphi": "kinh phi",
    "qtoan": "quyet toan",
    "bt": "biet",
    "tgian": "thoi gian",
    "ktra": "kiem tra",
    "tchuc": "to chuc",
    "dvi": "don vi",
    "phg": "phong",
    "trg": "truong",
    "ttin": "thong tin",
    "hdan": "huong dan",
    "kq": "ket qua",
    "kqua": "ket qua",
    "lquan": "lien quan",
    "dgia": "danh gia",
    "ttra": "thanh tra",
    "sgd": "so giao duc",
    "gv": "giao vien",
    "cx": "cung",
    "nhg": "nhung",
}

# Shorthand that only means this beside a who-word or a task word ("ai ct", "phòng nào pt",
# "tccb ct nv nào"); elsewhere "ct" may be "chương trình" or "công tác" and is left alone.
# Token → (canonical folded words, words it may follow, words it may precede).
_WHO_WORDS = frozenset({"ai", "nao", "dv", "vi", "phong", "p", "ben", "tccb", "khtc", "vp"})
_TASK_WORDS = frozenset({"nv", "nvu", "nhiem", "gi", "j", "nhung", "may", "viec", "bn"})
CONTEXT_SHORTHAND: dict[str, tuple[str, frozenset[str], frozenset[str]]] = {
    "ct": ("chu tri", _WHO_WORDS, _TASK_WORDS),
    "pt": ("phu trach", _WHO_WORDS, _TASK_WORDS),
    "ph": ("phoi hop", frozenset({"ai", "nao"}), frozenset({"voi", "vs"})),
    "q": ("quy", frozenset(), frozenset({"1", "2", "3", "4", "i", "ii", "iii", "iv"})),
}

# Words typed against the number they count ("quy4", "q4", "nvu3", "thang6"), besides SHORTHAND.
NUMBERED_WORDS: frozenset[str] = frozenset({"q", "quy", "thang", "muc", "kh", "cv", "nq", "qd"})

# Adjacent folded tokens that must stay together before SHORTHAND applies ("gd dt" is GDĐT).
PAIRS: dict[tuple[str, str], str] = {
    ("gd", "dt"): "gd dt",
    ("vp", "so"): "vp so",
    ("v", "v"): "ve viec",
    ("bao", "h"): "bao gio",
}

# Words a phone user tacks on at the end (folded); removed repeatedly from the end.
TRAILING_PARTICLES: tuple[str, ...] = (
    "nhi", "a", "vay", "the", "khong", "nhe", "nha", "ha", "day", "oi", "chu", "ak", "ah",
    "ban oi", "bot oi", "ad", "admin", "a oi", "the nhi", "vay nhi", "vay a", "khong a",
    "khong nhi", "chua", "roi", "ne", "hen",
    "giup em", "giup minh", "giup toi", "giup em voi", "giup minh voi", "giup voi", "voi a",
    "nhe ban", "vay ban", "a bot", "ban nhe", "di", "nhe a", "nha ban",
)  # fmt: skip

# Question words that, without marks, are also syllables of content words: "thì"/"thi" (cuộc
# thi, thi hành), "có"/"cơ" (cơ chế, cơ quan), "đang"/"đăng" (đăng ký), "đây"/"đẩy" (đẩy mạnh),
# "bởi"/"bồi" (bồi dưỡng), "biết"/"biệt" (đặc biệt). Kept in the topic where the documents pair
# them with the neighbouring word on the side given (+1 the next word, -1 the previous one).
CONTENT_HOMOGRAPHS: dict[str, tuple[int, ...]] = {
    "thi": (1, -1),  # thi hành, thi đua · cuộc thi, thực thi
    "co": (1,),  # cơ chế, cơ quan, cơ sở
    "dang": (1,),  # đăng ký, đăng tải
    "day": (1, -1),  # đẩy mạnh · giảng dạy
    "boi": (1,),  # bồi dưỡng
    "biet": (-1,),  # đặc biệt
}

# Phrases whose words must survive the removal of question words ("một cửa" keeps its "của").
PROTECTED_PHRASES: tuple[str, ...] = (
    "mot cua",
    # "thi" is "thì" (a particle) alone, an exam or a contest in these
    "cuoc thi", "hoi thi", "ky thi", "thi tuyen", "thi nang ngach", "thi thang hang", "thi hanh",
    "thi dua", "quan ly thi",
    # "những" is a question word, "nhũng" of "tham nhũng" is not
    "tham nhung", "nhung nhieu",
)  # fmt: skip

# Leading politeness that carries nothing ("cho em hỏi", "bạn ơi").
LEADING_FILLERS: tuple[str, ...] = (
    "cho em hoi", "cho minh hoi", "cho toi hoi", "cho hoi", "em hoi", "hoi chut", "xin hoi",
    "ban oi", "bot oi", "anh oi", "chi oi", "alo", "e hoi", "cho e hoi", "ad oi",
    "da cho em hoi", "da cho minh hoi", "da em hoi", "da anh oi", "da chi oi", "anh chi oi",
    "xin chao", "chao ban", "chao bot", "em chao anh", "em chao chi",
    "chao anh", "chao chi", "nho bot xem giup", "nho ban xem giup", "nho xem giup", "xem giup",
    "cho em hoi voi", "cho minh hoi voi", "minh muon hoi", "em muon hoi", "toi muon hoi",
)  # fmt: skip


@dataclass(frozen=True)
class SetPhrase:
    """A folded pattern, the canonical words it becomes, and the slot it fills."""

    pattern: str  # regular expression over the folded question
    canonical: str  # may name the pattern's groups: r"\1 toi"
    asks: str = ""  # "remaining" | "recipient" | "obligations" | "lead" | "issued" | "basis" …


SET_PHRASES: tuple[SetPhrase, ...] = (
    SetPhrase(r"^mai\b", "ngay mai"),
    # the asker's own unit, whatever the pronoun: "trường mình", "phòng em", "đơn vị tui"
    SetPhrase(r"\b(truong|phong|don vi|bo phan|co quan|trung tam|ben) (?:chung )?"
              r"(?:minh|em|tui)\b", r"\1 toi"),
    # a school naming its own kind before the pronoun ("trường THPT chúng tôi"), or "nhà
    # trường" as its staff say it: the asker's school
    SetPhrase(r"\b(truong|trung tam) (?:thpt|thcs|th|mn|mam non|tieu hoc|gdnn gdtx|gdtx|gdnn|"
              r"pho thong|trung hoc|chuyen|noi tru) (?:chung )?(?:toi|minh|em|tui)\b", r"\1 toi"),
    SetPhrase(r"^nha truong\b|(?:(?<=cho )|(?<=cua )|(?<=ve ))nha truong\b", "truong toi"),
    # "kỳ" (a period) is no "ký" (sign): "sơ kết giữa kỳ kế hoạch" asks no signer
    SetPhrase(r"\b(giua|dinh|hoc|nhiem|moi|cuoi|dau|tung|trong) ky\b", r"\1 ki"),
    # "báo cáo sáu tháng" typed without marks: "sau" is six here, not "after"
    SetPhrase(r"\bsau thang(?= dau| cuoi)|(?<=bao cao )sau thang\b", "6 thang"),
    SetPhrase(r"\bcon kip (khong|ko|k)\b|\bcon kip\b|\bkip (khong|ko)\b|\bcon han (khong|ko)\b",
              "han chot", "remaining"),
    SetPhrase(r"\bcon (may|bao nhieu|bn) ngay( nua)?\b", "han chot", "remaining"),
    SetPhrase(r"\b(da )?(qua|tre|het) han (chua|khong|roi)\b", "han chot", "remaining"),
    SetPhrase(r"\b(?:(?:phai|can|can phai) (?:nop|gui|bao cao)|nop|gui) (?:nhung )?"
              r"(?:gi|cai gi|nhung gi|nhung loai gi)\b", "phai nop gi han nop", "obligations"),
    SetPhrase(r"\bco (phai|can|can phai) (nop|gui|bao cao|lam)\b", "han nop", "obligations"),
    SetPhrase(r"\b(thoi gian|thoi diem|ngay|luc) (phai )?(nop|gui)\b", "han nop"),
    SetPhrase(r"\bgiao (cho )?(phong|don vi|bo phan|ai) (nao)?\b", "don vi nao chu tri", "lead"),
    SetPhrase(r"\b(thuc hien|trien khai|theo) (van ban|quyet dinh|nghi quyet|cong van|ke hoach|"
              r"chi thi) (nao|gi|so may)\b", "can cu", "basis"),
    SetPhrase(r"\b(nop|gui|trinh|bao cao) (cho|len|ve|toi|den) (ai|dau|noi nao|phong nao|"
              r"co quan nao|don vi nao|cho nao)\b|\b(nop|gui) (o|tai) dau\b|\bgui ve dau\b"
              r"|\b(nop|gui|trinh) (ai|dau|phong nao|noi nao)\b"
              r"|\bqua (phong|don vi|bo phan|co quan) nao\b"  # "gửi kế hoạch qua phòng nào"
              # "công văn này gửi những ai / gửi các đơn vị nào", "nơi nhận": its recipients
              r"|\bgui (cho )?(nhung|cac) (ai|don vi nao|noi nao|co quan nao|dau)\b"
              r"|\bnoi nhan\b",
              "gui ve dau han nop", "recipient"),
    # "gửi báo cáo cchc cho ai": the words between stay, they say what is sent
    SetPhrase(r"\b(?:nop|gui|trinh) ((?:[a-z0-9]+ ){1,5})(?:cho|len|ve|toi|den|qua) (?:ai|dau|"
              r"noi nao|phong nao|co quan nao|don vi nao)\b", r"\1gui ve dau han nop",
              "recipient"),
    SetPhrase(r"\bai (lo|tham muu|lam|phu trach|dam nhan|theo doi|lam dau moi|dau moi)\b",
              "ai chu tri", "lead"),
    SetPhrase(r"\b(phong|don vi|bo phan|ben) nao (lam|lo|tham muu|phu trach|dam nhan|dam nhiem|"
              r"thuc hien|chiu trach nhiem)\b", "don vi nao chu tri", "lead"),
    SetPhrase(r"\b(?<!ai )(ban hanh|ky|ra) (ngay|hom|thang) (nao|may|bao nhieu)\b"
              r"|\bngay ban hanh\b|\bban hanh (khi nao|luc nao|bao gio)\b|\bngay ky\b",
              "ngay ban hanh", "issued"),
    SetPhrase(r"\bcan cu( vao)? (quyet dinh|van ban|nghi quyet|ke hoach|cong van)? ?(nao|gi)\b"
              r"|\bdua tren (quyet dinh|van ban|nghi quyet) (nao|gi)\b|\bcan cu\b",
              "can cu", "basis"),
    SetPhrase(r"\bcon (hieu luc|ap dung|gia tri|dung duoc)( (khong|ko|k|chua|nua))?\b"
              r"|\bhet (hieu luc|han ap dung)( (chua|khong|ko|roi))?\b"
              r"|\bcon (han|thoi han) (ap dung|thuc hien)\b", "hieu luc", "validity"),
    SetPhrase(r"\bxuat (file )?(excel|csv|bang tinh)\b|\btai (file|bang) (excel|csv)\b"
              r"|\bxuat (bao cao|bang|du lieu)\b", "xuat bang", "export"),
    SetPhrase(r"\b(phong|don vi|ai|ben) nao chua (nop|gui|xong|hoan thanh|bao cao)\b"
              r"|\b(nhung|cac) (phong|don vi) chua (nop|gui|xong|hoan thanh)\b"
              r"|\btinh hinh (nop|hoan thanh)\b", "bang theo doi", "status"),
    SetPhrase(r"\b(da|vua|moi) (nop|gui|xong|hoan thanh|lam xong)\b(?!.*\bchua\b)", "da nop",
              "done"),
    SetPhrase(r"\bnhac (toi|em|minh|tui)?\s*(luc|vao luc|vao|truoc)? ?(\d{1,2}) ?(h|gio)"
              r"(?: ?(\d{1,2}))?\b", "dat gio nhac", "remind_time"),
    # "<việc> phòng nào", the question ending on the unit asked for: who leads it (last, so that
    # "nộp cho phòng nào" stays a recipient and "phòng nào chưa nộp" a status)
    SetPhrase(r"(?<!\bla )\b(?:phong|don vi|bo phan|co quan|ben) nao"
              r"(?=(?: (?:vay|a|nhi|the|ha|nhe))*$)", "don vi nao chu tri", "lead"),
)  # fmt: skip

_COMPILED = tuple((re.compile(s.pattern), s) for s in SET_PHRASES)


@dataclass(frozen=True)
class Lexed:
    """A folded question after the lexicon: canonical words and the slots set phrases filled."""

    key: str
    asks: frozenset[str]
    remind_at: tuple[int, int] | None = None


def expand_shorthand(tokens: list[str]) -> list[str]:
    """Rewrite shorthand tokens to their canonical folded words."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        pair = (tokens[i], tokens[i + 1]) if i + 1 < len(tokens) else None
        if pair is not None and pair in PAIRS:
            out.extend(PAIRS[pair].split())
            i += 2
            continue
        word = _in_context(tokens, i) or SHORTHAND.get(tokens[i])
        # a single letter is shorthand only where phone users write it alone ("k", "p", "v", "z")
        out.extend(word.split() if word else (tokens[i],))
        i += 1
    return out


_GLUED_NUMBER = re.compile(r"^([a-z]{1,5})(\d{1,3})$")


def _unglue_numbers(tokens: list[str]) -> list[str]:
    """Shorthand typed against its number: "nv12" → "nv 12", "bc6" → "bc 6", "q4" → "q 4"
    (only where the letters are shorthand or a word of the lexicon, never a code)."""
    out: list[str] = []
    for token in tokens:
        m = _GLUED_NUMBER.match(token)
        if m and (m.group(1) in SHORTHAND or m.group(1) in NUMBERED_WORDS):
            out += [m.group(1), m.group(2)]
        else:
            out.append(token)
    return out


def _in_context(tokens: list[str], i: int) -> str:
    """The canonical words of a context-bound shorthand at position i, or ""."""
    entry = CONTEXT_SHORTHAND.get(tokens[i])
    if entry is None:
        return ""
    words, before, after = entry
    if (i > 0 and tokens[i - 1] in before) or (i + 1 < len(tokens) and tokens[i + 1] in after):
        return words
    return ""


def strip_particles(tokens: list[str]) -> list[str]:
    """Drop leading fillers and trailing particles (kept when they are the whole question)."""
    text = " ".join(tokens)
    changed = True
    while changed:
        changed = False
        for filler in LEADING_FILLERS:
            if text.startswith(filler + " ") and len(text) > len(filler) + 1:
                text, changed = text[len(filler) + 1 :], True
        for particle in sorted(TRAILING_PARTICLES, key=len, reverse=True):
            if text.endswith(" " + particle) and len(text) > len(particle) + 1:
                text, changed = text[: -len(particle) - 1], True
                break
    return text.split()


def apply(folded: str) -> Lexed:
    """The lexicon applied to a folded question (pure): every set phrase is matched on the
    expanded text once, then replaced by its canonical words."""
    text = " ".join(expand_shorthand(_unglue_numbers(folded.split())))
    spans: list[tuple[int, int, SetPhrase, re.Match[str]]] = []
    for pattern, phrase in _COMPILED:
        for m in pattern.finditer(text):
            if all(m.end() <= a or m.start() >= b for a, b, _, _ in spans):
                spans.append((m.start(), m.end(), phrase, m))
    spans.sort(key=lambda s: s[0])
    pieces: list[str] = []
    last = 0
    remind_at: tuple[int, int] | None = None
    for start, end, phrase, m in spans:
        pieces += [text[last:start], m.expand(phrase.canonical)]
        last = end
        if phrase.asks == "remind_time":
            remind_at = (int(m.group(3)), int(m.group(5)) if m.group(5) else 0)
    pieces.append(text[last:])
    words = strip_particles(" ".join(pieces).split())
    asks = frozenset(p.asks for _, _, p, _ in spans if p.asks)
    return Lexed(" ".join(words), asks, remind_at)
