"""Sample documents built inside the tests: an unseen-genre plan (text), a .docx and a .pdf."""

from __future__ import annotations

from pathlib import Path

UNSEEN_PLAN = """\
UBND TỈNH QUẢNG NINH
SỞ GIÁO DỤC VÀ ĐÀO TẠO

Số: 152/KH-SGDĐT

Quảng Ninh, ngày 12 tháng 3 năm 2026

KẾ HOẠCH
Triển khai công tác cải cách hành chính năm 2026
của Sở Giáo dục và Đào tạo

Thực hiện Quyết định số 45/QĐ-UBND ngày 05/01/2026 của Ủy ban nhân dân tỉnh về Kế hoạch CCHC năm 2026 của tỉnh, Sở Giáo dục và Đào tạo ban hành Kế hoạch như sau:

I. MỤC TIÊU

1. Tỷ lệ hồ sơ trực tuyến toàn trình đạt tối thiểu 70%.

II. TỔ CHỨC THỰC HIỆN

1. Chế độ báo cáo

Hằng tháng, trước ngày 20, các phòng, đơn vị gửi báo cáo kết quả CCHC về Văn phòng Sở.

Hoàn thành rà soát thủ tục hành chính nội bộ trong Quý II/2026.

2. Phân công nhiệm vụ

2.1. Phòng Quản lý chất lượng
- Chủ trì xây dựng bộ tiêu chí đánh giá chất lượng dịch vụ giáo dục công; chậm nhất ngày 30/6/2026 trình Giám đốc Sở phê duyệt.
- Phối hợp với Văn phòng Sở khảo sát sự hài lòng của người dân.

2.2. Phòng Tổ chức cán bộ
- Chủ trì rà soát vị trí việc làm theo Nghị định số 62/2020/NĐ-CP ngày 01/6/2020 của Chính phủ.

Nơi nhận:
- UBND tỉnh (b/c);
- Lưu: VT, VP.

GIÁM ĐỐC

Nguyễn Thị Minh Hoa

PHỤ LỤC NHIỆM VỤ

| STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn hoàn thành |
|---|---|---|---|---|
| 1 | Xây dựng bộ tiêu chí đánh giá chất lượng | Phòng Quản lý chất lượng | Văn phòng Sở, Phòng Tổ chức cán bộ | Quý II/2026 |
| 2 | Rà soát, chuẩn hóa quy trình nội bộ giải quyết TTHC | Văn phòng Sở | Phòng Quản lý chất lượng | Tháng 9/2026 |
| 3 | Tập huấn kỹ năng số cho công chức | Phòng Tổ chức cán bộ | Các phòng Sở | Cả năm 2026 |
"""


def build_docx(path: Path) -> Path:
    """A Word plan with a catalogue table whose row 2 continues after a page break."""
    import docx

    document = docx.Document()
    for line in (
        "UBND TỈNH NINH BÌNH",
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        "Số: 88/KH-SGDĐT",
        "Ninh Bình, ngày 05 tháng 02 năm 2026",
        "KẾ HOẠCH",
        "Kiểm soát thủ tục hành chính năm 2026",
        "Thực hiện Kế hoạch số 20/KH-UBND ngày 10/01/2026 của UBND tỉnh, Sở ban hành Kế hoạch "
        "như sau:",
        "I. NHIỆM VỤ",
        "1. Phân công trách nhiệm",
        "a) Phòng Quản lý chất lượng",
        "- Chủ trì đánh giá chất lượng giải quyết thủ tục hành chính.",
        "b) Văn phòng Sở",
        "- Tổng hợp báo cáo quý gửi trước ngày 15 tháng cuối của quý.",
    ):
        document.add_paragraph(line)
    document.add_paragraph(
        "Công khai kết quả giải quyết hồ sơ trên Cổng thông tin.", style="List Bullet"
    )
    table = document.add_table(rows=4, cols=5)
    rows = (
        ("TT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"),
        (
            "1",
            "Công khai thủ tục hành chính",
            "Văn phòng Sở",
            "Phòng Quản lý chất lượng",
            "Trước ngày 31/3/2026",
        ),
        ("2", "Số hóa hồ sơ, kết quả giải quyết", "Phòng Quản lý", "Văn phòng Sở;", "Cả năm"),
        ("", "thủ tục hành chính còn hiệu lực", "chất lượng", "Phòng Tổ chức cán bộ", "2026"),
    )
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    document.add_paragraph("Nơi nhận:")
    document.add_paragraph("- Lưu: VT.")
    document.add_paragraph("GIÁM ĐỐC")
    document.add_paragraph("Trần Văn Bình")
    document.save(str(path))
    return path


FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
)


def unicode_font() -> Path | None:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return Path(candidate)
    return None


PDF_LINES = (
    "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
    "Số: /SGDĐT-VP",
    "Cần Thơ, ngày tháng 4 năm 2026",
    "V/v báo cáo kết quả cải cách hành chính",
    "quý II năm 2026",
    "Kính gửi: Trưởng các phòng thuộc Sở.",
    "Sở Giáo dục và Đào tạo đề nghị các phòng, đơn vị gửi báo cáo kết quả",
    "",
    "cải cách hành chính quý II về Văn phòng Sở chậm nhất ngày 20/6/2026.",
    "",
    "7",
    "",
    "Thực hiện Nghị quyết số 131/NQ-CP ngày 06/10/2022 của Chính phủ.",
    "Nơi nhận:",
    "- Lưu: VT.",
    "KT. GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "Lê Văn Nam",
)


def build_pdf(path: Path, lines: tuple[str, ...] = PDF_LINES) -> Path:
    """A text-layer PDF written with fpdf2 and a Unicode TTF font found on the machine."""
    from fpdf import FPDF

    font = unicode_font()
    if font is None:  # pragma: no cover - the test skips before calling us
        raise RuntimeError("no Unicode TTF font")
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(font))
    pdf.set_font("DejaVu", size=11)
    for line in lines:
        pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def build_image_only_pdf(path: Path) -> Path:
    """A PDF without a text layer (only a drawn rectangle), like a scan."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")
    pdf.output(str(path))
    return path


UNSEEN_DIRECTIVE = """\
UBND TỈNH THANH HÓA                    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ GIÁO DỤC VÀ ĐÀO TẠO                 Độc lập - Tự do - Hạnh phúc

Số: 2031/SGDĐT-VP                      Thanh Hóa, ngày 07/10/2026

V/v triển khai nhiệm vụ cải cách
hành chính quý IV năm 2026

Kính gửi:
- Các phòng chuyên môn nghiệp vụ thuộc Sở;
- Các đơn vị trực thuộc.

Thực hiện Công văn số 512/UBND-KSTT ngày 01/10/2026 của UBND tỉnh, Giám đốc Sở yêu cầu:

- Văn phòng Sở: tổng hợp kết quả CCHC quý IV của các phòng, đơn vị.
- Phòng Tổ chức cán bộ:
+ Rà soát vị trí việc làm của các đơn vị trực thuộc;
+ Tham mưu kế hoạch bồi dưỡng công chức năm 2027.
- Giao Phòng Kế hoạch - Tài chính chủ trì, phối hợp với Thanh tra Sở kiểm tra việc thu, chi đầu năm học.

Các phòng, đơn vị gửi báo cáo 6 tháng trước ngày 15/6 và báo cáo năm trước ngày 15/11 về Sở (qua Văn phòng Sở).

| TT | Nội dung | Đơn vị chủ trì | Đơn vị phối hợp | Thời hạn |
|---|---|---|---|---|
| I | CẢI CÁCH THỦ TỤC HÀNH CHÍNH | | | |
| 1 | Công khai thủ tục hành chính mới | Văn phòng Sở | Thanh tra Sở | 30/11/2026 |
| | CẢI CÁCH CÔNG VỤ | | | |
| 2 | Đánh giá công chức cuối năm | Phòng Tổ chức cán bộ | Các phòng Sở | Tháng 12/2026 |

KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC

Lê Thị Thu
"""


def build_docx_with_layout_tables(path: Path) -> Path:
    """A Word directive whose header and signature sit in borderless two-column tables, as
    offices do."""
    import docx

    document = docx.Document()
    head = document.add_table(rows=2, cols=2)
    head.cell(0, 0).text = "UBND TỈNH NGHỆ AN\nSỞ GIÁO DỤC VÀ ĐÀO TẠO"
    head.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    head.cell(1, 0).text = "Số: 745/SGDĐT-VP\nV/v báo cáo công tác cải cách\nhành chính năm 2026"
    head.cell(1, 1).text = "Nghệ An, ngày 02 tháng 11 năm 2026"
    document.add_paragraph("Kính gửi: Các phòng chuyên môn nghiệp vụ thuộc Sở.")
    document.add_paragraph(
        "Sở Giáo dục và Đào tạo đề nghị Văn phòng Sở tổng hợp báo cáo năm gửi về Sở trước ngày "
        "05/12/2026."
    )
    sign = document.add_table(rows=1, cols=2)
    sign.cell(0, 0).text = "Nơi nhận:\n- Như trên;\n- Lưu: VT."
    sign.cell(0, 1).text = "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\nHồ Văn Tâm"
    document.save(str(path))
    return path
