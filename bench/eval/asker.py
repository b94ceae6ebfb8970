"""Ask questions through the real CLI: `python -m bot import` then `python -m bot ask - --json`.

Every set is answered by a fresh SQLite knowledge base built from its own documents, in a
subprocess, exactly as a user of the CLI would; one `ask` subprocess answers a whole batch that
shares the same `--today` (ask reads one question per stdin line, prints one JSON per line).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 900


class AskError(RuntimeError):
    """The CLI failed; the message carries its stderr."""


def cli_env(db_path: Path, empty_dir: Path) -> dict[str, str]:
    """Environment for a CLI run on its own database, never auto-loading the bundled folder."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{db_path}",
        DOCUMENTS_DIR=str(empty_dir),
        PYTHONIOENCODING="utf-8",
        LOG_LEVEL="WARNING",
    )
    for secret in ("TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN", "ZALO_OA_ACCESS_TOKEN"):
        env.pop(secret, None)
    return env


def run_cli(args: list[str], env: dict[str, str], stdin: str = "") -> str:
    """Run `python -m bot <args>` in the project root; stdout, or AskError."""
    proc = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
        timeout=TIMEOUT_S,
    )
    if proc.returncode != 0:
        raise AskError(f"bot {args[0]} exited {proc.returncode}: {proc.stderr.strip()[-2000:]}")
    return proc.stdout


class KnowledgeBase:
    """A database built by `bot import` from some documents, answered by `bot ask`."""

    def __init__(self, workdir: Path, documents: list[Path]) -> None:
        self.db_path = workdir / "kb.db"
        empty = workdir / "no-auto-import"
        empty.mkdir(parents=True, exist_ok=True)
        self.env = cli_env(self.db_path, empty)
        run_cli(["import", *(str(p) for p in documents)], self.env)

    def ask(self, questions: list[str], today: str) -> list[dict[str, Any]]:
        """One answer (the parsed `ask --json` line) per question, in order."""
        lines = [q.replace("\r", " ").replace("\n", " ") for q in questions]
        out = run_cli(["ask", "-", "--json", "--today", today], self.env, "\n".join(lines) + "\n")
        answers = [json.loads(line) for line in out.splitlines() if line.strip()]
        if len(answers) != len(questions):
            raise AskError(f"asked {len(questions)} questions, got {len(answers)} answers")
        return answers

    def ask_rows(self, rows: list[dict[str, Any]], default_today: str) -> list[dict[str, Any]]:
        """Answers for question rows (`q`, optional `today`), batched by day, in row order."""
        by_day: dict[str, list[int]] = defaultdict(list)
        for index, row in enumerate(rows):
            by_day[row.get("today") or default_today].append(index)
        answers: list[dict[str, Any]] = [{} for _ in rows]
        for day, indexes in by_day.items():
            for index, answer in zip(
                indexes, self.ask([rows[i]["q"] for i in indexes], day), strict=False
            ):
                answers[index] = answer
        return answers
