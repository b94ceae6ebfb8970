"""Phone-sized pages: short first page, sources on every page, a "see more" line."""

from knowledge.answers import SourceRef
from knowledge.compose.paging import Block, paginate


def test_long_lists_are_paged_with_sources_and_a_more_line() -> None:
    blocks = [
        Block(f"• Nhiệm vụ {i}: " + "nội dung " * 12, (SourceRef("Kế hoạch A", f"mục {i}"),))
        for i in range(40)
    ]
    pages = paginate("Phòng X: 40 nhiệm vụ.", blocks)
    assert len(pages.text) <= 1500
    assert pages.text.startswith("Phòng X")
    assert "Nguồn: Kế hoạch A" in pages.text
    assert pages.text.rstrip().endswith("để xem tiếp.") and "Xem thêm" in pages.text
    assert pages.more and all("Nguồn:" in p for p in pages.more)
    shown = sum(p.count("• Nhiệm vụ") for p in [pages.text, *pages.more])
    assert shown == 40
    remaining = int(pages.text.split("còn ")[1].split(" mục")[0])
    assert remaining == 40 - pages.text.count("• Nhiệm vụ")
    assert "Xem thêm" not in pages.more[-1]


def test_short_answers_have_one_page() -> None:
    pages = paginate("Tiêu đề", [Block("• một", (SourceRef("KH", "mục 1"),))])
    assert pages.more == [] and "còn" not in pages.text
