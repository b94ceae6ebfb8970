"""Text of six documents written for the evaluation, in the genre, from provinces the engine
was never written for (Thái Nguyên, Quảng Nam, Hà Tĩnh, Vĩnh Long, Phú Thọ, Gia Lai).

Names, numbers and dates are invented. bench/eval/make_unseen.py renders them as .docx
(borderless header tables, catalogue tables with merged cells), .pdf, .md and .txt.
"""

from __future__ import annotations

CATALOGUE_HEAD = (
    "TT",
    "Nội dung công việc",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Thời gian hoàn thành",
    "Sản phẩm",
)

# --- A. Thái Nguyên: annual plan, .docx, catalogue with group rows and a vertical merge -------
THAI_NGUYEN_HEADER = (
    ("UBND TỈNH THÁI NGUYÊN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Độc lập - Tự do - Hạnh phúc"),
    ("Số: 86/KH-SGDĐT", "Thái Nguyên, ngày 09 tháng 01 năm 2026"),
)
THAI_NGUYEN_BODY = (
    "KẾ HOẠCH",
    "Cải cách hành chính năm 2026 của Sở Giáo dục và Đào tạo tỉnh Thái Nguyên",
    "Căn cứ Quyết định số 2915/QĐ-UBND ngày 26/12/2025 của Ủy ban nhân dân tỉnh Thái Nguyên ban"
    " hành Kế hoạch cải cách hành chính nhà nước tỉnh Thái Nguyên năm 2026; Sở Giáo dục và Đào"
    " tạo xây dựng Kế hoạch cải cách hành chính (CCHC) năm 2026 như sau:",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "- Xác định CCHC là nhiệm vụ trọng tâm của toàn ngành; gắn trách nhiệm người đứng đầu với"
    " kết quả thực hiện.",
    "- Nâng cao mức độ hài lòng của người dân, cha mẹ học sinh đối với dịch vụ giáo dục công.",
    "II. TỔ CHỨC THỰC HIỆN",
    "1. Phòng Quản lý chất lượng (sau đây gọi tắt là Phòng QLCL)",
    "- Chủ trì tham mưu công tác kiểm định chất lượng giáo dục gắn với CCHC; chủ trì khảo sát,"
    " tổng hợp kết quả đo lường sự hài lòng của cha mẹ học sinh.",
    "2. Phòng Giáo dục Trung học",
    "- Chủ trì rà soát, đơn giản hóa thủ tục hành chính lĩnh vực giáo dục trung học; chủ trì"
    " số hóa hồ sơ công nhận tốt nghiệp trung học cơ sở.",
    "3. Phòng Giáo dục Mầm non và Tiểu học",
    "- Chủ trì triển khai học bạ số cấp tiểu học; hướng dẫn các cơ sở giáo dục mầm non công"
    " khai thủ tục tuyển sinh.",
    "4. Văn phòng Sở",
    "- Là cơ quan thường trực về CCHC của Sở; tổng hợp, báo cáo kết quả thực hiện Kế hoạch.",
    "5. Phòng Kế hoạch - Tài chính",
    "- Chủ trì tham mưu cải cách tài chính công; lập dự toán kinh phí thực hiện nhiệm vụ CCHC.",
    "6. Các trường trung học phổ thông, trung tâm GDNN-GDTX",
    "- Xây dựng kế hoạch CCHC năm 2026 của đơn vị, gửi về Sở (qua Văn phòng Sở) trước ngày"
    " 25/01/2026.",
    "- Báo cáo quý gửi trước ngày 15 của tháng cuối quý; báo cáo năm gửi trước ngày 20/11/2026.",
    "Hội nghị triển khai Kế hoạch được tổ chức ngày 16/01/2026 tại Hội trường Sở.",
    "Nơi nhận:",
    "- UBND tỉnh (để báo cáo);",
    "- Sở Nội vụ;",
    "- Lưu: VT, VP.",
    "KT. GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "Đặng Văn Khoa",
    "DANH MỤC NHIỆM VỤ CCHC NĂM 2026",
    "(Kèm theo Kế hoạch số 86/KH-SGDĐT ngày 09/01/2026 của Sở Giáo dục và Đào tạo)",
)
# A row of one string is a group heading merged across the table; "^" in the lead column
# means the cell is merged vertically with the one above.
THAI_NGUYEN_TASKS = (
    ("I. CẢI CÁCH THỂ CHẾ",),
    (
        "1",
        "Rà soát, hệ thống hóa văn bản quy phạm pháp luật lĩnh vực giáo dục của tỉnh",
        "Văn phòng Sở",
        "Các phòng chuyên môn",
        "Quý I/2026",
        "Báo cáo kết quả rà soát",
    ),
    (
        "2",
        "Phổ biến, giáo dục pháp luật về cải cách hành chính cho công chức, viên chức",
        "Thanh tra Sở",
        "Văn phòng Sở",
        "Tháng 5/2026",
        "Hội nghị, tài liệu",
    ),
    ("II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH",),
    (
        "3",
        "Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực giáo dục trung học",
        "Phòng Giáo dục Trung học",
        "Văn phòng Sở",
        "Trước ngày 30/6/2026",
        "Phương án đơn giản hóa",
    ),
    (
        "4",
        "Số hóa hồ sơ công nhận tốt nghiệp trung học cơ sở",
        "^",
        "Phòng Quản lý chất lượng",
        "Quý III/2026",
        "Dữ liệu số",
    ),
    (
        "5",
        "Cập nhật, công khai thủ tục hành chính trên Cổng Dịch vụ công quốc gia",
        "Văn phòng Sở",
        "Các phòng chuyên môn",
        "Hằng tháng",
        "Danh mục TTHC được công khai",
    ),
    ("III. CẢI CÁCH TÀI CHÍNH CÔNG",),
    (
        "6",
        "Giao quyền tự chủ tài chính cho các đơn vị sự nghiệp công lập trực thuộc",
        "Phòng Kế hoạch - Tài chính",
        "Phòng Tổ chức cán bộ",
        "Trước ngày 31/3/2026",
        "Quyết định giao tự chủ",
    ),
    (
        "7",
        "Lập dự toán kinh phí thực hiện nhiệm vụ CCHC năm 2027",
        "Phòng Kế hoạch - Tài chính",
        "Các phòng, đơn vị",
        "Trước ngày 15/7/2026",
        "Dự toán",
    ),
    ("IV. ĐO LƯỜNG SỰ HÀI LÒNG VÀ CHUYỂN ĐỔI SỐ",),
    (
        "8",
        "Khảo sát sự hài lòng của cha mẹ học sinh đối với dịch vụ giáo dục công",
        "Phòng QLCL",
        "Các trường THPT",
        "Tháng 10/2026",
        "Báo cáo kết quả khảo sát",
    ),
    (
        "9",
        "Kiểm định chất lượng và công nhận trường THPT đạt chuẩn quốc gia",
        "Phòng Quản lý chất lượng",
        "Phòng Giáo dục Trung học",
        "Cả năm 2026",
        "Quyết định công nhận",
    ),
    (
        "10",
        "Triển khai học bạ số đối với cấp tiểu học",
        "Phòng Giáo dục Mầm non và Tiểu học",
        "Phòng Quản lý chất lượng",
        "Năm học 2026-2027",
        "Học bạ số",
    ),
)

# --- B. Quảng Nam: directive on periodic reports, .pdf, monthly and quarterly wording -------
QUANG_NAM_LINES = (
    "UBND TỈNH QUẢNG NAM",
    "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 215/SGDĐT-VP",
    "Quảng Nam, ngày 20 tháng 02 năm 2026",
    "V/v thực hiện chế độ báo cáo định kỳ công tác cải cách hành chính năm 2026",
    "Kính gửi:",
    "- Trưởng các phòng thuộc Sở;",
    "- Hiệu trưởng các trường trung học phổ thông;",
    "- Giám đốc các Trung tâm GDNN-GDTX.",
    "Thực hiện Công văn số 640/UBND-NC ngày 05/02/2026 của Ủy ban nhân dân tỉnh về chế độ báo"
    " cáo công tác cải cách hành chính, Sở Giáo dục và Đào tạo đề nghị các đơn vị thực hiện:",
    "1. Báo cáo tháng: các đơn vị gửi báo cáo tình hình tiếp nhận, giải quyết thủ tục hành chính"
    " về Văn phòng Sở trước ngày 18 hằng tháng (số liệu tính từ ngày 15 tháng trước đến ngày 14"
    " tháng báo cáo).",
    "2. Báo cáo quý: gửi về Văn phòng Sở trước ngày 12 của tháng cuối quý.",
    "3. Báo cáo 6 tháng gửi trước ngày 05/6/2026; báo cáo năm gửi trước ngày 05/11/2026.",
    "4. Phòng Giáo dục Trung học - Giáo dục thường xuyên tổng hợp số liệu của các trường trung"
    " học phổ thông và Trung tâm GDNN-GDTX, gửi Văn phòng Sở trước ngày 20 hằng tháng.",
    "5. Phòng Khảo thí, Quản lý chất lượng và Công nghệ thông tin chủ trì vận hành phần mềm báo"
    " cáo trực tuyến, hướng dẫn các đơn vị nhập số liệu; hoàn thành việc cấp tài khoản trước"
    " ngày 10/3/2026.",
    "Sở tổ chức tập huấn sử dụng phần mềm báo cáo vào ngày 04/3/2026 tại Trường THPT"
    " Trần Cao Vân.",
    "Báo cáo gửi bằng văn bản điện tử qua Hệ thống quản lý văn bản và điều hành của tỉnh.",
    "Nơi nhận:",
    "- Như trên;",
    "- UBND tỉnh (để báo cáo);",
    "- Lưu: VT, VP.",
    "GIÁM ĐỐC",
    "Lê Thị Thu Hằng",
)

# --- C. Hà Tĩnh: inspection plan, .docx, quarterly wording, group rows -----------------------
HA_TINH_HEADER = (
    ("UBND TỈNH HÀ TĨNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Độc lập - Tự do - Hạnh phúc"),
    ("Số: 412/KH-SGDĐT", "Hà Tĩnh, ngày 03 tháng 3 năm 2026"),
)
HA_TINH_BODY = (
    "KẾ HOẠCH",
    "Kiểm tra công tác cải cách hành chính năm 2026",
    "Căn cứ Kế hoạch số 19/KH-SGDĐT ngày 12/01/2026 của Sở Giáo dục và Đào tạo về cải cách"
    " hành chính năm 2026, Sở Giáo dục và Đào tạo ban hành Kế hoạch kiểm tra công tác cải cách"
    " hành chính năm 2026 như sau:",
    "I. MỤC ĐÍCH",
    "- Đánh giá việc thực hiện nhiệm vụ CCHC tại các phòng, đơn vị; kịp thời chấn chỉnh hạn chế.",
    "II. NỘI DUNG, THỜI GIAN KIỂM TRA",
    "(Chi tiết tại bảng dưới đây)",
    "III. TỔ CHỨC THỰC HIỆN",
    "1. Thanh tra Sở là đầu mối tổng hợp kết quả kiểm tra; báo cáo kết quả kiểm tra gửi Giám"
    " đốc Sở trước ngày 15/12/2026.",
    "2. Phòng Pháp chế và Quản lý hành chính phối hợp xây dựng bộ câu hỏi kiểm tra về thủ tục"
    " hành chính, hoàn thành trước ngày 31/3/2026.",
    "3. Đơn vị được kiểm tra gửi báo cáo tự kiểm tra về Thanh tra Sở chậm nhất 05 ngày làm việc"
    " trước ngày kiểm tra.",
    "4. Kết quả kiểm tra là căn cứ đánh giá, xếp loại thi đua năm học 2026-2027.",
    "Nơi nhận:",
    "- Giám đốc Sở (để báo cáo);",
    "- Các phòng thuộc Sở;",
    "- Các đơn vị trực thuộc;",
    "- Lưu: VT, TTr.",
    "KT. GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "Trần Quang Huy",
)
HA_TINH_TASKS = (
    ("A. KIỂM TRA THEO KẾ HOẠCH",),
    (
        "1",
        "Kiểm tra việc niêm yết, công khai thủ tục hành chính tại các trường THPT",
        "Thanh tra Sở",
        "Văn phòng Sở",
        "Quý II/2026",
        "Biên bản kiểm tra",
    ),
    (
        "2",
        "Kiểm tra việc thực hiện cơ chế một cửa tại Bộ phận tiếp nhận và trả kết quả",
        "Văn phòng Sở",
        "Phòng Pháp chế và Quản lý hành chính",
        "Tháng 4/2026",
        "Biên bản kiểm tra",
    ),
    (
        "3",
        "Kiểm tra việc chấp hành kỷ luật, kỷ cương hành chính và chế độ công vụ",
        "Phòng Tổ chức cán bộ",
        "Thanh tra Sở",
        "Quý III/2026",
        "Thông báo kết luận",
    ),
    (
        "4",
        "Kiểm tra việc quản lý, sử dụng tài sản công tại các đơn vị sự nghiệp",
        "Phòng Kế hoạch - Tài chính",
        "Thanh tra Sở",
        "Quý IV/2026",
        "Thông báo kết luận",
    ),
    (
        "5",
        "Kiểm tra việc sử dụng phần mềm quản lý trường học và học bạ số",
        "Phòng Giáo dục Trung học",
        "Phòng Pháp chế và Quản lý hành chính",
        "Tháng 9/2026",
        "Biên bản kiểm tra",
    ),
    ("B. TỰ KIỂM TRA",),
    (
        "6",
        "Tự kiểm tra công tác CCHC tại các đơn vị trực thuộc",
        "Các đơn vị trực thuộc",
        "Văn phòng Sở",
        "Trước ngày 30/9/2026",
        "Báo cáo tự kiểm tra",
    ),
)

# --- D. Vĩnh Long: directive on digitisation, .md -------------------------------------------
VINH_LONG_MD = """UBND TỈNH VĨNH LONG
SỞ GIÁO DỤC VÀ ĐÀO TẠO

Số: 1057/SGDĐT-KTQLCL

Vĩnh Long, ngày 14 tháng 4 năm 2026

V/v đẩy mạnh số hóa hồ sơ, kết quả giải quyết thủ tục hành chính

Kính gửi:

- Trưởng các phòng thuộc Sở;
- Hiệu trưởng các trường trung học phổ thông.

Thực hiện Công văn số 1321/UBND-KSTTHC ngày 02/4/2026 của Ủy ban nhân dân tỉnh về việc đẩy
mạnh số hóa hồ sơ, kết quả giải quyết thủ tục hành chính, Sở Giáo dục và Đào tạo đề nghị:

1. Phòng Khảo thí và Quản lý chất lượng giáo dục (Phòng KT&QLCL) chủ trì số hóa kết quả giải
quyết thủ tục cấp bản sao văn bằng, chứng chỉ từ sổ gốc; hoàn thành trước ngày 31/7/2026.

2. Văn phòng Sở hướng dẫn các phòng cập nhật kết quả số hóa trên Hệ thống thông tin giải quyết
thủ tục hành chính của tỉnh; báo cáo tiến độ số hóa hằng tháng trước ngày 25.

3. Phòng Giáo dục Thường xuyên, Giáo dục Nghề nghiệp và Đại học phối hợp rà soát hồ sơ văn
bằng giáo dục thường xuyên, gửi danh mục hồ sơ cần số hóa về Phòng KT&QLCL trước ngày 15/6/2026.

4. Các trường trung học phổ thông cập nhật dữ liệu học sinh tốt nghiệp năm 2026 vào cơ sở dữ
liệu ngành trước ngày 30/8/2026.

Sở Giáo dục và Đào tạo làm việc với Sở Khoa học và Công nghệ về kho dữ liệu dùng chung vào
ngày 22/4/2026.

**Nơi nhận:**

- Như trên;
- Lưu: VT, KTQLCL.

**KT. GIÁM ĐỐC**
**PHÓ GIÁM ĐỐC**

**Võ Thành Nhân**
"""

# --- E. Phú Thọ: five-year plan, .pdf, catalogue table --------------------------------------
PHU_THO_LINES = (
    "UBND TỈNH PHÚ THỌ",
    "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 55/KH-SGDĐT",
    "Phú Thọ, ngày 10 tháng 02 năm 2026",
    "KẾ HOẠCH",
    "Cải cách hành chính giai đoạn 2026-2030 của Sở Giáo dục và Đào tạo",
    "Căn cứ Quyết định số 388/QĐ-UBND ngày 30/01/2026 của Ủy ban nhân dân tỉnh Phú Thọ ban hành"
    " Kế hoạch cải cách hành chính nhà nước tỉnh Phú Thọ giai đoạn 2026-2030; Sở Giáo dục và"
    " Đào tạo xây dựng Kế hoạch như sau:",
    "I. MỤC TIÊU",
    "- Đến năm 2030, 100% hồ sơ thủ tục hành chính của Sở được số hóa; mức độ hài lòng của người"
    " dân đối với dịch vụ giáo dục công đạt tối thiểu 92%.",
    "II. TỔ CHỨC THỰC HIỆN",
    "1. Văn phòng Sở là cơ quan thường trực CCHC, tổng hợp báo cáo kết quả thực hiện Kế hoạch.",
    "2. Phòng Tổ chức cán bộ chủ trì tham mưu cải cách tổ chức bộ máy và cải cách chế độ công vụ.",
    "3. Phòng Kế hoạch - Tài chính chủ trì tham mưu cải cách tài chính công.",
    "4. Phòng Công nghệ thông tin và Chuyển đổi số chủ trì xây dựng cơ sở dữ liệu ngành.",
    "5. Các phòng, đơn vị báo cáo kết quả thực hiện Kế hoạch định kỳ 6 tháng (trước ngày 15/6)"
    " và năm (trước ngày 15/11) gửi về Văn phòng Sở.",
    "Sơ kết giữa kỳ vào năm 2028; tổng kết thực hiện Kế hoạch vào Quý IV/2030.",
    "Nơi nhận:",
    "- UBND tỉnh;",
    "- Lưu: VT, VP.",
    "GIÁM ĐỐC",
    "Bùi Minh Tuấn",
    "DANH MỤC NHIỆM VỤ GIAI ĐOẠN 2026-2030",
)
PHU_THO_TASKS = (
    (
        "1",
        "Xây dựng kế hoạch CCHC hằng năm của Sở",
        "Văn phòng Sở",
        "Các phòng thuộc Sở",
        "Trước ngày 31/12 hằng năm",
        "Kế hoạch",
    ),
    (
        "2",
        "Đánh giá, xác định chỉ số CCHC của các phòng, đơn vị",
        "Văn phòng Sở",
        "Các phòng thuộc Sở",
        "Quý IV hằng năm",
        "Quyết định công bố chỉ số",
    ),
    (
        "3",
        "Sắp xếp, kiện toàn các phòng chuyên môn thuộc Sở",
        "Phòng Tổ chức cán bộ",
        "Văn phòng Sở",
        "Năm 2027",
        "Quyết định kiện toàn",
    ),
    (
        "4",
        "Tuyển dụng viên chức theo vị trí việc làm",
        "Phòng Tổ chức cán bộ",
        "Các đơn vị trực thuộc",
        "Hằng năm",
        "Kết quả tuyển dụng",
    ),
    (
        "5",
        "Giao tự chủ tài chính cho đơn vị sự nghiệp công lập",
        "Phòng Kế hoạch - Tài chính",
        "Các đơn vị trực thuộc",
        "Giai đoạn 2026-2030",
        "Quyết định giao tự chủ",
    ),
    (
        "6",
        "Xây dựng cơ sở dữ liệu ngành giáo dục của tỉnh",
        "Phòng Công nghệ thông tin và Chuyển đổi số",
        "Các phòng thuộc Sở",
        "Năm 2028",
        "Cơ sở dữ liệu",
    ),
    (
        "7",
        "Số hóa 100% hồ sơ, kết quả giải quyết thủ tục hành chính",
        "Văn phòng Sở",
        "Phòng Công nghệ thông tin và Chuyển đổi số",
        "Năm 2030",
        "Dữ liệu số",
    ),
)

# --- F. Gia Lai: directive on budget estimates, .docx with a borderless header -------------
GIA_LAI_HEADER = (
    ("UBND TỈNH GIA LAI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Độc lập - Tự do - Hạnh phúc"),
    ("Số: 930/SGDĐT-KHTC", "Gia Lai, ngày 02 tháng 6 năm 2026"),
    ("V/v lập dự toán kinh phí cải cách hành chính năm 2027", ""),
)
GIA_LAI_BODY = (
    "Kính gửi:",
    "- Trưởng các phòng thuộc Sở;",
    "- Thủ trưởng các đơn vị trực thuộc.",
    "Thực hiện Công văn số 1875/STC-QLNS ngày 20/5/2026 của Sở Tài chính về việc lập dự toán"
    " ngân sách năm 2027, Sở Giáo dục và Đào tạo đề nghị:",
    "1. Các phòng thuộc Sở, các đơn vị trực thuộc lập dự toán kinh phí thực hiện nhiệm vụ cải"
    " cách hành chính năm 2027, gửi về Phòng Kế hoạch - Tài chính trước ngày 10/7/2026.",
    "2. Phòng Kế hoạch - Tài chính (Phòng KHTC) tổng hợp, thẩm định, trình Giám đốc Sở trước"
    " ngày 25/7/2026 để gửi Sở Tài chính.",
    "3. Hằng quý, các đơn vị báo cáo tình hình sử dụng kinh phí cải cách hành chính trước ngày"
    " 05 của tháng đầu quý sau.",
    "4. Phòng Giáo dục Dân tộc phối hợp lập dự toán kinh phí hỗ trợ các trường phổ thông dân tộc"
    " nội trú, gửi Phòng KHTC trước ngày 10/7/2026.",
    "Năm 2026, kinh phí cải cách hành chính được giao là 850 triệu đồng. Sở Tài chính làm việc"
    " với Sở Giáo dục và Đào tạo về dự toán vào ngày 18/8/2026.",
    "Nơi nhận:",
    "- Như trên;",
    "- Lưu: VT, KHTC.",
    "KT. GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "Nguyễn Thị Lan Anh",
)
