"""The evaluation's answer checks (bench/eval/checks.py) must not pass a wrong answer."""

from bench.eval.checks import failures

NOT_FOUND = {
    "intent": "not_found",
    "text": "Xin lỗi, tôi không tìm thấy nội dung này.\nBạn có thể hỏi:\n"
    "• Văn phòng Sở phụ trách gì?\n• Hạn báo cáo quý?",
    "units": [],
    "tasks": [],
    "deadlines": [],
}


def test_a_not_found_reply_never_meets_an_answerable_expectation() -> None:
    """Its sample questions name a unit and a topic; that is not an answer."""
    assert failures(NOT_FOUND, {"has": ["văn phòng sở"]})
    assert failures(NOT_FOUND, {"unit": "văn phòng"})


def test_a_not_found_reply_meets_the_out_of_scope_expectations() -> None:
    assert failures(NOT_FOUND, {"none": True}) == []
    assert failures(NOT_FOUND, {"none": True, "no": ["15/01"]}) == []


def test_an_answer_meets_its_expectations() -> None:
    answer = {
        "intent": "who",
        "text": "Văn phòng Sở chủ trì, hạn 15/01.",
        "units": [{"name": "Văn phòng Sở", "short": "VP"}],
        "tasks": [],
        "deadlines": [],
    }
    assert failures(answer, {"unit": "văn phòng", "due": ["15/01"]}) == []
    assert failures(answer, {"due": ["25/01"]})
