"""Split a question set into a tuning half and a held-out half, fixed by a seed.

    .venv/bin/python -m bench.eval.split bench/eval/phone_bundled.jsonl [more.jsonl ...]

Writes `<name>_tuning.jsonl` and `<name>_heldout.jsonl` beside each set. Within every class the
questions are ordered by sha256(seed:id) and dealt alternately, so both halves hold every class
and the assignment of a question never depends on the engine, on the order of the file, or on
the other questions' wording. Only the tuning half may be read while improving the engine.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path

SEED = "cchc-issue9-2026"
HALVES = ("tuning", "heldout")


def rank(question_id: str, seed: str = SEED) -> str:
    """The seeded hash that orders questions inside their class."""
    return hashlib.sha256(f"{seed}:{question_id}".encode()).hexdigest()


def assign_halves(rows: list[dict], seed: str = SEED) -> dict[str, str]:
    """Question id -> "tuning" or "heldout"; balanced per class, deterministic for a seed.

    Rows that share a `group` (the variants of one generated base question) go to the same
    half, chosen by the seeded hash of the group, so no variant of a held-out question is
    ever seen while tuning.
    """
    by_class: dict[str, list[str]] = defaultdict(list)
    halves: dict[str, str] = {}
    for row in rows:
        if row.get("group"):
            halves[row["id"]] = HALVES[int(rank(row["group"], seed), 16) % 2]
        else:
            by_class[row.get("class", "")].append(row["id"])
    for cls in sorted(by_class):
        ordered = sorted(by_class[cls], key=lambda qid: rank(qid, seed))
        start = int(rank(cls, seed)[0], 16) % 2  # which half gets the odd one out
        for position, qid in enumerate(ordered):
            halves[qid] = HALVES[(position + start) % 2]
    return halves


def read_jsonl(path: Path) -> list[dict]:
    """Every non-blank line of a JSONL file as a dict."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_jsonl(path: Path, rows: list[dict]) -> None:
    """Rows as UTF-8 JSONL, one object per line."""
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def half_path(path: Path, half: str) -> Path:
    """bench/eval/x.jsonl -> bench/eval/x_tuning.jsonl / x_heldout.jsonl."""
    return path.with_name(f"{path.stem}_{half}.jsonl")


def split_file(path: Path, seed: str = SEED) -> dict[str, int]:
    """Write both halves of one set; returns the size of each half."""
    rows = read_jsonl(path)
    halves = assign_halves(rows, seed)
    sizes = {}
    for half in HALVES:
        chosen = [row for row in rows if halves[row["id"]] == half]
        write_jsonl(half_path(path, half), chosen)
        sizes[half] = len(chosen)
    return sizes


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    for name in argv:
        sizes = split_file(Path(name))
        print(f"{name}: " + ", ".join(f"{h} {n}" for h, n in sizes.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
