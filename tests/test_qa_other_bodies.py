"""Other bodies named in the documents are not units of the Sở: through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.subprocess_bot import bot_env, run_bot

ROOT = Path(__file__).resolve().parents[1]


def test_so_noi_vu_and_van_phong_ubnd_are_not_the_departments_units(tmp_path: Path) -> None:
    empty = tmp_path / "bundled"
    empty.mkdir()
    env = bot_env(tmp_path, DOCUMENTS_DIR=str(empty))
    assert run_bot(env, "import", str(ROOT / "data" / "documents")).returncode == 0
    questions = ["Sở Nội vụ phụ trách gì", "so noi vu la phong nao", "Văn phòng UBND tỉnh làm gì"]
    done = run_bot(
        env, "ask", "-", "--json", "--today", "2026-11-22", stdin="\n".join(questions) + "\n"
    )
    assert done.returncode == 0, done.stderr
    for question, line in zip(
        questions, [x for x in done.stdout.splitlines() if x.strip()], strict=False
    ):
        answer = json.loads(line)
        names = [u["name"] for u in answer["units"]]
        assert not any(n.startswith(("Phòng", "Văn phòng Sở")) for n in names), (question, names)
        assert answer["intent"] != "unit_duties", question
        assert not answer["text"].split("\n", 1)[0].startswith(("Phòng", "Văn phòng Sở")), question
