"""The rules across ``Tiến độ`` rows and the item facts of the assessment (missing reports, unusable figures,
overdue items): each a small function yielding issues at their cells."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from toolkit.core.issues import Issue, issue
from toolkit.core.period import Period
from toolkit.core.schema import KIND_MAX, KIND_MIN, PROGRESS, STATUS_DONE, STATUS_NOT_STARTED
from toolkit.core.words import percent
from toolkit.rules.checks import Context, at, flagged
from toolkit.rules.phrases import completion_text


def check_figures(ctx: Context) -> Iterator[Issue]:
    """``Số đạt`` greater than ``Tổng số``."""
    for row in ctx.wb.progress:
        a, t = row.achieved, row.total
        if a is not None and t is not None and a > t > 0:
            yield at(row, "achieved", "achieved-over-total", achieved=a, total=t)


def check_results(ctx: Context) -> Iterator[Issue]:
    """A status other than ``Chưa thực hiện`` needs a ``Kết quả thực hiện``."""
    for row in ctx.wb.progress:
        if row.result is None and row.status is not None and row.status != STATUS_NOT_STARTED \
                and "result" not in row.invalid:
            yield at(row, "result", "result-missing", status=row.status)


def _short_of(kind: str, ratio: float, target: float) -> bool:
    return ratio > target if kind == KIND_MAX else ratio < target


def check_done_meets_target(ctx: Context) -> Iterator[Issue]:
    """``Hoàn thành`` while the row's own figure is short of the item's numeric target."""
    items = {it.code: it for it in reversed(ctx.wb.items) if it.code}
    for row in ctx.wb.progress:
        if row.status != STATUS_DONE:
            continue
        item = items.get(row.code) if row.code else None
        ratio = row.ratio
        if item is None or item.target is None or ratio is None:
            continue
        kind = item.kind or KIND_MIN
        if _short_of(kind, ratio, item.target):
            yield at(row, "status", "done-below-target", ratio=percent(ratio).rstrip("%"),
                     target=item.target, kind=kind)


def check_dates(ctx: Context) -> Iterator[Issue]:
    """Update dates in the future, before the plan year, or before the quarter they report began."""
    as_of = ctx.as_of
    first_day = date.min if ctx.year is None else date(ctx.year, 1, 1)
    starts: dict[Period, date] = {}
    for row in ctx.wb.progress:
        d = row.updated
        if d is None:
            continue
        if d > as_of:
            yield at(row, "updated", "date-in-future", value=d, as_of=as_of)
        elif d < first_day:
            yield at(row, "updated", "date-before-plan-year", value=d, year=ctx.year)
        elif (p := row.period) is not None and d < (starts.get(p) or starts.setdefault(p, p.start)):
            yield at(row, "updated", "date-before-period", value=d, period=p.label, start=p.start)


def check_period_year(ctx: Context) -> Iterator[Issue]:
    """A ``Kỳ báo cáo`` outside the plan year."""
    if ctx.year is None:
        return
    for row, p in flagged(ctx.wb.progress, "period", lambda p: p.year != ctx.year):
        yield at(row, "period", "period-outside-year", value=p.label, year=ctx.year)


def check_duplicate_snapshots(ctx: Context) -> Iterator[Issue]:
    """Two rows of one item for the same quarter and the same date: reported at the lower one."""
    first: dict[tuple[str, Period, date], int] = {}
    for row in ctx.wb.progress:
        code, p, d = row.code, row.period, row.updated
        if code is None or p is None or d is None:
            continue
        key = (code, p, d)
        earlier = first.setdefault(key, row.row)  # one look-up for the usual row, seen for the first time
        if earlier != row.row:
            yield issue("duplicate-snapshot", sheet=PROGRESS.name, row=row.row, cell=f"A{row.row}",
                        item=code, period=p.label, date=d, first=earlier)
            first[key] = row.row


def check_missing_reports(ctx: Context) -> Iterator[Issue]:
    """Reportable quarters already ended with no row for an item (``ItemState.missing``): one issue at the
    item's code cell. Quarters that ended before the plan was issued are never missing."""
    for s in ctx.assessment.items:
        if s.missing:
            yield at(s.item, "code", "missing-report", item=s.code, period=", ".join(q.label for q in s.missing))


def check_unusable_figures(ctx: Context) -> Iterator[Issue]:
    """An item whose current row has unusable figures: the item is "chưa xác định" for the period, said once at
    the item (the bad cells themselves are reported where they are)."""
    a = ctx.assessment
    for s in a.items:
        if not s.usable:
            yield at(s.item, "code", "figures-unusable", item=s.code, period=a.period.label,
                     cells=", ".join(s.bad_cells))


def check_overdue(ctx: Context) -> Iterator[Issue]:
    """Items past their deadline and not complete (``ItemState.overdue``), for the assessed period."""
    for s in ctx.assessment.items:
        if s.overdue:
            yield at(s.item, "deadline", "overdue", item=s.code, deadline=s.item.deadline,
                     completion=completion_text(s))


def check_overdue_cause(ctx: Context) -> Iterator[Issue]:
    """An overdue item whose current row gives no cause (``Khó khăn, vướng mắc``): the report must say why, so
    the official who updates the row is asked for it there."""
    for s in ctx.assessment.items:
        if s.overdue and s.needs_cause and s.row is not None:
            yield at(s.row, "difficulties", "overdue-no-cause", item=s.code, deadline=s.item.deadline)
