"""Score the answers of `python -m bot ask --json` on the issue-9 evaluation sets.

    .venv/bin/python bench/eval_qa.py [--set NAME ...] [--verbose] [--show-heldout] [--json OUT]

Sets (bench/eval/sets.py): hand-written phone-style questions over the bundled documents and
over documents of other provinces (bench/eval/unseen/), and round-trip questions generated from
each knowledge base (bench/eval/roundtrip.py). Each set is imported into a fresh SQLite database
by `python -m bot import` and asked through `python -m bot ask - --json`, in subprocesses.

Prints accuracy per set, per half (tuning / held-out, fixed by bench/eval/split.py) and per
class. --verbose lists the failures of the tuning half only: the held-out half is for measuring,
not for tuning (--show-heldout lists them too, for the coordinator).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.eval.asker import KnowledgeBase  # noqa: E402
from bench.eval.checks import failures  # noqa: E402
from bench.eval.sets import SETS, QuestionSet, find_set  # noqa: E402
from bench.eval.split import HALVES, assign_halves, read_jsonl  # noqa: E402

Result = dict[str, Any]


def load_questions(question_set: QuestionSet, kb: KnowledgeBase) -> list[dict[str, Any]]:
    """The set's questions: its file, or a round-trip generated from the knowledge base."""
    if question_set.file is not None:
        return read_jsonl(question_set.file)
    from bench.eval.roundtrip import generate_from_db

    return generate_from_db(kb.db_path, today=question_set.documents.today)


def score_rows(rows: list[dict[str, Any]], answers: list[dict[str, Any]]) -> list[Result]:
    halves = assign_halves(rows)
    results = []
    for row, answer in zip(rows, answers, strict=False):
        reasons = failures(answer, row.get("expect", {}))
        results.append(
            {
                "id": row["id"],
                "class": row.get("class", ""),
                "kind": row.get("kind", ""),
                "half": halves[row["id"]],
                "q": row["q"],
                "today": row.get("today"),
                "passed": not reasons,
                "why": reasons,
                "intent": answer.get("intent"),
                "first_line": (answer.get("text") or "").split("\n", 1)[0],
            }
        )
    return results


def accuracy(results: list[Result]) -> dict[str, Any]:
    passed = sum(r["passed"] for r in results)
    return {"n": len(results), "passed": passed, "rate": passed / len(results) if results else 0.0}


def summarise(results: list[Result]) -> dict[str, Any]:
    """Accuracy overall, per half, and per class within each half."""
    summary: dict[str, Any] = {"all": accuracy(results)}
    for half in HALVES:
        in_half = [r for r in results if r["half"] == half]
        by_class: dict[str, list[Result]] = defaultdict(list)
        for r in in_half:
            by_class[r["class"]].append(r)
        summary[half] = accuracy(in_half)
        summary[half]["classes"] = {c: accuracy(rs) for c, rs in sorted(by_class.items())}
        by_kind: dict[str, list[Result]] = defaultdict(list)
        for r in in_half:
            if r["kind"]:
                by_kind[r["kind"]].append(r)
        summary[half]["kinds"] = {k: accuracy(rs) for k, rs in sorted(by_kind.items())}
    return summary


def scramble(question: str) -> str:
    """The same words in a fixed shuffled order: a sensitivity probe, not a user question."""
    words = question.split()
    return " ".join(words[1::2] + words[0::2]) if len(words) > 2 else question


def evaluate(
    names: list[str] | None = None, *, scrambled: bool = False
) -> dict[str, dict[str, Any]]:
    """Run the chosen sets (all by default); set name -> {summary, results, seconds}.

    scrambled=True asks every question with its words reordered (see scramble): a check that
    the thresholds are tight enough to notice answers that ignore word order.
    """
    chosen = [find_set(n) for n in names] if names else list(SETS)
    kbs: dict[str, KnowledgeBase] = {}
    report: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="cchc-eval-") as tmp:
        for question_set in chosen:
            docs = question_set.documents
            if docs.name not in kbs:
                kbs[docs.name] = KnowledgeBase(Path(tmp) / docs.name, list(docs.paths))
            kb = kbs[docs.name]
            started = time.perf_counter()
            rows = load_questions(question_set, kb)
            if scrambled:
                rows = [{**row, "q": scramble(row["q"])} for row in rows]
            answers = kb.ask_rows(rows, docs.today)
            results = score_rows(rows, answers)
            report[question_set.name] = {
                "summary": summarise(results),
                "results": results,
                "seconds": time.perf_counter() - started,
            }
    return report


THRESHOLDS = ROOT / "bench" / "eval" / "thresholds.json"


def load_thresholds(path: Path = THRESHOLDS) -> dict[str, dict[str, float]]:
    """Set name -> {half or "class:<name>": minimum accuracy}; the one place they live.

    A "class:<name>" key bounds that class over both halves (e.g. out-of-scope questions,
    where nothing may be invented).
    """
    return json.loads(path.read_text(encoding="utf-8"))["minimum"]


def observed_rate(entry: dict[str, Any], key: str) -> float:
    if key.startswith("class:"):
        rows = [r for r in entry["results"] if r["class"] == key.split(":", 1)[1]]
        return accuracy(rows)["rate"]
    return float(entry["summary"][key]["rate"])


def below_thresholds(
    report: dict[str, dict[str, Any]], minimum: dict[str, dict[str, float]]
) -> list[str]:
    """Every (set, half) of the report whose accuracy is under its minimum."""
    out = []
    for name, halves in minimum.items():
        if name not in report:
            continue
        for key, floor in halves.items():
            rate = observed_rate(report[name], key)
            if rate < floor:
                out.append(f"{name} {key}: {100 * rate:.1f}% < {100 * floor:.1f}%")
    return out


def pct(acc: dict[str, Any]) -> str:
    return f"{100 * acc['rate']:5.1f}% ({acc['passed']}/{acc['n']})"


def print_report(report: dict[str, dict[str, Any]], *, verbose: bool, show_heldout: bool) -> None:
    for name, entry in report.items():
        s = entry["summary"]
        print(
            f"\n== {name}: all {pct(s['all'])} | tuning {pct(s['tuning'])} | "
            f"HELD-OUT {pct(s['heldout'])}  [{entry['seconds']:.1f} s]"
        )
        classes = sorted(set(s["tuning"]["classes"]) | set(s["heldout"]["classes"]))
        for cls in classes:
            cells = [s[h]["classes"].get(cls) for h in HALVES]
            text = "  ".join(
                f"{h} {pct(c) if c else '   -':>18}" for h, c in zip(HALVES, cells, strict=False)
            )
            print(f"   {cls:<16} {text}")
        for kind in sorted(set(s["tuning"]["kinds"]) | set(s["heldout"]["kinds"])):
            cells = [s[h]["kinds"].get(kind) for h in HALVES]
            text = "  ".join(
                f"{h} {pct(c) if c else '   -':>18}" for h, c in zip(HALVES, cells, strict=False)
            )
            print(f"   [{kind}]{'':<{max(0, 14 - len(kind))}} {text}")
        shown = {"tuning"} | ({"heldout"} if show_heldout else set())
        if verbose:
            for r in entry["results"]:
                if not r["passed"] and r["half"] in shown:
                    print(
                        f"   ✗ [{r['half']}] {r['id']} ({r['class']}) {r['q']!r} "
                        f"today={r['today']}"
                    )
                    print(
                        f"       {'; '.join(r['why'])} | intent={r['intent']} | "
                        f"{r['first_line'][:120]!r}"
                    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--set", action="append", dest="sets", help="only this set (repeatable)")
    parser.add_argument("--verbose", action="store_true", help="list failures of the tuning half")
    parser.add_argument("--show-heldout", action="store_true", help="also list held-out failures")
    parser.add_argument("--json", type=Path, help="write the full report as JSON")
    parser.add_argument("--scrambled", action="store_true", help="ask with words reordered")
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 when a set falls below bench/eval/thresholds.json",
    )
    args = parser.parse_args(argv)
    report = evaluate(args.sets, scrambled=args.scrambled)
    print_report(report, verbose=args.verbose, show_heldout=args.show_heldout)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.check:
        shortfalls = below_thresholds(report, load_thresholds())
        for line in shortfalls:
            print(f"BELOW THRESHOLD: {line}")
        return 1 if shortfalls else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
