"""The checks of a tracking workbook: one small function per rule, each yielding issues at their cells.

The per-column checks derive from the declaration in ``schema`` (required, range, references); the plan, roster
and ``Thông tin chung`` rules follow. The rules across ``Tiến độ`` rows are in ``checks_rows``. ``validate``
runs them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import compress
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar

from toolkit.core.issues import Issue, issue
from toolkit.core.model import PlanItem, ProgressRow, Record, TrackingWorkbook
from toolkit.core.schema import INFO_FIELDS, INFO_SHEET, KIND_DONE, PLAN, PROGRESS, ROSTER, Column, Kind, TableSheet
from toolkit.core.text import fold
from toolkit.core.valuerules import email_address, plausible_year, row_of
from toolkit.rules.owners import owners_of

if TYPE_CHECKING:
    from toolkit.rules.assess import Assessment


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
        cells = attrgetter("row", *fields)  # "row" (never None) makes it a tuple even for one field
        for rec in ctx.records(table):
            if None not in cells(rec):  # the usual case
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

            def outside(v: float, lo: float | None = lo, hi: float | None = hi, strict: bool = strict) -> bool:
                return (lo is not None and (v < lo or (strict and v == lo))) or (hi is not None and v > hi)

            for rec, v in flagged(ctx.records(table), col.field, outside):
                if strict and v == 0 == lo:
                    yield at(rec, col.field, "total-zero", value=v)
                else:
                    yield at(rec, col.field, "out-of-range", value=v, bounds=_bounds(col))


def flagged(records: Sequence[R], field: str, bad: Callable[[Any], bool]) -> Iterator[tuple[R, Any]]:
    """Each record whose ``field`` holds a value ``bad`` says yes to, with that value, in sheet order; ``bad`` is
    asked once per distinct value (a column holds few), blank cells never."""
    values = [getattr(rec, field) for rec in records]
    found = {v for v in set(values) if v is not None and bad(v)}
    if found:
        yield from compress(zip(records, values, strict=True), map(found.__contains__, values))


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
                for rec, v in flagged(ctx.records(table), col.field, lambda v: v not in ctx.plan_codes):
                    yield at(rec, col.field, "unknown-item", value=v)
            elif col.kind is Kind.PERSON:
                for rec, v in flagged(ctx.records(table), col.field, lambda v: fold(v) not in names):
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
    """``Phụ trách`` must name a person or a position on ``Cán bộ`` (``owners.owners_of``)."""
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
    if info.year is not None and not plausible_year(info.year):
        cell = info.cells.get("year")
        yield issue("info-year-invalid", sheet=INFO_SHEET, row=row_of(cell), column="Năm thực hiện", cell=cell,
                    value=info.year)
