"""Round-trip evaluation: questions generated from the facts of a knowledge base.

For every task (lead unit, task number, due date), deadline rule (next due date), unit (its
duties) and document (signer, date, number) held in a database built by `bot import`, it
writes base questions from templates and then the same question the way phone users type it:

    canonical · nodiacritics · shorthand (nv, bc, kh, cv, qđ, ko, p.) · typo · particle
    (nhỉ, ạ, vậy, thế, ko) · qualifier (with the year/period or the document named)

Each row carries `group` (the base question): all variants of one base fall in the same half,
so a tuning failure never reveals a held-out question. Works on any document set:

    .venv/bin/python -m bench.eval.roundtrip path/to/kb.db [--today 2026-11-22] [--out x.jsonl]
                                            [--half tuning]

(kb.db is a database built by `python -m bot import`; `--half tuning` keeps only the half that
may be looked at while improving the engine.)
"""

from __future__ import annotations

import argparse
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

Row = dict[str, Any]
VARIANTS = ("canonical", "nodiacritics", "shorthand", "typo", "particle", "qualifier")
PARTICLES = (" nhỉ", " ạ", " vậy", " thế", " ko", " vậy ạ")
SHORTHAND = (
    (r"\bnhiệm vụ\b", "nv"),
    (r"\bbáo cáo\b", "bc"),
    (r"\bkế hoạch\b", "kh"),
    (r"\bcông văn\b", "cv"),
    (r"\bquyết định\b", "qđ"),
    (r"\bnghị quyết\b", "nq"),
    (r"\bkhông\b", "ko"),
    (r"(?<![Vv]ăn )\bphòng (?=[A-ZĐ])", "p. "),
    (r"\bdự toán\b", "dt"),
    (r"\bdự trù\b", "dt"),
)


def digest(*parts: object) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:12], 16)


def strip_marks(value: str) -> str:
    value = unicodedata.normalize("NFD", value).replace("đ", "d").replace("Đ", "D")
    kept = "".join(c for c in value if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", kept)


def shorthand(question: str) -> str:
    out = question
    for pattern, short in SHORTHAND:
        out = re.sub(pattern, short, out, flags=re.IGNORECASE)
    return out


def typo(question: str, seed: int) -> str:
    """One realistic slip: two letters swapped, or the marks of one word dropped."""
    words = question.split()
    candidates = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not candidates:
        return strip_marks(question)
    i = candidates[seed % len(candidates)]
    word = words[i]
    if seed % 2 and strip_marks(word) != word:
        words[i] = strip_marks(word)
    else:
        j = 1 + (seed // 2) % (len(word) - 2)
        words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    return " ".join(words)


@dataclass
class Base:
    """One fact asked about, with templates and what the answer must contain."""

    kind: str
    key: str
    templates: tuple[str, ...]
    expect: dict[str, Any]
    qualifier: str = ""  # " năm 2025", " theo kế hoạch 86" …
    needs_qualifier: bool = False  # the fact is ambiguous without it
    slots: dict[str, str] = field(default_factory=dict)


def variants(base: Base) -> Iterator[tuple[str, str]]:
    """(variant, question) for each phone-style variant of a base question."""
    for variant in VARIANTS:
        seed = digest(base.kind, base.key, variant)
        question = base.templates[seed % len(base.templates)].format(**base.slots)
        if base.needs_qualifier or variant == "qualifier":
            question += base.qualifier
        if variant == "nodiacritics":
            question = strip_marks(question)
        elif variant == "shorthand":
            question = shorthand(question)
        elif variant == "typo":
            question = typo(question, seed)
        elif variant == "particle":
            question += PARTICLES[seed % len(PARTICLES)]
        if variant == "qualifier" and not base.qualifier:
            continue
        yield variant, question.strip()


def rows_for(bases: list[Base], today: str) -> list[Row]:
    rows = []
    for base in bases:
        group = f"rt-{base.kind}-{base.key}"
        for variant, question in variants(base):
            rows.append(
                {
                    "id": f"{group}-{variant}",
                    "group": group,
                    "class": variant,
                    "kind": base.kind,
                    "q": question,
                    "today": today,
                    "expect": base.expect,
                }
            )
    return rows


# --- facts read from the knowledge base (plain SQL: no engine code is involved) -------------

WHO_TASK = (
    "ai chủ trì nhiệm vụ {n}",
    "nhiệm vụ {n} ai chủ trì",
    "nhiệm vụ {n} do phòng nào chủ trì",
    "nhiệm vụ {n} ai lo",
    "phòng nào phụ trách nhiệm vụ {n}",
    "đơn vị chủ trì nhiệm vụ {n}",
)
WHO_TOPIC = (
    "ai chủ trì {topic}",
    "{topic} do ai chủ trì",
    "phòng nào làm {topic}",
    "ai phụ trách {topic}",
)
WHAT_TASK = ("nhiệm vụ {n} là gì", "nội dung nhiệm vụ {n}", "nhiệm vụ {n} làm gì")
DUE_TASK = (
    "nhiệm vụ {n} hạn khi nào",
    "hạn hoàn thành nhiệm vụ {n}",
    "nhiệm vụ {n} phải xong trước ngày nào",
)
DUE_RULE = (
    "hạn {title} là khi nào",
    "{title} nộp trước ngày nào",
    "khi nào phải gửi {title}",
    "{title} hạn ngày nào",
)
UNIT_DUTY = (
    "{unit} phụ trách gì",
    "{unit} làm những việc gì",
    "{unit} có nhiệm vụ gì",
    "{unit} phải làm gì",
)
MONTH_WINDOW = (
    "tháng {m} có hạn gì",
    "tháng {m} phải nộp những gì",
    "trong tháng {m} cần gửi gì",
    "tháng {m} có phải nộp gì không",
)
SIGNER = ("ai ký {doc}", "{doc} do ai ký", "người ký {doc}")
ISSUED = ("{doc} ban hành ngày nào", "{doc} ký ngày nào", "ngày ban hành {doc}")


def read_kb(db_path: Path) -> dict[str, list[Row]]:
    engine = create_engine(f"sqlite:///{db_path}")
    queries = {
        "documents": "select * from document",
        "tasks": "select * from task",
        "leads": "select tu.task_id, u.name, u.short_name, u.is_collective from taskunit tu"
        " join unit u on u.id = tu.unit_id where lower(tu.role) = 'lead'"
        " order by tu.task_id, tu.position",
        "deadlines": "select * from deadline",
        "duties": "select distinct u.name, u.short_name, u.is_collective from unit u"
        " where u.id in (select unit_id from responsibility)"
        " or u.id in (select unit_id from taskunit where lower(role) = 'lead')",
    }
    with engine.connect() as conn:
        kb = {
            name: [dict(r._mapping) for r in conn.execute(text(sql))]
            for name, sql in queries.items()
        }
    engine.dispose()
    return kb


def doc_kind(doc: Row) -> str:
    kind = str(doc.get("kind") or "").lower()
    return "kế hoạch" if "plan" in kind or "hoạch" in kind else "công văn"


def name_candidates(doc: Row) -> list[str]:
    """Ways a user names a document, most natural first."""
    kind, out = doc_kind(doc), []
    start, end = doc.get("period_start"), doc.get("period_end")
    if start and end and start != end:
        out.append(f"{kind} giai đoạn {start}-{end}")
    number = re.match(r"\s*(\d+)", doc.get("number") or "")
    if number:
        out.append(f"{kind} {number.group(1)}")
    if start or doc.get("issued_year"):
        out.append(f"{kind} năm {start or doc['issued_year']}")
    subject = re.sub(r"^(V/v|về việc)\s*", "", doc.get("subject") or doc.get("title") or "")
    out.append(f"{kind} " + " ".join(subject.split()[:6]))
    return out


def doc_names(docs: list[Row]) -> dict[int, str]:
    """Document id -> the first way of naming it that no other document shares."""
    counts: dict[str, int] = defaultdict(int)
    for doc in docs:
        for name in set(name_candidates(doc)):
            counts[name] += 1
    return {
        doc["id"]: next(
            (n for n in name_candidates(doc) if counts[n] == 1), name_candidates(doc)[-1]
        )
        for doc in docs
    }


def topic_of(content: str, words: int = 7) -> str:
    """The first words of a task, lower case, without trailing punctuation."""
    cleaned = re.split(r"[,;:]", re.sub(r"\(.*?\)|[“”\"]", " ", content or ""))[0]
    picked = re.split(r"\s+", cleaned.strip())[:words]
    topic = " ".join(picked).rstrip(".,;:-")
    return topic[:1].lower() + topic[1:]


def unit_expect(lead: Row) -> str:
    return "~".join(filter(None, (lead["name"], lead.get("short_name") or "")))


def task_due(task: Row) -> str | None:
    found = re.search(r"(?<!\d)(\d{1,2})\s*/\s*(\d{1,2})(?!\d)", task.get("due_text") or "")
    return f"{int(found.group(1)):02d}/{int(found.group(2)):02d}" if found else None


def task_bases(kb: dict[str, list[Row]]) -> list[Base]:
    names = doc_names(kb["documents"])
    stems = {d["id"]: Path(d["source_file"]).stem for d in kb["documents"]}
    leads: dict[int, list[Row]] = defaultdict(list)
    for lead in kb["leads"]:
        leads[lead["task_id"]].append(lead)
    docs_per_number: dict[str, set[int]] = defaultdict(set)
    for task in kb["tasks"]:
        docs_per_number[task["number"]].add(task["document_id"])
    topic_leads: dict[str, set[str]] = defaultdict(set)
    for task in kb["tasks"]:
        topic_leads[topic_of(task["content"])].add(
            leads[task["id"]][0]["name"] if leads[task["id"]] else ""
        )
    bases: list[Base] = []
    for task in kb["tasks"]:
        number = (task.get("number") or "").strip().rstrip(".")
        if not number.isdigit():
            continue
        doc_id = task["document_id"]
        common: dict[str, Any] = dict(
            qualifier=f" theo {names[doc_id]}",
            needs_qualifier=len(docs_per_number[task["number"]]) > 1,
        )
        key = f"{stems[doc_id]}-{number}"
        slots = {"n": number, "topic": topic_of(task["content"])}
        bases.append(Base("task_what", key, WHAT_TASK, {"task": [number]}, slots=slots, **common))
        due = task_due(task)
        if due:
            bases.append(
                Base(
                    "task_due",
                    key,
                    DUE_TASK,
                    {"task": [number], "due": [due]},
                    slots=slots,
                    **common,
                )
            )
        if not leads[task["id"]]:
            continue
        unit = {"unit": unit_expect(leads[task["id"]][0])}
        bases.append(
            Base("task_who", key, WHO_TASK, {**unit, "task": [number]}, slots=slots, **common)
        )
        if len(topic_leads[slots["topic"]]) == 1 and len(slots["topic"].split()) >= 4:
            bases.append(
                Base("topic_who", key, WHO_TOPIC, unit, slots=slots, qualifier=common["qualifier"])
            )
    return bases


def clean_title(title: str) -> str | None:
    """A deadline title usable in a question, or None when it is not a phrase."""
    title = re.split(r"[;:]", re.sub(r"\(.*?\)", " ", title.split("…")[0]))[0]
    title = re.sub(r"\s+", " ", title).strip(" .,;:-")
    if not title or "(" in title or ")" in title or title.startswith(("TT ", "Nhiệm vụ")):
        return None
    words = title.split()
    if len(words) < 2:
        return None
    title = " ".join(words[:9])
    return title[:1].lower() + title[1:]


def months_of(deadline: Row) -> list[int]:
    kind = str(deadline.get("rule_kind") or "").lower()
    month = deadline.get("month") or deadline.get("month_in_period") or 1
    if kind == "yearly":
        return [month]
    if kind == "quarterly":
        return [m for m in range(1, 13) if (m - 1) % 3 + 1 == month]
    if kind == "half_yearly":
        return [m for m in range(1, 13) if (m - 1) % 6 + 1 == month]
    if kind == "monthly":
        return list(range(1, 13))
    return []


def occurrences(deadline: Row, start: date, end: date) -> list[date]:
    """Every due date of a rule between start and end (a one-off date when it falls there)."""
    if str(deadline.get("rule_kind") or "").lower() == "once":
        raw = deadline.get("due_date")
        day = date.fromisoformat(str(raw)) if raw else None
        return [day] if day and start <= day <= end else []
    last_year = min(deadline.get("valid_to_year") or end.year, end.year)
    out = []
    for year in range(start.year, last_year + 1):
        for month in months_of(deadline):
            month_end = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
            candidate = date(year, month, min(deadline.get("day") or month_end, month_end))
            if start <= candidate <= end:
                out.append(candidate)
    return out


def next_due(deadline: Row, today: date) -> date | None:
    """The first occurrence on or after today (a one-off date as it is, even if past)."""
    if str(deadline.get("rule_kind") or "").lower() == "once":
        return date.fromisoformat(str(deadline["due_date"])) if deadline.get("due_date") else None
    upcoming = occurrences(deadline, today, date(today.year + 1, 12, 31))
    return upcoming[0] if upcoming else None


def deadline_bases(kb: dict[str, list[Row]], today: date) -> list[Base]:
    by_title: dict[str, set[str]] = defaultdict(set)
    for deadline in kb["deadlines"]:
        title, due = clean_title(deadline.get("title") or ""), next_due(deadline, today)
        if title and due:
            by_title[title].add(f"{due.day:02d}/{due.month:02d}")
    bases = []
    for title, dues in sorted(by_title.items()):
        key = re.sub(r"[^a-z0-9]+", "-", strip_marks(title).lower()).strip("-")[:60]
        bases.append(
            Base(
                "deadline",
                key,
                DUE_RULE,
                {"due": ["~".join(sorted(dues))]},
                slots={"title": title},
            )
        )
    return bases


def month_window_bases(kb: dict[str, list[Row]], today: date) -> list[Base]:
    """ "tháng 6 có hạn gì": every due date of the next twelve months, grouped by month."""
    by_month: dict[tuple[int, int], set[str]] = defaultdict(set)
    horizon = today + timedelta(days=330)
    for deadline in kb["deadlines"]:
        for due in occurrences(deadline, today + timedelta(days=1), horizon):
            if (due.year, due.month) != (today.year, today.month):
                by_month[(due.year, due.month)].add(f"{due.day:02d}/{due.month:02d}")
    return [
        Base(
            "month_window",
            f"{year}-{month:02d}",
            MONTH_WINDOW,
            {"due": sorted(dues)},
            qualifier=f" năm {year}",
            slots={"m": str(month)},
        )
        for (year, month), dues in sorted(by_month.items())
    ]


def unit_bases(kb: dict[str, list[Row]]) -> list[Base]:
    bases = []
    for unit in kb["duties"]:
        names = [unit["name"]]
        if unit.get("short_name") and not unit.get("is_collective"):
            starts_phong = unit["name"].lower().startswith("phòng")
            names.append(f"phòng {unit['short_name']}" if starts_phong else unit["short_name"])
        for index, name in enumerate(names):
            key = re.sub(r"[^a-z0-9]+", "-", strip_marks(unit["name"]).lower()).strip("-")
            bases.append(
                Base(
                    "unit",
                    f"{key}-{index}",
                    UNIT_DUTY,
                    {"unit": unit_expect(unit)},
                    slots={"unit": name},
                )
            )
    return bases


def document_bases(kb: dict[str, list[Row]]) -> list[Base]:
    bases, names = [], doc_names(kb["documents"])
    for doc in kb["documents"]:
        key, slots = Path(doc["source_file"]).stem, {"doc": names[doc["id"]]}
        if doc.get("signer_name"):
            bases.append(
                Base("doc_signer", key, SIGNER, {"has": [doc["signer_name"]]}, slots=slots)
            )
        if doc.get("issued_day") and doc.get("issued_month") and doc.get("issued_year"):
            issued = f"{doc['issued_day']}/{doc['issued_month']}/{doc['issued_year']}"
            bases.append(Base("doc_date", key, ISSUED, {"has": [issued]}, slots=slots))
    return bases


def generate_from_db(db_path: Path, *, today: str) -> list[Row]:
    """Every round-trip question for the knowledge base in db_path, asked on `today`."""
    kb = read_kb(db_path)
    day = date.fromisoformat(today)
    bases = task_bases(kb) + deadline_bases(kb, day) + month_window_bases(kb, day)
    bases += unit_bases(kb) + document_bases(kb)
    return rows_for(bases, today)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("db", type=Path)
    parser.add_argument("--today", default="2026-11-22")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--half", choices=("tuning", "heldout"))
    args = parser.parse_args()
    rows = generate_from_db(args.db, today=args.today)
    if args.half:
        from bench.eval.split import assign_halves

        halves = assign_halves(rows)
        rows = [row for row in rows if halves[row["id"]] == args.half]
    if args.out:
        from bench.eval.split import write_jsonl

        write_jsonl(args.out, rows)
    for row in rows[:: max(1, len(rows) // 25)]:
        print(f"{row['class']:<13} {row['kind']:<10} {row['q']}")
    print(f"{len(rows)} questions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
