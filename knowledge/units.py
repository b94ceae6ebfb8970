"""Units (phòng/đơn vị), one import point for the modules that do one job each:

- `knowledge.unit_seeds`: the built-in units, generic phrases and unit head words (data);
- `knowledge.unit_names`: text rules for unit names (cell cleaning, unit-like text, new names);
- `knowledge.unit_catalog`: the alias catalogue, longest-match lookups and cell splitting;
- `knowledge.unit_queries`: collectives and their members, labels, fuzzy matching, seeding.
"""

from knowledge.unit_catalog import CatalogUnit, CellItem, Mention, UnitCatalog
from knowledge.unit_names import canonical_new_name, clean_cell, is_generic_text, looks_like_unit
from knowledge.unit_queries import (
    collective_members,
    department_umbrellas,
    ensure_seed_units,
    match_units,
    member_kinds,
    member_units,
    unit_label,
)
from knowledge.unit_seeds import GENERIC_PHRASES, SEED_UNITS, UNIT_HEAD_WORDS, SeedUnit

__all__ = [
    "CatalogUnit", "CellItem", "Mention", "UnitCatalog", "canonical_new_name", "clean_cell",
    "is_generic_text", "looks_like_unit", "collective_members", "department_umbrellas",
    "ensure_seed_units", "match_units", "member_kinds", "member_units", "unit_label",
    "GENERIC_PHRASES", "SEED_UNITS", "UNIT_HEAD_WORDS", "SeedUnit",
]  # fmt: skip
