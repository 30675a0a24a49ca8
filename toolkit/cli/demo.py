"""``cchc demo``: run the main job on the built-in example."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        help="chạy thử toàn bộ trên sổ theo dõi ví dụ",
        description="Chạy thử trên sổ theo dõi ví dụ của xã Đăktover (năm 2023): tạo sổ mới, đọc, kiểm tra, "
        "tính tiến độ, lập báo cáo và thư nhắc việc; mọi tệp ghi vào một thư mục.",
    )
    p.add_argument("--out", type=Path, default=Path("cchc-demo"), help="thư mục kết quả (mặc định ./cchc-demo)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from toolkit.demo import run_demo

    ctx = run_demo(args.out)
    print("\nCác tệp đã tạo:")
    for label, path in ctx.files:
        print(f"  - {label}: {path}")
    print(f"\nKết quả chạy thử nằm trong thư mục: {ctx.out.resolve()}")
    return 0
