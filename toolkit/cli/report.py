"""``cchc report``: the quarterly report (BÁO CÁO) in the state format, from the workbook."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from toolkit.cli.common import deliver, iso_date, period


def register(sub: Any) -> None:
    p = sub.add_parser(
        "report",
        help="lập báo cáo quý (Word, theo Nghị định 30/2020/NĐ-CP)",
        description="Lập báo cáo kết quả thực hiện kế hoạch cho một quý: số liệu, mức độ hoàn thành, tình trạng, "
        "minh chứng từng nội dung, nhiệm vụ quá hạn và quý tới, đề xuất của cán bộ, phụ lục bảng tổng hợp và biểu "
        "đồ; đúng thể thức Nghị định 30/2020/NĐ-CP. Sổ theo dõi chỉ được đọc, không bị ghi.",
    )
    p.add_argument("workbook", type=Path, help="sổ theo dõi (.xlsx, .xlsm, .xls, .ods)")
    p.add_argument("--period", type=period, metavar='"Quý III/2023"',
                   help="quý báo cáo (mặc định: quý của ngày báo cáo, trong năm thực hiện kế hoạch)")
    p.add_argument("--number", type=int, metavar="N",
                   help="số báo cáo (mặc định: Số báo cáo tiếp theo trong sheet Thông tin chung); số dưới 10 "
                   "được thêm số 0 ở trước, ví dụ 05")
    p.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD",
                   help="ngày báo cáo, cũng là ngày tính quá hạn (mặc định: hôm nay)")
    p.add_argument("--out", type=Path, default=Path("."), help="thư mục ghi báo cáo (mặc định: thư mục hiện tại)")
    p.add_argument("--pdf", action="store_true", help="xuất thêm bản PDF (cần LibreOffice)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from toolkit.assess import assess, current_period
    from toolkit.reader import read_workbook
    from toolkit.report import write_report

    if args.number is not None and not 1 <= args.number <= 9999:
        print(f"Lỗi: số báo cáo {args.number} không hợp lệ; hãy nhập số từ 1, ví dụ --number 5.", file=sys.stderr)
        return 2
    wb = read_workbook(args.workbook)  # an unreadable file becomes exit 2 with its reason in cli.main
    day = args.date or date.today()
    progress = assess(wb, as_of=day, period=args.period or current_period(wb, day))
    path, code = deliver(lambda: write_report(wb, progress, args.out, number=args.number, date=day),
                         f"Đã lập báo cáo {progress.period.label}", pdf=args.pdf)
    from toolkit.ledger import record_issued  # [history] an issued report's figures go into the ledger

    if problem := record_issued(args.workbook, wb, progress.period, number=args.number, day=day, document=path,
                                assessment=progress):
        print(f"Chú ý: {problem}", file=sys.stderr)
    checked = progress.report
    if checked.errors:
        print(f"Chú ý: sổ theo dõi còn {checked.errors} lỗi, {checked.warnings} cảnh báo; ô lỗi không được tính vào "
              f"báo cáo. Chạy «cchc validate {args.workbook}» để xem và sửa.", file=sys.stderr)
    return code
