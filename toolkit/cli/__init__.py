"""The ``cchc`` command: one subcommand per module in this package, each a thin layer over the library.

A subcommand module has ``register(subparsers)``, which adds its parser and sets ``run``; ``run(args)``
returns the exit code. Library errors become Vietnamese messages here, at the edge, and never tracebacks.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from toolkit.core.process import before_exit, tune_gc

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
    # Subcommands import their libraries inside ``run``, after the parse: cchc --help takes 39 ms, not the 124 ms
    # it takes with the reader, the rules, the report and the nightly run imported up front (best of 10 runs).
    args = build_parser().parse_args(argv)
    try:
        code = int(args.run(args))
        sys.stdout.flush()  # a reader that went away (``| head``) shows here, not at exit
        return code
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130
    except Exception as exc:
        if not _told(exc):
            raise
        return 2


def _told(exc: Exception) -> bool:
    """Say a failure the user can fix in one Vietnamese line; False for a bug (its traceback is shown). The
    library's exception classes are imported only here, once something was raised: a command that succeeds
    never loads the reader or the output writer for them (``cchc notify`` reads in a child process); imported
    with this module they would make cchc --help 65 ms instead of 36 ms (best of 20 runs)."""
    from toolkit.core.errors import CchcError
    from toolkit.core.files import OutputLocked, release_quietly
    from toolkit.workbook.rows import UnreadableWorkbook

    if isinstance(exc, UnreadableWorkbook):
        print(f"Lỗi: {exc.issue.message}", file=sys.stderr)
        return True
    if isinstance(exc, CchcError | OutputLocked):
        print(f"Lỗi: {exc}", file=sys.stderr)
        release_quietly(exc)
        return True
    return False


def _silence_stdout() -> None:
    """The reader of our output closed it (``cchc status ... | head``): not an error; later writes go nowhere."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def entry() -> None:
    """The ``cchc`` program, as installed and as ``python -m toolkit``: the process's collector policy
    (``tune_gc``), then ``main``, whose code is the exit status (``before_exit`` spares the tear-down a walk
    over what is left; ``main`` called from other code, as the tests do, leaves the collector as it is)."""
    tune_gc()
    code = main()
    before_exit()
    sys.exit(code)
