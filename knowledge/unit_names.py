"""Unit-name text rules: cleaning a table cell, generic phrases, unit-like text, learned names."""

from __future__ import annotations

import re

from knowledge.normalize import fold, nfc
from knowledge.unit_seeds import UNIT_HEAD_WORDS


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
