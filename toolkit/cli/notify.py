"""``cchc notify``: check the shared workbook and email each official their problems, the Office the digest."""

from __future__ import annotations

import argparse
from pathlib import Path

from toolkit.cli.common import iso_date, period


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "notify",
        help="kiểm tra sổ theo dõi và gửi thư nhắc việc ngay",
        description="Đọc bản sao sổ theo dõi dùng chung, kiểm tra số liệu, gửi cho mỗi cán bộ các ô cần sửa trong "
        "dòng mình nhập hoặc phụ trách, nội dung quá hạn, sắp đến hạn, quý chưa báo cáo; gửi Văn phòng bản tổng "
        "hợp. Mỗi người nhận tối đa một thư mỗi ngày; thư chưa gửi được nằm trong hộp thư đi đến lần chạy sau. "
        "Mã thoát: 0 đã gửi xong, 1 còn thư chờ gửi hoặc không đọc được sổ, 2 cài đặt cần sửa.",
    )
    p.add_argument("--config", type=Path, metavar="TỆP",
                   help="tệp cài đặt (mặc định cchc.toml trong thư mục hiện tại; tạo mẫu bằng cchc init)")
    p.add_argument("--dry-run", action="store_true",
                   help="không gửi: ghi các thư (.eml) vào thư mục xem-truoc trong hộp thư đi để xem trước")
    p.add_argument("--as-of", type=iso_date, metavar="YYYY-MM-DD", help="ngày kiểm tra (mặc định: hôm nay)")
    p.add_argument("--period", type=period, metavar='"Quý III/2023"',
                   help="kỳ báo cáo để xét quá hạn, chưa báo cáo (mặc định: quý của ngày kiểm tra, trong năm thực hiện "
                   "kế hoạch, xét tại ngày kiểm tra)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from toolkit.night.child import spare_child

    with spare_child():  # the child that reads the workbook starts loading now, while this process gets ready
        from datetime import datetime

        from toolkit.core.settings import find_settings, load_settings
        from toolkit.night.run import configure_logging, run_once

        settings = load_settings(find_settings(args.config))
        configure_logging(settings, echo=False)
        result = run_once(settings, now=datetime.now(settings.schedule.tz), as_of=args.as_of, dry_run=args.dry_run,
                          period=args.period)
    from toolkit.cli.nightly import print_result

    return print_result(result)
