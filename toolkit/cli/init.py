"""``cchc init``: create a tracking workbook for the plan."""

from __future__ import annotations

import argparse
import sys
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
                   "nút «Kiểm tra & tạo báo cáo» (mặc định theo_doi_cchc_<năm>.xlsm; đặt tên gì cũng được), "
                   ".xlsx không có macro")
    p.add_argument("--plan", type=Path, metavar="TỆP", help="kế hoạch đã ban hành (.docx, .txt hoặc .md) để lấy các "
                   "nội dung, người phụ trách, thời hạn, người ký, nơi nhận; điều gì không hiểu được sẽ được in ra "
                   "và đánh dấu ô trong sổ (mã thoát 1 nếu có ô bắt buộc còn trống, 2 nếu không đọc được tệp)")
    p.add_argument("--year", type=int, help="năm theo dõi (mặc định: năm của kế hoạch)")
    p.add_argument("--force", action="store_true", help="ghi đè nếu tệp đã có")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from toolkit.create import create_workbook

    plan = None
    if args.plan is not None:
        from toolkit.planparse import import_plan, problem_lines

        plan = import_plan(args.plan)
        if plan.fatal:
            print("\n".join(f"Lỗi: {line}" for line in problem_lines(plan)), file=sys.stderr)
            return 2
    path = create_workbook(args.path, year=args.year, force=args.force, plan=plan)
    print(f"Đã tạo sổ theo dõi: {path}")
    if path.suffix.lower() == ".xlsm":
        print(f"Kiểm tra máy này có bấm được nút không: cchc doctor \"{path}\"")
    if plan is not None:
        print("\n".join(problem_lines(plan)))
        return 1 if plan.errors else 0
    return 0
