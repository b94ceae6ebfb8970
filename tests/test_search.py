"""The BM25 passage index: ranking, typo correction, coverage and the per-version cache."""

from __future__ import annotations

from pathlib import Path

from knowledge.db import read_session, write_session
from knowledge.kb import snapshot, split_passages
from knowledge.models import Unit
from knowledge.normalize import search_key
from knowledge.search import BM25Index, terms
from tests.kb_fixture import build

PASSAGES = [
    "Thực hiện đo lường sự hài lòng đối với dịch vụ giáo dục công",
    "Tỷ lệ hồ sơ giải quyết trực tuyến trên tổng số hồ sơ đạt tối thiểu 85%",
    "Thực hiện số hóa hồ sơ, kết quả giải quyết TTHC",
    "Tiếp tục thực hiện tinh giản biên chế; cơ cấu lại đội ngũ công chức, viên chức",
]


def _index() -> BM25Index[str]:
    return BM25Index((p, search_key(p)) for p in PASSAGES)


def test_terms_are_syllables_and_adjacent_pairs() -> None:
    assert terms(["so", "hoa", "ho"]) == ["so", "hoa", "ho", "so_hoa", "hoa_ho"]


def test_ranks_the_passage_with_the_phrase_first() -> None:
    index = _index()
    assert index.search(search_key("đo lường sự hài lòng"))[0].item == PASSAGES[0]
    assert index.search(search_key("số hoá hồ sơ"))[0].item == PASSAGES[2]
    assert index.search(search_key("thu tuc hanh chinh so hoa"))[0].item == PASSAGES[2]


def test_typos_are_corrected_to_known_syllables() -> None:
    hit = _index().search(search_key("tinh gian bien chee"))[0]
    assert hit.item == PASSAGES[3]
    assert hit.coverage > 0.9


def test_coverage_is_low_for_unrelated_questions() -> None:
    hits = _index().search(search_key("thời tiết hôm nay"))
    assert not hits or hits[0].coverage < 0.5 or hits[0].matched_pairs == 0


def test_split_passages_unwraps_hard_wrapped_lines_and_keeps_bullets() -> None:
    text = (
        "- Tỷ lệ hồ sơ giải quyết trực tuyến trên tổng\nsố hồ sơ đạt tối thiểu 85%.\n- Mức độ "
        "hài lòng đạt 95%."
    )
    assert split_passages(text) == [
        "- Tỷ lệ hồ sơ giải quyết trực tuyến trên tổng số hồ sơ đạt tối thiểu 85%.",
        "- Mức độ hài lòng đạt 95%.",
    ]


def test_snapshot_is_cached_until_the_knowledge_base_changes(tmp_path: Path) -> None:
    engine = build(tmp_path / "kb.db")
    with read_session(engine) as s:
        first = snapshot(s)
        assert snapshot(s) is first
    with write_session(engine) as s:
        s.add(Unit(name="Phòng Quản lý chất lượng giáo dục", short_name="QLCLGD"))
    with read_session(engine) as s:
        second = snapshot(s)
    assert second is not first
    assert any(u.short_name == "QLCLGD" for u in second.unit_by_id.values())


def test_final_i_and_y_are_one_spelling() -> None:
    index = _index()
    assert index.search(search_key("tỉ lệ hồ sơ giải quyết trực tuyến"))[0].item == PASSAGES[1]
    assert index.search(search_key("tỷ lệ hồ sơ giải quyết trực tuyến"))[0].coverage == 1.0


def test_common_terms_only_add_to_found_items_and_keep_the_ranking() -> None:
    """On a large base a common word's posting list is not walked for new items: the best
    items are the same as an exhaustive ranking, and a query of common words alone still
    finds items."""
    filler = [f"kế hoạch cải cách hành chính nội dung thứ {n}" for n in range(400)]
    rare = [
        "kế hoạch cải cách hành chính về số hóa hồ sơ",
        "số hóa hồ sơ giải quyết thủ tục",
        "kế hoạch số hóa",
    ]
    items = filler[:200] + rare + filler[200:]
    index = BM25Index((p, search_key(p)) for p in items)
    hits = index.search(search_key("kế hoạch số hóa hồ sơ"), limit=3)
    assert {h.item for h in hits} == set(rare)
    assert index.search(search_key("kế hoạch cải cách"), limit=5)
