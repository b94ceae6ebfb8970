"""Answer latency in process: p50/p95 over the bundled documents and over a synthetic KB.

    .venv/bin/python bench/bench_latency.py [--docs 100] [--tasks 5000] [--rounds 3]

The synthetic knowledge base (documents, sections, units, catalogue rows, duties, deadlines,
references) is generated and inserted through the models; the questions are the evaluation
set's. The index is built once per knowledge-base version, so its build time is reported
separately from the per-question latency (targets: < 30 ms bundled, < 100 ms synthetic).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge.db import init_db, make_engine, read_session, write_session
from knowledge.kb import clear_cache, snapshot
from knowledge.models import (
    Deadline,
    DeadlineUnit,
    Document,
    DocumentKind,
    RecurrenceKind,
    Reference,
    Responsibility,
    Section,
    Task,
    TaskUnit,
    Unit,
    UnitRole,
)  # fmt: skip
from knowledge.normalize import fold
from knowledge.qa import answer_question

TODAY = date(2026, 11, 22)
QUESTIONS = Path(__file__).with_name("eval_questions.jsonl")

_PHRASES = (
    "cải cách thủ tục hành chính", "số hóa hồ sơ", "dịch vụ công trực tuyến toàn trình",
    "đo lường sự hài lòng", "kiểm tra công tác CCHC", "tinh giản biên chế", "chuyển đổi số",
    "cơ chế một cửa liên thông", "thanh toán trực tuyến", "đơn giản hóa TTHC nội bộ",
    "bồi dưỡng cán bộ, công chức, viên chức", "cải cách tài chính công", "tuyên truyền CCHC",
    "quản lý chất lượng ISO 9001:2015", "cơ sở dữ liệu ngành giáo dục", "phòng, chống tham nhũng",
    "văn bản quy phạm pháp luật", "đánh giá tác động thủ tục", "định danh điện tử",
    "sắp xếp tổ chức bộ máy", "đơn vị sự nghiệp công lập", "chỉ số năng lực cạnh tranh",
)  # fmt: skip
_VERBS = (
    "Triển khai",
    "Tiếp tục thực hiện",
    "Rà soát",
    "Nâng cao chất lượng",
    "Tăng cường",
    "Xây dựng",
)
_UNITS = (
    ("Văn phòng Sở", "VP"),
    ("Phòng Tổ chức cán bộ", "TCCB"),
    ("Phòng Kế hoạch - Tài chính", "KHTC"),
    ("Thanh tra Sở", ""),
    ("Phòng Giáo dục Thường xuyên và Đại học", "GDTX&ĐH"),
    ("Phòng Giáo dục Trung học", "GDTrH"),
    ("Phòng Khảo thí và Kiểm định chất lượng giáo dục", "KT&KĐCLGD"),
)


def _sentence(rng: random.Random) -> str:
    a, b = rng.sample(_PHRASES, 2)
    return f"{rng.choice(_VERBS)} {a} gắn với {b}, đạt tối thiểu {rng.randint(10, 99)}%."


def build_synthetic(path: Path, n_docs: int, n_tasks: int, seed: int = 7):  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    engine = make_engine(f"sqlite:///{path}")
    init_db(engine)
    with write_session(engine) as s:
        units = [Unit(name=n, short_name=sh, aliases=[]) for n, sh in _UNITS]
        units += [
            Unit(name=f"Phòng chuyên môn số {i}", short_name=f"PCM{i}") for i in range(1, 24)
        ]
        s.add_all(units)
        s.flush()
        per_doc = max(1, n_tasks // n_docs)
        for d in range(n_docs):
            year = 2015 + d % 12
            doc = Document(
                kind=DocumentKind.PLAN if d % 3 else DocumentKind.DIRECTIVE,
                number=f"{100 + d}/KH-SGDĐT",
                title=f"Kế hoạch CCHC số {d} năm {year}",
                issued_year=year,
                period_start=year,
                period_end=year,
                signer_name=f"Người ký {d}",
                signer_title="GIÁM ĐỐC",
                source_file=f"syn{d}.txt",
                content_hash=str(d),
            )
            s.add(doc)
            s.flush()
            for k in range(8):
                s.add(
                    Section(
                        document_id=doc.id,
                        ordinal=k,
                        path=f"II.{k}",
                        heading=f"{k}. Nhiệm vụ",
                        text="\n".join(f"- {_sentence(rng)}" for _ in range(6)),
                    )
                )
            for t in range(per_doc):
                task = Task(
                    document_id=doc.id,
                    ordinal=t,
                    number=str(t + 1),
                    content=_sentence(rng),
                    lead_text="",
                    cooperate_text="",
                    due_text=f"Cả năm {year}",
                    section_path="Danh mục",
                )
                s.add(task)
                s.flush()
                lead, *coop = rng.sample(units, 4)
                s.add(TaskUnit(task_id=task.id, unit_id=lead.id, role=UnitRole.LEAD, position=0))
                for i, u in enumerate(coop):
                    s.add(
                        TaskUnit(
                            task_id=task.id, unit_id=u.id, role=UnitRole.COOPERATE, position=i
                        )
                    )
            for i, u in enumerate(rng.sample(units, 5)):
                s.add(
                    Responsibility(
                        document_id=doc.id,
                        unit_id=u.id,
                        ordinal=i,
                        section_path="V.2",
                        text=_sentence(rng),
                    )
                )
            dl = Deadline(
                document_id=doc.id,
                title=f"Báo cáo quý {d}",
                quote="báo cáo quý gửi trước ngày 10 tháng cuối của quý",
                rule_kind=RecurrenceKind.QUARTERLY,
                day=10,
                month_in_period=3,
                all_units=True,
            )
            s.add(dl)
            s.flush()
            s.add(DeadlineUnit(deadline_id=dl.id, unit_id=units[d % len(units)].id))
            code = f"{d + 1}/NQ-CP"
            s.add(
                Reference(
                    document_id=doc.id,
                    code=code,
                    code_key=fold(code),
                    number=str(d + 1),
                    doc_type="Nghị quyết",
                    context=f"Thực hiện Nghị quyết số {code} của Chính phủ.",
                )
            )
    return engine


def measure(engine, questions: list[str], rounds: int) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    clear_cache()
    with read_session(engine) as s:
        t0 = time.perf_counter()
        snapshot(s)
        build = time.perf_counter() - t0
        samples = []
        for _ in range(rounds):
            for q in questions:
                t0 = time.perf_counter()
                answer_question(s, q, today=TODAY)
                samples.append(time.perf_counter() - t0)
    samples.sort()
    p50 = statistics.median(samples)
    p95 = samples[min(len(samples) - 1, int(0.95 * len(samples)))]
    return 1000 * p50, 1000 * p95, build


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    questions = [
        json.loads(x)["q"] for x in QUESTIONS.read_text(encoding="utf-8").splitlines() if x.strip()
    ]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        import handlers.models  # noqa: F401
        import jobs.models  # noqa: F401
        from knowledge.ingest.importer import import_paths

        bundled = make_engine(f"sqlite:///{Path(tmp) / 'bundled.db'}")
        init_db(bundled)
        docs = sorted(p for p in (ROOT / "data" / "documents").iterdir() if p.is_file())
        t0 = time.perf_counter()
        import_paths(bundled, docs)
        import_s = time.perf_counter() - t0
        p50, p95, build = measure(bundled, questions, args.rounds)
        ok &= p95 < 30
        print(
            f"bundled documents ({len(docs)} files, import {import_s:.2f} s, index "
            f"{1000 * build:.0f} ms): p50 {p50:.1f} ms, p95 {p95:.1f} ms  (target p95 < 30 ms)"
        )
        t0 = time.perf_counter()
        synthetic = build_synthetic(Path(tmp) / "synthetic.db", args.docs, args.tasks)
        gen_s = time.perf_counter() - t0
        p50, p95, build = measure(synthetic, questions, 1)
        ok &= p95 < 100
        print(
            f"synthetic KB ({args.docs} documents, {args.tasks} tasks, generated in {gen_s:.1f} "
            f"s, index {1000 * build:.0f} ms): p50 {p50:.1f} ms, p95 {p95:.1f} ms  (target p95 < "
            "100 ms)"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
