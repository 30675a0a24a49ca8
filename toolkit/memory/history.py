"""The workbook's memory in the nightly run: today's copy, what changed since the last one, and figures
changed after a report was issued.

``gather`` runs in the child process that reads the workbook (``night.child``, under its memory and time caps),
since everything in it needs whole workbooks: it keeps today's copy (the very copy the check read; never
raises: a failure becomes a warning in the Office digest), reads it back, finds the copy before it, lists the
changes since that copy and the figures changed after a report (``ledger.drifts``). The night's emails say
what it found (``annotate``).
"""

from __future__ import annotations

import logging
import time as _time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.core import words
from toolkit.memory.backups import BackupFailed, Copy, Keeping, Kept, copy_name, keep_copy, previous_copy
from toolkit.memory.changes import Change, compare

if TYPE_CHECKING:
    from toolkit.core.model import TrackingWorkbook

log = logging.getLogger("cchc.history")


@dataclass(slots=True)
class Night:
    """Today's copy (None when it could not be kept, or in a dry run), the copy before it, and why no copy
    was kept (``problem``), for the Office."""

    day: date
    workbook: Path
    kept: Kept | None = None
    previous: Copy | None = None
    problem: str | None = None
    notes: list[str] = field(default_factory=list)
    changes: list[Change] | None = None  # set by ``gather``; None: ``annotate`` compares the copies itself
    drifts: list[str] | None = None  # likewise, ``ledger.drifts``


def keep(keeping: Keeping, *, day: date, taken: Path | None = None, attempts: int = 3, wait: float = 20.0,
         sleep: Callable[[float], None] = _time.sleep) -> Night:
    """Keep today's copy of the workbook (not in a dry run; ``taken``: a whole copy already taken) and find the
    copy before it. Never raises."""
    folder, workbook = keeping.folder, keeping.workbook
    night = Night(day, workbook)
    try:
        night.previous = previous_copy(folder, workbook, day)
        if keeping.dry_run:
            return night
        night.kept = keep_copy(workbook, folder, day=day, keep_days=keeping.keep_days, monthly=keeping.monthly,
                               attempts=attempts, wait=wait, sleep=sleep, taken=taken)
    except BackupFailed as exc:
        night.problem = str(exc)
    except OSError as exc:
        night.problem = f"không dùng được thư mục sao lưu {folder}: {exc}"
    except Exception as exc:  # a backup must never stop the emails
        night.problem = f"lỗi không mong đợi: {type(exc).__name__}: {exc}"
        log.exception("Sao lưu ngày %s bị lỗi.", day.isoformat())
    if night.problem:
        log.error("Không sao lưu được sổ theo dõi vào %s: %s", folder / copy_name(workbook, day), night.problem)
    return night


def gather(keeping: Keeping, *, day: date, taken: Path, wb: TrackingWorkbook) -> Night:
    """Everything tonight's emails say about the workbook's history, from whole workbooks (the child's part):
    today's copy kept from ``taken`` (the copy ``wb`` was read from), the changes since the copy before it and
    the figures changed after a report. Never raises."""
    night = keep(keeping, day=day, taken=taken)
    try:
        night.changes = night_changes(night, wb)
    except Exception:
        log.exception("Không so sánh được sổ với bản sao trước.")
        night.changes = []
    night.drifts = report_drifts(keeping.workbook, night.kept.wb if night.kept is not None else wb)
    return night


def night_changes(night: Night, wb: TrackingWorkbook | None) -> list[Change]:
    """Changes from the previous copy to today's copy (or to ``wb`` when no copy was kept today)."""
    from toolkit.workbook.reader import read_workbook
    from toolkit.workbook.rows import UnreadableWorkbook

    new = night.kept.wb if night.kept is not None else wb
    if night.previous is None or new is None:
        return []
    try:
        old = read_workbook(night.previous.path)
    except UnreadableWorkbook as exc:
        night.notes.append(f"Bản sao ngày {words.day(night.previous.day)} không đọc được để so sánh: "
                           f"{exc.issue.message}")
        return []
    return compare(old, new, old_label=f"trong bản sao ngày {words.day(night.previous.day)}")


def report_drifts(workbook: Path, wb: TrackingWorkbook) -> list[str]:
    """Figures changed after a report was issued (``ledger.drifts``); a broken ledger never stops the emails."""
    from toolkit.memory.ledger import drifts

    try:
        return drifts(workbook, wb)
    except Exception:
        log.exception("Không đối chiếu được sổ cái báo cáo.")
        return []
