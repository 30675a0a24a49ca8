"""``cchc init``: create a tracking workbook for the plan."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "init",
        help="tạo sổ theo dõi Excel mới từ kế hoạch",
        description="Tạo sổ theo dõi Excel (Kế hoạch, Tiến độ, Cán bộ, Thông tin chung, Hướng dẫn) cho kế hoạch "
        "khắc phục Chỉ số CCHC, có danh sách thả xuống và hướng dẫn nhập liệu.",
    )
    p.add_argument("path", nargs="?", type=Path, help="tệp cần tạo; phần mở rộng quyết định định dạng: .xlsm có "
                   "nút «Kiểm tra & tạo báo cáo» (mặc định theo_doi_cchc_<năm>.xlsm; tên chỉ gồm chữ không dấu, "
                   "chữ số, dấu _), .xlsx không có macro")
    p.add_argument("--year", type=int, help="năm theo dõi (mặc định: năm của kế hoạch)")
    p.add_argument("--force", action="store_true", help="ghi đè nếu tệp đã có")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from toolkit.create import create_workbook

    path = create_workbook(args.path, year=args.year, force=args.force)
    print(f"Đã tạo sổ theo dõi: {path}")
    if path.suffix.lower() == ".xlsm":
        print(f"Kèm mô-đun Python của nút bấm: {path.with_suffix('.py')} (để cùng thư mục với sổ, không đổi tên).")
    return 0
