"""Who hears what tonight: the night's assessment routed to the people concerned, as notices (data only).

``plan_notices(a)`` reads one ``assess.Assessment``: owners, overdue, due-soon and unreported quarters come
from its ``ItemState``s (never parsed back from issue texts), and each validation issue goes to:

- a problem in a ``Tiến độ`` row: the official who entered it (``Người cập nhật``) and the owner of its item;
- a problem in the plan itself (``Kế hoạch``: a target not quantified, a missing deadline): the Office, which
  issued the plan (the official who owns the item cannot change it);
- everything else, and anything whose people have no usable address: the Office.

The address mailed is exactly what validation accepts (``valuerules.email_address``): a cell it rejects is never
mailed, and the digest tells the Office who could not be reached. The emails are written from these notices by
``mail.compose``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from toolkit.core.issues import ERROR, Issue, Report
from toolkit.core.model import Official, ProgressRow, TrackingWorkbook
from toolkit.core.schema import PROGRESS
from toolkit.core.valuerules import email_address
from toolkit.mail.draft import one_line
from toolkit.rules.assess import Assessment, ItemState
from toolkit.rules.owners import find_official

SECTION_CODES = {"overdue", "missing-report"}  # told from the assessment in their own sections, not as cells


@dataclass(frozen=True, slots=True)
class Problem:
    """One issue as one person should read it: the issue and why it is theirs (``dòng anh/chị nhập``)."""

    issue: Issue
    why: str


@dataclass(slots=True)
class Notice:
    """Everything one official (or several sharing a mailbox: ``others``) should hear tonight. ``address`` is
    None when the roster has no usable one."""

    official: Official
    address: str | None
    problems: list[Problem] = field(default_factory=list)
    overdue: list[ItemState] = field(default_factory=list)
    due_soon: list[ItemState] = field(default_factory=list)
    unreported: list[ItemState] = field(default_factory=list)  # items with quarters nobody reported
    to_update: list[ItemState] = field(default_factory=list)  # no row of the period, its figures due soon
    others: list[Official] = field(default_factory=list)

    @property
    def names(self) -> str:
        return ", ".join(one_line(p.name or "") for p in [self.official, *self.others])

    @property
    def empty(self) -> bool:
        return not (self.problems or self.overdue or self.due_soon or self.unreported or self.to_update)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.issue.severity == ERROR)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    @property
    def quarters_missing(self) -> int:
        return sum(len(s.missing) for s in self.unreported)


@dataclass(slots=True)
class Notices:
    """The whole night: one notice per official (roster order) and what only the Office can act on."""

    assessment: Assessment
    report: Report
    unit: str
    workbook: str
    officials: list[Notice]
    office: list[Issue]  # problems nobody else can be told about (the plan, other sheets, no owner, no address)

    @property
    def as_of(self) -> date:
        return self.assessment.as_of


def address_of(official: Official) -> str | None:
    """The official's usable address from the ``Email`` cell (``valuerules.email_address``, the rule validation
    applies); None when blank or rejected."""
    return email_address(official.email)


def _row_label(row: ProgressRow) -> str:
    parts = [f"nội dung {row.code}" if row.code else "", row.period.label if row.period else ""]
    shown = ", ".join(p for p in parts if p)
    return f" ({shown})" if shown else ""


def _targets(row: ProgressRow, states: Mapping[str, ItemState],
             officials: Sequence[Official]) -> list[tuple[Official, str]]:
    """Who should fix a problem in the ``Tiến độ`` row ``row``, and why it is theirs: the official who entered
    it and the owners of its item (from the assessment), each once."""
    where = _row_label(row)
    targets: list[tuple[Official, str]] = []
    entered = find_official(row.updater, officials)
    if entered is not None:
        targets.append((entered, f"dòng anh/chị nhập{where}"))
    state = states.get(row.code) if row.code else None
    for person in state.owners if state is not None else ():
        if all(person is not p for p, _ in targets):
            targets.append((person, f"nội dung anh/chị phụ trách{where}"))
    return targets


def _route_issues(a: Assessment, notices: dict[int, Notice], officials: Sequence[Official]) -> list[Issue]:
    """Give each problem in a ``Tiến độ`` row to its people; return the issues nobody with an address was told
    (the plan's own, other sheets', unowned ones): the Office's."""
    rows = {r.row: r for r in a.wb.progress}
    states: dict[str, ItemState] = {}
    for s in a.items:  # the first state of a code, as ``Assessment.state``
        states.setdefault(s.code, s)
    office: list[Issue] = []
    for i in a.report.issues:
        if i.code in SECTION_CODES:
            continue
        row = rows.get(i.row) if i.sheet == PROGRESS.name and i.row is not None else None
        told = False
        for person, why in _targets(row, states, officials) if row is not None else ():
            notices[id(person)].problems.append(Problem(i, why))
            told = told or notices[id(person)].address is not None
        if not told:
            office.append(i)
    return office


def _route_items(a: Assessment, notices: dict[int, Notice]) -> None:
    """Late, soon-due and unreported items, and those whose figures for the period fall due, to their owners."""
    due = {id(s) for s in a.to_update}
    for s in a.items:
        for person in s.owners:
            notice = notices.get(id(person))
            if notice is None:
                continue
            if s.overdue:
                notice.overdue.append(s)
            elif s.due_soon:
                notice.due_soon.append(s)
            if s.missing:
                notice.unreported.append(s)
            if id(s) in due:
                notice.to_update.append(s)


def plan_notices(a: Assessment) -> Notices:
    """Route every issue and every late, soon-due or unreported item of the assessment to the people concerned."""
    wb = a.wb
    officials = [p for p in wb.officials if p.name]
    notices: dict[int, Notice] = {id(p): Notice(p, address_of(p)) for p in officials}
    office = _route_issues(a, notices, officials)
    _route_items(a, notices)
    return Notices(assessment=a, report=a.report, unit=one_line(wb.info.unit or wb.info.body_name or ""),
                   workbook=Path(a.report.workbook).name,
                   officials=[notices[id(p)] for p in officials], office=office)


def office_addresses(configured: Sequence[str], wb: TrackingWorkbook | None) -> tuple[str, ...]:
    """The digest's recipients: ``notify.office`` when set, else the workbook's valid ``Email Văn phòng``."""
    if configured:
        return tuple(configured)
    address = email_address(wb.info.office_email) if wb is not None else None
    return (address,) if address else ()
