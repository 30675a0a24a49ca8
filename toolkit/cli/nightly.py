"""``cchc nightly``: the nightly emails, on a schedule (a long-running process) or once (Task Scheduler, cron)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolkit.night.run import RunResult


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "nightly",
        help="chạy nhắc việc hằng đêm theo giờ trong tệp cài đặt",
        description="Chạy liên tục và mỗi đêm, vào giờ ghi ở schedule.at (mặc định 22:00, giờ Việt Nam), kiểm "
        "tra sổ theo dõi và gửi thư nhắc việc như lệnh cchc notify. Đêm bị lỡ vì máy tắt sẽ được chạy bù khi "
        "khởi động lại. Với --once: chạy một lần rồi thoát (dùng với Task Scheduler của Windows hoặc cron).",
    )
    p.add_argument("--config", type=Path, metavar="TỆP",
                   help="tệp cài đặt (mặc định cchc.toml trong thư mục hiện tại; tạo mẫu bằng cchc init)")
    p.add_argument("--once", action="store_true", help="chạy một lần ngay rồi thoát")
    p.set_defaults(run=run)


def print_result(result: RunResult) -> int:
    """Print what a run did, in Vietnamese, and return its exit code. "Đã gửi" is said only of what the mail
    server accepted; a message put in the outbox and not yet accepted is said to wait."""
    if result.busy:
        print("Một lượt chạy khác đang chạy; lượt này bỏ qua.", file=sys.stderr)
    if result.interrupted:
        print(f"Chú ý: lượt chạy trước ({result.interrupted}) đã bị dừng giữa chừng; lượt này đã chạy lại.",
              file=sys.stderr)
    for path in result.previews:
        print(f"Xem trước: {path}")
    for who in result.sent:
        print(f"Đã gửi (máy chủ thư đã nhận): {who}")
    if result.skipped:
        print(f"Máy chủ thư đã nhận thư hôm nay, không gửi lại: {', '.join(result.skipped)}")
    if result.held:
        print(f"Thư hôm nay đã nằm trong hộp thư đi, đang chờ gửi: {', '.join(result.held)}")
    if result.workbook_problem:
        print(f"Không đọc được sổ theo dõi: {result.workbook_problem}", file=sys.stderr)
    if result.send_error:
        print(f"Chưa gửi được: {result.send_error}", file=sys.stderr)
    if result.waiting:
        print(f"{result.waiting} thư đang chờ trong hộp thư đi (chưa gửi); lần chạy sau sẽ gửi lại.", file=sys.stderr)
    if result.error:
        print(f"Lỗi: {result.error}", file=sys.stderr)
    elif not (result.previews or result.sent or result.skipped or result.held or result.waiting
              or result.workbook_problem):
        print("Không có thư nào cần gửi.")
    return result.exit_code


def run(args: argparse.Namespace) -> int:
    from datetime import datetime

    from toolkit.core.settings import find_settings, load_settings
    from toolkit.night.run import configure_logging, run_forever, run_scheduled_once

    settings = load_settings(find_settings(args.config))
    settings.require_workbook()
    settings.require_sender()
    if args.once:
        configure_logging(settings, echo=False)
        return print_result(run_scheduled_once(settings, now=datetime.now(settings.schedule.tz)))
    configure_logging(settings, echo=True)
    print(f"cchc nightly: chạy lúc {settings.schedule.at:%H:%M} hằng ngày ({settings.schedule.timezone}); "
          f"nhật ký ở {settings.paths.log}. Nhấn Ctrl+C để dừng.")
    run_forever(settings)
    return 0
