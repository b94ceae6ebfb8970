"""Unit queries for the answer engine, reminders and handlers: members of collectives, labels,
fuzzy matching of a typed name, and the built-in units a new database starts with."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz
from sqlmodel import Session, select

from knowledge.models import Unit, UnitAlias
from knowledge.normalize import fold, nfc
from knowledge.unit_catalog import CatalogUnit
from knowledge.unit_seeds import SEED_UNITS


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


def _candidate_keys(unit: Unit, defined: Iterable[str] = ()) -> list[str]:
    forms = [unit.name, unit.short_name, *(unit.aliases or []), *defined]
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
    defined: dict[int, list[str]] = {}  # short forms documents define ("TTS")
    for unit_id, alias in session.exec(select(UnitAlias.unit_id, UnitAlias.alias)).all():
        defined.setdefault(unit_id, []).append(alias)
    for unit in session.exec(select(Unit)).all():
        keys = _candidate_keys(unit, defined.get(unit.id or 0, ()))
        best = max((_score(query, key) for key in keys), default=0.0)
        if best >= 50:
            scored.append((best, not unit.is_collective, -len(unit.name), unit))
    scored.sort(key=lambda item: (item[0], item[1], item[2]), reverse=True)
    return [(unit, round(score, 1)) for score, _, _, unit in scored[:limit]]


def ensure_seed_units(session: Session) -> int:
    """Insert the built-in units that are missing, and the built-in aliases a unit stored by an
    older version lacks (its own and learned aliases stay); returns how many units were added."""
    existing = {fold(u.name): u for u in session.exec(select(Unit)).all()}
    added = 0
    for seed in SEED_UNITS:
        stored = existing.get(fold(seed.name))
        if stored is not None:
            have = {fold(a) for a in stored.aliases or []}
            missing = [a for a in seed.all_aliases() if fold(a) not in have]
            if missing:
                stored.aliases = [*(stored.aliases or []), *missing]
                session.add(stored)
            continue
        session.add(
            Unit(
                name=seed.name,
                short_name=seed.short,
                aliases=list(seed.all_aliases()),
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
            key.startswith("phong ")
            and not key.startswith(("phong gddt", "phong giao duc va dao tao"))
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
    units: tuple[tuple[int | None, str, bool], ...],
) -> tuple[tuple[int, frozenset[int]], ...]:
    """collective_members on (id, name, is_collective) rows, cached: it runs per question."""
    rows = [Unit(id=i, name=n, is_collective=c) for i, n, c in units]
    out = []
    for group in rows:
        if not group.is_collective or group.id is None:
            continue
        ids = {
            u.id for u in rows if u.id is not None and not u.is_collective and _member_of(group, u)
        }
        out.append((group.id, frozenset(ids)))
    return tuple(out)
