"""The CLI stops quietly when its reader goes away (`python -m bot units | head -1`)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_units_piped_into_a_reader_that_closes_early_prints_no_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'kb.db'}"}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    env.pop("ZALO_BOT_TOKEN", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "units"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.read(1)
    proc.stdout.close()  # the reader goes away after one byte
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert first
    assert "Traceback" not in stderr
    assert "BrokenPipeError" not in stderr
