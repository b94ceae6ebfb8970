"""Run the qualifier / multi-part / date-window probes (tests/fixtures/qualifier_probes.jsonl)
through the real CLI and print the pass rate and each failure with the answer's first lines.

    .venv/bin/python bench/probe_qualifiers.py [--only ID_PREFIX] [--show]

Each probe names its knowledge base (`kb`: bundled, unseen, unseen2, unseen3) and may name its
`today`; expectations use the keys of bench/eval/README.md, checked by bench/eval/checks.py.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.eval.asker import KnowledgeBase  # noqa: E402
from bench.eval.checks import failures  # noqa: E402
from bench.eval.sets import BUNDLED, UNSEEN, UNSEEN2, UNSEEN3  # noqa: E402

PROBES = ROOT / "tests" / "fixtures" / "qualifier_probes.jsonl"
CORPORA = {c.name: c for c in (BUNDLED, UNSEEN, UNSEEN2, UNSEEN3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="probe id prefix")
    parser.add_argument("--show", action="store_true", help="print every answer's head")
    args = parser.parse_args()
    rows = [json.loads(line) for line in PROBES.read_text(encoding="utf-8").splitlines() if line]
    rows = [r for r in rows if r["id"].startswith(args.only)]
    passed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for name, corpus in CORPORA.items():
            mine = [r for r in rows if r["kb"] == name]
            if not mine:
                continue
            kb = KnowledgeBase(Path(tmp) / name, list(corpus.paths))
            for row, answer in zip(mine, kb.ask_rows(mine, corpus.today), strict=True):
                why = failures(answer, row["expect"])
                total[row["class"]] += 1
                passed[row["class"]] += not why
                if why or args.show:
                    head = "\n    ".join(answer.get("text", "").splitlines()[:6])
                    verdict = "FAIL" if why else "ok  "
                    print(f"{verdict} {row['id']} {row['q']!r} {why}\n    {head}")
    for cls in sorted(total):
        print(f"{cls}: {passed[cls]}/{total[cls]}")
    print(f"all: {sum(passed.values())}/{sum(total.values())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
