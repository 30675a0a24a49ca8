"""What changed between two readings of the workbook (yesterday's copy and today's), by content.

Rows are matched by a content key, never by row number, so an inserted, deleted or sorted row changes only
itself: ``Kế hoạch`` by its code, ``Tiến độ`` by (code, quarter, date of update), ``Cán bộ`` by name. Rows
left unmatched are paired by similarity (most fields equal), so an edit of a key field (a code, a date) is
an edited cell, not a deleted and an added row. What is left is added or deleted, with its content.

``compare(old, new)`` returns the changes, plan changes first: the ``Kế hoạch`` rows (targets, deadlines),
then ``Thông tin chung``, ``Tiến độ`` and ``Cán bộ``. Each change names its cell (today's cell for an edit,
the row in the previous copy for a deletion), the old and new values and the row's ``Người cập nhật``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from toolkit.core.model import Official, PlanItem, ProgressRow, Record, TrackingWorkbook
from toolkit.core.period import Period
from toolkit.core.schema import INFO_FIELDS, INFO_SHEET, PLAN, PROGRESS, ROSTER, Kind, TableSheet
from toolkit.core.text import fold

ADDED, EDITED, DELETED = "added", "edited", "deleted"
ACTION_LABELS = {ADDED: "Thêm dòng", EDITED: "Sửa ô", DELETED: "Xóa dòng"}
SIMILAR = 0.7  # share of filled fields that must be equal to pair two rows whose keys differ
R = TypeVar("R", bound=Record)


@dataclass(frozen=True, slots=True)
class Change:
    """One change. ``ref`` is the edited cell (``Tiến độ!E27``, today's), the added row's first cell, or the
    deleted row's first cell in the previous copy. ``old``/``new`` are the values as shown (a deleted row's
    content is in ``old``, an added row's in ``new``). ``codes`` are the plan items concerned, ``updater`` the
    row's ``Người cập nhật`` (today's; the deleted row's own)."""

    action: str
    sheet: str
    ref: str
    what: str
    column: str = ""
    old: str = ""
    new: str = ""
    updater: str = ""
    codes: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()  # the Phụ trách texts of the Kế hoạch rows concerned

    @property
    def plan(self) -> bool:
        return self.sheet == PLAN.name

    def line(self) -> str:
        """One readable line: ``Sửa ô Tiến độ!E27 (Số đạt; nội dung 1.4, Quý III/2023): 300 → 320``."""
        where = "; ".join(p for p in (self.column, self.what) if p)
        head = f"{ACTION_LABELS[self.action]} {self.ref}" + (f" ({where})" if where else "")
        if self.action == EDITED:
            body = f"{self.old} → {self.new}"
        else:
            body = self.new if self.action == ADDED else self.old
        who = f"; người cập nhật: {self.updater}" if self.updater else ""
        return f"{head}: {body}{who}"


def show(value: Any) -> str:
    """A value as a person reads it: ``300``, ``12,5``, ``05/10/2023``, ``Quý III/2023``, ``(trống)``."""
    if value is None or value == "" or value == []:
        return "(trống)"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, float | int):
        text = f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
        return text.replace(".", ",")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Period):
        return value.label
    if isinstance(value, list):
        return "; ".join(show(v) for v in value)
    text = " ".join(str(value).split())
    return text if len(text) <= 120 else text[:119].rstrip() + "…"


def _fields(table: TableSheet) -> list[tuple[str, str]]:
    """(field, header) of the table's columns that hold data (not formulas)."""
    return [(c.field, c.header) for c in table.columns if c.kind != Kind.FORMULA]


def _same(a: Record, b: Record, fields: Sequence[tuple[str, str]]) -> float:
    """The share of fields filled in either row whose values are equal (1.0 for two empty rows)."""
    filled = equal = 0
    for name, _ in fields:
        x, y = getattr(a, name), getattr(b, name)
        if x is None and y is None:
            continue
        filled += 1
        equal += x == y
    return equal / filled if filled else 1.0


def pair(old: Sequence[R], new: Sequence[R], key: Callable[[R], Hashable],
         fields: Sequence[tuple[str, str]]) -> tuple[list[tuple[R, R]], list[R], list[R]]:
    """Match rows of two readings: (pairs, added rows, deleted rows).

    Rows with equal keys pair first (the most similar one when a key repeats); the rest pair by similarity
    (at least ``SIMILAR`` of their filled fields equal), best pairs first.
    """
    groups: dict[Hashable, list[R]] = {}
    for o in old:
        groups.setdefault(key(o), []).append(o)
    pairs: list[tuple[R, R]] = []
    rest_new: list[R] = []
    for n in new:
        group = groups.get(key(n))
        if not group:
            rest_new.append(n)
            continue
        best = max(group, key=lambda o: _same(o, n, fields))
        group.remove(best)
        pairs.append((best, n))
    rest_old = [o for group in groups.values() for o in group]
    scored = sorted(((_same(o, n, fields), i, j) for i, o in enumerate(rest_old) for j, n in enumerate(rest_new)),
                    key=lambda s: (-s[0], s[1], s[2]))
    used_old: set[int] = set()
    used_new: set[int] = set()
    for score, i, j in scored:
        if score < SIMILAR:
            break
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        pairs.append((rest_old[i], rest_new[j]))
    added = [n for j, n in enumerate(rest_new) if j not in used_new]
    deleted = [o for i, o in enumerate(rest_old) if i not in used_old]
    return pairs, added, deleted


def _content(record: Record, fields: Sequence[tuple[str, str]]) -> str:
    parts = [f"{header} {show(getattr(record, name))}" for name, header in fields
             if getattr(record, name) not in (None, "")]
    return ", ".join(parts) or "(dòng trống)"


def _what(record: Record) -> str:
    if isinstance(record, ProgressRow):
        parts = [f"nội dung {record.code}" if record.code else "", record.period.label if record.period else ""]
        return ", ".join(p for p in parts if p)
    if isinstance(record, PlanItem):
        return f"nội dung {record.code}" if record.code else ""
    if isinstance(record, Official):
        return record.name or ""
    return ""


def _codes(record: Record) -> tuple[str, ...]:
    code = getattr(record, "code", None) if isinstance(record, PlanItem | ProgressRow) else None
    return (code,) if code else ()


def _owners(record: Record) -> tuple[str, ...]:
    return (record.owner,) if isinstance(record, PlanItem) and record.owner else ()


def _updater(record: Record) -> str:
    return (record.updater or "") if isinstance(record, ProgressRow) else ""


def _first_cell(record: Record, fields: Sequence[tuple[str, str]]) -> str:
    return record.ref(fields[0][0])


def compare_table(table: TableSheet, old: Sequence[R], new: Sequence[R], key: Callable[[R], Hashable],
                  *, old_label: str = "") -> list[Change]:
    """The changes of one table sheet: edited cells (in today's row order), then added rows, deleted rows."""
    fields = _fields(table)
    pairs, added, deleted = pair(old, new, key, fields)
    out: list[Change] = []
    for o, n in sorted(pairs, key=lambda p: p[1].row):
        for name, header in fields:
            before, after = getattr(o, name), getattr(n, name)
            if before != after:
                out.append(Change(EDITED, table.name, n.ref(name), _what(n), header, show(before), show(after),
                                  _updater(n), tuple(dict.fromkeys(_codes(o) + _codes(n))),
                                  tuple(dict.fromkeys(_owners(o) + _owners(n)))))
    for n in sorted(added, key=lambda r: r.row):
        out.append(Change(ADDED, table.name, _first_cell(n, fields), _what(n), new=_content(n, fields),
                          updater=_updater(n), codes=_codes(n), owners=_owners(n)))
    for o in sorted(deleted, key=lambda r: r.row):
        what = ", ".join(p for p in (_what(o), old_label) if p)
        out.append(Change(DELETED, table.name, _first_cell(o, fields), what, old=_content(o, fields),
                          updater=_updater(o), codes=_codes(o), owners=_owners(o)))
    return out


def compare_info(old: TrackingWorkbook, new: TrackingWorkbook) -> list[Change]:
    """Edited keys of ``Thông tin chung`` (the cell of the key's first value today)."""
    out = []
    for f in INFO_FIELDS:
        before, after = getattr(old.info, f.field), getattr(new.info, f.field)
        if before != after:
            cell = new.info.cells.get(f.field) or old.info.cells.get(f.field) or ""
            ref = f"{INFO_SHEET}!{cell}" if cell else INFO_SHEET
            out.append(Change(EDITED, INFO_SHEET, ref, "", f.label, show(before), show(after)))
    return out


def _text_key(text: str | None) -> str:
    return fold(text) if text else ""


def compare(old: TrackingWorkbook, new: TrackingWorkbook, *, old_label: str = "") -> list[Change]:
    """Every change from ``old`` to ``new``; plan changes first. ``old_label`` names the previous copy in a
    deleted row's description (``trong bản sao ngày 19/10/2023``)."""
    return [
        *compare_table(PLAN, old.items, new.items, lambda r: _text_key(r.code), old_label=old_label),
        *compare_info(old, new),
        *compare_table(PROGRESS, old.progress, new.progress,
                       lambda r: (_text_key(r.code), r.period, r.updated), old_label=old_label),
        *compare_table(ROSTER, old.officials, new.officials, lambda r: _text_key(r.name), old_label=old_label),
    ]


def concerns(change: Change, official: Official, officials: Sequence[Official],
             owners: Callable[[str], Sequence[str]]) -> bool:
    """True when ``change`` is in the official's own rows: a row they entered, or an item they are
    responsible for. ``owners(code)`` gives today's ``Phụ trách`` texts of an item code."""
    from toolkit.rules.owners import find_official, owners_of

    if change.updater and find_official(change.updater, officials) is official:
        return True
    texts = [*change.owners, *(t for code in change.codes for t in owners(code))]
    return any(any(p is official for p in owners_of(text, officials)) for text in texts)
