"""The alias catalogue the parser reads units with: longest-match lookups and cell splitting."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache

from sqlmodel import Session, col, select

from knowledge.models import Unit, UnitAlias
from knowledge.normalize import ABBREVIATIONS, fold
from knowledge.unit_names import canonical_new_name, clean_cell, is_generic_text
from knowledge.unit_seeds import GENERIC_PHRASES, SEED_UNITS, alias_scope

logger = logging.getLogger(__name__)

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
    """One part of a unit cell: a unit, a generic phrase ("các cơ quan có liên quan") or unknown
    text."""

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
    """Word tokens of the text with their folded form and character span; separators kept as
    ',' ';'."""
    out: list[tuple[str, int, int]] = []
    for match in _SPLIT_TOKENS.finditer(text):
        raw = match.group()
        parts = (raw,) if raw in ",;" else _fold_token(raw)
        for part in parts:
            out.append((part, match.start(), match.end()))
    return out


# "<Phòng …> (sau đây gọi tắt là Phòng ABC)" / "(gọi tắt là ABC)" / "(Phòng ABC)": a unit and
# the short form its document defines; commas may stay inside the name.
_DEFINITION = re.compile(
    r"(?P<name>\b(?:Phòng|Văn phòng|Thanh tra|Trung tâm)\s+[A-ZĐÀ-Ỹ][^.;:()]{1,90}?)\s*"
    r"\((?:sau đây |dưới đây )?(?:gọi tắt là|gọi chung là|viết tắt là)?\s*"
    r"(?P<short>(?:(?:Phòng|Trung tâm|Văn phòng)\s+)?"
    r"[A-ZĐ][A-Za-zĐ&\-]{1,15}(?:,\s*[A-ZĐ][A-Za-zĐ&\-]{0,15}){0,3})\)"
)


def _abbreviates(short: str, name: str) -> bool:
    """Whether a short form is made of the initials of a unit's name, in order, from the first
    ("KT&QLCL" of "Khảo thí và Quản lý chất lượng giáo dục"), and is not a common term
    ("CCHC" after "Ban Chỉ đạo cải cách hành chính" names the reform, not the unit)."""
    tail = re.sub(r"^(?:Phòng|Trung tâm|Văn phòng)\s+", "", short)
    if sum(ch.isupper() for ch in tail) < 2:
        return False  # "(Phòng Nam)" is no abbreviation
    letters = fold(tail).replace(" ", "")
    bare = re.sub(r"^(?:Phòng|Văn phòng|Thanh tra|Trung tâm)\s+", "", name)
    if letters in ABBREVIATIONS:
        return ABBREVIATIONS[letters] == fold(bare)
    # of the name without its kind word ("GDTH"), or with it ("TTS" of "Thanh tra Sở")
    return any(_in_order(letters, whole) for whole in (bare, name))


def _in_order(letters: str, name: str) -> bool:
    """Whether the letters are initials of the name's words, in order, from the first."""
    initials = "".join(w[0] for w in fold(name).split())
    if not letters or letters[0] != initials[:1]:
        return False
    rest = iter(initials)
    return all(ch in rest for ch in letters)


def defined_short_forms(text: str) -> list[tuple[str, str]]:
    """(unit name, short form) for each unit a text names with the short form it will use:
    "Phòng Giáo dục Tiểu học (sau đây gọi tắt là Phòng GDTH)"."""
    out = []
    for m in _DEFINITION.finditer(clean_cell(text.replace("\n", " . "))):
        name, short = m.group("name").strip(" ,"), m.group("short").strip()
        if re.search(r"\d", name) or is_generic_text(name) or not _abbreviates(short, name):
            continue
        out.append((name, short))
    return out


_Entry = tuple[tuple[str, ...], "CatalogUnit | None", str]  # folded form, unit, province scope


class UnitCatalog:
    """Every known unit with a token index of its names and aliases, for exact longest-match
    lookups.

    `province` (folded) is the province of the document being read: an alias limited to another
    province (a built-in unit's local abbreviation, see unit_seeds.SEED_PROVINCE) is not used.
    """

    def __init__(self) -> None:
        self.units: list[CatalogUnit] = []
        self.province = ""
        # short forms the document being read defines for units already known (stored)
        self.defined: list[tuple[CatalogUnit, str]] = []
        self._index: dict[str, list[_Entry]] = {}
        for phrase in GENERIC_PHRASES:
            self._add_form(phrase, None)

    # -- building -------------------------------------------------------------------------
    @classmethod
    def seeded(cls) -> UnitCatalog:
        catalog = cls()
        for seed in SEED_UNITS:
            catalog.add(
                CatalogUnit(seed.name, seed.short, list(seed.all_aliases()), seed.collective)
            )
        return catalog

    @classmethod
    def from_session(cls, session: Session) -> UnitCatalog:
        catalog = cls()
        by_id: dict[int | None, CatalogUnit] = {}
        for unit in session.exec(select(Unit).order_by(col(Unit.id))).all():
            by_id[unit.id] = catalog.add(
                CatalogUnit(
                    unit.name,
                    unit.short_name,
                    list(unit.aliases or []),
                    unit.is_collective,
                    unit.learned_from,
                    unit.id,
                )
            )
        for row in session.exec(select(UnitAlias).order_by(col(UnitAlias.id))).all():
            if row.unit_id in by_id:  # a document's short form holds in its province
                catalog._add_form(row.alias, by_id[row.unit_id], fold(row.province))
        return catalog

    def use_province(self, province: str) -> None:
        """Read the next document as one of this province (its header's province)."""
        self.province = fold(province)
        self.defined = []

    def add(self, unit: CatalogUnit) -> CatalogUnit:
        self.units.append(unit)
        for form in unit.forms():
            self._add_form(form, unit, alias_scope(unit.name, form))
        return unit

    def add_forms(self, unit: CatalogUnit, forms: list[str]) -> None:
        """Index more names of a unit already in the catalogue (a short form a document
        defines); for a unit stored before this document, they are kept in `defined`, for the
        importer to store with the document."""
        for form in forms:
            self._add_form(form, unit, self.province if not unit.is_new else "")
            if not unit.is_new and all(f != form or u is not unit for u, f in self.defined):
                self.defined.append((unit, form))

    def _add_form(self, form: str, unit: CatalogUnit | None, scope: str = "") -> None:
        key = tuple(fold(form).split())
        if not key:
            return
        bucket = self._index.setdefault(key[0], [])
        if unit is not None and any(
            existing == key and owner is not None and their in ("", scope)
            for existing, owner, their in bucket
        ):
            return
        bucket.append((key, unit, scope))
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
            if (
                len(initials) >= 3
                and self.resolve(initials) is None
                and fold(initials) not in ABBREVIATIONS
            ):
                # "Phòng QLCL" for a learned "Phòng Quản lý chất lượng", as staff abbreviate
                unit.aliases.extend([initials, f"Phòng {initials}"])
        logger.info("learned unit %r from %s", name, source)
        return self.add(unit)

    def learn_definitions(self, text: str, source: str) -> list[CatalogUnit]:
        """Units a document names with the short form it will use: "Phòng Giáo dục Tiểu học
        (sau đây gọi tắt là Phòng GDTH)". Read before its tables, so that a cell saying "Phòng
        GDTH" is that unit (and never another province's built-in alias)."""
        found: list[CatalogUnit] = []
        for name, short in defined_short_forms(text):
            unit = self.resolve(name) or self.learn(name, source)
            found.append(self._define(unit, short))
        return found

    def learn_known_definitions(self, text: str) -> list[tuple[CatalogUnit, str]]:
        """The short forms a document defines for units already in the catalogue, learning no
        new unit (a stored document read again by a migration)."""
        for name, short in defined_short_forms(text):
            unit = self.resolve(name)
            if unit is not None:
                self._define(unit, short)
        return list(self.defined)

    def _define(self, unit: CatalogUnit, short: str) -> CatalogUnit:
        bare = re.sub(r"^(?:Phòng|Trung tâm|Văn phòng)\s+", "", short)
        new = [f for f in dict.fromkeys([short, bare]) if self.resolve(f) is not unit]
        if unit.is_new:
            unit.aliases.extend(a for a in new if a not in unit.aliases)
            # the document's own short form labels the unit: "… Pháp chế (TCCB&PC)"
            unit.short_name = unit.short_name or bare
        self.add_forms(unit, new)
        return unit

    # -- lookups --------------------------------------------------------------------------
    def _match_at(
        self, toks: list[tuple[str, int, int]], i: int
    ) -> tuple[int, CatalogUnit | None, bool] | None:
        """Longest known form starting at token i: (tokens consumed, unit or None, generic)."""
        word = toks[i][0]
        if word in ",;":
            return None
        for key, unit, scope in self._index.get(word, []):
            if scope and scope != self.province:
                continue  # another province's abbreviation
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
        hit = self._whole(text)
        return hit[0] if hit and not hit[1] else None

    def _whole(self, text: str) -> tuple[CatalogUnit | None, bool] | None:
        """(unit, generic) when a known form is the whole text, else None."""
        toks = _tokens(text)
        words = [t for t in toks if t[0] not in ",;"]
        if not words:
            return None
        hit = self._match_at(toks, 0)
        if hit is None:
            return None
        consumed = [t for t in toks[: hit[0]] if t[0] not in ",;"]
        return (hit[1], hit[2]) if len(consumed) == len(words) else None

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

    def _shared_plural(
        self, chunk: str, items: list[CellItem]
    ) -> tuple[CatalogUnit | None, bool] | None:
        """A lower-case chunk after "các X," read as "các <chunk>", when that is a known form."""
        if not (chunk[:1].islower() and items and fold(items[-1].text).startswith("cac ")):
            return None
        if fold(chunk).startswith(("cac ", "nhung ")):
            return None
        return self._whole(f"các {chunk}")

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
                shared = self._shared_plural(chunk, items)
                if shared is not None:
                    # "Các phòng, đơn vị": "các" reaches over the comma to "đơn vị"
                    items.append(CellItem(chunk, shared[0], shared[1]))
                elif (
                    chunk
                    and len(chunk.split()) <= 3
                    and chunk[:1].islower()
                    and items
                    and (items[-1].unit is None and not items[-1].generic)
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
        return _join_enumerations(items)


_HEAD = re.compile(r"^(?:phong|ban|trung tam|van phong|to) ")


def _join_enumerations(items: list[CellItem]) -> list[CellItem]:
    """One unit whose name enumerates with commas: "Phòng Khảo thí, Quản lý chất lượng và Công
    nghệ thông tin" is a "Phòng …" item, then unknown capitalised parts without a unit word of
    their own, the last of them joined by "và"."""
    out: list[CellItem] = []
    i = 0
    while i < len(items):
        item = items[i]
        j = i + 1
        while j < len(items) and _enumerated_part(items[j]):
            j += 1
        closing = j > i + 1 and re.search(r"\bvà\s+[A-ZĐÀ-Ỹ]", items[j - 1].text)
        if closing and _HEAD.match(fold(item.text) + " "):
            out.append(CellItem(", ".join(it.text for it in items[i:j]), None, False))
            i = j
            continue
        out.append(item)
        i += 1
    return out


def _enumerated_part(item: CellItem) -> bool:
    key = fold(item.text)
    return (
        item.unit is None
        and not item.generic
        and item.text[:1].isupper()
        and not _HEAD.match(key + " ")
        and not key.startswith(("cac ", "so ", "uy ban", "ubnd"))
    )
