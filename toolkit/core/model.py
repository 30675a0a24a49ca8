"""The domain model: what a tracking workbook says, with every value remembering its source cell.

Only ``reader`` and ``builder`` know sheets and cells; everything after them works on these objects. A record
keeps its sheet row and the column letter of each field (from the header row it was read under), so any
stage can point at ``Tiến độ!E7`` without knowing the layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from toolkit.core.period import Period


@dataclass(frozen=True, slots=True)
class Source:
    """Where the records of one sheet came from: the sheet name and the column letter of each field."""

    sheet: str
    letters: dict[str, str]

    def cell(self, field_name: str, row: int) -> str:
        """``E7``; a field whose column is missing points at the row's first cell."""
        return f"{self.letters.get(field_name, 'A')}{row}"


@dataclass(slots=True)
class Record:
    """Base of every table record: its source, its 1-based sheet row, whether the row is hidden in Excel,
    and the fields whose cells held something that could not be understood (their value is then None).

    Records made in code (not read from a sheet) have an empty source and row 0.
    """

    source: Source = Source("", {})
    row: int = 0
    hidden: bool = False
    invalid: frozenset[str] = frozenset()

    def cell(self, field_name: str) -> str:
        """The cell of ``field_name`` in this record's row, ``E7``."""
        return self.source.cell(field_name, self.row)

    def ref(self, field_name: str) -> str:
        """The full reference, ``Tiến độ!E7``."""
        return f"{self.source.sheet}!{self.cell(field_name)}"


@dataclass(slots=True)
class PlanItem(Record):
    """One row of ``Kế hoạch``: a shortcoming with its target, tasks, owner and deadline.

    ``target`` is the numeric target in percent (None when the plan gives none); ``kind`` is one of
    ``schema.TARGET_KINDS`` or None when blank; ``deadline`` is None for event-based deadlines, whose
    wording is in ``deadline_note``.
    """

    code: str | None = None
    content: str | None = None
    target_text: str | None = None
    target: float | None = None
    kind: str | None = None
    tasks: str | None = None
    owner: str | None = None
    partners: str | None = None
    deadline: date | None = None
    deadline_note: str | None = None
    unit: str | None = None


@dataclass(slots=True)
class ProgressRow(Record):
    """One row of ``Tiến độ``: the state of one item as of one quarter (a snapshot, not an increment)."""

    code: str | None = None
    period: Period | None = None
    updated: date | None = None
    updater: str | None = None
    achieved: float | None = None
    total: float | None = None
    status: str | None = None
    result: str | None = None
    difficulties: str | None = None
    proposals: str | None = None
    evidence: str | None = None

    @property
    def ratio(self) -> float | None:
        """Số đạt / Tổng số x 100, recomputed (the sheet's own formula is never trusted); None if undefined."""
        if self.achieved is None or not self.total:
            return None
        return self.achieved / self.total * 100


@dataclass(slots=True)
class Official(Record):
    """One row of ``Cán bộ``."""

    name: str | None = None
    position: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(slots=True)
class PlanInfo:
    """The key/value sheet ``Thông tin chung``: everything the documents need.

    Values are None (or an empty list for list keys) when the key is missing or blank. ``cells`` maps a
    field to the cell of its first value (``B5``) so problems can point at it.
    """

    parent_body: str | None = None
    issuer: str | None = None
    unit: str | None = None
    issuer_abbr: str | None = None
    place: str | None = None
    plan_number: str | None = None
    plan_date: date | None = None
    plan_subject: str | None = None
    year: int | None = None
    legal_basis: list[str] = field(default_factory=list)
    implementing: list[str] = field(default_factory=list)
    purposes: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    organization: list[str] = field(default_factory=list)
    signer_authority: str | None = None
    signer_deputy: str | None = None
    signer_position: str | None = None
    signer_name: str | None = None
    plan_recipients: list[str] = field(default_factory=list)
    report_recipients: list[str] = field(default_factory=list)
    addressees: list[str] = field(default_factory=list)
    next_report_number: int | None = None
    office_email: str | None = None
    cutoff_day: int | None = None
    due_day: int | None = None
    office_assessment: list[str] = field(default_factory=list)
    resolved_proposals: list[str] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)

    @property
    def body_name(self) -> str:
        """The issuing body as written in sentences: ``Ủy ban nhân dân xã Đăktover``."""
        return " ".join(p for p in (self.issuer, self.unit) if p)

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "cells"}


@dataclass(slots=True)
class TrackingWorkbook:
    """Everything read from one tracking workbook.

    ``notes`` holds what the reader itself noticed (values it normalised, cells it could not understand,
    hidden rows, merged cells) as ``issues.Issue`` objects; validation adds its own to them.
    """

    path: str
    info: PlanInfo
    items: list[PlanItem]
    officials: list[Official]
    progress: list[ProgressRow]
    notes: list[Any] = field(default_factory=list)

    def item(self, code: str) -> PlanItem | None:
        """The first plan item with this code, or None."""
        for it in self.items:
            if it.code == code:
                return it
        return None

    @property
    def year(self) -> int | None:
        """The plan year: ``Năm thực hiện``, else the year of the first dated deadline."""
        if self.info.year:
            return self.info.year
        for it in self.items:
            if it.deadline:
                return it.deadline.year
        return None
