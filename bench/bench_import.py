"""Measure importing the bundled documents into a fresh SQLite file (target: well under 2 s)."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import knowledge.models  # noqa: E402,F401
from knowledge.db import init_db, make_engine  # noqa: E402
from knowledge.ingest.importer import import_paths  # noqa: E402


def main(runs: int = 5) -> int:
    documents = ROOT / "data" / "documents"
    timings = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            engine = make_engine(f"sqlite:///{tmp}/bench.db")
            init_db(engine)
            start = time.perf_counter()
            report = import_paths(engine, [documents])
            timings.append(time.perf_counter() - start)
            engine.dispose()
    count = len(report.documents)
    print(
        f"import of {count} bundled documents: median {statistics.median(timings) * 1000:.0f} ms, "
        f"max {max(timings) * 1000:.0f} ms over {runs} runs (target < 2000 ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
