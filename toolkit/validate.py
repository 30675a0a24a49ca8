"""Validation: every entry of a tracking workbook checked, every problem an issue at its cell.

``validate(wb, as_of=...)`` runs the checks in ``CHECKS`` over what the reader produced and returns a
``Report`` that also holds the reader's own notes. A check is a small function yielding issues; the per-column
checks derive from the declaration in ``schema`` (required, range, references), the others are the rules
across rows and sheets. A cell the reader could not understand (``Record.invalid``) is never reported again.

Severities, as an official would weigh them: an error is something the quarterly report cannot be right
with (a missing or impossible figure, a row that counts for no item, a date that cannot be true); a warning
is something to tidy or to act on that does not make the figures wrong (a spelling, a late item, a quarter
nobody reported).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .fmt import SEVERITY_LABELS, completion_text
from .issues import ERROR, Issue, Report, issue
from .model import PlanItem, ProgressRow, Record, TrackingWorkbook
from .people import owners_of
from .period import Period
from .rules import PLAN_YEARS, email_address, row_of
from .schema import (
    INFO_FIELDS,
    INFO_SHEET,
    KIND_DONE,
    KIND_MAX,
    KIND_MIN,
    PLAN,
    PROGRESS,
    ROSTER,
    STATUS_DONE,
    STATUS_NOT_STARTED,
    Column,
    Kind,
    TableSheet,
)
from .text import fold

if TYPE_CHECKING:
    from .assess import Assessment

ISSUE_LIMIT = 1000  # issues listed per report; beyond it a note says how many more there are
YEARS = PLAN_YEARS  # a plan year outside these is a typing mistake, and the year rules are skipped


@dataclass(frozen=True, slots=True)
class Context:
    """What every check may look at: the assessment (workbook, period, the facts of every item), the checking
    date and a few lookups made once."""

    assessment: Assessment
    as_of: date
    year: int | None
    plan_codes: frozenset[str]

    @property
    def wb(self) -> TrackingWorkbook:
        return self.assessment.wb

    def records(self, table: TableSheet) -> Sequence[Record]:
        if table is PLAN:
            return self.wb.items
        if table is PROGRESS:
            return self.wb.progress
        return self.wb.officials


Check = Callable[[Context], Iterable[Issue]]
R = TypeVar("R", bound=Record)


def at(rec: Record, field: str, code: str, /, **params: object) -> Issue:
    """An issue at the cell of ``field`` in ``rec``'s row, the column named by its header."""
    table = _table_of(rec)
    return issue(code, sheet=table.name, row=rec.row, column=table.column(field).header, cell=rec.cell(field),
                 **params)


def _table_of(rec: Record) -> TableSheet:
    if isinstance(rec, PlanItem):
        return PLAN
    if isinstance(rec, ProgressRow):
        return PROGRESS
    return ROSTER


# Per-column checks, derived from the declaration.


def check_required(ctx: Context) -> Iterator[Issue]:
    """A required cell left blank (a cell the reader could not understand is not blank: it was reported)."""
    for table in (PLAN, PROGRESS, ROSTER):
        fields = [c.field for c in table.columns if c.required]
        if not fields:
            continue
        values_of = attrgetter(*fields) if len(fields) > 1 else (lambda rec, f=fields[0]: (getattr(rec, f),))
        for rec in ctx.records(table):
            if None not in values_of(rec):  # the usual case, checked at C speed
                continue
            for f in fields:
                if getattr(rec, f) is None and f not in rec.invalid:
                    yield at(rec, f, "required-missing")


def _bounds(col: Column) -> str:
    lo, hi = col.minimum, col.maximum
    if lo is not None and hi is not None:
        return f"từ {lo:g} đến {hi:g}"
    if lo is not None:
        return f"lớn hơn {lo:g}" if col.exclusive_minimum else f"không nhỏ hơn {lo:g}"
    return f"không lớn hơn {hi:g}"


def check_range(ctx: Context) -> Iterator[Issue]:
    """Numbers outside their declared bounds; a zero ``Tổng số`` has its own message."""
    for table in (PLAN, PROGRESS, ROSTER):
        for col in table.columns:
            if col.kind not in (Kind.NUMBER, Kind.PERCENT) or (col.minimum is None and col.maximum is None):
                continue
            lo, hi, strict = col.minimum, col.maximum, col.exclusive_minimum
            for rec in ctx.records(table):
                v = getattr(rec, col.field)
                if v is None:
                    continue
                if lo is not None and (v < lo or (strict and v == lo)):
                    if strict and v == 0 == lo:
                        yield at(rec, col.field, "total-zero", value=v)
                    else:
                        yield at(rec, col.field, "out-of-range", value=v, bounds=_bounds(col))
                elif hi is not None and v > hi:
                    yield at(rec, col.field, "out-of-range", value=v, bounds=_bounds(col))


def repeats(records: Iterable[R], key: Callable[[R], object]) -> Iterator[tuple[R, int]]:
    """Each record whose ``key`` an earlier record already had, with that first record's row; None keys skip."""
    first: dict[object, int] = {}
    for rec in records:
        k = key(rec)
        if k is None:
            continue
        if k in first:
            yield rec, first[k]
        else:
            first[k] = rec.row


def check_unique_codes(ctx: Context) -> Iterator[Issue]:
    """An item code used twice on ``Kế hoạch`` (declared as ``Kind.CODE``)."""
    for col in PLAN.columns:
        if col.kind is Kind.CODE:
            for rec, first in repeats(ctx.wb.items, lambda r, f=col.field: getattr(r, f)):
                yield at(rec, col.field, "duplicate-code", value=getattr(rec, col.field), first=first)


def check_references(ctx: Context) -> Iterator[Issue]:
    """Item codes not on ``Kế hoạch`` and people not on ``Cán bộ`` (``Kind.ITEM_REF``, ``Kind.PERSON``)."""
    names = {fold(p.name) for p in ctx.wb.officials if p.name}
    for table in (PLAN, PROGRESS, ROSTER):
        for col in table.columns:
            if col.kind is Kind.ITEM_REF:
                for rec in ctx.records(table):
                    v = getattr(rec, col.field)
                    if v is not None and v not in ctx.plan_codes:
                        yield at(rec, col.field, "unknown-item", value=v)
            elif col.kind is Kind.PERSON:
                known: dict[str, bool] = {}
                for rec in ctx.records(table):
                    v = getattr(rec, col.field)
                    if v is None:
                        continue
                    ok = known.get(v)
                    if ok is None:
                        ok = known[v] = fold(v) in names
                    if not ok:
                        yield at(rec, col.field, "unknown-person", value=v)


def check_emails(ctx: Context) -> Iterator[Issue]:
    """Malformed addresses, and one address given to two officials (``Kind.EMAIL``)."""
    for col in ROSTER.columns:
        if col.kind is not Kind.EMAIL:
            continue
        for rec in ctx.wb.officials:
            v = getattr(rec, col.field)
            if v is None:
                continue
            if email_address(v) is None:
                yield at(rec, col.field, "invalid-email", value=v)

        def valid_address(r: Record, f: str = col.field) -> str | None:
            v = getattr(r, f)
            address = email_address(v) if v is not None else None
            return address.lower() if address else None

        for rec, first in repeats(ctx.wb.officials, valid_address):
            yield at(rec, col.field, "duplicate-email", value=getattr(rec, col.field), first=first)
    info = ctx.wb.info
    for f in INFO_FIELDS:
        v = getattr(info, f.field)
        if f.kind is Kind.EMAIL and isinstance(v, str) and email_address(v) is None:
            cell = info.cells.get(f.field)
            yield issue("invalid-email", sheet=INFO_SHEET, row=row_of(cell), column=f.label, cell=cell, value=v)


# Plan and roster rules.


def check_plan_not_empty(ctx: Context) -> Iterator[Issue]:
    if not ctx.wb.items:
        yield issue("plan-empty", sheet=PLAN.name)


def check_owners(ctx: Context) -> Iterator[Issue]:
    """``Phụ trách`` must name a person or a position on ``Cán bộ`` (``people.owners_of``)."""
    known: dict[str, bool] = {}
    for item in ctx.wb.items:
        owner = item.owner
        if not owner:
            continue
        if owner not in known:
            known[owner] = bool(owners_of(owner, ctx.wb.officials))
        if not known[owner]:
            yield at(item, "owner", "unknown-owner", value=owner)


def check_targets(ctx: Context) -> Iterator[Issue]:
    """A ratio item without a numeric target: its completion cannot be known (``Hoàn thành`` items need none)."""
    for item in ctx.wb.items:
        if item.target is None and "target" not in item.invalid and item.kind != KIND_DONE:
            yield at(item, "target", "target-missing", item=item.code or f"ở dòng {item.row}")


def check_deadlines(ctx: Context) -> Iterator[Issue]:
    """``Thời hạn`` is required unless ``Ghi chú thời hạn`` says why (an event-based deadline)."""
    for item in ctx.wb.items:
        if item.deadline is None and "deadline" not in item.invalid and not item.deadline_note:
            yield at(item, "deadline", "deadline-missing", item=item.code or f"ở dòng {item.row}")


def check_duplicate_officials(ctx: Context) -> Iterator[Issue]:
    for p, first in repeats(ctx.wb.officials, lambda r: fold(r.name) if r.name else None):
        yield at(p, "name", "duplicate-official", value=p.name, first=first)


def check_info(ctx: Context) -> Iterator[Issue]:
    """Required keys of ``Thông tin chung`` that are missing or blank (unreadable ones were reported already),
    and a ``Năm thực hiện`` that cannot be a plan year."""
    info = ctx.wb.info
    for f in INFO_FIELDS:
        if f.required and getattr(info, f.field) in (None, "", []) and f.field not in info.cells:
            yield issue("info-missing", sheet=INFO_SHEET, column=f.label, label=f.label)
    if info.year is not None and not YEARS[0] <= info.year <= YEARS[1]:
        cell = info.cells.get("year")
        yield issue("info-year-invalid", sheet=INFO_SHEET, row=row_of(cell), column="Năm thực hiện", cell=cell,
                    value=info.year)


# Progress rules across rows.


def check_figures(ctx: Context) -> Iterator[Issue]:
    """``Số đạt`` greater than ``Tổng số``."""
    for row in ctx.wb.progress:
        a, t = row.achieved, row.total
        if a is not None and t is not None and a > t > 0:
            yield at(row, "achieved", "achieved-over-total", achieved=a, total=t)


def check_results(ctx: Context) -> Iterator[Issue]:
    """A status other than ``Chưa thực hiện`` needs a ``Kết quả thực hiện``."""
    for row in ctx.wb.progress:
        if row.status is not None and row.status != STATUS_NOT_STARTED and row.result is None \
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
            yield at(row, "status", "done-below-target", ratio=f"{ratio:.1f}".replace(".", ","),
                     target=item.target, kind=kind)


def check_dates(ctx: Context) -> Iterator[Issue]:
    """Update dates in the future, before the plan year, or before the quarter they report began."""
    year = ctx.year
    for row in ctx.wb.progress:
        d = row.updated
        if d is None:
            continue
        if d > ctx.as_of:
            yield at(row, "updated", "date-in-future", value=d, as_of=ctx.as_of)
        elif year is not None and d.year < year:
            yield at(row, "updated", "date-before-plan-year", value=d, year=year)
        elif row.period is not None and (d.year, d.month) < (row.period.year, 3 * row.period.quarter - 2):
            yield at(row, "updated", "date-before-period", value=d, period=row.period.label,
                     start=row.period.start)


def check_period_year(ctx: Context) -> Iterator[Issue]:
    """A ``Kỳ báo cáo`` outside the plan year."""
    if ctx.year is None:
        return
    for row in ctx.wb.progress:
        if row.period is not None and row.period.year != ctx.year:
            yield at(row, "period", "period-outside-year", value=row.period.label, year=ctx.year)


def check_duplicate_snapshots(ctx: Context) -> Iterator[Issue]:
    """Two rows of one item for the same quarter and the same date: reported at the lower one."""
    first: dict[tuple[str, int, int, date], int] = {}
    for row in ctx.wb.progress:
        p = row.period
        if row.code is None or p is None or row.updated is None:
            continue
        key = (row.code, p.year, p.quarter, row.updated)
        if key in first:
            yield issue("duplicate-snapshot", sheet=PROGRESS.name, row=row.row, cell=f"A{row.row}",
                        item=row.code, period=row.period.label, date=row.updated, first=first[key])
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


CHECKS: list[Check] = [
    check_required,
    check_range,
    check_unique_codes,
    check_references,
    check_emails,
    check_plan_not_empty,
    check_owners,
    check_targets,
    check_deadlines,
    check_duplicate_officials,
    check_info,
    check_figures,
    check_results,
    check_done_meets_target,
    check_dates,
    check_period_year,
    check_duplicate_snapshots,
    check_missing_reports,
    check_unusable_figures,
    check_overdue,
]

_SHEET_ORDER = {PLAN.name: 1, PROGRESS.name: 2, ROSTER.name: 3, INFO_SHEET: 4}


def _position(i: Issue) -> tuple[int, int, int, str]:
    """Sort key: sheet order, row, then column (file-level issues first)."""
    if i.sheet is None:
        return (0, 0, 0, "")
    letters = (i.cell or "").rstrip("0123456789")
    return (_SHEET_ORDER.get(i.sheet, 5), i.row or 0, len(letters), letters)


def run_checks(assessment: Assessment, *, limit: int = ISSUE_LIMIT) -> Report:
    """Every check over the assessed workbook, with the reader's notes; called by ``assess.assess``.

    Issues are sorted by sheet, row and column. When there are more than ``limit``, every error is kept
    before any warning (so ``valid`` stays true to the workbook), the rest are counted in ``Report.capped``
    and a final ``issues-capped`` note says how many were left out.
    """
    wb = assessment.wb
    year = wb.year if wb.year is not None and YEARS[0] <= wb.year <= YEARS[1] else None
    ctx = Context(assessment=assessment, as_of=assessment.as_of, year=year,
                  plan_codes=frozenset(it.code for it in wb.items if it.code))
    found: list[Issue] = list(wb.notes)
    for check in CHECKS:
        found.extend(check(ctx))
    found.sort(key=_position)
    capped = 0
    if len(found) > limit:
        errors = [i for i in found if i.severity == ERROR]
        keep = set(map(id, (errors + [i for i in found if i.severity != ERROR])[:limit]))
        kept = [i for i in found if id(i) in keep]
        capped = len(found) - len(kept)
        found = [*kept, issue("issues-capped", more=capped, limit=limit)]
    return Report(workbook=wb.path, issues=found, capped=capped)


def validate(wb: TrackingWorkbook, *, as_of: date | None = None, period: Period | None = None,
             limit: int = ISSUE_LIMIT) -> Report:
    """Check ``wb`` as of ``as_of`` (default: today) for ``period`` (default: the current period) and return
    the report, including the reader's notes: the issues of ``assess.assess``."""
    from .assess import assess

    return assess(wb, as_of=as_of or date.today(), period=period, limit=limit).report


def validate_file(path: str | Path, *, as_of: date | None = None, period: Period | None = None,
                  limit: int = ISSUE_LIMIT) -> tuple[Report, TrackingWorkbook | None]:
    """Read and validate the workbook at ``path``; never raises for bad data (``assess.check_file``).

    A file that cannot be read at all (missing, not a workbook, encrypted, truncated, a required sheet or
    column missing) gives ``Report(fatal=True)`` with that one issue, and None for the workbook.
    """
    from .assess import check_file

    report, a = check_file(path, as_of=as_of or date.today(), period=period)
    return report, a.wb if a is not None else None


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """The rules make no reference cycles; a big log would otherwise be rescanned by the cycle collector."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def summary(report: Report) -> str:
    """One Vietnamese line: how the check ended (used by the CLI, the button and the nightly digest)."""
    if report.fatal:
        return report.issues[0].message if report.issues else "Không đọc được sổ theo dõi."
    if report.errors:
        return f"Có {report.errors} lỗi và {report.warnings} cảnh báo cần xem lại trong {Path(report.workbook).name}."
    if report.warnings:
        return f"Không có lỗi; có {report.warnings} cảnh báo cần xem lại trong {Path(report.workbook).name}."
    return f"Sổ theo dõi {Path(report.workbook).name} hợp lệ: không có lỗi, không có cảnh báo."



def report_text(report: Report) -> str:
    """The report as a plain-text table (sheet, cell, severity, message) followed by the summary line."""
    from .textable import table

    rows = [(i.sheet or "", i.cell or "", SEVERITY_LABELS[i.severity], i.message) for i in report.issues]
    lines = [f"Kiểm tra sổ theo dõi: {report.workbook}", ""]
    if rows:
        lines += [*table(("Sheet", "Ô", "Mức", "Vấn đề"), rows), ""]
    lines.append(summary(report))
    return "\n".join(lines)
