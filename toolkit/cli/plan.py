"""``cchc plan``: the plan (KẾ HOẠCH) itself, regenerated from the workbook in the state format."""

from __future__ import annotations

import argparse
from pathlib import Path

from toolkit.cli.common import deliver, iso_date


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "plan",
        help="xuất lại văn bản kế hoạch (Word) từ sổ theo dõi",
        description="Xuất văn bản Kế hoạch khắc phục từ sổ theo dõi (sheet Kế hoạch và Thông tin chung), đúng "
        "thể thức Nghị định 30/2020/NĐ-CP, làm bản khởi đầu cho kế hoạch năm sau.",
    )
    p.add_argument("workbook", type=Path, help="sổ theo dõi (.xlsx, .xlsm, .xls, .ods)")
    p.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD",
                   help="ngày ban hành ghi trên kế hoạch (mặc định: Ngày ban hành kế hoạch trong Thông tin chung)")
    p.add_argument("--out", type=Path, default=Path("."), help="thư mục ghi tệp (mặc định: thư mục hiện tại)")
    p.add_argument("--pdf", action="store_true", help="xuất thêm bản PDF (cần LibreOffice)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from toolkit.reader import read_workbook
    from toolkit.report import write_plan

    wb = read_workbook(args.workbook)
    _, code = deliver(lambda: write_plan(wb, args.out, date=args.date), "Đã xuất kế hoạch", pdf=args.pdf)
    return code
