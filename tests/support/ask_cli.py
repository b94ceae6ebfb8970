"""Asking the real CLI (`python -m bot ask - --json`) in a subprocess, for the answer tests."""

from __future__ import annotations

import json
from typing import Any

from tests.support.subprocess_bot import run_bot


def ask(env: dict[str, str], questions: list[str], today: str) -> list[dict[str, Any]]:
    """One structured answer per question, asked in one subprocess with `--today`."""
    done = run_bot(env, "ask", "-", "--json", "--today", today, stdin="\n".join(questions) + "\n")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(answers) == len(questions)
    return answers


def lead(answer: dict[str, Any]) -> str:
    """The name of the answer's first unit (the lead, for a who-question)."""
    return answer["units"][0]["name"] if answer["units"] else ""


def head(answer: dict[str, Any], lines: int = 3) -> str:
    """The first lines of the answer text, what a phone shows first."""
    return "\n".join(answer["text"].split("\n")[:lines])
