"""``cchc validate``: check a tracking workbook and list every problem at its cell."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from toolkit.cli.common import iso_date, period


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help="kiểm tra số liệu trong sổ theo dõi",
        description="Kiểm tra sổ theo dõi: ô bắt buộc, kiểu dữ liệu, giới hạn, mã nhiệm vụ và người cập nhật, số "
        "đạt và tổng số, ngày cập nhật, quý chưa báo cáo, nội dung quá hạn. Mỗi vấn đề ghi rõ sheet và ô. "
        "Mã thoát: 0 khi không có lỗi, 1 khi có lỗi, 2 khi không đọc được tệp.",
    )
    p.add_argument("workbook", type=Path, help="sổ theo dõi (.xlsx, .xlsm, .xls, .ods)")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.add_argument("--as-of", type=iso_date, metavar="YYYY-MM-DD",
                   help="ngày kiểm tra (mặc định: hôm nay); dùng để xét ngày tương lai, quý đã qua, quá hạn")
    p.add_argument("--period", type=period, metavar='"Quý III/2023"',
                   help="kỳ báo cáo dùng để xét quá hạn và quý chưa báo cáo (mặc định: quý của ngày kiểm tra, trong "
                   "năm thực hiện kế hoạch)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import json
    from datetime import date

    from toolkit.api import check_file
    from toolkit.rules.validate import report_text, summary

    report, _ = check_file(args.workbook, as_of=args.as_of or date.today(), period=args.period)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    elif not report.fatal:
        print(report_text(report))
    if report.fatal:
        print(f"Lỗi: {summary(report)}", file=sys.stderr)
        return 2
    if report.errors:
        if args.json:
            print(summary(report), file=sys.stderr)
        return 1
    return 0
