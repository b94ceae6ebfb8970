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
}

# Adjacent folded tokens that must stay together before SHORTHAND applies ("gd dt" is GDĐT).
PAIRS: dict[tuple[str, str], str] = {
    ("gd", "dt"): "gd dt",
    ("vp", "so"): "vp so",
    ("v", "v"): "ve viec",
}

# Words a phone user tacks on at the end (folded); removed repeatedly from the end.
TRAILING_PARTICLES: tuple[str, ...] = (
    "nhi", "a", "vay", "the", "khong", "nhe", "nha", "ha", "day", "oi", "chu", "ak", "ah",
    "ban oi", "bot oi", "ad", "admin", "a oi", "the nhi", "vay nhi", "vay a", "khong a",
    "khong nhi", "chua", "roi", "ne", "hen",
)  # fmt: skip

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
)  # fmt: skip


@dataclass(frozen=True)
class SetPhrase:
    """A folded pattern, the canonical words it becomes, and the slot it fills."""

    pattern: str  # regular expression over the folded question
    canonical: str
    asks: str = ""  # "remaining" | "recipient" | "obligations" | "lead" | "issued" | "basis" …


SET_PHRASES: tuple[SetPhrase, ...] = (
    SetPhrase(r"^mai\b", "ngay mai"),
    # "báo cáo sáu tháng" typed without marks: "sau" is six here, not "after"
    SetPhrase(r"\bsau thang(?= dau| cuoi)|(?<=bao cao )sau thang\b", "6 thang"),
    SetPhrase(r"\bcon kip (khong|ko|k)\b|\bcon kip\b|\bkip (khong|ko)\b|\bcon han (khong|ko)\b",
              "han chot", "remaining"),
    SetPhrase(r"\bcon (may|bao nhieu|bn) ngay( nua)?\b", "han chot", "remaining"),
    SetPhrase(r"\b(da )?(qua|tre|het) han (chua|khong|roi)\b", "han chot", "remaining"),
    SetPhrase(r"\b(?:(?:phai|can|can phai) (?:nop|gui|bao cao)|nop|gui) (?:nhung )?"
              r"(?:gi|cai gi|nhung gi|nhung loai gi)\b", "phai nop gi han nop", "obligations"),
    SetPhrase(r"\bco (phai|can|can phai) (nop|gui|bao cao|lam)\b", "han nop", "obligations"),
    SetPhrase(r"\bgiao (cho )?(phong|don vi|bo phan|ai) (nao)?\b", "don vi nao chu tri", "lead"),
    SetPhrase(r"\b(thuc hien|trien khai|theo) (van ban|quyet dinh|nghi quyet|cong van|ke hoach|"
              r"chi thi) (nao|gi|so may)\b", "can cu", "basis"),
    SetPhrase(r"\b(nop|gui|trinh|bao cao) (cho|len|ve|toi|den) (ai|dau|noi nao|phong nao|"
              r"co quan nao|don vi nao|cho nao)\b|\b(nop|gui) (o|tai) dau\b|\bgui ve dau\b"
              r"|\b(nop|gui|trinh) (ai|dau|phong nao|noi nao)\b"
              r"|\bqua (phong|don vi|bo phan|co quan) nao\b",  # "gửi kế hoạch qua phòng nào"
              "gui ve dau han nop", "recipient"),
    SetPhrase(r"\bai lo\b|\bai tham muu\b|\bai lam\b|\bai phu trach\b|\bai dam nhan\b",
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
        word = SHORTHAND.get(tokens[i])
        # a single letter is shorthand only where phone users write it alone ("k", "p", "v", "z")
        out.extend(word.split() if word else (tokens[i],))
        i += 1
    return out


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
    text = " ".join(expand_shorthand(folded.split()))
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
        pieces += [text[last:start], phrase.canonical]
        last = end
        if phrase.asks == "remind_time":
            remind_at = (int(m.group(3)), int(m.group(5)) if m.group(5) else 0)
    pieces.append(text[last:])
    words = strip_particles(" ".join(pieces).split())
    asks = frozenset(p.asks for _, _, p, _ in spans if p.asks)
    return Lexed(" ".join(words), asks, remind_at)
