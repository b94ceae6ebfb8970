"""Units (phòng/đơn vị): built-in seed list, an in-memory alias catalogue, cell splitting and fuzzy matching."""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from sqlmodel import Session, select

from knowledge.models import Unit
from knowledge.normalize import fold, nfc

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SeedUnit:
    name: str
    short: str
    aliases: tuple[str, ...]
    collective: bool = False


# Common units of a Sở GDĐT. Documents add more (see UnitCatalog.learn).
SEED_UNITS: tuple[SeedUnit, ...] = (
    SeedUnit("Văn phòng Sở", "VP", ("Văn phòng", "VP Sở", "Văn phòng Sở GDĐT", "Chánh Văn phòng")),
    SeedUnit(
        "Phòng Tổ chức cán bộ",
        "TCCB",
        ("Tổ chức cán bộ", "Phòng TCCB", "Tổ chức - Cán bộ", "Phòng Tổ chức - Cán bộ"),
    ),
    SeedUnit(
        "Phòng Kế hoạch - Tài chính",
        "KHTC",
        ("Kế hoạch tài chính", "Kế hoạch - Tài chính", "Phòng KHTC", "KH-TC", "Phòng KH-TC", "Phòng Kế hoạch Tài chính"),
    ),
    SeedUnit("Thanh tra Sở", "Thanh tra", ("Thanh tra", "Thanh tra Sở GDĐT", "TTr Sở")),
    SeedUnit(
        "Phòng Giáo dục Thường xuyên và Đại học",
        "GDTX&ĐH",
        ("GDTX&DH", "GDTX-ĐH", "GDTX và ĐH", "Giáo dục Thường xuyên và Đại học", "Phòng GDTX&ĐH", "Phòng GDTX"),
    ),
    SeedUnit(
        "Phòng Giáo dục Trung học",
        "GDTrH",
        ("Giáo dục Trung học", "Phòng GDTrH", "GD Trung học", "Phòng GDTH"),
    ),
    SeedUnit(
        "Phòng Khảo thí và Kiểm định chất lượng giáo dục",
        "KT&KĐCLGD",
        (
            "Khảo thí và Kiểm định chất lượng giáo dục",
            "Khảo thí và KĐCLGD",
            "Phòng KT&KĐCLGD",
            "Phòng Khảo thí",
            "Khảo thí",
            "KTKĐ",
        ),
    ),
    SeedUnit(
        "Phòng GDĐT quận, huyện",
        "Phòng GDĐT",
        (
            "Phòng GDĐT các quận, huyện",
            "Phòng GDĐT quận huyện",
            "Phòng Giáo dục và Đào tạo quận, huyện",
            "Phòng GDĐT các huyện, thị xã, thành phố",
            "phòng GDĐT các huyện, thị xã, thành phố",
            "Phòng Giáo dục và Đào tạo",
            "Phòng GD&ĐT",
        ),
        True,
    ),
    SeedUnit(
        "Các đơn vị giáo dục",
        "Đơn vị giáo dục",
        (
            "đơn vị giáo dục",
            "các trường THPT",
            "trường THPT",
            "trung tâm GDNN-GDTX",
            "các trung tâm GDNN-GDTX",
            "Trung tâm GDTX",
            "đơn vị trực thuộc",
            "các đơn vị trực thuộc",
            "các đơn vị trực thuộc Sở",
            "đơn vị thuộc Sở",
            "các đơn vị thuộc Sở",
            "các trường trung học phổ thông",
            "trường trung học phổ thông",
        ),
        True,
    ),
    SeedUnit(
        "Các phòng CMNV Sở",
        "Các phòng Sở",
        (
            "các phòng Sở",
            "các phòng cơ quan Sở",
            "các phòng chuyên môn nghiệp vụ",
            "các phòng chuyên môn nghiệp vụ Sở",
            "các phòng chuyên môn nghiệp vụ thuộc Sở",
            "phòng chuyên môn nghiệp vụ thuộc Sở",
            "các phòng CMNV cơ quan Sở",
            "các phòng CMNV",
            "các phòng thuộc Sở",
            "các phòng",
        ),
        True,
    ),
)

# Phrases that name nobody in particular; they are split off unit cells but never become units.
GENERIC_PHRASES: tuple[str, ...] = (
    "các cơ quan, tổ chức có liên quan",
    "các cơ quan, tổ chức liên quan",
    "các cơ quan, đơn vị có liên quan",
    "các cơ quan, đơn vị liên quan",
    "các phòng, đơn vị có liên quan",
    "các phòng, đơn vị liên quan",
    "các cơ quan có liên quan",
    "các cơ quan liên quan",
    "các đơn vị có liên quan",
    "các đơn vị liên quan",
    "các phòng có liên quan",
    "các phòng liên quan",
    "các phòng chức năng liên quan",
    "các phòng chức năng có liên quan",
    "các đơn vị",
    "các cơ quan",
    "đơn vị liên quan",
    "cơ quan liên quan",
)

UNIT_HEAD_WORDS = (
    "phong",
    "van phong",
    "thanh tra",
    "ban",
    "trung tam",
    "to",
    "hoi dong",
    "truong",
    "so",
    "ubnd",
    "uy ban",
    "cac truong",
    "cac trung tam",
    "cong doan",
    "doan",
    "bo phan",
)

_SPLIT_TOKENS = re.compile(r"[^\s,;:()“”\"'.]+|[,;]")
_CONNECTORS = {"va", "voi", "cung", "phoi", "hop"}


@dataclass
class CatalogUnit:
    """A unit as the parser sees it; `unit_id` is None until the importer stores a learned one."""

    name: str
    short_name: str = ""
    aliases: list[str] = field(default_factory=list)
    is_collective: bool = False
    learned_from: str = ""
    unit_id: int | None = None
    is_new: bool = False

    def forms(self) -> list[str]:
        extra = [f"Phòng {self.short_name}"] if self.short_name and not self.is_collective else []
        return [self.name, self.short_name, *self.aliases, *extra]


@dataclass(frozen=True)
class CellItem:
    """One part of a unit cell: a unit, a generic phrase ("các cơ quan có liên quan") or unknown text."""

    text: str
    unit: CatalogUnit | None
    generic: bool = False


@dataclass(frozen=True)
class Mention:
    unit: CatalogUnit
    start: int
    end: int


@lru_cache(maxsize=16384)
def _fold_token(raw: str) -> tuple[str, ...]:
    return tuple(fold(raw).split())


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Word tokens of the text with their folded form and character span; separators kept as ',' ';'."""
    out: list[tuple[str, int, int]] = []
    for match in _SPLIT_TOKENS.finditer(text):
        raw = match.group()
        parts = (raw,) if raw in ",;" else _fold_token(raw)
        for part in parts:
            out.append((part, match.start(), match.end()))
    return out


class UnitCatalog:
    """Every known unit with a token index of its names and aliases, for exact longest-match lookups."""

    def __init__(self) -> None:
        self.units: list[CatalogUnit] = []
        self._index: dict[str, list[tuple[tuple[str, ...], CatalogUnit | None]]] = {}
        for phrase in GENERIC_PHRASES:
            self._add_form(phrase, None)

    # -- building -------------------------------------------------------------------------
    @classmethod
    def seeded(cls) -> "UnitCatalog":
        catalog = cls()
        for seed in SEED_UNITS:
            catalog.add(
                CatalogUnit(seed.name, seed.short, list(seed.aliases), seed.collective)
            )
        return catalog

    @classmethod
    def from_session(cls, session: Session) -> "UnitCatalog":
        catalog = cls()
        for unit in session.exec(select(Unit).order_by(Unit.id)).all():
            catalog.add(
                CatalogUnit(
                    unit.name,
                    unit.short_name,
                    list(unit.aliases or []),
                    unit.is_collective,
                    unit.learned_from,
                    unit.id,
                )
            )
        return catalog

    def add(self, unit: CatalogUnit) -> CatalogUnit:
        self.units.append(unit)
        for form in unit.forms():
            self._add_form(form, unit)
        return unit

    def _add_form(self, form: str, unit: CatalogUnit | None) -> None:
        key = tuple(fold(form).split())
        if not key:
            return
        bucket = self._index.setdefault(key[0], [])
        if any(existing == key and owner is not None for existing, owner in bucket) and unit is not None:
            return
        bucket.append((key, unit))
        bucket.sort(key=lambda item: -len(item[0]))

    def learn(self, text: str, source: str) -> CatalogUnit:
        """Make a new unit from unit-like text found in a document (a heading or a table cell)."""
        name = canonical_new_name(text)
        found = self.resolve(name)
        if found is not None:
            return found
        unit = CatalogUnit(name=name, aliases=[], learned_from=source, is_new=True)
        bare = re.sub(r"^(?i:phòng)\s+", "", name)
        if bare != name and len(fold(bare).split()) >= 2:
            unit.aliases.append(bare)
            initials = "".join(
                w[0] for w in re.findall(r"\w+", bare) if fold(w) not in ("va", "voi", "cua")
            ).upper()
            if len(initials) >= 3 and self.resolve(initials) is None:
                # "Phòng QLCL" for a learned "Phòng Quản lý chất lượng", as staff abbreviate
                unit.aliases.extend([initials, f"Phòng {initials}"])
        logger.info("learned unit %r from %s", name, source)
        return self.add(unit)

    # -- lookups --------------------------------------------------------------------------
    def _match_at(self, toks: list[tuple[str, int, int]], i: int) -> tuple[int, CatalogUnit | None, bool] | None:
        """Longest known form starting at token i: (tokens consumed, unit or None, generic)."""
        word = toks[i][0]
        if word in ",;":
            return None
        for key, unit in self._index.get(word, []):
            j = i
            k = 0
            while j < len(toks) and k < len(key):
                if toks[j][0] == ",":  # "quận, huyện" matches "quận huyện"
                    j += 1
                    continue
                if toks[j][0] != key[k]:
                    break
                j += 1
                k += 1
            if k == len(key):
                return j - i, unit, unit is None
        return None

    def resolve(self, text: str) -> CatalogUnit | None:
        """The unit named exactly (up to case, diacritics, punctuation) by the text, if any."""
        key = fold(text)
        if not key:
            return None
        toks = _tokens(text)
        words = [t for t in toks if t[0] not in ",;"]
        if not words:
            return None
        hit = self._match_at(toks, 0)
        if hit and not hit[2] and hit[1] is not None:
            consumed = [t for t in toks[: hit[0]] if t[0] not in ",;"]
            if len(consumed) == len(words):
                return hit[1]
        return None

    def mentions(self, text: str) -> list[Mention]:
        """Known units named anywhere in the text, longest match first, left to right."""
        toks = _tokens(text)
        out: list[Mention] = []
        i = 0
        while i < len(toks):
            hit = self._match_at(toks, i)
            if hit is None:
                i += 1
                continue
            n, unit, generic = hit
            if unit is not None and not generic:
                out.append(Mention(unit, toks[i][1], toks[i + n - 1][2]))
            i += n
        return out

    def split_cell(self, text: str) -> list[CellItem]:
        """Split a lead/cooperate cell into units, generic phrases and unknown names.

        "Kế hoạch tài chính các cơ quan, tổ chức có liên quan" gives the KHTC unit and the
        generic phrase: the longest known name wins, then the rest is read on its own.
        """
        text = clean_cell(text)
        toks = _tokens(text)
        items: list[CellItem] = []
        i = 0
        pending_start: int | None = None
        pending_end = 0

        def flush() -> None:
            nonlocal pending_start
            if pending_start is not None:
                chunk = text[pending_start:pending_end].strip(" ,;.-")
                chunk = re.sub(r"^(?i:và|với)\s+", "", chunk)
                if chunk and len(chunk.split()) <= 3 and chunk[:1].islower() and items and (
                    items[-1].unit is None and not items[-1].generic
                ):
                    # "UBND các quận, huyện", "Phòng Chính trị, tư tưởng": a few lower-case words
                    # after a comma finish the unknown name before them
                    items[-1] = CellItem(f"{items[-1].text}, {chunk}", None, False)
                elif chunk:
                    items.append(CellItem(chunk, None, is_generic_text(chunk)))
            pending_start = None

        while i < len(toks):
            word, start, end = toks[i]
            if word in ",;":
                flush()
                i += 1
                continue
            hit = self._match_at(toks, i)
            if hit is not None and (pending_start is None or word not in _CONNECTORS):
                flush()
                n, unit, generic = hit
                span = text[start : toks[i + n - 1][2]].strip(" ,;.")
                items.append(CellItem(span, unit, generic))
                i += n
                continue
            if pending_start is None:
                if word in _CONNECTORS:
                    i += 1
                    continue
                pending_start = start
            pending_end = end
            i += 1
        flush()
        return items


def clean_cell(text: str) -> str:
    """Strip markdown/HTML markup and collapse spaces."""
    text = re.sub(r"</?\w+[^>]*>", "", nfc(text))
    text = text.replace("**", "").replace("*", " ")
    return re.sub(r"\s+", " ", text).strip()


def is_generic_text(text: str) -> bool:
    key = fold(text)
    return bool(
        re.search(r"\blien quan\b", key)
        or key in {"cac don vi", "cac co quan", "cac to chuc", "to chuc", "ca nhan"}
        or key.startswith(("cac co quan", "cac to chuc", "co quan to chuc"))
    )


def looks_like_unit(text: str) -> bool:
    """Unit-like text: starts with a unit word ("Phòng", "Ban", "Trung tâm"…), short, no digits."""
    key = fold(text)
    if not key or re.search(r"\d", key) or len(key.split()) > 12:
        return False
    return any(key == w or key.startswith(w + " ") for w in UNIT_HEAD_WORDS)


def canonical_new_name(text: str) -> str:
    """Name for a learned unit: cleaned, first letter upper; bare department names get "Phòng"."""
    name = clean_cell(text).strip(" :;,.-")
    name = re.sub(r"\s*-\s*", " - ", name) if re.search(r"\w-\s|\s-\w", name) else name
    if not looks_like_unit(name):
        name = f"Phòng {name}"
    return name[:1].upper() + name[1:]


# -- queries used by the answer engine -------------------------------------------------------

def _plural_head(name: str) -> str | None:
    """The kind a plural collective names: "Các phòng CMNV Sở" -> "phong"; None if not plural."""
    words = fold(name).split()
    return words[1] if len(words) > 1 and words[0] in {"cac", "nhung"} else None


def department_umbrellas(units: Iterable[Unit]) -> set[int]:
    """Ids of collectives that stand for the Sở's own departments ("Các phòng CMNV Sở").

    Decided from the data: a plural collective ("các <kind> …") whose kind is the head word of
    individual units in the database ("Phòng Tổ chức cán bộ") is the umbrella of those units.
    Collectives of member kinds that have no individual units ("Các đơn vị giáo dục", "Phòng
    GDĐT quận, huyện") are not umbrellas: their members register to the collective itself.
    """
    units = list(units)
    heads = {fold(u.name).split()[0] for u in units if not u.is_collective and fold(u.name)}
    return {
        u.id
        for u in units
        if u.is_collective and u.id is not None and _plural_head(u.name) in heads
    }


def member_units(units: Iterable[Unit]) -> list[Unit]:
    """Units a person or group can belong to: departments and member-kind collectives."""
    units = list(units)
    umbrellas = department_umbrellas(units)
    return [u for u in units if u.id not in umbrellas]


def member_kinds(unit: Unit, limit: int = 2) -> list[str]:
    """Kinds of member a collective names in its aliases, for a picker label: "Các đơn vị giáo
    dục" -> ["trường THPT", "trung tâm GDNN-GDTX"]; aliases that merely restate the name are
    skipped, and so are two forms of one kind (same first two words)."""
    if not unit.is_collective:
        return []
    head = fold(unit.name).removeprefix("cac ").split()[:1]
    seen: set[tuple[str, ...]] = set()
    kinds = []
    for alias in unit.aliases or []:
        bare = re.sub(r"^(các|những)\s+", "", nfc(alias).strip(), flags=re.IGNORECASE)
        words = fold(bare).split()
        if not words or words[:1] == head or tuple(words[:2]) in seen:
            continue
        seen.add(tuple(words[:2]))
        kinds.append(bare[:1].lower() + bare[1:])
        if len(kinds) == limit:
            break
    return kinds


def unit_label(unit: Unit | CatalogUnit) -> str:
    """Display label: "Phòng Tổ chức cán bộ (TCCB)"."""
    short = unit.short_name
    if short and f" {fold(short)} " not in f" {fold(unit.name)} ":
        return f"{unit.name} ({short})"
    return unit.name


def _candidate_keys(unit: Unit) -> list[str]:
    forms = [unit.name, unit.short_name, *(unit.aliases or [])]
    if unit.short_name and not unit.is_collective:
        forms.append(f"Phòng {unit.short_name}")
    keys = []
    for form in forms:
        key = fold(form)
        if key and key not in keys:
            keys.append(key)
    return keys


def _score(query: str, key: str) -> float:
    if query == key:
        return 100.0
    padded_q, padded_k = f" {query} ", f" {key} "
    if padded_k in padded_q and len(key) >= 2:
        # the unit is named inside a longer question: longer names are surer
        return 88.0 + 10.0 * len(key) / len(query)
    score = max(fuzz.ratio(query, key), fuzz.token_sort_ratio(query, key))
    if len(query) >= 4 and len(key) >= 4:
        score = max(score, 0.9 * fuzz.partial_ratio(query, key))
    return float(score)


def match_units(session: Session, text: str, limit: int = 5) -> list[tuple[Unit, float]]:
    """Units ranked by how well the text names them (0-100), accents/abbreviations ignored."""
    query = fold(text)
    if not query:
        return []
    scored: list[tuple[float, bool, int, Unit]] = []
    for unit in session.exec(select(Unit)).all():
        best = max((_score(query, key) for key in _candidate_keys(unit)), default=0.0)
        if best >= 50:
            scored.append((best, not unit.is_collective, -len(unit.name), unit))
    scored.sort(key=lambda item: (item[0], item[1], item[2]), reverse=True)
    return [(unit, round(score, 1)) for score, _, _, unit in scored[:limit]]


def ensure_seed_units(session: Session) -> int:
    """Insert the built-in units that are missing; returns how many were added."""
    existing = {fold(u.name) for u in session.exec(select(Unit)).all()}
    added = 0
    for seed in SEED_UNITS:
        if fold(seed.name) in existing:
            continue
        session.add(
            Unit(
                name=seed.name,
                short_name=seed.short,
                aliases=list(seed.aliases),
                is_collective=seed.collective,
            )
        )
        added += 1
    if added:
        session.flush()
    return added


def _member_of(collective: Unit, unit: Unit) -> bool:
    key = fold(unit.name)
    group = fold(collective.name)
    if group.startswith("cac phong"):
        # "Các phòng CMNV Sở": every department of the Sở, not the district offices
        return (
            key.startswith("phong ") and not key.startswith(("phong gddt", "phong giao duc va dao tao"))
        ) or key in ("van phong so", "thanh tra so")
    if "don vi giao duc" in group:
        return key.startswith(("truong ", "trung tam "))
    return False


def collective_members(units: list[Unit]) -> dict[int, set[int]]:
    """For each collective unit, the ids of the single units it stands for.

    A deadline for "Các phòng CMNV Sở" concerns Văn phòng Sở, Phòng TCCB, …; a learned school
    ("Trường THPT …") belongs to "Các đơn vị giáo dục".
    """
    frozen = _members(tuple((u.id, u.name, u.is_collective) for u in units))
    return {group: set(ids) for group, ids in frozen}


@lru_cache(maxsize=64)
def _members(
    units: tuple[tuple[int | None, str, bool], ...]
) -> tuple[tuple[int, frozenset[int]], ...]:
    """collective_members on (id, name, is_collective) rows, cached: it runs per question."""
    rows = [Unit(id=i, name=n, is_collective=c) for i, n, c in units]
    out = []
    for group in rows:
        if not group.is_collective or group.id is None:
            continue
        ids = {u.id for u in rows if u.id is not None and not u.is_collective and _member_of(group, u)}
        out.append((group.id, frozenset(ids)))
    return tuple(out)
