"""``cchc plan``: the plan (KẾ HOẠCH) from the workbook: a copy of the issued plan (SAO Y) or a new plan."""

from __future__ import annotations

import argparse
from pathlib import Path

from toolkit.cli.common import deliver


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "plan",
        help="xuất văn bản kế hoạch (Word): bản sao y kế hoạch đã ban hành, hoặc kế hoạch mới (--new)",
        description="Xuất văn bản Kế hoạch khắc phục từ sổ theo dõi (sheet Kế hoạch và Thông tin chung), đúng "
        "thể thức Nghị định 30/2020/NĐ-CP. Mặc định là bản SAO Y kế hoạch đã ban hành (giữ nguyên văn, số và ngày "
        "của kế hoạch); với --new là kế hoạch mới, để trống số và ngày, làm bản khởi đầu cho kế hoạch năm sau.",
    )
    p.add_argument("workbook", type=Path, help="sổ theo dõi (.xlsx, .xlsm, .xls, .ods)")
    p.add_argument("--new", action="store_true", help="kế hoạch mới: để trống số và ngày ban hành, không có phần sao y")
    p.add_argument("--out", type=Path, default=Path("."), help="thư mục ghi tệp (mặc định: thư mục hiện tại)")
    p.add_argument("--pdf", action="store_true", help="xuất thêm bản PDF (cần LibreOffice)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from toolkit.report.write import write_plan
    from toolkit.workbook.reader import read_workbook

    wb = read_workbook(args.workbook)
    done = "Đã xuất kế hoạch mới (số, ngày để trống)" if args.new else "Đã xuất bản sao y kế hoạch"
    _, code = deliver(lambda: write_plan(wb, args.out, new=args.new), done, pdf=args.pdf)
    return code
