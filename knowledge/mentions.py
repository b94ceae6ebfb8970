"""Find which units a question names: exact token spans first, then fuzzy spans for typos."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz import fuzz

from knowledge.kb import UnitInfo

# Leading and trailing words that many unit names share; the rest is the distinctive core.
# ("Trung tâm GDTX" keeps its "trung tâm": without it, it is the name of a field, not a body.)
_LEADING = re.compile(r"^(phong|cac phong|ban|to|cac) ")
_TRAILING = re.compile(r" (so|thuoc so|co quan so)$")
FUZZY_CUTOFF = 88.0
FUZZY_STRONG = 91.0  # a fuzzy match this close may outrank a shorter exact one inside it
PARTIAL_SCORE = 80.0  # plus two per word: a long partial name outranks a fuzzy match
# The words a unit's name opens with that say only what kind of body it is.
_GENERIC_HEAD = re.compile(
    r"^(uy ban nhan dan |van phong |thanh tra |trung tam |cac phong |cac |phong |ban |to |"
    r"truong )?"
)
# Words a unit's name starts with, which a partial name must start with too ("phòng …").
_HEAD_TOKENS = frozenset({"phong", "van", "thanh", "ban", "trung", "to", "uy", "truong", "cac"})


@dataclass(frozen=True)
class UnitMention:
    unit: UnitInfo
    score: float  # 0-100
    start: int  # token span in the question key
    end: int
    matched: str


# What follows a matched name when it names another body: "Văn phòng UBND tỉnh", "Thanh tra
# Chính phủ", "Văn phòng Sở Nội vụ" are not our Văn phòng Sở or Thanh tra Sở.
# "Văn phòng Sở Nội vụ" is the office of another Sở.
_OTHER_BODY_AFTER = re.compile(
    r"^(uy ban nhan dan|ubnd|hoi dong nhan dan|chinh phu|quoc hoi|trung uong|bo|tinh|thanh pho|"
    r"huyen|quan|xa|(?:so )?(?:noi vu|tai chinh|tu phap|y te|xay dung|cong thuong|nong nghiep|"
    r"lao dong|van hoa|thong tin|ke hoach va dau tu|giao thong|tai nguyen|khoa hoc))\b"
)
# Words that scope a collective rather than name another body: "Phòng GDĐT quận, huyện",
# "trung tâm GDNN-GDTX quận, huyện" are those collectives themselves.
_LOCALITY_AFTER = re.compile(r"^(tinh|thanh pho|huyen|quan|xa)\b")


def names_other_body(unit: UnitInfo, rest: str) -> bool:
    """Whether the words after a unit's matched name make it another body's."""
    if not _OTHER_BODY_AFTER.match(rest):
        return False
    return not (unit.is_collective and _LOCALITY_AFTER.match(rest))


@lru_cache(maxsize=4096)
def initials_variants(key: str) -> tuple[str, ...]:
    """Forms of a key with some adjacent word pairs written as initials, as phone users do:
    "to chuc can bo" → "tc can bo", "to chuc cb", "tc cb"; "ke hoach tai chinh" → "kh tc" …
    (longer runs, "qlcl" for "quản lý chất lượng", are read by `initials_mentions`)."""
    words = key.split()
    if not 2 <= len(words) <= 9:
        return ()
    forms: list[tuple[str, ...]] = [()]
    done: list[tuple[str, ...]] = []
    # each form covers a prefix of the words; finished forms cover them all
    pending: list[tuple[tuple[str, ...], int]] = [((), 0)]
    while pending:
        form, i = pending.pop()
        if i == len(words):
            done.append(form)
            continue
        pending.append((form + (words[i],), i + 1))
        if i + 1 < len(words):
            pending.append((form + (words[i][0] + words[i + 1][0],), i + 2))
    del forms
    return tuple(sorted({" ".join(f) for f in done} - {key}))


def unit_keys(unit: UnitInfo) -> list[str]:
    """Every key that names the unit: full names, short names, aliases and their cores."""
    return list(_unit_keys(unit.keys))


def abbreviated_keys(unit: UnitInfo) -> list[str]:
    """The unit's keys with word pairs written as initials (matched exactly, never fuzzily)."""
    return list(_abbreviated(unit.keys))


@lru_cache(maxsize=8192)
def _abbreviated(keys: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for key in _unit_keys(keys):
        out.extend(v for v in initials_variants(key) if len(v.split()) >= 2)
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=8192)
def _unit_keys(keys: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for key in keys:
        out.append(key)
        core = _TRAILING.sub("", _LEADING.sub("", key))
        if core != key and len(core.split()) >= 2 or (core != key and len(core) >= 6):
            out.append(core)
    return tuple(dict.fromkeys(out))


def _spans(tokens: list[str], longest: int = 12) -> dict[tuple[str, ...], int]:
    """Every run of up to `longest` tokens of the question → where it first starts."""
    out: dict[tuple[str, ...], int] = {}
    for i in range(len(tokens)):
        for j in range(i + 1, min(len(tokens), i + longest) + 1):
            out.setdefault(tuple(tokens[i:j]), i)
    return out


def _find_span(tokens: list[str], needle: list[str]) -> int:
    n = len(needle)
    for i in range(len(tokens) - n + 1):
        if tokens[i : i + n] == needle:
            return i
    return -1


def find_units(units: list[UnitInfo], key: str, *, fuzzy: bool = True) -> list[UnitMention]:
    """Units named in a canonical question key, best first, non-overlapping."""
    tokens = key.split()
    spans = _spans(tokens)
    candidates: list[UnitMention] = []
    for unit in units:
        best: UnitMention | None = None
        own = _unit_keys(unit.keys)
        for k in own + _abbreviated(unit.keys):
            needle = k.split()
            if not needle:
                continue
            pos = spans.get(tuple(needle), -1)
            if pos >= 0 and names_other_body(unit, " ".join(tokens[pos + len(needle) :])):
                continue  # "văn phòng ủy ban nhân dân tỉnh": another body's office
            if pos > 0 and tokens[pos - 1] == "so":
                continue  # "Sở Giáo dục và Đào tạo" is the Sở, not its district offices
            if k not in own:
                if pos < 0:
                    continue  # initials are matched exactly, never fuzzily
                m = UnitMention(unit, 99.0 + len(needle), pos, pos + len(needle), k)
            elif pos >= 0:
                # Longer spans are more specific; the full name beats its core.
                score = 100.0 + len(needle) * 2 + (1 if k in unit.keys else 0)
                m = UnitMention(unit, score, pos, pos + len(needle), k)
            elif fuzzy and len(k) >= 8 and len(needle) <= len(tokens):
                near = _fuzzy_span(unit, tokens, needle, k)
                if near is None:
                    continue
                m = near
            else:
                continue
            if best is None or m.score > best.score:
                best = m
        if best is not None:
            candidates.append(best)
    candidates = _longer_misspelt_first(candidates)
    named = {m.unit.id for m in candidates}
    candidates += _over_shorter(
        initials_mentions([u for u in units if u.id not in named], tokens), candidates
    )
    named = {m.unit.id for m in candidates}
    candidates += partial_mentions([u for u in units if u.id not in named], tokens)
    named = {m.unit.id for m in candidates}
    candidates += initials_prefix_mentions([u for u in units if u.id not in named], tokens)
    candidates.sort(key=lambda m: (-m.score, m.start))
    chosen: list[UnitMention] = []
    for m in candidates:
        if all(m.end <= c.start or m.start >= c.end for c in chosen if c.score >= 100):
            chosen.append(m)
        elif m.score >= 100 and any(c.matched == m.matched for c in chosen):
            chosen.append(m)  # two units share a name: both stay, the caller disambiguates
    return [
        _with_locality(_widened(m, tokens), tokens)
        for m in chosen
        if not _self_reference(m, tokens)
    ]


def _widened(mention: UnitMention, tokens: list[str]) -> UnitMention:
    """The span with another name of the same unit right before or after it: "hiệu trưởng
    trường THPT" names the schools once; none of its words is left for the topic."""
    start, end = mention.start, mention.end
    keys = sorted((k.split() for k in _unit_keys(mention.unit.keys)), key=len, reverse=True)
    grown = True
    while grown:
        grown = False
        for needle in keys:
            if len(needle) <= start and tokens[start - len(needle) : start] == needle:
                start, grown = start - len(needle), True
            elif tokens[end : end + len(needle)] == needle:
                end, grown = end + len(needle), True
    if start >= 2 and tokens[start - 1] in ("la", "o") and tokens[start - 2] in _PRONOUNS:
        start -= 2  # "tôi là hiệu trưởng …", "em ở trường …": the asker introduces themself
    if (start, end) == (mention.start, mention.end):
        return mention
    return replace(mention, start=start, end=end)


_PRONOUNS = frozenset({"toi", "em", "minh", "tui"})


# "đơn vị tôi", "cơ quan mình", "trường của em": the asker's own unit, whichever it is
_SELF_AFTER = re.compile(r"^(cua )?(chung toi|chung em|toi|minh|em|tui)\b")


_KIND_WORDS = frozenset({"don vi", "co quan", "phong", "truong", "nha truong", "trung tam", "to"})


def _self_reference(mention: UnitMention, tokens: list[str]) -> bool:
    """A bare kind word the asker says of their own unit names no unit in particular."""
    return " ".join(tokens[mention.start : mention.end]) in _KIND_WORDS and bool(
        _SELF_AFTER.match(" ".join(tokens[mention.end :]))
    )


_LOCALITY = re.compile(r"^(?:(?:cac )?(?:quan|huyen|thi xa|thanh pho|tinh|xa|phuong)\b ?)+")


def _with_locality(mention: UnitMention, tokens: list[str]) -> UnitMention:
    """A collective's span takes the locality words after it ("trung tâm GDNN-GDTX quận,
    huyện"): they say which collective, they are no topic of the question."""
    if not mention.unit.is_collective:
        return mention
    found = _LOCALITY.match(" ".join(tokens[mention.end :]))
    if not found or not found.group().strip():
        return mention
    return replace(mention, end=mention.end + len(found.group().split()))


def _longer_misspelt_first(candidates: list[UnitMention]) -> list[UnitMention]:
    """A close fuzzy match of a long name outranks an exact match of a shorter name inside
    it: "Phòng Khoả thí và Quản lý chất lượng giáo dục" is that unit, not "… Quản lý chất
    lượng" (the typo made "khoa", a real word the speller leaves alone)."""
    exact = [m for m in candidates if m.score >= 100]
    out = []
    for m in candidates:
        if FUZZY_STRONG <= m.score < 100:
            inside = [
                e.score
                for e in exact
                if m.start <= e.start and e.end <= m.end and m.end - m.start >= e.end - e.start + 2
            ]
            if inside:
                m = UnitMention(m.unit, max(inside) + 0.5, m.start, m.end, m.matched)
        out.append(m)
    return out


def _over_shorter(found: list[UnitMention], named: list[UnitMention]) -> list[UnitMention]:
    """An initials mention that spans a shorter exact name and more outranks it: "p. kế
    hoạch tài chính và csvc" is the Phòng Kế hoạch, Tài chính và Cơ sở vật chất, not the
    "Kế hoạch tài chính" inside it."""
    out = []
    for m in found:
        inside = [
            e.score
            for e in named
            if e.score >= 100
            and m.start <= e.start
            and e.end <= m.end
            and e.end - e.start < m.end - m.start
        ]
        out.append(replace(m, score=max(inside) + 0.5) if inside else m)
    return out


def initials_mentions(units: list[UnitInfo], tokens: list[str]) -> list[UnitMention]:
    """Units named with runs of up to four of their words as initials anywhere in a long name
    ("phòng khảo thí, qlcl và cntt" for "… Quản lý chất lượng và Công nghệ thông tin"), which
    the word-pair variants of `initials_variants` do not reach."""
    out: list[UnitMention] = []
    present = set(tokens)
    for unit in units:
        for key in _unit_keys(unit.keys):
            if present.isdisjoint(initial_runs(key)):
                continue  # no token of the question is initials of this name's words
            words = key.split()
            for i in range(len(tokens)):
                end = _aligned_end(tokens, i, words, 0, False)
                if end > i + 1:
                    out.append(UnitMention(unit, 99.0 + end - i, i, end, key))
                    break
            else:
                continue
            break
    return out


def initials_prefix_mentions(units: list[UnitInfo], tokens: list[str]) -> list[UnitMention]:
    """Units named by the start of their name with some words as initials, the rest left out:
    "phòng gdpt" for "Phòng Giáo dục phổ thông và Giáo dục thường xuyên". Scored as partial
    names, so that several units it fits make a "did you mean" choice."""
    out: list[UnitMention] = []
    present = {t for t in tokens if len(t) >= 3}
    for unit in units:
        best: UnitMention | None = None
        for key in _unit_keys(unit.keys):
            words = key.split()
            if words[0] not in _HEAD_TOKENS or present.isdisjoint(initial_runs(key)):
                continue
            for i in range(len(tokens)):
                if tokens[i] != words[0]:
                    continue
                end = _prefix_end(tokens, i + 1, words, 1, False)
                if end > i + 1 and (best is None or end - i > best.end - best.start):
                    best = UnitMention(unit, PARTIAL_SCORE + 2 * (end - i), i, end, key)
        if best is not None:
            out.append(best)
    return out


def _prefix_end(tokens: list[str], i: int, words: list[str], w: int, used: bool) -> int:
    """Where the longest span from token i naming words from w on in order ends, each token a
    word or the initials (three letters or more) of two to four of them, at least one such;
    -1 when there is none."""
    best = i if used else -1
    if i >= len(tokens) or w >= len(words):
        return best
    if tokens[i] == words[w]:
        best = max(best, _prefix_end(tokens, i + 1, words, w + 1, used))
    for run in range(2, 5):
        initials = "".join(x[0] for x in words[w : w + run])
        if len(initials) >= 3 and w + run <= len(words) and tokens[i] == initials:
            best = max(best, _prefix_end(tokens, i + 1, words, w + run, True))
    return best


@lru_cache(maxsize=8192)
def initial_runs(key: str) -> frozenset[str]:
    """Initials of every run of two to four adjacent words of a key."""
    words = key.split()
    return frozenset(
        "".join(w[0] for w in words[i : i + run])
        for run in range(2, 5)
        for i in range(len(words) - run + 1)
    )


def _aligned_end(tokens: list[str], i: int, words: list[str], w: int, used: bool) -> int:
    """Where a span from token i naming all the words from w ends, each token a word or the
    initials of two to four of them (at least one such token); -1 when it does not."""
    if w == len(words):
        return i if used else -1
    if i >= len(tokens):
        return -1
    if tokens[i] == words[w]:
        end = _aligned_end(tokens, i + 1, words, w + 1, used)
        if end >= 0:
            return end
    for run in range(2, 5):
        if w + run <= len(words) and tokens[i] == "".join(x[0] for x in words[w : w + run]):
            end = _aligned_end(tokens, i + 1, words, w + run, True)
            if end >= 0:
                return end
    return -1


def partial_mentions(units: list[UnitInfo], tokens: list[str]) -> list[UnitMention]:
    """Units named by part of their name, words left out anywhere after its first word:
    "phòng tổ chức", "p. kế hoạch", "phòng giáo dục quận huyện", "ubnd xã". A span matching
    several units gives them all the same score: the caller asks which one was meant."""
    out: list[UnitMention] = []
    for unit in units:
        best: UnitMention | None = None
        for needle in _partial_needles(unit.keys):
            opening = _GENERIC_HEAD.match(" ".join(needle) + " ")
            head = len(opening.group().split()) if opening else 0
            for i in range(len(tokens)):
                if tuple(tokens[i : i + 2]) != needle[:2]:
                    continue
                end = _subsequence_end(tokens, i, needle)
                if names_other_body(unit, " ".join(tokens[end:])):
                    continue  # "văn phòng sở nội vụ"
                if end - i < 3 or end - i <= head or (best and end - i <= best.end - best.start):
                    continue
                best = UnitMention(unit, PARTIAL_SCORE + 2 * (end - i), i, end, " ".join(needle))
        if best is not None:
            out.append(best)
    return out


@lru_cache(maxsize=8192)
def _partial_needles(keys: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The names a partial name is matched against: each key opening with a unit word, and
    the same without the "giáo dục" every department of a Sở GDĐT has ("phòng mầm non, tiểu
    học" for "Phòng Giáo dục Mầm non, Tiểu học")."""
    out: list[tuple[str, ...]] = []
    for key in _unit_keys(keys):
        needle = tuple(key.split())
        if len(needle) < 3 or needle[0] not in _HEAD_TOKENS:
            continue
        out.append(needle)
        if needle[1:3] == ("giao", "duc") and len(needle) >= 5:
            out.append(needle[:1] + needle[3:])
    return tuple(out)


def _subsequence_end(tokens: list[str], start: int, needle: tuple[str, ...]) -> int:
    """Where the longest run of question tokens from `start` that appear in order in the
    name (gaps allowed in the name, none in the question) ends."""
    j = 0
    i = start
    while i < len(tokens) and j < len(needle):
        try:
            j = needle.index(tokens[i], j) + 1
        except ValueError:
            break
        i += 1
    return i


def is_ambiguous(mentions: list[UnitMention]) -> bool:
    """Whether the best mention is a partial name that fits other units as well as it."""
    if not mentions or mentions[0].score >= 100:
        return False
    first = mentions[0]
    return any(
        m.score == first.score and (m.start, m.end) == (first.start, first.end)
        for m in mentions[1:]
    )


def _fuzzy_span(
    unit: UnitInfo, tokens: list[str], needle: list[str], k: str
) -> UnitMention | None:
    n = len(needle)
    best: UnitMention | None = None
    for width in (n - 1, n, n + 1):
        if width < 1 or width > len(tokens):
            continue
        for i in range(len(tokens) - width + 1):
            if width < n and set(tokens[i : i + width]) <= set(needle):
                continue  # words left out, none misspelt: a partial name, not a typo
            window = " ".join(tokens[i : i + width])
            score = fuzz.ratio(k, window)
            if score >= FUZZY_CUTOFF and (best is None or score > best.score):
                best = UnitMention(unit, score - 1.0, i, i + width, k)
    return best


def units_containing(units: list[UnitInfo], phrase: str) -> list[UnitInfo]:
    """Units whose name contains the phrase as whole words ("phong giao duc" → three units)."""
    needle = phrase.split()
    if not needle:
        return []
    found = []
    for unit in units:
        keys = unit_keys(unit) + abbreviated_keys(unit)
        if any(_find_span(k.split(), needle) >= 0 for k in keys):
            found.append(unit)
    return found


def home_provinces(docs_provinces: list[str], asker: UnitInfo | None) -> set[str]:
    """The provinces a question is most likely about: those of the documents naming the asker's
    unit, else the province most of the documents held come from (when one leads)."""
    if asker is not None and asker.provinces:
        return set(asker.provinces)
    counts: dict[str, int] = {}
    for province in docs_provinces:
        if province:
            counts[province] = counts.get(province, 0) + 1
    ranked = sorted(counts.values(), reverse=True)
    if ranked and (len(ranked) == 1 or ranked[0] > ranked[1]):
        return {p for p, n in counts.items() if n == ranked[0]}
    return set()


def prefer_province(units: list[UnitInfo], home: set[str]) -> list[UnitInfo]:
    """Of several units a partial name fits, those named by documents of the asker's province,
    when some are and some are not; else all of them."""
    mine = [u for u in units if u.provinces & home]
    return mine if mine and len(mine) < len(units) else units


def prefer_named_province(
    units: list[UnitInfo], mentions: list[UnitMention], provinces: set[str]
) -> list[UnitMention]:
    """The unit a question names is the one of the province it names: "phòng tccb lâm đồng"
    is Lâm Đồng's Phòng Tổ chức cán bộ và Pháp chế, not a Phòng TCCB no document of Lâm Đồng
    names, when exactly one unit of that province has the named unit's name in its own."""
    if not mentions or not provinces:
        return mentions
    first = mentions[0]
    if first.unit.provinces & provinces or first.unit.is_collective:
        return mentions
    phrases = [k for k in _unit_keys(first.unit.keys) if len(k.split()) >= 2]
    fits = [
        u
        for u in units
        if u.provinces & provinces
        and not u.is_collective
        and any(units_containing([u], phrase) for phrase in phrases)
    ]
    if len(fits) != 1:
        return mentions
    return [replace(first, unit=fits[0]), *(m for m in mentions[1:] if m.unit.id != fits[0].id)]
