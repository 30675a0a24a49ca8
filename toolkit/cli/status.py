"""``cchc status``: completion of every item for a quarter, per item and per responsible official."""

from __future__ import annotations

import argparse
from pathlib import Path

from toolkit.cli.common import iso_date, period


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "status",
        help="xem mức hoàn thành kế hoạch theo quý",
        description="Tính mức hoàn thành từng nội dung và toàn kế hoạch cho một quý (theo dòng Tiến độ mới nhất "
        "đến quý đó), nêu nội dung quá hạn, chưa báo cáo, và tổng hợp theo người phụ trách.",
    )
    p.add_argument("workbook", type=Path, help="sổ theo dõi (.xlsx, .xlsm, .xls, .ods)")
    p.add_argument("--period", type=period, metavar='"Quý III/2023"',
                   help="quý báo cáo (mặc định: quý của ngày tính, trong năm thực hiện kế hoạch)")
    p.add_argument("--as-of", type=iso_date, metavar="YYYY-MM-DD", help="ngày tính quá hạn (mặc định: hôm nay)")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import json
    from datetime import date

    from toolkit.progress import compute_progress, default_period, progress_as_dict, progress_text
    from toolkit.reader import read_workbook

    wb = read_workbook(args.workbook)  # an unreadable file becomes exit 2 with its reason in cli.main
    as_of = args.as_of or date.today()
    progress = compute_progress(wb, args.period or default_period(wb, as_of), as_of=as_of)
    if args.json:
        print(json.dumps(progress_as_dict(progress), ensure_ascii=False, indent=2))
    else:
        print(progress_text(progress, wb.officials))
    return 0
