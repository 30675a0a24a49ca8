"""Generate ``workbooks/theo_doi_cchc_2023.xlsx``: the real plan with a year of progress rows.

Run ``python workbooks/make_example.py`` from the repository root; the output is byte-for-byte reproducible
(fixed creation time, no randomness). The officials and figures are invented but plausible; the plan items,
unit, signer and recipients are the real plan's. The plan's own number and date are not in the plan text, so
the example fills in invented ones (``52/KH-UBND``, 10/8/2023) as an Office would.

Officials here write with varying care. ``FLAWS`` lists every imperfection on purpose, with its cell, so the
validation tests can assert that exactly these are reported. Everything not listed is meant to be clean.
"""

from __future__ import annotations

import sys
import unicodedata
from datetime import date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from toolkit.core.example_plan import plan_info, plan_items  # noqa: E402
from toolkit.core.model import Official, ProgressRow  # noqa: E402
from toolkit.core.period import Period  # noqa: E402
from toolkit.core.schema import KIND_MIN, PROGRESS, Kind  # noqa: E402
from toolkit.workbook.builder import Built, build_workbook  # noqa: E402

OUTPUT = HERE / "theo_doi_cchc_2023.xlsx"
DOMAIN = "daktover.example.vn"

NHUNG = "Nguyễn Thị Hồng Nhung"
HLIM = "Rơ Mah H'Lim"
THANH = "Lê Văn Thành"
NGUYET = "Siu Thị Nguyệt"
TU = "Đinh Văn Tú"

OFFICIALS = [
    Official(name=NHUNG, position="Văn phòng - Thống kê", email=f"nhung.vp@{DOMAIN}", phone="0905 112 233"),
    Official(name=HLIM, position="Tư pháp - Hộ tịch", email=f"hlim.tp@{DOMAIN}", phone="0914 223 344"),
    Official(name=THANH, position="Văn hóa - Xã hội", email=f"thanh.vhxh@{DOMAIN}", phone="0935 334 455"),
    Official(name=NGUYET, position="Văn hóa - Thông tin", email=f"nguyet.vhtt@{DOMAIN}", phone="0976 445 566"),
    Official(name=TU, position="Các công chức chuyên môn của UBND xã", email=f"tu.dcxd@{DOMAIN}",
             phone="0988 556 677"),
    Official(name="Trần Thành Trung", position="Phó Chủ tịch UBND xã", email=f"trung.pct@{DOMAIN}",
             phone="0912 667 788"),
]

# When each quarter's rows were typed.
UPDATED = {1: date(2023, 4, 6), 2: date(2023, 7, 7), 3: date(2023, 10, 9), 4: date(2023, 12, 15)}
IP, DONE, NOT = "Đang thực hiện", "Hoàn thành", "Chưa thực hiện"

# (code, quarter) -> (updater, achieved, total, status, result, difficulties, proposals, evidence)
ROWS: dict[tuple[str, int], tuple] = {
    ("1.1", 1): (NHUNG, 17, 21, IP, "Rà soát trình độ 21 cán bộ, công chức; 4 người chưa đạt chuẩn trình độ "
                 "lý luận chính trị.", "", "", "Báo cáo số 12/BC-UBND ngày 05/4/2023"),
    ("1.1", 2): (NHUNG, 18, 21, IP, "Cử 2 công chức đi học lớp trung cấp lý luận chính trị.", "", "",
                 "Quyết định số 45/QĐ-UBND"),
    ("1.1", 3): (NHUNG, 19, 21, IP, "Thêm 1 công chức hoàn thành lớp bồi dưỡng chuyên môn.",
                 "Kinh phí cử đi học còn hạn chế.", "Đề nghị huyện mở thêm lớp trung cấp lý luận chính trị "
                 "tại huyện trong quý IV.", "Giấy chứng nhận số 318/GCN"),
    ("1.1", 4): (NHUNG, 20, 21, IP, "20/21 cán bộ, công chức đạt chuẩn; 1 trường hợp đang làm thủ tục "
                 "nghỉ hưu trước tuổi.", "", "", "Tờ trình số 31/TTr-UBND"),
    ("1.2", 1): (TU, 412, 450, IP, "Phát hành 412/450 văn bản qua hệ thống QLVBĐH.", "", "", "Sổ theo dõi "
                 "văn bản đi quý I"),
    ("1.2", 2): (TU, 505, 530, IP, "Phát hành 505/530 văn bản qua hệ thống QLVBĐH.", "Đường truyền mạng "
                 "chập chờn.", "", "Sổ theo dõi văn bản đi quý II"),
    ("1.2", 3): (TU, 590, 598, IP, "Chỉ còn 8 văn bản giấy do mất điện kéo dài.", "", "Đề nghị trang bị bộ "
                 "lưu điện cho máy chủ.", "Sổ theo dõi văn bản đi quý III"),
    ("1.2", 4): (TU, 640, 640, DONE, "100% văn bản đi được phát hành qua hệ thống QLVBĐH.", "", "",
                 "Trích xuất hệ thống QLVBĐH ngày 14/12/2023"),
    ("1.3", 1): (NHUNG, 120, 400, IP, "Số hóa 120 hồ sơ công việc.", "", "", "Danh mục hồ sơ điện tử"),
    ("1.3", 2): (NHUNG, 190, 420, IP, "Số hóa thêm hồ sơ, đạt 45,2%.", "", "", "Danh mục hồ sơ điện tử"),
    ("1.3", 3): (NHUNG, 260, 430, IP, "Đạt 60,5%, vượt chỉ tiêu 50%.", "", "", "Danh mục hồ sơ điện tử"),
    ("1.3", 4): (NHUNG, 300, 450, DONE, "Đạt 66,7%, vượt chỉ tiêu.", "", "", "Danh mục hồ sơ điện tử"),
    ("1.4", 2): (TU, 35, 310, IP, "", "Người dân chưa quen nộp hồ sơ trực tuyến.", "", ""),
    ("1.4", 3): (TU, 88, 330, IP, "Hướng dẫn người dân nộp hồ sơ trực tuyến tại Bộ phận Một cửa.", "",
                 "Đề nghị huyện hỗ trợ thiết bị ký số cho Bộ phận Một cửa.", "Sổ tiếp nhận hồ sơ"),
    ("1.4", 4): (TU, 130, 350, IP, "130/350 hồ sơ tiếp nhận, xử lý trực tuyến toàn trình.", "", "",
                 "Trích xuất Cổng dịch vụ công"),
    ("1.5", 1): (THANH, 6, 10, IP, "Bổ sung 6/10 chuyên mục theo quy định.", "", "", "Trang TTĐT xã"),
    ("1.5", 2): (THANH, 8, 10, IP, "Bổ sung 8/10 chuyên mục.", "", "", "Trang TTĐT xã"),
    ("1.5", 3): (THANH, 10, 10, DONE, "Bổ sung đủ chuyên mục “Hỏi – đáp” & “Lịch công tác” <đã kiểm tra>.",
                 "", "", "https://daktover.example.vn/lich-cong-tac"),
    ("1.5", 4): (THANH, 10, 10, DONE, "Duy trì đủ 10/10 chuyên mục.", "", "", "Trang TTĐT xã"),
    ("1.6", 1): (NHUNG, 700, 820, IP, "Sao y, số hóa 700/820 văn bản đến.", "", "", "Sổ văn bản đến"),
    ("1.6", 2): (NHUNG, 900, 960, IP, "Sao y, số hóa 900/960 văn bản đến.", "", "", "Sổ văn bản đến"),
    ("1.6", 3): (NHUNG, 1010, 1030, DONE, "Sao y, số hóa 1010/1030 văn bản đến.", "", "", "Sổ văn bản đến"),
    ("1.6", 4): (NHUNG, 1190, 1200, IP, "Sao y, số hóa 1190/1200 văn bản đến.", "Máy quét hỏng 2 tuần.",
                 "Đề nghị sửa chữa máy quét của Văn phòng.", "Sổ văn bản đến"),
    ("1.7", 1): (TU, 15, 280, IP, "Nhập 15 hồ sơ dịch vụ công trực tuyến.", "", "", "Cổng dịch vụ công"),
    ("1.7", 3): (TU, 60, 300, IP, "Nhập 60 hồ sơ dịch vụ công trực tuyến một phần và toàn trình.", "", "",
                 "Cổng dịch vụ công"),
    ("1.7", 4): (TU, 95, 320, IP, "Nhập 95 hồ sơ dịch vụ công trực tuyến.", "", "", "Cổng dịch vụ công"),
    ("1.8", 1): (NGUYET, 3, 12, IP, "Đăng 3 tin bài tuyên truyền CCHC.", "", "", "Trang TTĐT xã"),
    ("1.8", 2): (NGUYET, 6, 12, IP, "Đăng 6 tin bài; treo 2 băng rôn.", "", "", "Trang TTĐT xã, Zalo xã"),
    ("1.8", 3): (NGUYET, 9, 12, IP, "Đăng 9 tin bài trên Trang TTĐT và Zalo.", "", "", "Trang TTĐT xã"),
    ("1.8", 4): (NGUYET, 12, 12, DONE, "Hoàn thành 12/12 tin bài theo kế hoạch.", "", "", "Trang TTĐT xã"),
}

# Rows typed carelessly: (code, quarter) -> {field: raw value as typed}. Each is listed in FLAWS.
CARELESS: dict[tuple[str, int], dict[str, object]] = {
    ("1.1", 2): {"updater": NHUNG + "\u00a0"},  # a non-breaking space pasted from a web page
    ("1.5", 1): {"updater": unicodedata.normalize("NFD", THANH)},  # typed with a decomposed-Unicode keyboard
    ("1.6", 2): {"achieved": "900"},  # a number typed as text
    ("1.3", 3): {"updated": "09/10/2023"},  # a date typed as text, day first
    ("1.7", 3): {"updated": "10/13/2023"},  # month first: not a date
    ("1.8", 2): {"period": "Quý 2/2023"},  # the quarter spelled with an Arabic numeral
    ("1.2", 4): {"status": "hoàn thành "},  # lower case with a trailing space
}
HIDDEN = {("1.8", 1)}  # a row someone hid
DONE_SHORT = ("1.6", 3)  # "Hoàn thành" at 1010/1030 = 98.1% against a 100% target
DUPLICATE = ("1.5", 4)  # typed twice on the same day
BLANK_AFTER_QUARTER = 2  # an empty row left between the quarter II and quarter III blocks
MERGED_PERIOD = (("1.1", 4), ("1.2", 4))  # Kỳ báo cáo merged over these two rows

PLAN_DATE = date(2023, 8, 10)  # invented, as the docstring says
FLAWS: list[tuple[str, str]] = []  # (cell, what is wrong), filled in by progress_rows()


def progress_rows() -> list[ProgressRow]:
    rows: list[ProgressRow] = []
    FLAWS.clear()
    excel_row = 2
    codes = [it.code for it in plan_items()]
    for q in range(1, 5):
        for code in codes:
            data = ROWS.get((code, q))
            if data is None:
                ended_before_plan = Period(2023, q).end < PLAN_DATE
                FLAWS.append((f"(no row) {code} {Period(2023, q).label}",
                              "quarter ended before the plan was issued: not reportable, no warning"
                              if ended_before_plan else "past quarter with no report"))
                continue
            updater, achieved, total, status, result, diff, prop, evidence = data
            fields = dict(code=code, period=Period(2023, q), updated=UPDATED[q], updater=updater,
                          achieved=achieved, total=total, status=status, result=result or None,
                          difficulties=diff or None, proposals=prop or None, evidence=evidence or None)
            for field, raw in CARELESS.get((code, q), {}).items():
                fields[field] = raw
                FLAWS.append((f"{PROGRESS.letter(field)}{excel_row}", f"{field} typed as {raw!r}"))
            copies = 2 if (code, q) == DUPLICATE else 1
            for _ in range(copies):
                hidden = (code, q) in HIDDEN
                if hidden:
                    FLAWS.append((f"A{excel_row}", "hidden row"))
                rows.append(ProgressRow(row=excel_row, hidden=hidden, **fields))
                excel_row += 1
            if copies == 2:
                FLAWS.append((f"A{excel_row - 1}", "duplicate snapshot (same item, quarter and date)"))
            if (code, q) == DONE_SHORT:
                FLAWS.append((f"{PROGRESS.letter('status')}{excel_row - 1}", "Hoàn thành while short of the target"))
            if not result and status != NOT:
                FLAWS.append((f"{PROGRESS.letter('result')}{excel_row - 1}", "no Kết quả thực hiện"))
        if q == BLANK_AFTER_QUARTER:
            excel_row += 1
    return rows


def build(path: Path = OUTPUT) -> Path:
    info = plan_info()
    info.plan_number = "52/KH-UBND"
    info.plan_date = PLAN_DATE
    info.office_email = f"vanphong@{DOMAIN}"
    info.next_report_number = 5
    items = plan_items()
    # The Office decided what the plan left open: item 1.8's deadline and 1.4/1.7 remain unquantified.
    for it in items:
        if it.code == "1.8":
            it.deadline = date(2023, 12, 31)
            it.deadline_note = "Kế hoạch không ghi thời hạn; Văn phòng đề xuất trong năm 2023"
        if it.kind is None:
            it.kind = KIND_MIN
    rows = progress_rows()
    merged = [r.row for r in rows if (r.code, r.period.quarter if isinstance(r.period, Period) else 0)
              in MERGED_PERIOD]

    def customize(built: Built) -> None:
        ws = built.sheets[PROGRESS.name]
        col = PROGRESS.columns.index(PROGRESS.column("period"))
        first, last = min(merged) - 1, max(merged) - 1
        ws.merge_range(first, col, last, col, Period(2023, 4).label, built.formats[Kind.TEXT])

    FLAWS.append((f"B{min(merged)}:B{max(merged)}", "Kỳ báo cáo merged over two rows"))
    return build_workbook(path, info, items, OFFICIALS, rows,
                          customize=customize, created=datetime(2023, 12, 15, 16, 30))


if __name__ == "__main__":
    out = build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT)
    print(f"Đã tạo {out}")
    for cell, what in FLAWS:
        print(f"  {cell}: {what}")
