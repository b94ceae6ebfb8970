"""Builders for documents the engine has never seen: a Đà Nẵng directive (.docx), a Quảng Ninh
plan (.pdf)."""

from __future__ import annotations

from pathlib import Path

from tests.ingest_samples import unicode_font

DIRECTIVE_PARAGRAPHS = (
    "UBND THÀNH PHỐ ĐÀ NẴNG",
    "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 1234/SGDĐT-VP",
    "Đà Nẵng, ngày 05 tháng 3 năm 2026",
    "V/v triển khai đánh giá chỉ số cải cách hành chính",
    "và đo lường sự hài lòng của người dân năm 2026",
    "Kính gửi:",
    "- Các phòng chuyên môn, nghiệp vụ thuộc Sở;",
    "- Các trường trung học phổ thông trực thuộc;",
    "- Phòng Giáo dục và Đào tạo các quận, huyện.",
    "Thực hiện Quyết định số 123/QĐ-UBND ngày 10/01/2026 của UBND thành phố về việc ban hành"
    " Kế hoạch cải cách hành chính năm 2026, Sở Giáo dục và Đào tạo đề nghị các đơn vị"
    " thực hiện một số nội dung sau:",
    "1. Phòng Khảo thí và Kiểm định chất lượng giáo dục chủ trì rà soát bộ tiêu chí đánh giá"
    " chỉ số cải cách hành chính của Sở; gửi báo cáo kết quả rà soát về Văn phòng Sở"
    " chậm nhất ngày 20/4/2026.",
    "2. Phòng Tổ chức cán bộ phối hợp với Văn phòng Sở lựa chọn cán bộ đầu mối theo dõi"
    " công tác kiểm soát thủ tục hành chính tại mỗi đơn vị.",
    "3. Các trường trung học phổ thông tổ chức lấy phiếu khảo sát sự hài lòng của cha mẹ"
    " học sinh; tỷ lệ phiếu hợp lệ đạt tối thiểu 70% số phiếu phát ra.",
    "4. Văn phòng Sở là đầu mối tổng hợp, theo dõi, đôn đốc việc thực hiện Công văn này.",
    "Nhận được Công văn này, đề nghị Thủ trưởng các đơn vị triển khai thực hiện nghiêm túc.",
    "Nơi nhận:",
    "- Như trên;",
    "- Lưu: VT, VP.",
    "KT. GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "Hoàng Thị Mai",
)


def build_directive_docx(path: Path) -> Path:
    """A numbered, fully dated directive written with python-docx, one paragraph per line."""
    import docx

    document = docx.Document()
    for text in DIRECTIVE_PARAGRAPHS:
        document.add_paragraph(text)
    document.save(str(path))
    return path


# A plan as a PDF printer lays it out: lines hard-wrapped at ~80 characters, a page number
# alone at the foot of each page, the catalogue as running text rather than a table.
PLAN_PAGES = (
    (
        "UBND TỈNH QUẢNG NINH",
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        "Số: 88/KH-SGDĐT",
        "Quảng Ninh, ngày 20 tháng 01 năm 2026",
        "KẾ HOẠCH",
        "Cải cách hành chính năm 2026",
        "I. MỤC TIÊU",
        "1. Phấn đấu tỷ lệ thủ tục hành chính cung cấp dịch vụ công trực tuyến toàn trình",
        "đạt 80% trở lên; tỷ lệ hồ sơ nộp trực tuyến đạt tối thiểu 65%.",
        "2. Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của Sở đạt trên 90%.",
        "II. NHIỆM VỤ VÀ GIẢI PHÁP",
        "1. Cải cách thủ tục hành chính",
        "- Phòng Giáo dục Trung học chủ trì rà soát, đơn giản hóa thủ tục hành chính về",
        "thuyên chuyển học sinh trung học phổ thông; hoàn thành trong Quý II/2026.",
        "- Văn phòng Sở công khai đầy đủ thủ tục hành chính trên Cổng dịch vụ công quốc",
        "1",
    ),
    (
        "gia theo Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ.",
        "2. Cải cách tài chính công",
        "- Phòng Kế hoạch - Tài chính xây dựng dự toán ngân sách năm 2027, gửi Sở Tài chính",
        "trước ngày 25/7/2026.",
        "III. TỔ CHỨC THỰC HIỆN",
        "1. Phòng Giáo dục Trung học",
        "- Chủ trì rà soát thủ tục hành chính về thuyên chuyển học sinh.",
        "- Phối hợp với Văn phòng Sở hướng dẫn các trường số hóa hồ sơ học sinh.",
        "2. Văn phòng Sở",
        "- Tổng hợp báo cáo kết quả cải cách hành chính quý, gửi UBND tỉnh trước ngày 18",
        "tháng cuối quý.",
        "2",
    ),
    (
        "- Trình Giám đốc Sở ký ban hành Kế hoạch kiểm tra công tác cải cách hành chính.",
        "Nơi nhận:",
        "- UBND tỉnh;",
        "- Lưu: VT.",
        "GIÁM ĐỐC",
        "Phạm Quốc Huy",
        "3",
    ),
)


def build_plan_pdf(path: Path) -> Path:
    """A three-page text-layer PDF of PLAN_PAGES, with the page number at each page's foot."""
    from fpdf import FPDF

    font = unicode_font()
    if font is None:  # pragma: no cover - callers skip first
        raise RuntimeError("no Unicode TTF font")
    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(font))
    pdf.set_font("DejaVu", size=10)
    for page in PLAN_PAGES:
        pdf.add_page()
        for line in page[:-1]:
            pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(-25)
        pdf.cell(0, 6, page[-1], align="C")
    pdf.output(str(path))
    return path
