"""`python -m bot ask` in a real subprocess against a temporary SQLite file."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.support.subprocess_bot import run_bot


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    db = tmp_path_factory.mktemp("cli") / "bot.db"
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM", "ZALO"))}
    environment.update({"DATABASE_URL": f"sqlite:///{db}", "PYTHONIOENCODING": "utf-8"})
    return environment


def run(
    env: dict[str, str], *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return run_bot(env, "ask", *args, stdin=stdin)


def test_single_question_prints_the_chat_text(env: dict[str, str]) -> None:
    done = run(env, "Phòng TCCB phụ trách gì?", "--today", "2026-11-22")
    assert done.returncode == 0, done.stderr
    assert "Phòng Tổ chức cán bộ" in done.stdout and "Nguồn:" in done.stdout
    assert "Traceback" not in done.stderr


def test_json_contract(env: dict[str, str]) -> None:
    done = run(env, "han bao cao quy", "--json", "--today", "2026-11-22")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    for key in ("text", "intent", "units", "tasks", "deadlines", "documents", "sources"):
        assert key in data
    assert data["intent"] == "deadline"
    first = data["deadlines"][0]
    assert set(first) >= {"title", "due", "due_text", "recurrence", "units", "document"}
    assert first["due"] == "2026-12-10" and first["recurrence"] == "quarterly"
    assert data["sources"][0]["document"] and "section" in data["sources"][0]


def test_json_units_and_tasks_for_who_leads(env: dict[str, str]) -> None:
    data = json.loads(run(env, "ai chủ trì đo lường sự hài lòng?", "--json").stdout)
    assert set(data["units"][0]) == {"name", "short"}
    assert data["units"][0]["name"] == "Phòng Tổ chức cán bộ"
    task = data["tasks"][0]
    assert set(task) >= {"document", "number", "content", "lead", "cooperate", "due_text", "role"}
    assert task["number"] == "2" and "Phòng Tổ chức cán bộ" in task["lead"]


def test_stdin_mode_one_json_line_per_question(env: dict[str, str]) -> None:
    questions = ["Phòng TCCB phụ trách gì?", "", "thời tiết hôm nay thế nào?", "nghị quyết 131"]
    done = run(env, "-", "--json", "--today", "2026-11-22", stdin="\n".join(questions) + "\n")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == len(questions)
    intents = [json.loads(line)["intent"] for line in lines]
    assert intents == ["unit_duties", "not_found", "not_found", "document"]


def test_stdin_mode_text_is_one_escaped_line_per_answer(env: dict[str, str]) -> None:
    done = run(env, "-", stdin="hạn báo cáo quý?\nai ký kế hoạch 2026-2030?\n")
    lines = done.stdout.splitlines()
    assert len(lines) == 2
    assert "\\n" in lines[0] and "Lương Văn Việt" in lines[1]


@pytest.mark.parametrize(
    "args,message",
    [
        (("",), "Câu hỏi trống"),
        (("   ",), "Câu hỏi trống"),
        (("hạn báo cáo quý", "--today", "22/11/2026"), "Ngày không hợp lệ"),
    ],
)
def test_bad_input_exits_2_with_a_vietnamese_message(
    env: dict[str, str], args: tuple[str, ...], message: str
) -> None:
    done = run(env, *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
