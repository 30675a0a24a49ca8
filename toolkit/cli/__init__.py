"""The ``cchc`` command: one subcommand per module in this package, each a thin layer over the library.

A subcommand module has ``register(subparsers)``, which adds its parser and sets ``run``; ``run(args)``
returns the exit code. Library errors become Vietnamese messages here, at the edge, and never tracebacks.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Subcommand modules, in the order ``cchc --help`` lists them.
COMMANDS = ("init", "validate", "status", "report", "plan", "notify", "nightly", "backups", "demo", "doctor")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cchc",
        description="Theo dõi kế hoạch khắc phục Chỉ số CCHC: tạo sổ theo dõi Excel, kiểm tra số liệu, "
        "tính tiến độ, lập báo cáo theo Nghị định 30/2020/NĐ-CP và nhắc việc qua email.",
    )
    from toolkit import __version__

    parser.add_argument("--version", action="version", version=f"cchc {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")
    for name in COMMANDS:
        importlib.import_module(f"toolkit.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``cchc`` with ``argv`` (default: the process arguments) and return the exit code."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")
    from toolkit.errors import CchcError
    from toolkit.files import OutputLocked
    from toolkit.reader import UnreadableWorkbook

    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except UnreadableWorkbook as exc:
        print(f"Lỗi: {exc.issue.message}", file=sys.stderr)
        return 2
    except (CchcError, OutputLocked) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130
