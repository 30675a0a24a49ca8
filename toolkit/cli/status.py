"""``cchc status``: completion of every item for a period, per item and per responsible official."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from toolkit.cli.common import iso_date, period


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "status",
        help="xem mức hoàn thành kế hoạch theo quý",
        description="Tính mức hoàn thành từng nội dung và toàn kế hoạch cho một kỳ báo cáo (theo dòng Tiến độ mới "
        "nhất đến kỳ đó): số nội dung đã hoàn thành, chưa hoàn thành, quá hạn, chưa báo cáo, và tổng hợp theo "
        "người phụ trách. Mã thoát: 0, hoặc 2 khi không đọc được tệp.",
    )
    p.add_argument("workbook", type=Path, help="sổ theo dõi (.xlsx, .xlsm, .xls, .ods)")
    p.add_argument("--period", type=period, metavar='"Quý III/2023"',
                   help="kỳ báo cáo (mặc định: quý của ngày tính, trong năm thực hiện kế hoạch)")
    p.add_argument("--as-of", type=iso_date, metavar="YYYY-MM-DD", help="ngày tính quá hạn (mặc định: hôm nay)")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import json
    from datetime import date

    from toolkit.api import check_file
    from toolkit.rules.status_view import as_dict, as_text
    from toolkit.rules.validate import summary

    report, a = check_file(args.workbook, as_of=args.as_of or date.today(), period=args.period)
    if a is None:
        print(f"Lỗi: {summary(report)}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(as_dict(a), ensure_ascii=False, indent=2))
    else:
        print(as_text(a))
    from toolkit.memory.ledger import drifts  # figures changed after a report was issued

    for line in drifts(args.workbook, a.wb):
        print(f"Chú ý: {line}", file=sys.stderr)
    return 0
