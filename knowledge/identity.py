"""Stable identities of documents, deadlines and tasks: derived from content, never from row ids.

A re-import deletes and re-inserts a document's rows, so row ids change (and SQLite reuses freed
ids). Done marks, outbox keys and audit rows therefore refer to these identities instead:

- a document's identity is its issuer, kind, number and issue date; when the number is blank
  (a draft "Số: /KH-SGDĐT") the source file name and the title stand in for it;
- a deadline's identity is its document's uid plus the rule's own content: normalised title
  (without a positional "Nhiệm vụ 3:" prefix), rule kind and dates. Two rules of one document
  that agree on all of that are told apart by their quoted wording, then by their order;
- a task's identity is its document's uid plus its normalised content (the TT number is a
  table position, so it only breaks ties).

Uids are short ASCII strings ("d" + 12 hex digits) so an occurrence key "<uid>@2026-12-10" fits
in a 64-byte button payload with room to spare. Pure functions, no database.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from knowledge.normalize import fold

DOCUMENT_PREFIX = "v"
DEADLINE_PREFIX = "d"
TASK_PREFIX = "t"
_HEX_DIGITS = 12
_TASK_TITLE_PREFIX = re.compile(r"^nhiem vu\s+\S+\s+")  # folded "Nhiệm vụ 3: …"
_LEGACY_KEY = re.compile(r"^(\d+)@(\d{4}-\d{2}-\d{2})$")


def _digest(prefix: str, *parts: object) -> str:
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return prefix + hashlib.sha256(joined.encode("utf-8")).hexdigest()[:_HEX_DIGITS]


def _basename(source_file: str) -> str:
    return re.split(r"[\\/]", source_file.strip())[-1]


def number_is_blank(number: str) -> bool:
    """A number without any digit ("", "/SGDĐT-VP") does not identify a document."""
    return not any(ch.isdigit() for ch in number)


def document_identity(
    *,
    kind: str,
    issuer: str,
    number: str,
    issued_year: int | None,
    issued_month: int | None,
    issued_day: int | None,
    source_file: str,
    title: str = "",
) -> str:
    """The readable identity of a document: issuer | kind | number | date.

    Without a number, the file name and the title stand in for it: two unnumbered drafts that
    share a file name but not a title are two documents.
    """
    kind_value = getattr(kind, "value", kind)
    who = fold(issuer)
    what = fold(str(kind_value))
    if number_is_blank(number):
        which = f"tep {fold(_basename(source_file))} {fold(title)}".strip()
    else:
        which = "so " + fold(number)
    when = "-".join(
        str(p) if p is not None else "" for p in (issued_year, issued_month, issued_day)
    )
    return f"{who}|{what}|{which}|{when}"


def document_uid(identity: str) -> str:
    return _digest(DOCUMENT_PREFIX, identity)


@dataclass(frozen=True)
class RuleContent:
    """What a deadline rule says, the part of it that makes its identity."""

    title: str
    quote: str
    rule_kind: str
    due_date: date | None
    month: int | None
    month_in_period: int | None
    day: int | None


def _title_key(title: str) -> str:
    return _TASK_TITLE_PREFIX.sub("", fold(title))


def _rule_key(rule: RuleContent) -> tuple[object, ...]:
    kind = getattr(rule.rule_kind, "value", rule.rule_kind)
    due = rule.due_date.isoformat() if rule.due_date else ""
    return (_title_key(rule.title), kind, due, rule.month, rule.month_in_period, rule.day)


def _disambiguated(
    doc_uid: str, prefix: str, keys: Sequence[tuple[object, ...]], tiebreaks: Sequence[str]
) -> list[str]:
    """One uid per key; equal keys are told apart by their tiebreak text, then by order."""
    counts = Counter(keys)
    full = [
        key if counts[key] == 1 else (*key, tie) for key, tie in zip(keys, tiebreaks, strict=False)
    ]
    seen: Counter[tuple[object, ...]] = Counter()
    uids = []
    for key in full:
        seen[key] += 1
        nth = seen[key]
        uids.append(_digest(prefix, doc_uid, *key, *(("#", nth) if nth > 1 else ())))
    return uids


def deadline_uids(doc_uid: str, rules: Sequence[RuleContent]) -> list[str]:
    """Uids of a document's deadline rules, in the order given."""
    return _disambiguated(
        doc_uid, DEADLINE_PREFIX, [_rule_key(r) for r in rules], [fold(r.quote) for r in rules]
    )


def task_uids(doc_uid: str, tasks: Sequence[tuple[str, str]]) -> list[str]:
    """Uids of a document's tasks given as (number, content), in the order given."""
    return _disambiguated(
        doc_uid,
        TASK_PREFIX,
        [(fold(content),) for _, content in tasks],
        [fold(number) for number, _ in tasks],
    )


def occurrence_key(uid: str, due: date) -> str:
    """The identity of one due date of one rule: "d1a2b3c4d5e6@2026-12-10"."""
    return f"{uid}@{due.isoformat()}"


def split_occurrence_key(key: str) -> tuple[str, date] | None:
    """(uid, due) of an occurrence key, or None when it is malformed."""
    uid, sep, raw_due = key.partition("@")
    if not sep or not uid:
        return None
    try:
        return uid, date.fromisoformat(raw_due)
    except ValueError:
        return None


def legacy_deadline_id(key: str) -> int | None:
    """The row id in an old-style key "<deadline_id>@<due>", or None for a new-style key."""
    match = _LEGACY_KEY.match(key)
    return int(match.group(1)) if match else None


def rewrite_legacy_key(key: str, uid_of: dict[int, str]) -> str:
    """Replace every old "<id>@<due>" part of an outbox or done key with "<uid>@<due>".

    Works on whole keys such as "p3|12@2026-12-10|d7": the parts are split on "|".
    Parts whose id is unknown are kept as they are.
    """
    parts = key.split("|")
    out = []
    for part in parts:
        deadline_id = legacy_deadline_id(part)
        if deadline_id is not None and deadline_id in uid_of:
            part = f"{uid_of[deadline_id]}@{part.partition('@')[2]}"
        out.append(part)
    return "|".join(out)
