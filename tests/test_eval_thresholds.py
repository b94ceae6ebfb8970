"""The answer-quality evaluation (bench/eval_qa.py) stays above the thresholds in one place.

Runs every issue-9 set through the real CLI in subprocesses (`bot import`, `bot ask - --json`)
and fails when a set's tuning or held-out accuracy falls under bench/eval/thresholds.json.
The same sets asked with their words reordered must fall under the thresholds: proof that the
thresholds notice answers that stop using word order (as when a ranking feature is lost).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.eval.sets import SETS  # noqa: E402
from bench.eval.split import HALVES, assign_halves, half_path, read_jsonl  # noqa: E402
from bench.eval_qa import below_thresholds, evaluate, load_thresholds  # noqa: E402

MINIMUM = load_thresholds()


@pytest.fixture(scope="module")
def report() -> dict[str, dict[str, Any]]:
    return evaluate(sorted(MINIMUM))


@pytest.mark.parametrize("name", sorted(MINIMUM))
def test_set_meets_its_thresholds(report: dict[str, dict[str, Any]], name: str) -> None:
    shortfalls = below_thresholds({name: report[name]}, MINIMUM)
    assert not shortfalls, "; ".join(shortfalls)


def test_every_set_is_split_in_two_nonempty_halves(report: dict[str, dict[str, Any]]) -> None:
    for name, entry in report.items():
        summary = entry["summary"]
        assert summary["tuning"]["n"] > 0 and summary["heldout"]["n"] > 0, name
        assert summary["tuning"]["n"] + summary["heldout"]["n"] == summary["all"]["n"], name


def test_hand_written_sets_are_large_enough(report: dict[str, dict[str, Any]]) -> None:
    assert report["phone_bundled"]["summary"]["all"]["n"] >= 200
    assert report["phone_unseen"]["summary"]["all"]["n"] >= 100
    assert report["phone_bundled2"]["summary"]["all"]["n"] >= 120
    assert report["phone_unseen2"]["summary"]["all"]["n"] >= 80
    assert report["phone_unseen3"]["summary"]["all"]["n"] >= 100
    assert report["phone_bundled3"]["summary"]["all"]["n"] >= 150


def test_every_hand_written_set_is_gated() -> None:
    hand_written = {s.name for s in SETS if s.file is not None}
    assert hand_written <= set(MINIMUM), hand_written - set(MINIMUM)


@pytest.mark.parametrize("name", [s.name for s in SETS if s.file is not None])
def test_published_halves_are_the_seeded_split_of_their_set(name: str) -> None:
    """A question added to (or edited out of) a published set would re-deal its halves."""
    question_set = next(s for s in SETS if s.name == name)
    assert question_set.file is not None
    rows = read_jsonl(question_set.file)
    halves = assign_halves(rows)
    for half in HALVES:
        stored = read_jsonl(half_path(question_set.file, half))
        assert stored == [row for row in rows if halves[row["id"]] == half], (name, half)


def test_thresholds_catch_answers_that_ignore_word_order() -> None:
    scrambled = evaluate(["phone_bundled", "roundtrip_bundled"], scrambled=True)
    shortfalls = below_thresholds(scrambled, MINIMUM)
    assert any(s.startswith("phone_bundled heldout") for s in shortfalls), shortfalls
    assert any(s.startswith("roundtrip_bundled heldout") for s in shortfalls), shortfalls


def test_a_report_below_a_threshold_is_reported() -> None:
    fake = {
        "phone_bundled": {
            "summary": {"tuning": {"rate": 1.0}, "heldout": {"rate": 0.0}},
            "results": [{"class": "outofscope", "passed": True}],
        }
    }
    assert below_thresholds(fake, MINIMUM) == [
        f"phone_bundled heldout: 0.0% < {100 * MINIMUM['phone_bundled']['heldout']:.1f}%"
    ]


def test_an_invented_out_of_scope_answer_is_reported() -> None:
    results = [{"class": "outofscope", "passed": False}, {"class": "outofscope", "passed": True}]
    fake = {
        "phone_unseen": {
            "summary": {"tuning": {"rate": 1.0}, "heldout": {"rate": 1.0}},
            "results": results,
        }
    }
    assert below_thresholds(fake, MINIMUM) == [
        f"phone_unseen class:outofscope: 50.0% < "
        f"{100 * MINIMUM['phone_unseen']['class:outofscope']:.1f}%"
    ]
