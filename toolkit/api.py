"""The one sequence every front door runs: read the workbook, assess it, validate the assessment.

``check_file(path, as_of=...)`` is what the command line, the nightly child and the demo call; ``check(wb, ...)``
the same for a workbook already read (the Excel button reads the live book itself). Both never raise for bad
data: a file that cannot be read at all is a fatal ``Report`` with its one reason. ``validate`` and
``validate_file`` are the same for callers that want only the issues.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from toolkit.core.issues import Report
from toolkit.core.model import TrackingWorkbook
from toolkit.core.period import Period
from toolkit.rules.assess import DUE_SOON_DAYS, Assessment, assess
from toolkit.rules.validate import ISSUE_LIMIT, run_checks
from toolkit.workbook.reader import read_workbook
from toolkit.workbook.rows import UnreadableWorkbook


def check(wb: TrackingWorkbook, *, as_of: date, period: Period | None = None, due_soon_days: int = DUE_SOON_DAYS,
          limit: int = ISSUE_LIMIT, chosen: bool | None = None) -> Assessment:
    """``wb`` assessed for ``period`` as of ``as_of`` (``assess.assess``) with its issues (``Assessment.report``,
    at most ``limit`` listed). ``chosen``: whether the period was named (``assess.overdue_day``)."""
    a = assess(wb, as_of=as_of, period=period, due_soon_days=due_soon_days, chosen=chosen)
    a.report = run_checks(a, limit=limit)
    return a


def check_file(path: str | Path, *, as_of: date, period: Period | None = None, due_soon_days: int = DUE_SOON_DAYS,
               chosen: bool | None = None) -> tuple[Report, Assessment | None]:
    """Read, assess and validate the workbook at ``path``: (its report, its assessment).

    A file that cannot be read at all (missing, not a workbook, encrypted, truncated, a required sheet or
    column missing) gives a fatal report with that one reason, and None.
    """
    try:
        wb = read_workbook(path)
    except UnreadableWorkbook as exc:
        return Report(workbook=str(path), issues=[exc.issue], fatal=True), None
    a = check(wb, as_of=as_of, period=period, due_soon_days=due_soon_days, chosen=chosen)
    return a.report, a


def validate(wb: TrackingWorkbook, *, as_of: date | None = None, period: Period | None = None,
             limit: int = ISSUE_LIMIT) -> Report:
    """The issues of ``wb`` as of ``as_of`` (default: today) for ``period`` (default: the current period)."""
    return check(wb, as_of=as_of or date.today(), period=period, limit=limit).report


def validate_file(path: str | Path, *, as_of: date | None = None,
                  period: Period | None = None) -> tuple[Report, TrackingWorkbook | None]:
    """The issues of the workbook at ``path`` and the workbook read (None when it could not be read)."""
    report, a = check_file(path, as_of=as_of or date.today(), period=period)
    return report, a.wb if a is not None else None
