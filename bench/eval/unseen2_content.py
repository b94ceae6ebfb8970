"""Text of three more documents of other provinces (Lâm Đồng, Bắc Ninh, Cà Mau) for the
second unseen corpus (bench/eval/unseen2/), written after the first six were tuned on.

Names, numbers and dates are invented. bench/eval/make_unseen.py renders them: a .txt plan
with a pipe table, unit names that contain commas and abbreviations defined in parentheses; a
.docx directive with a borderless header table; a .pdf plan with monthly and quarterly wording.
"""

from __future__ import annotations

# --- G. Lâm Đồng: annual plan, .txt, pipe table, unit names with commas ----------------------
LAM_DONG_TXT = """UBND TỈNH LÂM ĐỒNG
SỞ GIÁO DỤC VÀ ĐÀO TẠO

Số: 97/KH-SGDĐT

Lâm Đồng, ngày 15 tháng 01 năm 2026

KẾ HOẠCH
Cải cách hành chính năm 2026 của Sở Giáo dục và Đào tạo tỉnh Lâm Đồng

Căn cứ Quyết định số 3021/QĐ-UBND ngày 29/12/2025 của Ủy ban nhân dân tỉnh Lâm Đồng ban hành \
Kế hoạch cải cách hành chính nhà nước tỉnh Lâm Đồng năm 2026; Sở Giáo dục và Đào tạo (Sở GDĐT) \
xây dựng Kế hoạch cải cách hành chính (CCHC) năm 2026 như sau:

I. MỤC TIÊU

- 100% thủ tục hành chính đủ điều kiện được cung cấp dịch vụ công trực tuyến toàn trình; tỷ lệ \
hồ sơ nộp trực tuyến đạt tối thiểu 75%.
- Mức độ hài lòng của cha mẹ học sinh đối với dịch vụ giáo dục công đạt tối thiểu 88%.
- Kiểm tra công tác CCHC tối thiểu 35% đơn vị trực thuộc.

II. PHÂN CÔNG THỰC HIỆN

1. Văn phòng Sở là cơ quan thường trực CCHC của Sở; chủ trì kiểm soát thủ tục hành chính, \
thực hiện cơ chế một cửa, một cửa liên thông; tổng hợp báo cáo CCHC gửi Sở Nội vụ.

2. Phòng Tổ chức cán bộ và Pháp chế (Phòng TCCB&PC) chủ trì cải cách thể chế, cải cách tổ chức \
bộ máy và cải cách chế độ công vụ; chủ trì rà soát vị trí việc làm, tinh giản biên chế.

3. Phòng Kế hoạch, Tài chính và Cơ sở vật chất (Phòng KHTC&CSVC) chủ trì cải cách tài chính \
công; hướng dẫn các đơn vị lập dự toán kinh phí CCHC năm 2027.

4. Phòng Giáo dục Thường xuyên, Giáo dục Nghề nghiệp và Đại học (Phòng GDTX, GDNN&ĐH) chủ trì \
số hóa hồ sơ văn bằng, chứng chỉ giáo dục thường xuyên.

5. Phòng Giáo dục Mầm non, Tiểu học (Phòng GDMN, TH) chủ trì tuyển sinh trực tuyến đầu cấp.

6. Trung tâm Công nghệ thông tin và Truyền thông giáo dục (Trung tâm CNTT&TTGD) chủ trì vận \
hành Cổng thông tin điện tử của Sở và các nền tảng chuyển đổi số của ngành.

7. Các trường trung học phổ thông, trung tâm GDNN-GDTX và đơn vị trực thuộc xây dựng kế hoạch \
CCHC năm 2026 của đơn vị, gửi về Sở GDĐT (qua Văn phòng Sở) trước ngày 31/01/2026; báo cáo \
CCHC hằng quý gửi trước ngày 08 của tháng cuối quý; báo cáo năm gửi trước ngày 25/11/2026.

Hội nghị sơ kết công tác CCHC 6 tháng đầu năm được tổ chức ngày 14/7/2026 tại Hội trường Sở. \
Sở Nội vụ kiểm tra công tác CCHC tại Sở GDĐT trong tháng 10/2026.

Nơi nhận:
- UBND tỉnh (để báo cáo);
- Sở Nội vụ;
- Các phòng, đơn vị thuộc Sở;
- Lưu: VT, VP.

GIÁM ĐỐC

Huỳnh Thị Mỹ Dung

PHỤ LỤC
DANH MỤC NHIỆM VỤ CCHC NĂM 2026
(Kèm theo Kế hoạch số 97/KH-SGDĐT ngày 15/01/2026 của Sở GDĐT)

| TT | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành | Sản phẩm |
|----|----|----|----|----|----|
| 1 | Ban hành Kế hoạch kiểm tra công tác CCHC năm 2026 | Văn phòng Sở | Phòng TCCB&PC | \
Tháng 02/2026 | Kế hoạch kiểm tra |
| 2 | Rà soát, đánh giá thủ tục hành chính nội bộ trong ngành | Văn phòng Sở | Các phòng thuộc \
Sở | Quý II/2026 | Báo cáo rà soát |
| 3 | Thống kê tình hình giải quyết thủ tục hành chính trên Hệ thống thông tin giải quyết TTHC \
của tỉnh | Văn phòng Sở | Các phòng thuộc Sở | Hằng tháng, trước ngày 20 | Báo cáo tháng |
| 4 | Rà soát vị trí việc làm, tinh giản biên chế | Phòng Tổ chức cán bộ và Pháp chế | Các đơn \
vị trực thuộc | Quý III/2026 | Đề án vị trí việc làm |
| 5 | Kiểm tra, rà soát văn bản quy phạm pháp luật lĩnh vực giáo dục | Phòng TCCB&PC | Văn \
phòng Sở | Trước ngày 30/9/2026 | Báo cáo kết quả rà soát |
| 6 | Lập dự toán kinh phí thực hiện nhiệm vụ CCHC năm 2027 | Phòng Kế hoạch, Tài chính và Cơ sở \
vật chất | Các phòng, đơn vị | Trước ngày 20/7/2026 | Dự toán |
| 7 | Số hóa hồ sơ văn bằng, chứng chỉ giáo dục thường xuyên | Phòng GDTX, GDNN&ĐH | Trung tâm \
CNTT&TTGD | Quý IV/2026 | Dữ liệu số |
| 8 | Tuyển sinh trực tuyến vào lớp 1 và lớp 6 | Phòng Giáo dục Mầm non, Tiểu học | Phòng Giáo \
dục Trung học; Trung tâm CNTT&TTGD | Tháng 7/2026 | Phần mềm tuyển sinh |
| 9 | Khảo sát sự hài lòng của cha mẹ học sinh đối với dịch vụ giáo dục công | Phòng TCCB&PC | \
Các trường THPT | Tháng 11/2026 | Báo cáo khảo sát |
| 10 | Nâng cấp Cổng thông tin điện tử của Sở, tích hợp chuyên mục CCHC | Trung tâm CNTT&TTGD | \
Văn phòng Sở | 6 tháng cuối năm 2026 | Cổng thông tin điện tử |
"""

# --- H. Bắc Ninh: directive, .docx with a borderless header table ---------------------------
BAC_NINH_HEADER = (
    ("UBND TỈNH BẮC NINH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Độc lập - Tự do - Hạnh phúc"),
    ("Số: 688/SGDĐT-VP", "Bắc Ninh, ngày 08 tháng 5 năm 2026"),
    ("V/v đo lường sự hài lòng và tự đánh giá Chỉ số CCHC năm 2026", ""),
)
BAC_NINH_BODY = (
    "Kính gửi:",
    "- Trưởng các phòng thuộc Sở;",
    "- Hiệu trưởng các trường trung học phổ thông;",
    "- Giám đốc Trung tâm GDNN-GDTX các huyện, thị xã, thành phố.",
    "Thực hiện Kế hoạch số 145/KH-SNV ngày 21/4/2026 của Sở Nội vụ về đo lường sự hài lòng của"
    " người dân đối với dịch vụ giáo dục công và Công văn số 902/VP-KSTT ngày 28/4/2026 của"
    " Văn phòng Ủy ban nhân dân tỉnh về chấm điểm Chỉ số cải cách hành chính (Chỉ số CCHC),"
    " Sở Giáo dục và Đào tạo đề nghị:",
    "1. Phòng Tổ chức cán bộ (Phòng TCCB) chủ trì xây dựng phiếu khảo sát sự hài lòng của cha"
    " mẹ học sinh, trình Giám đốc Sở trước ngày 25/5/2026.",
    "2. Các trường trung học phổ thông, Trung tâm GDNN-GDTX tổ chức khảo sát trực tuyến cha mẹ"
    " học sinh trong tháng 6/2026, gửi kết quả về Phòng TCCB trước ngày 05/7/2026.",
    "3. Văn phòng Sở chủ trì tự đánh giá, chấm điểm Chỉ số CCHC năm 2026 của Sở, kèm tài liệu"
    " kiểm chứng, gửi Sở Nội vụ trước ngày 30/11/2026. Các phòng thuộc Sở gửi tài liệu kiểm"
    " chứng về Văn phòng Sở trước ngày 16/11/2026.",
    "4. Phòng Kế hoạch - Tài chính bố trí kinh phí khảo sát từ nguồn kinh phí CCHC năm 2026"
    " của Sở.",
    "5. Phòng Quản lý thi và Kiểm định chất lượng giáo dục (Phòng QLT&KĐCLGD) phối hợp với"
    " Phòng TCCB xây dựng các câu hỏi khảo sát về công tác thi và kiểm định chất lượng.",
    "6. Hằng tháng, các đơn vị cập nhật kết quả giải quyết thủ tục hành chính, gửi Văn phòng Sở"
    " trước ngày 22.",
    "Văn phòng Ủy ban nhân dân tỉnh tổ chức tập huấn chấm điểm Chỉ số CCHC vào ngày 19/5/2026"
    " bằng hình thức trực tuyến; Sở Nội vụ dự kiến công bố kết quả đo lường sự hài lòng trong"
    " tháng 12/2026.",
    "Nơi nhận:",
    "- Như trên;",
    "- Sở Nội vụ (để báo cáo);",
    "- Văn phòng UBND tỉnh;",
    "- Lưu: VT, VP.",
    "KT. GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "Ngô Thị Hải Yến",
)

# --- I. Cà Mau: communication plan, .pdf, monthly and quarterly wording ---------------------
CA_MAU_LINES = (
    "UBND TỈNH CÀ MAU",
    "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 301/KH-SGDĐT",
    "Cà Mau, ngày 24 tháng 3 năm 2026",
    "KẾ HOẠCH",
    "Thông tin, tuyên truyền cải cách hành chính năm 2026",
    "Căn cứ Kế hoạch số 40/KH-SGDĐT ngày 20/01/2026 của Sở Giáo dục và Đào tạo về cải cách"
    " hành chính năm 2026, Sở Giáo dục và Đào tạo ban hành Kế hoạch thông tin, tuyên truyền"
    " cải cách hành chính năm 2026 như sau:",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "- Nâng cao nhận thức của công chức, viên chức, học sinh và cha mẹ học sinh về cải cách"
    " hành chính; ít nhất 80% trường học có chuyên mục CCHC trên trang thông tin điện tử.",
    "II. NỘI DUNG VÀ PHÂN CÔNG",
    "1. Phòng Chính trị, Tư tưởng và Công tác học sinh (Phòng CTTT&CTHS) chủ trì tổ chức cuộc"
    " thi tìm hiểu về cải cách hành chính dành cho học sinh, tổng kết trước ngày 30/10/2026.",
    "2. Văn phòng Sở biên tập tin, bài về CCHC đăng trên Cổng thông tin điện tử của Sở, tối"
    " thiểu 04 tin, bài mỗi tháng.",
    "3. Các trường học báo cáo kết quả tuyên truyền CCHC hằng quý, gửi về Văn phòng Sở trước"
    " ngày 28 của tháng cuối quý.",
    "4. Đài Phát thanh - Truyền hình tỉnh phối hợp thực hiện chuyên mục CCHC theo hợp đồng với"
    " Sở.",
    "Lễ phát động cuộc thi được tổ chức ngày 15/4/2026 tại Trường THPT Cà Mau.",
    "Nơi nhận:",
    "- UBND tỉnh;",
    "- Lưu: VT, VP.",
    "KT. GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "Tạ Quốc Bảo",
    "DANH MỤC HOẠT ĐỘNG TUYÊN TRUYỀN NĂM 2026",
)
CA_MAU_TASKS = (
    (
        "1",
        "Xây dựng chuyên mục CCHC trên Cổng thông tin điện tử của Sở",
        "Văn phòng Sở",
        "Phòng CTTT&CTHS",
        "Quý II/2026",
        "Chuyên mục CCHC",
    ),
    (
        "2",
        "Tổ chức cuộc thi tìm hiểu về cải cách hành chính cho học sinh trung học",
        "Phòng Chính trị, Tư tưởng và Công tác học sinh",
        "Đoàn Thanh niên; các trường THPT",
        "Tháng 4 - tháng 10/2026",
        "Kết quả cuộc thi",
    ),
    (
        "3",
        "Tập huấn kỹ năng viết tin, bài tuyên truyền CCHC cho cán bộ phụ trách",
        "Văn phòng Sở",
        "Phòng Tổ chức cán bộ",
        "Tháng 6/2026",
        "Tài liệu tập huấn",
    ),
    (
        "4",
        "Treo băng rôn, pa nô tuyên truyền dịch vụ công trực tuyến tại các trường",
        "Các trường học",
        "Văn phòng Sở",
        "Hằng quý",
        "Hình ảnh, báo cáo",
    ),
    (
        "5",
        "Đánh giá hiệu quả công tác tuyên truyền CCHC năm 2026",
        "Phòng CTTT&CTHS",
        "Văn phòng Sở",
        "Trước ngày 15/12/2026",
        "Báo cáo đánh giá",
    ),
)
