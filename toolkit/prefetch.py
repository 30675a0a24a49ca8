"""Starting to read a workbook file while the rest of the program loads.

``cchc validate``, ``status`` and ``report`` know their workbook as soon as their arguments are parsed.
``start(path)`` then opens it in a thread: the file's checks and scans (``filesource.open_source``) and
calamine's parse of the contract sheets, which leaves Python's lock, so the main thread meanwhile loads the
checks, the assessment and the report (about a twentieth of a second on a big log). ``reader.read_workbook``
takes what was started for the same, unchanged file (``take``) and reads from it exactly as from a file it
opened itself; anything that went wrong in the thread is left for the reader to meet again and report.

This module imports nothing heavy itself: the thread does.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

_started: dict[str, Early] = {}


class Early(threading.Thread):
    """One workbook opened and parsed ahead of the reader.

    ``opened`` is set once the file is open (``src``, ``names``) or failed (``failed``); each parsed sheet is
    in ``sheets`` under its actual name. The calamine book is used by this thread alone until it ends.
    """

    def __init__(self, path: Path) -> None:
        super().__init__(name="cchc-prefetch")
        self.path = path
        self.stamp = _stamp(path)
        self.opened = threading.Event()
        self.parsing = threading.Event()  # calamine is parsing (and has left Python's lock to this thread)
        self.parsed = threading.Condition()
        self.src: Any = None
        self.names: list[str] = []
        self.sheets: dict[str, Any] = {}
        self.failed = self.finished = False

    def run(self) -> None:
        try:
            import python_calamine as calamine

            from .filesource import contract_sheets, open_source
            from .schema import INFO_SHEET, PLAN, PROGRESS, ROSTER

            self.src = open_source(self.path, lambda p: calamine.CalamineWorkbook.from_path(str(p)))
            self.names = list(self.src.book.sheet_names)
        except BaseException:  # the reader opens the file again and says what is wrong with it
            self.failed = True
            self.parsing.set()
            return
        finally:
            self.opened.set()
        tables = contract_sheets(self.names, [])
        try:
            for wanted in (PROGRESS.name, PLAN.name, ROSTER.name, INFO_SHEET):  # the big one first
                actual = tables.get(wanted)
                if actual is not None:
                    self.parsing.set()
                    ws = self.src.book.get_sheet_by_name(actual)
                    with self.parsed:
                        self.sheets[actual] = ws
                        self.parsed.notify_all()
        except BaseException:  # the reader parses what is missing and meets the error itself
            pass
        finally:
            self.parsing.set()
            with self.parsed:
                self.finished = True
                self.parsed.notify_all()

    def sheet(self, name: str) -> Any:
        """The parsed sheet ``name`` as soon as it is; None when this thread did not parse it (it has ended by
        then, so the book is free for the caller)."""
        with self.parsed:
            self.parsed.wait_for(lambda: name in self.sheets or self.finished)
            return self.sheets.get(name)


def start(path: Path) -> None:
    """Open and parse the workbook at ``path`` in a thread, for ``take``; nothing when it is not a file."""
    try:
        if not path.is_file():
            return
    except OSError:
        return
    early = Early(path)
    _started[str(path)] = early
    early.start()
    # The thread's own loading and the file's checks go first, unshared; then calamine parses without Python's
    # lock while this thread loads the command.
    early.parsing.wait(timeout=2)


def take(path: Path) -> Early | None:
    """What ``start`` began for ``path``, once open; None when nothing was started, the file changed since, or
    it could not be opened (the caller opens it itself)."""
    early = _started.pop(str(path), None)
    if early is None:
        return None
    early.opened.wait()
    if early.failed or early.stamp != _stamp(path):
        early.join()
        if early.src is not None:
            early.src.close()
        return None
    return early


def discard() -> None:
    """Close what was started and never taken (a command that failed before reading its workbook)."""
    while _started:
        _, early = _started.popitem()
        early.join()
        if early.src is not None:
            early.src.close()


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns
