"""Four documents of the genre from provinces the engine was never written for, built in tests.

- Lào Cai: a .docx plan; borderless header and signature tables, a catalogue with a column
  numbering row "(1) … (6)", group rows merged across, a lead cell merged down two rows, a
  table broken in two by a page break (its header repeated, the last row of the first part
  continued in the second), and time cells in every wording: "Quý I/2026", "Tháng 6/2026",
  "Trước ngày 15/12 hằng năm", "Thường xuyên", "Hằng quý".
- Đắk Lắk: a .pdf directive (công văn) with monthly and quarterly reports, a one-off date, a
  meeting date and a cited document's date (neither is a deadline).
- Cà Mau: a .txt plan with a pipe table whose rows wrap onto continuation rows.
- Quảng Trị: a .pdf plan with the Lào Cai catalogue over a page break (header repeated, one
  row split between the pages) right under prose lines.

Names, numbers and dates are invented.
"""

from __future__ import annotations

from pathlib import Path

from tests.ingest_samples import unicode_font

HEAD = (
    "TT",
    "Nội dung nhiệm vụ",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Thời gian hoàn thành",
    "Sản phẩm",
)
LAO_CAI_PART_ONE = (
    ("(1)", "(2)", "(3)", "(4)", "(5)", "(6)"),
    ("I. CẢI CÁCH THỂ CHẾ",),
    (
        "1",
        "Rà soát văn bản quy phạm pháp luật do Sở tham mưu ban hành",
        "Thanh tra Sở",
        "Các phòng, đơn vị",
        "Quý I/2026",
        "Báo cáo rà soát",
    ),
    (
        "2",
        "Xây dựng Kế hoạch kiểm tra công tác CCHC năm 2026",
        "Văn phòng Sở",
        "Phòng Tổ chức cán bộ",
        "Trước ngày 20/3/2026",
        "Kế hoạch kiểm tra",
    ),
    ("II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH",),
    (
        "3",
        "Công khai, cập nhật thủ tục hành chính trên Cổng Dịch vụ công của tỉnh",
        "Phòng Giáo dục Thường xuyên và Nghề nghiệp",
        "Văn phòng Sở",
        "Thường xuyên",
        "Danh mục thủ tục",
    ),
    (
        "4",
        "Số hóa hồ sơ, kết quả giải quyết thủ tục cấp văn bằng",
        "^",
        "Phòng Khảo thí và Kiểm định chất lượng",
        "Tháng 6/2026",
        "Dữ liệu số",
    ),
    (
        "5",
        "Xây dựng bộ chỉ số đánh giá kết quả CCHC của các phòng,",
        "Phòng Tổ chức cán bộ",
        "Văn phòng Sở",
        "",
        "",
    ),
)
# After the page break: the header again, then the rest of task 5 (no number), then the rest.
LAO_CAI_PART_TWO = (
    ("", "đơn vị trực thuộc Sở", "", "", "Trước ngày 15/12 hằng năm", "Bộ chỉ số"),
    ("III. CẢI CÁCH TÀI CHÍNH CÔNG",),
    (
        "6",
        "Báo cáo tình hình sử dụng kinh phí cải cách hành chính",
        "Phòng Kế hoạch - Tài chính",
        "Các phòng, đơn vị",
        "Hằng quý",
        "Báo cáo",
    ),
    (
        "7",
        "Khảo sát sự hài lòng của cha mẹ học sinh đối với dịch vụ giáo dục",
        "Phòng Giáo dục Trung học",
        "Các trường THPT",
        "Tháng 10/2026",
        "Báo cáo khảo sát",
    ),
)
LAO_CAI_BODY = (
    "KẾ HOẠCH",
    "Cải cách hành chính năm 2026 của Sở Giáo dục và Đào tạo",
    "Căn cứ Quyết định số 120/QĐ-UBND ngày 08/01/2026 của Ủy ban nhân dân tỉnh Lào Cai ban hành"
    " Kế hoạch cải cách hành chính nhà nước tỉnh Lào Cai năm 2026;",
    "Sở Giáo dục và Đào tạo ban hành Kế hoạch cải cách hành chính năm 2026 như sau:",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "- Nâng cao chất lượng phục vụ người dân, cha mẹ học sinh.",
    "II. TỔ CHỨC THỰC HIỆN",
    "1. Văn phòng Sở là cơ quan thường trực, tổng hợp báo cáo kết quả CCHC của Sở.",
    "2. Các phòng, đơn vị gửi báo cáo năm về Văn phòng Sở trước ngày 25/11/2026.",
    "Hội nghị triển khai Kế hoạch tổ chức vào ngày 22/01/2026 tại Hội trường Sở.",
    "III. DANH MỤC NHIỆM VỤ",
)


def _docx_table(document, rows: tuple[tuple[str, ...], ...]) -> None:  # type: ignore[no-untyped-def]
    """A gridded catalogue: one-string rows merged across, "^" merged with the cell above."""
    table = document.add_table(rows=1, cols=len(HEAD))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, HEAD, strict=True):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        if len(row) == 1:
            cells[0].merge(cells[-1]).text = row[0]
            continue
        for index, text in enumerate(row):
            if text == "^":
                table.rows[len(table.rows) - 2].cells[index].merge(cells[index])
            else:
                cells[index].text = text


def build_lao_cai_docx(path: Path) -> Path:
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    head = document.add_table(rows=2, cols=2)
    head.cell(0, 0).text = "UBND TỈNH LÀO CAI\nSỞ GIÁO DỤC VÀ ĐÀO TẠO"
    head.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    head.cell(1, 0).text = "Số: 38/KH-SGDĐT"
    head.cell(1, 1).text = "Lào Cai, ngày 15 tháng 01 năm 2026"
    for text in LAO_CAI_BODY:
        document.add_paragraph(text)
    _docx_table(document, LAO_CAI_PART_ONE)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _docx_table(document, LAO_CAI_PART_TWO)
    sign = document.add_table(rows=1, cols=2)
    sign.cell(0, 0).text = "Nơi nhận:\n- UBND tỉnh (để báo cáo);\n- Lưu: VT, VP."
    sign.cell(0, 1).text = "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\nNguyễn Hữu Thắng"
    document.save(str(path))
    return path


DAK_LAK_LINES = (
    "UBND TỈNH ĐẮK LẮK",
    "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 1462/SGDĐT-VP",
    "Đắk Lắk, ngày 05 tháng 3 năm 2026",
    "V/v thực hiện chế độ báo cáo công tác cải cách hành chính năm 2026",
    "Kính gửi:",
    "- Trưởng các phòng thuộc Sở;",
    "- Thủ trưởng các đơn vị trực thuộc.",
    "Căn cứ Công văn số 780/UBND-NC ngày 20/02/2026 của Ủy ban nhân dân tỉnh về chế độ báo cáo"
    " cải cách hành chính, Sở Giáo dục và Đào tạo đề nghị các đơn vị thực hiện:",
    "1. Các phòng thuộc Sở gửi báo cáo tháng về Văn phòng Sở trước ngày 22 hằng tháng.",
    "2. Báo cáo quý gửi về Văn phòng Sở trước ngày 12 của tháng cuối quý.",
    "3. Phòng Tổ chức cán bộ tổng hợp danh sách công chức dự tập huấn nghiệp vụ CCHC, gửi Văn"
    " phòng Sở trước ngày 25/3/2026.",
    "Sở tổ chức họp giao ban công tác CCHC vào ngày 18/3/2026 tại Phòng họp số 2.",
    "Nơi nhận:",
    "- Như trên;",
    "- Lưu: VT, VP.",
    "GIÁM ĐỐC",
    "Phạm Đăng Khoa",
)


def build_dak_lak_pdf(path: Path) -> Path:
    from fpdf import FPDF

    font = unicode_font()
    if font is None:  # pragma: no cover - the caller skips (or fails in CI) first
        raise RuntimeError("no Unicode TTF font")
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(font))
    pdf.set_font("DejaVu", size=11)
    for line in DAK_LAK_LINES:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    pdf.output(str(path))
    return path


CA_MAU_TEMPLATE = """\
UBND TỈNH CÀ MAU                       CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ GIÁO DỤC VÀ ĐÀO TẠO                 Độc lập - Tự do - Hạnh phúc

Số: 210/KH-SGDĐT                       Cà Mau, ngày 20 tháng 02 năm 2026

KẾ HOẠCH
Kiểm tra công tác cải cách hành chính năm 2026

Căn cứ Kế hoạch số 15/KH-SGDĐT ngày 10/01/2026 của Sở Giáo dục và Đào tạo về cải cách hành
chính năm 2026, Sở Giáo dục và Đào tạo xây dựng Kế hoạch kiểm tra như sau:

I. NỘI DUNG KIỂM TRA

{table}

II. TỔ CHỨC THỰC HIỆN

Thanh tra Sở chủ trì, phối hợp với Văn phòng Sở tổ chức thực hiện Kế hoạch. Buổi làm việc
với Sở Nội vụ về kết quả kiểm tra dự kiến vào ngày 28/12/2026.

Nơi nhận:
- Giám đốc Sở;
- Lưu: VT, TTr.

KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC

Lê Văn Hùng
"""


CA_MAU_ROWS = (
    ("TT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian", "Sản phẩm"),
    ("---", "---", "---", "---", "---", "---"),
    (
        "1",
        "Kiểm tra việc niêm yết công khai thủ tục hành chính",
        "Thanh tra Sở",
        "Văn phòng Sở",
        "Quý II/2026",
        "Biên bản",
    ),
    (
        "2",
        "Kiểm tra việc giải quyết hồ sơ trực tuyến tại Bộ phận",
        "Văn phòng Sở",
        "Phòng Tổ chức",
        "Tháng 8/2026",
        "Thông báo",
    ),
    ("", "một cửa của Sở", "", "cán bộ", "", "kết luận"),  # the row wraps onto a second line
    (
        "3",
        "Tổng hợp kết quả kiểm tra, báo cáo Giám đốc Sở",
        "Thanh tra Sở",
        "",
        "Trước ngày 10/12/2026",
        "Báo cáo",
    ),
)
CA_MAU_TXT = CA_MAU_TEMPLATE.format(
    table="\n".join("| " + " | ".join(row) + " |" for row in CA_MAU_ROWS)
)


def build_ca_mau_txt(path: Path) -> Path:
    path.write_text(CA_MAU_TXT, encoding="utf-8")
    return path


def build_all(folder: Path) -> list[Path]:
    """The four documents in `folder`, ready for `python -m bot import folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    return [
        build_lao_cai_docx(folder / "kh-38-cchc-2026-lao-cai.docx"),
        build_dak_lak_pdf(folder / "cv-1462-bao-cao-dak-lak.pdf"),
        build_ca_mau_txt(folder / "kh-210-kiem-tra-ca-mau.txt"),
        build_quang_tri_pdf(folder / "kh-77-cchc-2026-quang-tri.pdf"),
    ]


QUANG_TRI_LINES = (
    "UBND TỈNH QUẢNG TRỊ",
    "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
    "Số: 77/KH-SGDĐT",
    "Quảng Trị, ngày 12 tháng 01 năm 2026",
    "KẾ HOẠCH",
    "Cải cách hành chính năm 2026",
    "Căn cứ Quyết định số 45/QĐ-UBND ngày 05/01/2026 của UBND tỉnh Quảng Trị, Sở Giáo dục và"
    " Đào tạo ban hành Kế hoạch như sau:",
    "1. Văn phòng Sở là đầu mối tổng hợp, báo cáo kết quả thực hiện Kế hoạch.",
    "Nơi nhận:",
    "- Lưu: VT, VP.",
    "GIÁM ĐỐC",
    "Hoàng Minh Đức",
    "DANH MỤC NHIỆM VỤ CCHC NĂM 2026",
)


def build_quang_tri_pdf(path: Path) -> Path:
    """A .pdf plan whose catalogue runs over a page break: the header is repeated on the second
    page and task 5 starts at the foot of the first page and ends at the top of the second."""
    from fpdf import FPDF

    font = unicode_font()
    if font is None:  # pragma: no cover - the caller skips (or fails in CI) first
        raise RuntimeError("no Unicode TTF font")
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(font))
    pdf.set_font("DejaVu", size=11)
    for line in QUANG_TRI_LINES:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=9)
    widths = (10, 60, 32, 32, 30, 26)
    for part in (LAO_CAI_PART_ONE, LAO_CAI_PART_TWO):
        with pdf.table(col_widths=widths, text_align="LEFT", first_row_as_headings=False) as table:
            for row in (HEAD, *part):
                if len(row) == 1:
                    table.row().cell(row[0], colspan=len(HEAD))
                    continue
                cells = table.row()
                for index, text in enumerate(row):
                    cells.cell(LAO_CAI_PART_ONE[5][index] if text == "^" else text)
        if part is LAO_CAI_PART_ONE:
            pdf.add_page()
    pdf.output(str(path))
    return path


# A plan whose assignment headings define short forms: "(sau đây gọi tắt là Phòng QLCL)".
BINH_PHUOC_TXT = """\
UBND TỈNH BÌNH PHƯỚC
SỞ GIÁO DỤC VÀ ĐÀO TẠO

Số: 99/KH-SGDĐT

Bình Phước, ngày 05 tháng 02 năm 2026

KẾ HOẠCH
Cải cách hành chính năm 2026

I. MỤC ĐÍCH
- Nâng cao chất lượng dịch vụ công.

II. TỔ CHỨC THỰC HIỆN
1. Phòng Quản lý chất lượng và Khảo thí (sau đây gọi tắt là Phòng QLCL)
- Chủ trì khảo sát sự hài lòng của cha mẹ học sinh, hoàn thành trước ngày 30/10/2026.
- Chủ trì số hóa hồ sơ văn bằng.
2. Văn phòng Sở
- Tổng hợp báo cáo kết quả CCHC.

Nơi nhận:
- Lưu: VT.

GIÁM ĐỐC

Trần Thị Mai
"""
