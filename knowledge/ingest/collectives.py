"""Groups of local bodies a plan or directive addresses ("UBND các xã, phường, đặc khu", "UBND
cấp xã", "các trường THCS"): learned as collective units, each named with the passage."""

from __future__ import annotations

import re
from collections.abc import Callable

from knowledge.unit_catalog import CatalogUnit, UnitCatalog

_LEVEL = r"(?:xã|phường|thị\s+trấn|đặc\s+khu|quận|huyện|thị\s+xã|thành\s+phố)"
_COUNCIL = r"(?:UBND|[ỦUŨ]y\s+ban\s+nhân\s+dân|Uỷ\s+ban\s+nhân\s+dân)"
# "UBND các xã, phường, đặc khu", "các xã, phường, đặc khu", "UBND cấp xã", "các trường THCS"
_GROUP = re.compile(
    rf"(?P<council>{_COUNCIL}\s+)?(?:"
    rf"(?P<levels>các\s+{_LEVEL}(?:\s*,\s*{_LEVEL}|\s+và\s+{_LEVEL})*)"
    rf"|(?P<tier>cấp\s+(?:xã|huyện))"
    r"|(?P<schools>các\s+(?:trường|trung\s+tâm)\s+(?:mầm\s+non|tiểu\s+học|trung\s+học\s+cơ\s+sở"
    r"|trung\s+học\s+phổ\s+thông|[A-ZĐ][A-ZĐ&\-]{1,12}(?![\wÀ-ỹ])))"
    r")(?![\wÀ-ỹ])",
    re.IGNORECASE,
)

Note = Callable[[CatalogUnit], CatalogUnit]


def _canonical(match: re.Match[str]) -> tuple[str, list[str]] | None:
    """The collective's name and the other forms the text may use, or None (not a group)."""
    council = bool(match.group("council"))
    if match.group("tier"):
        if not council:
            return None  # "cán bộ cấp xã", "tại cấp xã": a level, not an addressee
        tier = re.sub(r"\s+", " ", match.group("tier")).lower()
        return f"UBND {tier}", [f"Ủy ban nhân dân {tier}"]
    if match.group("levels"):
        levels = re.findall(_LEVEL, match.group("levels"), re.IGNORECASE)
        if not council:
            return None  # "Phòng GDĐT các quận, huyện": the levels qualify another unit
        group = "các " + ", ".join(re.sub(r"\s+", " ", lv).lower() for lv in levels)
        return f"UBND {group}", [f"Ủy ban nhân dân {group}", group]
    schools = re.sub(r"\s+", " ", match.group("schools"))
    name = schools[:1].upper() + schools[1:]
    return name, [schools.lower()]


def addressed_groups(text: str, catalog: UnitCatalog, source: str) -> list[CatalogUnit]:
    """Collective units the text addresses, known ones resolved, new ones learned."""
    found: list[CatalogUnit] = []
    for match in _GROUP.finditer(text):
        named = _canonical(match)
        if named is None:
            continue
        name, forms = named
        unit = catalog.resolve(name) or next(
            (u for u in (catalog.resolve(f) for f in forms) if u is not None), None
        )
        if unit is None:
            unit = catalog.add(
                CatalogUnit(
                    name=name, aliases=forms, is_collective=True, learned_from=source, is_new=True
                )
            )
        if unit.is_collective and all(unit is not u for u in found):
            found.append(unit)
    return found
