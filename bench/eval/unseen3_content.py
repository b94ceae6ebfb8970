"""Text of three more documents of other provinces (Nghệ An, Quảng Ninh, Đồng Tháp) for the
third unseen corpus (bench/eval/unseen3/), written after the first nine were tuned on.

Names, numbers and dates are invented. bench/eval/make_unseen.py renders them: a .docx plan for
2027 whose catalogue has its own column titles, a column-number row, group rows merged across,
lead-unit cells merged vertically and rows continued on a second, unnumbered row (as a row
split by a page break looks once retyped); a .pdf directive on periodic reports with a blank
number; a .md plan for 2026-2030 that replaces an expired 2021-2025 plan.
"""

from __future__ import annotations

# --- J. Nghệ An: annual plan 2027, .docx, merged and continued catalogue rows ----------------
NGHE_AN_HEADER = (
    ("UBND TỈNH NGHỆ AN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Độc lập - Tự do - Hạnh phúc"),
    ("Số: 36/KH-SGDĐT", "Nghệ An, ngày 08 tháng 01 năm 2027"),
)
NGHE_AN_BODY = (
    "KẾ HOẠCH",
    "Cải cách hành chính năm 2027 của Sở Giáo dục và Đào tạo Nghệ An",
    "Căn cứ Quyết định số 3460/QĐ-UBND ngày 28/12/2026 của Ủy ban nhân dân tỉnh Nghệ An ban hành"
    " Kế hoạch cải cách hành chính nhà nước tỉnh Nghệ An năm 2027;",
    "Căn cứ Kế hoạch số 1502/KH-SGDĐT ngày 12/6/2026 của Sở Giáo dục và Đào tạo về cải cách"
    " hành chính giai đoạn 2026-2030;",
    "Sở Giáo dục và Đào tạo (Sở GDĐT) ban hành Kế hoạch cải cách hành chính (CCHC) năm 2027"
    " như sau:",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Mục đích",
    "- Tiếp tục đẩy mạnh CCHC gắn với chuyển đổi số trong toàn ngành; phấn đấu Chỉ số CCHC của"
    " Sở năm 2027 thuộc nhóm 5 sở, ngành dẫn đầu của tỉnh.",
    "- 100% hồ sơ thủ tục hành chính được giải quyết đúng hạn; tỷ lệ hồ sơ nộp trực tuyến toàn"
    " trình đạt tối thiểu 85%; mức độ hài lòng của người học và cha mẹ học sinh đạt trên 90%.",
    "2. Yêu cầu",
    "- Người đứng đầu các phòng, đơn vị chịu trách nhiệm trước Giám đốc Sở về kết quả CCHC của"
    " đơn vị mình.",
    "II. NHIỆM VỤ TRỌNG TÂM",
    "Danh mục nhiệm vụ cụ thể tại Phụ lục kèm theo Kế hoạch này.",
    "III. TỔ CHỨC THỰC HIỆN",
    "1. Văn phòng Sở",
    "- Là cơ quan thường trực CCHC của Sở; chủ trì theo dõi, đôn đốc các phòng, đơn vị thực"
    " hiện Kế hoạch; tổng hợp báo cáo CCHC định kỳ 6 tháng, năm gửi Sở Nội vụ.",
    "- Chủ trì tự đánh giá, chấm điểm Chỉ số CCHC năm 2027 của Sở, hoàn thành trước ngày"
    " 20/12/2027.",
    "2. Phòng Tổ chức cán bộ - Pháp chế (sau đây viết tắt là Phòng TCCB-PC)",
    "- Chủ trì tham mưu cải cách thể chế, cải cách tổ chức bộ máy và chế độ công vụ; rà soát"
    " Đề án vị trí việc làm của các đơn vị sự nghiệp trực thuộc.",
    "3. Phòng Kế hoạch, Tài chính (Phòng KHTC)",
    "- Chủ trì tham mưu cải cách tài chính công; hướng dẫn các đơn vị lập dự toán kinh phí"
    " CCHC năm 2028 trong tháng 7/2027.",
    "4. Phòng Giáo dục phổ thông và Giáo dục thường xuyên (Phòng GDPT&GDTX)",
    "- Chủ trì rà soát, đơn giản hóa thủ tục hành chính thuộc lĩnh vực giáo dục phổ thông và"
    " giáo dục thường xuyên; chủ trì tuyển sinh trực tuyến vào lớp 10.",
    "5. Phòng Quản lý chất lượng (Phòng QLCL)",
    "- Chủ trì kiểm định chất lượng giáo dục; chủ trì khảo sát, đo lường sự hài lòng của người"
    " học và cha mẹ học sinh đối với dịch vụ giáo dục công.",
    "6. Trung tâm Chuyển đổi số và Dữ liệu giáo dục (Trung tâm CĐS&DLGD)",
    "- Chủ trì vận hành cơ sở dữ liệu ngành; số hóa hồ sơ, kết quả giải quyết thủ tục hành"
    " chính; bảo đảm an toàn thông tin.",
    "7. Thanh tra Sở",
    "- Chủ trì kiểm tra việc chấp hành kỷ luật, kỷ cương hành chính tại các đơn vị.",
    "8. Các trường trung học phổ thông, trung tâm GDNN-GDTX và đơn vị trực thuộc",
    "- Xây dựng kế hoạch CCHC năm 2027 của đơn vị, gửi về Sở GDĐT (qua Văn phòng Sở) trước ngày"
    " 31/01/2027.",
    "- Báo cáo CCHC quý gửi về Văn phòng Sở trước ngày 10 của tháng cuối quý; báo cáo năm gửi"
    " trước ngày 30/11/2027.",
    "Hội nghị triển khai nhiệm vụ CCHC năm 2027 được tổ chức ngày 22/01/2027 tại Hội trường"
    " Sở. Trong quá trình thực hiện, nếu có vướng mắc, các đơn vị phản ánh về Văn phòng Sở để"
    " tổng hợp, báo cáo Giám đốc Sở.",
    "Nơi nhận:",
    "- UBND tỉnh (để báo cáo);",
    "- Sở Nội vụ;",
    "- Giám đốc, các Phó Giám đốc Sở;",
    "- Các phòng, đơn vị thuộc Sở;",
    "- Lưu: VT, VP.",
    "KT. GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "Hồ Thị Minh Nguyệt",
    "PHỤ LỤC",
    "DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2027",
    "(Kèm theo Kế hoạch số 36/KH-SGDĐT ngày 08/01/2027 của Sở GDĐT Nghệ An)",
)
NGHE_AN_HEAD = (
    "STT",
    "Nhiệm vụ",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Thời gian thực hiện",
    "Sản phẩm",
)
# One string: a group row merged across. "^": merged with the cell above. A row whose number
# is empty continues the row above (the rest of its text, as after a page break).
NGHE_AN_TASKS = (
    ("(1)", "(2)", "(3)", "(4)", "(5)", "(6)"),
    ("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",),
    (
        "1",
        "Ban hành Kế hoạch tuyên truyền CCHC năm 2027",
        "Văn phòng Sở",
        "Các phòng thuộc Sở",
        "Quý I/2027",
        "Kế hoạch",
    ),
    (
        "2",
        "Tự đánh giá, chấm điểm Chỉ số CCHC năm 2027 của Sở",
        "^",
        "Các phòng, đơn vị",
        "Trước ngày 20/12/2027",
        "Báo cáo tự đánh giá",
    ),
    (
        "3",
        "Tổng hợp, báo cáo kết quả thực hiện nhiệm vụ CCHC",
        "^",
        "Các phòng, đơn vị",
        "Định kỳ 6 tháng",
        "Báo cáo",
    ),
    ("II. CẢI CÁCH THỂ CHẾ",),
    (
        "4",
        "Rà soát văn bản quy phạm pháp luật lĩnh vực giáo dục do HĐND, UBND tỉnh ban hành",
        "Phòng TCCB-PC",
        "Các phòng chuyên môn",
        "Quý II/2027",
        "Báo cáo kết quả rà soát",
    ),
    (
        "5",
        "Theo dõi tình hình thi hành pháp luật trong lĩnh vực giáo dục",
        "^",
        "Thanh tra Sở",
        "Thường xuyên",
        "Báo cáo",
    ),
    ("III. CẢI CÁCH THỦ TỤC HÀNH CHÍNH",),
    (
        "6",
        "Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực giáo dục phổ thông, giáo dục",
        "Phòng GDPT&GDTX",
        "Văn phòng Sở",
        "Tháng 6 hằng năm",
        "Phương án đơn giản",
    ),
    ("", "thường xuyên; đề xuất cắt giảm thời gian giải quyết", "", "", "", "hóa"),
    (
        "7",
        "Công khai, cập nhật thủ tục hành chính trên Cổng Dịch vụ công của tỉnh",
        "Văn phòng Sở",
        "Trung tâm CĐS&DLGD",
        "Thường xuyên",
        "Danh mục TTHC",
    ),
    (
        "8",
        "Tuyển sinh trực tuyến vào lớp 10 trung học phổ thông",
        "Phòng GDPT&GDTX",
        "Phòng QLCL; Trung tâm CĐS&DLGD",
        "Tháng 6/2027",
        "Kết quả tuyển sinh",
    ),
    ("IV. CẢI CÁCH TỔ CHỨC BỘ MÁY VÀ CHẾ ĐỘ CÔNG VỤ",),
    (
        "9",
        "Rà soát, điều chỉnh Đề án vị trí việc làm của các đơn vị sự nghiệp trực thuộc",
        "Phòng TCCB-PC",
        "Các đơn vị trực thuộc",
        "Trước ngày 30/9/2027",
        "Đề án vị trí việc làm",
    ),
    (
        "10",
        "Kiểm tra việc chấp hành kỷ luật, kỷ cương hành chính",
        "Thanh tra Sở",
        "Phòng TCCB-PC",
        "Quý III/2027",
        "Thông báo kết luận",
    ),
    ("V. CẢI CÁCH TÀI CHÍNH CÔNG",),
    (
        "11",
        "Lập dự toán kinh phí thực hiện nhiệm vụ CCHC năm 2028",
        "Phòng Kế hoạch, Tài chính",
        "Các phòng, đơn vị",
        "Tháng 7/2027",
        "Dự toán",
    ),
    (
        "12",
        "Công khai dự toán, quyết toán ngân sách của Sở",
        "^",
        "Văn phòng Sở",
        "Định kỳ 6 tháng",
        "Báo cáo công khai",
    ),
    ("VI. XÂY DỰNG CHÍNH QUYỀN SỐ",),
    (
        "13",
        "Kiểm định chất lượng giáo dục và công nhận trường đạt chuẩn quốc gia",
        "Phòng Quản lý chất lượng",
        "Phòng GDPT&GDTX",
        "Quý IV/2027",
        "Quyết định công nhận",
    ),
    (
        "14",
        "Khảo sát sự hài lòng của người học và cha mẹ học sinh đối với dịch vụ giáo dục công",
        "^",
        "Các trường THPT",
        "Tháng 10/2027",
        "Báo cáo khảo sát",
    ),
    (
        "15",
        "Vận hành cơ sở dữ liệu ngành, kết nối với cơ sở dữ liệu quốc gia về giáo dục",
        "Trung tâm CĐS&DLGD",
        "Các phòng, đơn vị",
        "Thường xuyên",
        "Cơ sở dữ liệu",
    ),
    (
        "16",
        "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính tại Bộ phận Một cửa của Sở và",
        "Trung tâm Chuyển đổi số và Dữ liệu giáo dục",
        "Văn phòng Sở",
        "Trước ngày 31/10/2027",
        "Dữ liệu số",
    ),
    ("", "các trường trung học phổ thông", "", "", "", ""),
)

# --- K. Quảng Ninh: directive on periodic reports, .pdf, number left blank ------------------
QUANG_NINH_LINES = (
    "UBND TỈNH QUẢNG NINH",
    "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số:        /SGDĐT-VP",
    "Quảng Ninh, ngày 18 tháng 01 năm 2027",
    "V/v thực hiện chế độ báo cáo định kỳ công tác cải cách hành chính năm 2027",
    "Kính gửi:",
    "- Các phòng chuyên môn, nghiệp vụ thuộc Sở;",
    "- Các đơn vị sự nghiệp trực thuộc Sở;",
    "- Hiệu trưởng các trường trung học phổ thông, Trường Phổ thông Dân tộc nội trú tỉnh.",
    "Thực hiện Quyết định số 128/QĐ-UBND ngày 12/01/2027 của Ủy ban nhân dân tỉnh Quảng Ninh"
    " ban hành Kế hoạch cải cách hành chính nhà nước năm 2027, Sở Giáo dục và Đào tạo hướng dẫn"
    " chế độ báo cáo định kỳ công tác cải cách hành chính (CCHC) năm 2027 như sau:",
    "1. Báo cáo quý I và quý III: các phòng, đơn vị, trường học gửi báo cáo về Sở (qua Văn phòng"
    " Sở) chậm nhất ngày 05 của tháng cuối quý.",
    "2. Báo cáo 6 tháng và báo cáo năm: gửi về Văn phòng Sở trước ngày 15/6 và 15/12 năm 2027."
    " Số liệu báo cáo 6 tháng tính từ ngày 15/12/2026 đến ngày 14/6/2027.",
    "3. Báo cáo tháng: các trường trung học phổ thông, Trường Phổ thông Dân tộc nội trú tỉnh báo"
    " cáo tình hình tiếp nhận, giải quyết hồ sơ thủ tục hành chính tại trường, gửi Văn phòng Sở"
    " chậm nhất ngày 25 hằng tháng.",
    "4. Phòng Tổ chức cán bộ tổng hợp số liệu về cải cách tổ chức bộ máy, biên chế và chế độ"
    " công vụ, gửi Văn phòng Sở trước ngày 03 của tháng cuối quý.",
    "5. Phòng Kế hoạch - Tài chính báo cáo kết quả thực hiện cải cách tài chính công, gửi Văn"
    " phòng Sở trước ngày 10/6 và 10/12.",
    "6. Phòng Khảo thí và Công nghệ thông tin (Phòng KT&CNTT) cấp tài khoản Hệ thống báo cáo"
    " trực tuyến cho các trường, hướng dẫn nhập số liệu; hoàn thành trước ngày 31/01/2027.",
    "7. Văn phòng Sở tổng hợp, tham mưu Giám đốc Sở ký báo cáo gửi Sở Nội vụ đúng thời hạn"
    " quy định.",
    "Báo cáo gửi bằng văn bản điện tử qua Hệ thống quản lý văn bản và điều hành của tỉnh, kèm"
    " tệp Excel số liệu theo mẫu tại Phụ lục.",
    "Sở tổ chức Hội nghị giao ban công tác CCHC quý I năm 2027 vào ngày 24/3/2027 tại Hội"
    " trường Sở; Sở Nội vụ kiểm tra công tác CCHC tại Sở dự kiến ngày 14/10/2027.",
    "Công văn này thay thế Công văn số 2150/SGDĐT-VP ngày 22/12/2025 của Sở Giáo dục và Đào tạo"
    " về chế độ báo cáo CCHC năm 2026.",
    "Nơi nhận:",
    "- Như trên;",
    "- Giám đốc, các Phó Giám đốc Sở;",
    "- Sở Nội vụ (để báo cáo);",
    "- Lưu: VT, VP.",
    "KT. GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "Vũ Đức Thắng",
)

# --- L. Đồng Tháp: plan 2026-2030, .md, replaces an expired 2021-2025 plan -------------------
DONG_THAP_MD = """UBND TỈNH ĐỒNG THÁP
**SỞ GIÁO DỤC VÀ ĐÀO TẠO**

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 1120/KH-SGDĐT

*Đồng Tháp, ngày 22 tháng 5 năm 2026*

# KẾ HOẠCH

## Cải cách hành chính ngành Giáo dục và Đào tạo giai đoạn 2026-2030

Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng thể cải \
cách hành chính nhà nước giai đoạn 2021-2030;

Căn cứ Quyết định số 812/QĐ-UBND ngày 08/5/2026 của Ủy ban nhân dân tỉnh Đồng Tháp ban hành Kế \
hoạch cải cách hành chính nhà nước tỉnh Đồng Tháp giai đoạn 2026-2030;

Sở Giáo dục và Đào tạo ban hành Kế hoạch cải cách hành chính (CCHC) giai đoạn 2026-2030. Kế \
hoạch này thay thế Kế hoạch số 389/KH-SGDĐT ngày 25/02/2021 của Sở về cải cách hành chính giai \
đoạn 2021-2025, đã hết thời hạn thực hiện.

## I. MỤC ĐÍCH, YÊU CẦU

- Xây dựng nền hành chính của ngành giáo dục chuyên nghiệp, hiện đại, lấy người học và cha mẹ \
học sinh làm trung tâm.
- Gắn CCHC với chuyển đổi số và với đánh giá, xếp loại thi đua hằng năm của các phòng, đơn vị.

## II. MỤC TIÊU

- Đến năm 2027: 90% hồ sơ thủ tục hành chính được tiếp nhận, giải quyết trực tuyến toàn trình.
- Đến năm 2030: 100% thủ tục hành chính đủ điều kiện được cung cấp dịch vụ công trực tuyến \
toàn trình; mức độ hài lòng của người dân đối với dịch vụ giáo dục công đạt tối thiểu 95%.

## III. NHIỆM VỤ CHỦ YẾU

| TT | Nhiệm vụ | Chủ trì | Phối hợp | Thời gian | Sản phẩm |
|----|----|----|----|----|----|
| 1 | Xây dựng, ban hành kế hoạch CCHC hằng năm của Sở | Văn phòng Sở | Các phòng thuộc Sở \
| Trước ngày 15/12 hằng năm | Kế hoạch |
| 2 | Kiện toàn tổ chức bộ máy các phòng chuyên môn thuộc Sở | Phòng Tổ chức cán bộ | Văn \
phòng Sở | Năm 2026-2027 | Quyết định kiện toàn |
| 3 | Bồi dưỡng kỹ năng số cho công chức, viên chức ngành giáo dục | Phòng Tổ chức cán bộ | \
Trung tâm Thông tin và Chuyển đổi số | Hằng năm | Lớp bồi dưỡng |
| 4 | Hướng dẫn lập dự toán kinh phí CCHC năm sau | Phòng Kế hoạch - Tài chính | Các phòng, \
đơn vị | Trước ngày 15/7 hằng năm | Văn bản hướng dẫn |
| 5 | Xây dựng kho học liệu số dùng chung của ngành | Trung tâm Thông tin và Chuyển đổi số \
| Phòng Giáo dục Trung học | Năm 2028 | Kho học liệu số |
| 6 | Số hóa sổ gốc cấp văn bằng, chứng chỉ từ năm 2000 đến nay | Phòng Giáo dục chuyên \
nghiệp - Giáo dục thường xuyên | Trung tâm Thông tin và Chuyển đổi số | Năm 2029 | Dữ liệu số |
| 7 | Khảo sát sự hài lòng của cha mẹ học sinh | Phòng Khảo thí và Kiểm định chất lượng \
giáo dục | Các trường học | Quý III hằng năm | Báo cáo khảo sát |
| 8 | Sơ kết giữa kỳ thực hiện Kế hoạch | Văn phòng Sở | Các phòng, đơn vị | Quý II/2028 | \
Báo cáo sơ kết |

## IV. TỔ CHỨC THỰC HIỆN

### 1. Văn phòng Sở

- Là cơ quan thường trực CCHC của Sở; tham mưu Giám đốc Sở ban hành kế hoạch CCHC hằng năm \
trước ngày 15/12 của năm trước năm kế hoạch.
- Tổng hợp báo cáo CCHC 6 tháng, năm của Sở gửi Sở Nội vụ; tham mưu tổ chức sơ kết giữa kỳ \
vào Quý II/2028 và tổng kết Kế hoạch vào Quý IV/2030.

### 2. Phòng Tổ chức cán bộ

- Chủ trì cải cách tổ chức bộ máy, cải cách chế độ công vụ; kiện toàn các phòng chuyên môn \
thuộc Sở; bồi dưỡng kỹ năng số cho công chức, viên chức.

### 3. Phòng Kế hoạch - Tài chính

- Chủ trì cải cách tài chính công; hướng dẫn các đơn vị lập dự toán kinh phí CCHC năm sau \
trước ngày 15/7 hằng năm.

### 4. Phòng Giáo dục chuyên nghiệp - Giáo dục thường xuyên (Phòng GDCN-GDTX)

- Chủ trì số hóa sổ gốc cấp văn bằng, chứng chỉ; hướng dẫn các trung tâm GDNN-GDTX thực \
hiện thủ tục hành chính trên môi trường điện tử.

### 5. Phòng Khảo thí và Kiểm định chất lượng giáo dục (Phòng KT&KĐCLGD)

- Chủ trì khảo sát sự hài lòng của cha mẹ học sinh vào Quý III hằng năm; công bố kết quả \
trên Cổng thông tin điện tử của Sở.

### 6. Trung tâm Thông tin và Chuyển đổi số (Trung tâm TT&CĐS)

- Chủ trì xây dựng kho học liệu số dùng chung; bảo đảm hạ tầng số cho Hệ thống thông tin \
giải quyết thủ tục hành chính.

### 7. Các trường học, đơn vị trực thuộc

- Xây dựng kế hoạch CCHC hằng năm của đơn vị, gửi về Sở (qua Văn phòng Sở) trước ngày 10/01 \
hằng năm.
- Báo cáo CCHC 6 tháng gửi trước ngày 10/6 và báo cáo năm gửi trước ngày 10/11 hằng năm.

Ngày 05/6/2026, Sở tổ chức Hội nghị triển khai Kế hoạch tại Hội trường Sở.

**Nơi nhận:**

- UBND tỉnh (để báo cáo);
- Sở Nội vụ;
- Các phòng, đơn vị thuộc Sở;
- Lưu: VT, VP.

**KT. GIÁM ĐỐC**
**PHÓ GIÁM ĐỐC**

**Nguyễn Thanh Phong**
"""
