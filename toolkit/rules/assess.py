"""One assessment of the workbook per run: every derived fact computed once, and every output reads it.

``assess(wb, as_of=..., period=...)`` decides, for the period and the checking day, what an official acts on:
per plan item the row used, whether it reports the period or is carried from an earlier one, whether its
figures are usable (and which cells made them unusable), completion, done, overdue, due soon, the owners
matched on ``Cán bộ``, and the quarters nobody reported; per period its report kind and data cut-off, and
whether it can be reported at all (not before the plan existed). The validator's cross-row rules, ``status``,
the report, the emails and the Excel button read this one object; none of them derives these facts from rows
again. Validation reads the assessment and its issues travel with it (``Assessment.report``, set by
``toolkit.api.check``, the one sequence every front door runs).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from toolkit.core.issues import Report
from toolkit.core.model import Official, PlanItem, ProgressRow, TrackingWorkbook
from toolkit.core.period import Period, Window
from toolkit.core.schema import KIND_DONE, KIND_MIN, PROGRESS, STATUS_DONE
from toolkit.core.valuerules import plausible_year
from toolkit.rules.completion import completion_of, snapshots
from toolkit.rules.owners import owners_of

DUE_SOON_DAYS = 14
FIGURE_FIELDS = ("achieved", "total")


@dataclass(frozen=True, slots=True)
class ItemState:
    """One plan item as of the assessed period.

    ``row`` is the current row (latest ``Kỳ báo cáo`` not after the period, then latest ``Ngày cập nhật``,
    then the lower row); None when the item has no row by the period (completion 0, "chưa báo cáo").
    ``reported`` is True only when that row is of the period itself; a row of an earlier quarter is carried
    (``carried_from``): its figure is shown with its quarter and the item counts as not reported. ``usable`` is
    False when a figure cell of the row is an error (``bad_cells`` names them): the item is then "chưa xác
    định" and no figure is taken from the row. ``completion`` is None when unknown, never guessed.
    """

    item: PlanItem
    row: ProgressRow | None
    reported: bool
    carried_from: Period | None
    usable: bool
    bad_cells: tuple[str, ...]
    ratio: float | None
    completion: float | None
    done: bool
    overdue: bool
    due_soon: bool
    owners: tuple[Official, ...]
    missing: tuple[Period, ...]

    @property
    def code(self) -> str:
        return self.item.code or ""

    @property
    def target(self) -> float | None:
        return self.item.target

    @property
    def kind(self) -> str:
        """``Loại chỉ tiêu``; a blank one counts as ``Tối thiểu``."""
        return self.item.kind or KIND_MIN

    @property
    def owner(self) -> str:
        """The item's ``Phụ trách`` text as written in the plan."""
        return self.item.owner or ""

    @property
    def status(self) -> str | None:
        """The current row's ``Tình trạng``; None when the item has no row."""
        return self.row.status if self.row is not None else None

    @property
    def known(self) -> bool:
        return self.completion is not None

    @property
    def cause(self) -> str:
        """Why the item is not (yet) done, in its official's words: the current row's ``Khó khăn, vướng mắc``."""
        return (self.row.difficulties or "").strip() if self.row is not None else ""

    @property
    def needs_cause(self) -> bool:
        """Not done and no cause given: the report cannot say why (validation warns when it is also overdue)."""
        return not self.done and not self.cause

    @property
    def why(self) -> str:
        """Which row the figures come from, in words (``Tiến độ dòng 23, Quý III/2023``)."""
        if self.row is None:
            return "chưa có dòng Tiến độ nào đến kỳ này"
        where = f"{PROGRESS.name} dòng {self.row.row}"
        return f"{where}, {self.row.period.label}" if self.row.period else where


@dataclass(slots=True)
class Assessment:
    """The workbook as of one period and one checking day: the facts every output states.

    ``overdue_on`` is the day deadlines are judged at: the checking day for the current period, the data
    cut-off for a period already past. ``reportable`` is False when the period ended before the plan was issued
    (such a period is never "chưa báo cáo" and cannot be reported). ``report`` holds the validation issues once
    ``api.check`` has validated the assessment (empty before).
    """

    wb: TrackingWorkbook
    period: Period
    as_of: date
    overdue_on: date
    window: Window
    reportable: bool
    first_period: Period | None
    items: list[ItemState]
    report: Report = field(default_factory=lambda: Report("", []))
    due_soon_days: int = DUE_SOON_DAYS

    @property
    def done(self) -> list[ItemState]:
        return [s for s in self.items if s.done]

    @property
    def not_done(self) -> list[ItemState]:
        return [s for s in self.items if not s.done]

    @property
    def overdue(self) -> list[ItemState]:
        return [s for s in self.items if s.overdue]

    @property
    def due_soon(self) -> list[ItemState]:
        return [s for s in self.items if s.due_soon]

    @property
    def not_reported(self) -> list[ItemState]:
        return [s for s in self.items if not s.reported]

    @property
    def carried(self) -> list[ItemState]:
        return [s for s in self.items if s.carried_from is not None]

    @property
    def unknown(self) -> list[ItemState]:
        return [s for s in self.items if s.completion is None]

    @property
    def known(self) -> int:
        return sum(1 for s in self.items if s.completion is not None)

    @property
    def mean(self) -> float | None:
        """The mean completion over the items whose completion is known; None when none is. Secondary: always
        stated with ``known`` (how many items it covers), never as the headline."""
        values = [s.completion for s in self.items if s.completion is not None]
        return sum(values) / len(values) if values else None

    @property
    def report_due(self) -> date:
        """The day the period's figures are due: ``Hạn gửi báo cáo`` of the period's last month when the province
        set one, else its data cut-off (Nghị định 09/2019)."""
        due_day = self.wb.info.due_day
        if due_day:
            last_month = self.window.end.month
            return date(self.window.end.year, last_month, max(1, min(int(due_day), 28)))
        return self.window.end

    @property
    def to_update(self) -> list[ItemState]:
        """Items with no row of the period while its figures fall due within the due-soon days (or are due
        today): the officials are reminded before the report is made."""
        due = self.report_due
        if not self.reportable or not self.as_of <= due <= self.as_of + timedelta(days=self.due_soon_days):
            return []
        return [s for s in self.items if not s.reported]

    def state(self, code: str) -> ItemState | None:
        for s in self.items:
            if s.code == code:
                return s
        return None

    def by_owner(self, officials: Sequence[Official] | None = None) -> dict[str, list[ItemState]]:
        """Official name -> the items they own, in roster order; an item owned jointly is under each owner."""
        out: dict[str, list[ItemState]] = {}
        for person in officials if officials is not None else self.wb.officials:
            if person.name:
                out.setdefault(person.name, [])
        for s in self.items:
            for person in s.owners:
                if person.name in out:
                    out[person.name].append(s)
        return {name: states for name, states in out.items() if states}

    def unassigned(self, officials: Sequence[Official] | None = None) -> list[ItemState]:
        """Items whose ``Phụ trách`` names nobody on ``Cán bộ``."""
        return [s for s in self.items if not s.owners]


# --- the rules of one item -----------------------------------------------------------------------------------


def bad_figure_cells(row: ProgressRow, item: PlanItem | None = None) -> tuple[str, ...]:
    """The cells of ``row`` that make its figures unusable, as ``Tiến độ!E23`` references.

    A figure is unusable when its cell could not be read, when ``Số đạt`` is negative, when ``Tổng số`` is zero
    or negative, or when ``Số đạt`` exceeds ``Tổng số``; for a ``Hoàn thành`` item, an unreadable ``Tình
    trạng`` too. Validation reports each of these as an error at the same cell.
    """
    bad: list[str] = [f for f in FIGURE_FIELDS if f in row.invalid]
    a, t = row.achieved, row.total
    if a is not None and a < 0:
        bad.append("achieved")
    if t is not None and t <= 0:
        bad.append("total")
    if a is not None and t is not None and t > 0 and a > t:
        bad.append("achieved")
    if item is not None and item.kind == KIND_DONE and "status" in row.invalid:
        bad.append("status")
    return tuple(dict.fromkeys(row.ref(f) for f in bad))


def is_done(item: PlanItem, row: ProgressRow | None, completion: float | None) -> bool:
    """Complete: a known completion of 100%, or, where completion cannot be known, a row that says
    ``Hoàn thành``. No row, or unusable figures, is never done."""
    if row is None:
        return False
    if completion is not None:
        return completion >= 100
    return row.status == STATUS_DONE and not bad_figure_cells(row, item)


def overdue_day(period: Period, window: Window, as_of: date, *, chosen: bool) -> date:
    """The day deadlines are judged at. A period named by the user (``--period``, ``Tổng hợp!B2``, a report)
    that has already ended is judged at its data cut-off (never later than the checking day): its figures
    stop there. A check about today (no period named: the nightly job, a plain ``cchc validate``) and a period
    not yet ended are judged at the checking day."""
    if chosen and period < Period.containing(as_of):
        return min(as_of, window.end)
    return as_of


def first_period(wb: TrackingWorkbook) -> Period | None:
    """The first reportable quarter: the one holding ``Ngày ban hành kế hoạch``; None when the date is blank."""
    return Period.containing(wb.info.plan_date) if wb.info.plan_date else None


def plan_year(wb: TrackingWorkbook) -> int | None:
    """The plan year when it is plausible (a nonsense ``Năm thực hiện`` is reported by validation)."""
    return wb.year if plausible_year(wb.year) else None


def current_period(wb: TrackingWorkbook, as_of: date) -> Period:
    """The period a check on ``as_of`` is about, when the user names none: the quarter of ``as_of``, kept
    within the plan year (Quý I before it, Quý IV after it) and not before the plan's first reportable quarter.
    This is the one place that default is decided (CLI, button, nightly job)."""
    period = Period.containing(as_of)
    year = plan_year(wb)
    if year is not None:
        if period.year > year:
            period = Period(year, 4)
        elif period.year < year:
            period = Period(year, 1)
    first = first_period(wb)
    if first is not None and period < first and (year is None or first.year == year):
        period = first
    return period


def _missing(code: str, reported: set[tuple[str, Period]], quarters: Iterable[Period]) -> tuple[Period, ...]:
    return tuple(q for q in quarters if (code, q) not in reported)


def _reportable_quarters(wb: TrackingWorkbook, period: Period, as_of: date) -> list[Period]:
    """Quarters of the plan year, not after ``period``, already ended on ``as_of`` and not ended before the
    plan was issued: those an item can be "chưa báo cáo" for."""
    year = plan_year(wb)
    if year is None:
        return []
    plan_day = wb.info.plan_date
    return [q for q in Period.of_year(year)
            if q <= period and q.end < as_of and (plan_day is None or q.end >= plan_day)]


# --- the assessment ------------------------------------------------------------------------------------------


def assess(wb: TrackingWorkbook, *, as_of: date, period: Period | None = None,
           due_soon_days: int = DUE_SOON_DAYS, chosen: bool | None = None) -> Assessment:
    """Assess ``wb`` for ``period`` (default ``current_period``) as of ``as_of``: the facts, no validation.

    ``due_soon_days``: an item not done whose deadline falls within that many days is "sắp đến hạn".
    ``chosen`` says whether the period was named (``overdue_day``); by default, when ``period`` is given. A
    report passes True: it always covers a named period.
    """
    chosen = period is not None if chosen is None else chosen
    period = period or current_period(wb, as_of)
    window = period.window(wb.info.cutoff_day)
    overdue_on = overdue_day(period, window, as_of, chosen=chosen)
    first = first_period(wb)
    reportable = wb.info.plan_date is None or period.end >= wb.info.plan_date
    return Assessment(wb=wb, period=period, as_of=as_of, overdue_on=overdue_on, window=window,
                      reportable=reportable, first_period=first,
                      items=_item_states(wb, period, as_of, overdue_on, due_soon_days), due_soon_days=due_soon_days)


def _item_states(wb: TrackingWorkbook, period: Period, as_of: date, overdue_on: date,
                 due_soon_days: int) -> list[ItemState]:
    rows = snapshots(wb.progress, period)
    current, reported, unclear = rows.current, rows.reported, rows.unclear
    quarters = _reportable_quarters(wb, period, as_of)
    officials = [p for p in wb.officials if p.name]
    soon_until = overdue_on + timedelta(days=due_soon_days)
    seen: set[str] = set()
    owners_by_text: dict[str | None, tuple[Official, ...]] = {}
    states: list[ItemState] = []
    for item in wb.items:
        if not item.code or item.code in seen:  # validation reports codes missing or used twice
            continue
        seen.add(item.code)
        row = current.get(item.code)
        missing = () if item.code in unclear else _missing(item.code, reported, quarters)
        owners = owners_by_text.get(item.owner)
        if owners is None:  # many items share one owner text: matched against the roster once
            owners = owners_by_text[item.owner] = tuple(owners_of(item, officials))
        states.append(item_state(item, row, period, overdue_on, soon_until, owners, missing))
    return states


def item_state(item: PlanItem, row: ProgressRow | None, period: Period, overdue_on: date, soon_until: date,
               owners: tuple[Official, ...] = (), missing: tuple[Period, ...] = ()) -> ItemState:
    """The facts of ``item`` for ``period`` given its current ``row`` (the rules of design.md section 4)."""
    bad = bad_figure_cells(row, item) if row is not None else ()
    usable = not bad
    completion = completion_of(item, row) if usable else None
    done = is_done(item, row, completion)
    deadline = item.deadline
    return ItemState(
        item=item,
        row=row,
        reported=row is not None and row.period == period,
        carried_from=row.period if row is not None and row.period != period else None,
        usable=usable,
        bad_cells=bad,
        ratio=row.ratio if row is not None and usable else None,
        completion=completion,
        done=done,
        overdue=deadline is not None and deadline < overdue_on and not done,
        due_soon=deadline is not None and overdue_on <= deadline <= soon_until and not done,
        owners=owners,
        missing=missing,
    )
