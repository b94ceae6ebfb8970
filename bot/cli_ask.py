"""`python -m bot ask`: answer one question, or one per stdin line, as text or JSON.

Output contract (stable, see README):
- `ask "<câu hỏi>"` prints the answer text exactly as a chat user sees its first page;
  `--json` prints one JSON object (Answer.to_json(): text, intent, units, tasks, deadlines,
  documents, sources, plus more and suggestions).
- `ask -` reads one question per line from stdin and prints exactly one line per input line:
  with `--json` a JSON object; without it the text with backslashes doubled and newlines
  written as the two characters `\\n`, so answers never span lines. A blank input line gets
  the "no question" answer, so output line N always answers input line N.
- Bad input (empty question, invalid --today) prints a Vietnamese message on stderr and exits 2.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterable
from datetime import date
from typing import TextIO

from bot.logs import configure_logging
from bot.settings import Settings
from bot.wiring import build_services
from knowledge.answers import Answer
from knowledge.db import read_session
from knowledge.normalize import fold
from knowledge.qa import answer_question

logger = logging.getLogger(__name__)

EXIT_BAD_INPUT = 2


def parse_today(raw: str | None) -> date | None:
    """Parse --today; None when absent. Raises ValueError with a Vietnamese message."""
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise ValueError(
            f"Ngày không hợp lệ: {raw!r}. Hãy dùng định dạng YYYY-MM-DD, ví dụ 2026-11-22."
        ) from None


def render(answer: Answer, *, as_json: bool, one_line: bool) -> str:
    """One answer as the CLI prints it."""
    if as_json:
        return json.dumps(answer.to_json(), ensure_ascii=False)
    if one_line:
        return answer.text.replace("\\", "\\\\").replace("\n", "\\n")
    return answer.text


def _utf8(stream: TextIO) -> None:
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None and (stream.encoding or "").lower().replace("-", "") != "utf8":
        reconfigure(encoding="utf-8")


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    """Hỏi một câu (hoặc mỗi dòng stdin một câu với «-») và in câu trả lời."""
    configure_logging("WARNING" if settings.log_level == "INFO" else settings.log_level)
    _utf8(sys.stdout)
    question = args.question if args.question is not None else ""
    try:
        today = parse_today(getattr(args, "today", None))
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    batch = question.strip() == "-"
    if not batch and not fold(question):
        print(
            'Câu hỏi trống. Ví dụ: python -m bot ask "Phòng TCCB phụ trách gì?"', file=sys.stderr
        )
        return EXIT_BAD_INPUT
    try:
        services = build_services(settings)
    except Exception as exc:  # noqa: BLE001 - a message for the user, the trace only in debug logs
        logger.debug("could not open the knowledge base", exc_info=True)
        print(f"Không mở được cơ sở dữ liệu: {exc}", file=sys.stderr)
        return 1
    day = today or services.now().date()
    if batch:
        _utf8(sys.stdin)
        questions: Iterable[str] = (line.rstrip("\r\n") for line in sys.stdin)  # streamed
    else:
        questions = [question]
    for q in questions:
        try:
            with read_session(services.engine) as session:  # one unit of work per question
                answer = answer_question(session, q, today=day)
        except Exception as exc:  # noqa: BLE001 - one bad question must not stop a batch
            logger.error("failed to answer %r: %s", q, exc)
            logger.debug("traceback", exc_info=True)
            answer = Answer(intent="error", text="Xin lỗi, đã có lỗi khi trả lời câu hỏi này.")
        print(render(answer, as_json=args.json, one_line=batch), flush=True)
    return 0
