"""The child's part of the nightly run: everything that needs a whole workbook, and the small results it hands
back to the parent (``night.child`` starts the child and reads them).

A whole workbook (100,000 ``Tiến độ`` rows) is large to hand over and is what can exhaust memory, so the
child does all the work that needs one, under its caps: it reads, validates and assesses the copy
(``api.check_file``), then keeps the night's backup copy, reads it back, lists the changes since the copy
before it and the figures changed after a report (``history.gather``). The parent receives, in two files
written one after the other (so a child stopped while comparing copies still delivers the check):

1. ``Checked``: the report and a slim assessment (``slim``): the item states with their current rows, the
   plan items, the officials, the plan info and only the ``Tiến độ`` rows the issues point at: what routing
   and composing the emails read (``notices``, ``mail.compose``);
2. ``Remembered``: the night (``history.Night``) with the change list and the drift lines, its copies' content
   reduced the same way.

Each carries the log records the child made (``cchc`` loggers), which the parent logs again in its own log.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import pickle
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.core.files import write_bytes_atomic

if TYPE_CHECKING:  # the parent imports this module before its child starts: what the work needs loads in it
    from toolkit.core.issues import Report
    from toolkit.core.model import TrackingWorkbook
    from toolkit.core.period import Period
    from toolkit.memory.backups import Keeping
    from toolkit.memory.history import Night
    from toolkit.rules.assess import Assessment

LogLine = tuple[str, int, str]  # logger name, level, message (with its traceback, if any)


@dataclass(slots=True)
class Checked:
    """The check: the report and the slim assessment (None when the workbook could not be read)."""

    report: Report
    assessment: Assessment | None
    logs: list[LogLine] = field(default_factory=list)


@dataclass(slots=True)
class Remembered:
    """The night's backup and history (``history.gather``), its workbooks reduced to their outline."""

    night: Night
    logs: list[LogLine] = field(default_factory=list)


def outline(wb: TrackingWorkbook, rows: Iterable[int] = ()) -> TrackingWorkbook:
    """``wb`` without its bulk: the plan info, plan items and officials, and only the ``Tiến độ`` rows whose
    sheet row is in ``rows``."""
    from toolkit.core.model import TrackingWorkbook

    wanted = set(rows)
    progress = [r for r in wb.progress if r.row in wanted] if wanted else []
    return TrackingWorkbook(wb.path, wb.info, wb.items, wb.officials, progress)


def slim(a: Assessment) -> Assessment:
    """The assessment as the emails need it: every item state (with its current row and owners) and a workbook
    holding only the ``Tiến độ`` rows the report's issues point at."""
    from toolkit.core.schema import PROGRESS

    rows = {i.row for i in a.report.issues if i.sheet == PROGRESS.name and i.row is not None}
    return dataclasses.replace(a, wb=outline(a.wb, rows))


def slim_night(night: Night) -> Night:
    """``night`` with today's copy's content reduced to its outline (``annotate.annotate`` reads only that)."""
    if night.kept is not None:
        night.kept = dataclasses.replace(night.kept, wb=outline(night.kept.wb))
    return night


class _Collector(logging.Handler):
    """Keeps the child's ``cchc`` log records for the parent's log."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[LogLine] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.lines.append((record.name, record.levelno, text))

    def take(self) -> list[LogLine]:
        lines, self.lines = self.lines, []
        return lines


def collect_logs() -> _Collector:
    """Route this process's ``cchc`` log records into a collector (not to stderr, which tells how a crash
    ended)."""
    root = logging.getLogger("cchc")
    root.setLevel(logging.INFO)
    root.propagate = False
    collector = _Collector()
    root.addHandler(collector)
    return collector


def replay(lines: Iterable[LogLine]) -> None:
    """Log the child's records again in this process."""
    for name, level, text in lines:
        logging.getLogger(name).log(level, "%s", text)


def history_file(out: Path) -> Path:
    """Where the child writes ``Remembered``, beside ``Checked`` at ``out``."""
    return out.with_name(out.name + ".lich-su")


def _dump(path: Path, value: object) -> None:
    write_bytes_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def work(copy: Path, out: Path, *, as_of: date, due_soon_days: int, period: Period | None,
         keeping: Keeping | None) -> int:
    """The child's whole job: check ``copy`` into ``out``, then (with ``keeping``, and a readable workbook)
    the night's backup and history into ``history_file(out)``. The child ends at once after it returns
    (``night.child``)."""
    from toolkit.api import check_file

    logs = collect_logs()
    report, a = check_file(copy, as_of=as_of, due_soon_days=due_soon_days, period=period)
    _dump(out, Checked(report, slim(a) if a is not None else None, logs.take()))
    if keeping is not None and a is not None and (keeping.dry_run or _whole(copy)):
        from toolkit.memory.history import gather

        night = gather(keeping, day=as_of, taken=copy, wb=a.wb)
        _dump(history_file(out), Remembered(slim_night(night), logs.take()))
    return 0


def _whole(copy: Path) -> bool:
    """``wholecopy.is_whole``: the parent checks it too, while this process reads the copy."""
    from toolkit.memory.wholecopy import is_whole

    return is_whole(copy)


def keeping_arg(keeping: Keeping | None) -> str:
    """``keeping`` as one command-line argument for the child ("" for none)."""
    if keeping is None:
        return ""
    return json.dumps([str(keeping.workbook), str(keeping.folder), keeping.keep_days, keeping.monthly,
                       keeping.dry_run])


def parse_keeping(text: str) -> Keeping | None:
    if not text:
        return None
    from toolkit.memory.backups import Keeping

    workbook, folder, keep_days, monthly, dry_run = json.loads(text)
    return Keeping(Path(workbook), Path(folder), int(keep_days), bool(monthly), bool(dry_run))


def load(path: Path) -> object | None:
    """The value the child wrote at ``path``; None when it wrote none (or not whole)."""
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError):
        return None
