"""``cchc doctor``: check this PC for the button and the nightly emails, and say what to do."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "doctor",
        help="kiểm tra máy này có bấm được nút và gửi được email không",
        description="Kiểm tra trên máy đang chạy: Python mà sổ sẽ gọi, phiên bản xlwings, thư mục tạm, quyền ghi "
        "thư mục của sổ, OneDrive/SharePoint, dấu tải từ Internet, chính sách macro, tác vụ nhắc việc và máy chủ "
        "thư (chỉ kết nối, không gửi). Mỗi mục nói rõ cần làm gì. Mã thoát: 0 khi không có mục nào cần sửa, 1 "
        "khi có.",
    )
    p.add_argument("workbook", nargs="?", type=Path, help="sổ theo dõi .xlsm (bỏ trống: chỉ kiểm tra máy)")
    p.add_argument("--config", type=Path, metavar="TỆP",
                   help="tệp cài đặt cchc.toml (mặc định: cchc.toml cạnh sổ, hoặc ở thư mục hiện tại)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from toolkit.excel.doctor import FAIL, run_checks

    checks = run_checks(args.workbook, config=args.config)
    for check in checks:
        print(check.line())
    failed = sum(1 for c in checks if c.status == FAIL)
    print(f"Có {failed} mục cần sửa." if failed else "Không có mục nào cần sửa.")
    return 1 if failed else 0
