"""Reading one sheet's rows into records: header binding, cell parsing, merges, and what the values do not say.

Used by ``reader.read_sheets`` for every source (a file or Excel's open workbook), so a cell is understood the
same way wherever it comes from.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice, repeat
from typing import Any

from toolkit.core.issues import Issue, issue
from toolkit.core.model import Official, PlanInfo, PlanItem, ProgressRow, Record, Source
from toolkit.core.schema import (
    INFO_FIELDS,
    INFO_SHEET,
    PLAN,
    PROGRESS,
    ROSTER,
    Kind,
    TableSheet,
    column_letter,
    row_cap,
)
from toolkit.core.text import clean, fold
from toolkit.core.valuerules import column_index
from toolkit.workbook.cells import Normalised, Unclear, parse_date, parse_number, parse_percent, parse_text, parser_for
from toolkit.workbook.columns import VALID, Bad, ColumnSpec, Outcomes, blank, read_run

RECORD_TYPES: dict[str, type[Record]] = {PLAN.name: PlanItem, PROGRESS.name: ProgressRow, ROSTER.name: Official}
_HEADER_SEARCH = 20  # rows looked at for a header that is not in row 1
_OUTSIDE_SHOWN = 10  # cells outside the table reported one by one; the rest in one line


class UnreadableWorkbook(Exception):
    """The file cannot be read as a tracking workbook at all; ``issue`` says why (for the user)."""

    def __init__(self, problem: Issue) -> None:
        super().__init__(problem.message)
        self.issue = problem


@dataclass(frozen=True, slots=True)
class SheetExtras:
    """What cell values do not tell (rows 1-based, columns 0-based).

    ``hidden``: rows hidden by hand (reported); ``filtered``: rows hidden by an active AutoFilter (not
    reported); ``errors``: cells holding error values (#DIV/0!); ``uncalculated``: formula cells whose value
    was never calculated; ``percent``: cells formatted as a percentage, or None when the source cannot tell
    (then a bare number in (0, 1] in a percent column is ambiguous); ``outside``: cells left out because they
    lie far outside any table.
    """

    hidden: frozenset[int] = frozenset()
    errors: dict[tuple[int, int], str] | None = None
    filtered: frozenset[int] = frozenset()
    percent: frozenset[tuple[int, int]] | None = None
    uncalculated: dict[tuple[int, int], str] | None = None
    outside: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class _Bound:
    """A declared column bound to its position in this workbook."""

    field: str
    header: str
    index: int
    letter: str
    parse: Callable[[Any], Any]
    cached: bool  # all but free text: few distinct values (codes, names, dates, choices), parsed once each
    percent: bool = False  # read as the cell shows it: needs the cell's number format


def _bind_header(table: TableSheet, header: list[Any], notes: list[Issue]) -> tuple[list[_Bound], Source]:
    positions: dict[str, int] = {}
    for i, cell in enumerate(header):
        if isinstance(cell, str) and cell.strip():
            key = fold(cell)
            if key in positions:
                notes.append(issue("duplicate-column", sheet=table.name, row=1, column=clean(cell),
                                   cell=f"{column_letter(i)}1"))
            else:
                positions[key] = i
    bound: list[_Bound] = []
    letters: dict[str, str] = {}
    for col in table.columns:
        idx = positions.get(fold(col.header))
        if idx is None:
            if col.optional_header:
                notes.append(issue("optional-column-missing", sheet=table.name, column=col.header))
                continue
            raise UnreadableWorkbook(issue("column-missing", sheet=table.name, column=col.header))
        letters[col.field] = column_letter(idx)
        parse = parser_for(col)
        if parse is not None:
            bound.append(_Bound(col.field, col.header, idx, letters[col.field], parse, col.kind is not Kind.TEXT,
                                col.kind is Kind.PERCENT))
    return bound, Source(table.name, letters)


_CHUNK = 4096  # rows read at a time: runs of ordinary rows are read column by column (``columns``)


def _merge_fills(merged: Iterable[tuple[tuple[int, int], tuple[int, int]]], sheet: str,
                 notes: list[Issue]) -> dict[int, list[tuple[int, int, int]]]:
    """Note every merged range reaching the data, and map each 0-based data row to the ranges covering it.

    A merged range's value is in its first cell; a vertical merge means "the same for these rows", so every
    cell of the range is read as holding that value. The map holds (first column, last column, first row).
    """
    fills: dict[int, list[tuple[int, int, int]]] = {}
    for (r0, c0), (r1, c1) in merged:
        if r1 < 1:  # header-only merges change nothing in the data
            continue
        ref = f"{column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}"
        notes.append(issue("merged-cells", sheet=sheet, row=r0 + 1, cell=f"{column_letter(c0)}{r0 + 1}", value=ref))
        for r in range(r0, r1 + 1):
            fills.setdefault(r, []).append((c0, c1, r0))
    return fills


@dataclass(slots=True)
class _Table:
    """Reading one table sheet's data rows: its columns, what the cells do not say, and what was read."""

    sheet: str
    source: Source
    make: Callable[..., Record]
    specs: list[ColumnSpec]  # the read columns but percent ones, in declared order
    by_percent: list[_Bound]
    bound: list[_Bound]  # every read column: specs first, then percent ones
    fields: list[str]  # the data fields of ``make``, in order
    layout: list[int | None]  # per data field: the index of its spec, None when not read by a spec
    need: int  # a row is padded to this many cells
    width: int  # cells right of the header's last column are outside the table
    extras: SheetExtras
    flags: dict[int, list[tuple[_Bound, str, str]]]
    flag_rows: list[int]  # the keys of ``flags``, sorted
    fills: dict[int, list[tuple[int, int, int]]]
    notes: list[Issue]
    by_columns: bool  # runs of ordinary rows column by column (``columns``); False: every row on its own
    merge_values: dict[tuple[int, int], Any] = field(default_factory=dict)
    records: list[Any] = field(default_factory=list)
    strays: list[tuple[int, int]] = field(default_factory=list)


def _table(table: TableSheet, header: list[Any], bound: list[_Bound], source: Source, merged: list[Any],
           extras: SheetExtras, notes: list[Issue], by_columns: bool) -> _Table:
    generic = [b for b in bound if not b.percent]
    specs = [ColumnSpec(b.field, b.header, b.letter, b.index, b.parse, Outcomes(b.parse) if b.cached else None)
             for b in generic]
    make = RECORD_TYPES[table.name]
    by_field = {s.field: k for k, s in enumerate(specs)}
    names = [f.name for f in dataclasses.fields(make)[len(_RECORD_FIELDS):]]
    flags = _flags(extras, bound)
    t = _Table(sheet=table.name, source=source, make=make, specs=specs, by_percent=[b for b in bound if b.percent],
               bound=generic + [b for b in bound if b.percent],
               fields=names, layout=[by_field.get(name) for name in names],
               need=max((b.index for b in bound), default=-1) + 1,
               width=max((i + 1 for i, h in enumerate(header) if h != ""), default=0), extras=extras,
               flags=flags, flag_rows=sorted(flags), fills=_merge_fills(merged, table.name, notes) if merged else {},
               notes=notes, by_columns=by_columns)
    for c0, _c1, r0 in t.fills.get(0, ()):
        t.merge_values[(r0, c0)] = header[c0] if c0 < len(header) else ""
    return t


_RECORD_FIELDS = ("source", "row", "hidden", "invalid")  # every record's first fields, in this order


def read_table(table: TableSheet, rows: Iterable[list[Any]], merged: list[Any], extras: SheetExtras,
               notes: list[Issue], *, by_columns: bool = True) -> list[Any]:
    """Records from a table sheet's rows (row 0 is the header); blank rows are skipped, hidden ones kept.

    ``by_columns``: runs of ordinary rows are read column by column (``columns.read_run``), which saves 21% of
    ``cchc validate``'s wall time on the 100,000-row log (2.20 s -> 1.74 s); False reads every row on its own,
    the plain path it is tested against (tests/test_reader_paths.py): the same records and notes, same order."""
    it = iter(rows)
    header, bound, source = _header(table, it, notes)
    note_outside(table.name, extras.outside, notes)
    t = _table(table, header, bound, source, merged, extras, notes, by_columns)
    r = 1
    while chunk := list(islice(it, _CHUNK)):
        _read_chunk(t, chunk, r)
        r += len(chunk)
    _drop_far_rows(t)
    note_outside(t.sheet, tuple(sorted(t.strays)), notes)
    return t.records


def _drop_far_rows(t: _Table) -> None:
    """Rows far below the table (``schema.row_cap``) hold strays, not records: their cells are reported as
    outside the table and what was said about them is taken back. (A file whose declared range is implausible
    has its far cells left out before it is read; this is the same rule for a sheet read as it is.)"""
    cap = row_cap(len(t.records) + 1)
    if not t.records or t.records[-1].row <= cap:
        return
    keep = [rec for rec in t.records if rec.row <= cap]
    letters = t.source.letters
    for rec in t.records[len(keep):]:
        cells = [column_index(letters[f]) for f in t.fields if f in letters and
                 (getattr(rec, f) is not None or f in rec.invalid)]
        t.strays.extend((rec.row, c) for c in sorted(cells or [0]))
    t.records[:] = keep
    t.notes[:] = [n for n in t.notes if n.sheet != t.sheet or n.row is None or n.row <= cap]


def _read_chunk(t: _Table, chunk: list[list[Any]], r: int) -> None:
    """Rows ``r``.. (0-based, the header is 0): runs of ordinary rows column by column, the others one by one."""
    widths = set(map(len, chunk))
    special = None
    if t.by_columns and not (t.fills or t.by_percent or not t.specs) and len(widths) == 1:
        n, w = len(chunk), widths.pop()
        cols = list(zip(*chunk, strict=True))
        if w < t.need:
            cols.extend(repeat(("",) * n, t.need - w))
        elif w > t.width:
            _column_strays(cols, t.width, r, t.strays)
        special = _special_rows(t, cols, r, n)
    if special is None:
        for i, row in enumerate(chunk):
            _read_row(t, row, r + i)
        return
    a = 0
    for i in (*special, n):
        if a < i:
            t.records.extend(read_run(cols, a, i, r + a + 1, t.specs, t.layout, t.make, t.source, t.extras.hidden,
                                      t.notes))
        if i < n:
            _read_row(t, chunk[i], r + i, strays=False)
        a = i + 1


def _special_rows(t: _Table, cols: list[tuple[Any, ...]], r: int, n: int) -> list[int] | None:
    """Rows of a chunk read one by one: a blank first cell, or a read cell holding an error or an uncalculated
    formula. None when the chunk cannot be read by columns (a value that cannot be a key)."""
    first = cols[t.specs[0].index]
    try:
        blanks = {v for v in set(first) if type(v) is str and (v == "" or v.isspace())}
    except TypeError:
        return None
    out = {i for i, v in enumerate(first) if v in blanks} if blanks else set()
    lo, hi = bisect_left(t.flag_rows, r + 1), bisect_right(t.flag_rows, r + n)
    out.update(row - r - 1 for row in t.flag_rows[lo:hi])
    return sorted(out)


def _column_strays(cols: list[tuple[Any, ...]], width: int, r: int, out: list[tuple[int, int]]) -> None:
    """Cells right of the header's last column that hold something, in row order."""
    found = [(r + i + 1, c) for c in range(width, len(cols)) if cols[c].count("") != len(cols[c])
             for i, v in enumerate(cols[c]) if v != ""]
    out.extend(sorted(found))


def _read_row(t: _Table, row: list[Any], r: int, *, strays: bool = True) -> None:
    """One data row (0-based ``r``) read on its own."""
    if len(row) < t.need:
        row = row + [""] * (t.need - len(row))
    elif strays and len(row) > t.width:
        _strays(row, t.width, r, t.strays)
    if t.fills and r in t.fills:
        _fill(row, r, t.fills[r], t.merge_values)
    cells = [row[s.index] for s in t.specs]
    excel_row = r + 1
    first = cells[0] if cells else ""
    if (first == "" or (type(first) is str and first.isspace())) and \
            _skip_blank(cells, [row[b.index] for b in t.by_percent], t.bound, t.flags, t.sheet, excel_row, t.notes):
        return
    values, invalid = _parse_cells(t.specs, cells, t.sheet, excel_row, t.notes)
    if t.by_percent:
        invalid = _percent_cells(t.by_percent, row, excel_row, t.extras.percent, t.sheet, values, t.notes, invalid)
    if t.flags and excel_row in t.flags:
        invalid = _apply_flags(t.flags[excel_row], t.sheet, excel_row, values, t.notes, invalid)
    hidden = excel_row in t.extras.hidden
    if hidden:
        t.notes.append(issue("hidden-row", sheet=t.sheet, row=excel_row, cell=f"A{excel_row}"))
    t.records.append(t.make(t.source, excel_row, hidden, frozenset(invalid) if invalid else VALID,
                            *[values.get(name) for name in t.fields]))


def _skip_blank(cells: Any, percent_cells: list[Any], bound: list[_Bound], flags: dict[int, Any] | None, sheet: str,
                excel_row: int, notes: list[Issue]) -> bool:
    """A row starting blank: True when it holds nothing (or only spaces: one warning at the space cell)."""
    blank = _blank_row(cells, percent_cells, bound)
    if blank is None or (flags and excel_row in flags):
        return False
    if blank is not _NOTHING:
        notes.append(issue("blank-with-spaces", sheet=sheet, row=excel_row, cell=f"{blank.letter}{excel_row}",
                           column=blank.header))
    return True


def _parse_cells(specs: list[ColumnSpec], cells: list[Any], sheet: str, excel_row: int,
                 notes: list[Issue]) -> tuple[dict[str, Any], set[str] | None]:
    """One row's cells parsed into field values, and the fields whose cells could not be understood.

    Each column remembers what its distinct values parsed to (``columns.Outcomes``); free text (no memory)
    is cleaned, never refused.
    """
    values: dict[str, Any] = {}
    invalid: set[str] | None = None
    for spec, raw in zip(specs, cells):  # noqa: B905 (same length by construction)
        cache = spec.cache
        if blank(raw):
            continue
        if cache is None:
            values[spec.field] = spec.parse(raw)
            continue
        value = cache.outcome_of(raw)  # the same memory the column-by-column reading uses
        t = type(value)
        if t is Bad:
            notes.append(spec.note(value.code, sheet, excel_row, raw, **value.params))
            invalid = invalid or set()
            invalid.add(spec.field)
            continue
        if t is Normalised:
            notes.append(spec.note(value.code, sheet, excel_row, raw, normalised=value.shown))
            value = value.value
        values[spec.field] = value
    return values, invalid


def _header(table: TableSheet, it: Iterator[list[Any]], notes: list[Issue]) -> tuple[list[Any], list[_Bound], Source]:
    """Row 1 bound to the declared columns; a header found lower down is named in the error."""
    header = next(it, None)
    if header is None:
        raise UnreadableWorkbook(issue("column-missing", sheet=table.name, column=table.columns[0].header))
    try:
        bound, source = _bind_header(table, header, notes)
    except UnreadableWorkbook:
        wanted = {fold(c.header) for c in table.columns if not c.optional_header}
        for r, row in enumerate(islice(it, _HEADER_SEARCH), start=2):
            if wanted <= {fold(c) for c in row if isinstance(c, str)}:
                raise UnreadableWorkbook(issue("header-row-low", sheet=table.name, row=r, cell=f"A{r}",
                                               value=r, above=r - 1)) from None
        raise
    return header, bound, source


_NOTHING = object()  # a blank row with nothing to say


def _blank_row(cells: tuple[Any, ...], extra: list[Any], bound: list[_Bound]) -> Any:
    """None when the row holds something; else the first column holding only spaces, or _NOTHING."""
    spaced = None
    for raw, b in zip((*cells, *extra), bound):  # noqa: B905 (same order by construction)
        if raw == "":
            continue
        if type(raw) is not str or raw.strip():
            return None
        spaced = spaced or b
    return spaced or _NOTHING


def _fill(row: list[Any], r: int, ranges: list[tuple[int, int, int]], merge_values: dict[tuple[int, int], Any]) -> None:
    for c0, c1, r0 in ranges:
        key = (r0, c0)
        if r == r0:
            merge_values[key] = row[c0] if c0 < len(row) else ""
        value = merge_values.get(key, "")
        for c in range(c0, min(c1, len(row) - 1) + 1):
            row[c] = value


def _strays(row: list[Any], width: int, r: int, out: list[tuple[int, int]]) -> None:
    """Cells right of the header's last column that hold something (0-based row ``r``)."""
    tail = row[width:]
    if tail.count("") != len(tail):
        out.extend((r + 1, width + i) for i, v in enumerate(tail) if v != "")


def note_outside(sheet: str, cells: tuple[tuple[int, int], ...], notes: list[Issue]) -> None:
    for row, col in cells[:_OUTSIDE_SHOWN]:
        notes.append(issue("value-outside-table", sheet=sheet, row=row, cell=f"{column_letter(col)}{row}"))
    if len(cells) > _OUTSIDE_SHOWN:
        row, col = cells[_OUTSIDE_SHOWN]
        notes.append(issue("values-outside-table", sheet=sheet, row=row, cell=f"{column_letter(col)}{row}",
                           value=len(cells) - _OUTSIDE_SHOWN))


def _flags(extras: SheetExtras, bound: list[_Bound]) -> dict[int, list[tuple[_Bound, str, str]]]:
    """Row -> the read cells whose value cannot be trusted: error values and formulas never calculated."""
    by_index = {b.index: b for b in bound}
    out: dict[int, list[tuple[_Bound, str, str]]] = {}
    for cells, code in ((extras.errors, "error-value"), (extras.uncalculated, "formula-not-calculated")):
        for (row, col), value in (cells or {}).items():
            b = by_index.get(col)
            if b is not None:
                out.setdefault(row, []).append((b, code, value))
    return out


def _apply_flags(flagged: list[tuple[_Bound, str, str]], sheet: str, row: int, values: dict[str, Any],
                 notes: list[Issue], invalid: set[str] | None) -> set[str]:
    invalid = invalid or set()
    for b, code, value in flagged:
        notes.append(issue(code, sheet=sheet, row=row, column=b.header, cell=f"{b.letter}{row}", value=value))
        values.pop(b.field, None)
        invalid.add(b.field)
    return invalid


def _percent_cells(bound: list[_Bound], row: list[Any], excel_row: int, percent: frozenset[tuple[int, int]] | None,
                   sheet: str, values: dict[str, Any], notes: list[Issue], invalid: set[str] | None) -> set[str] | None:
    """Percent columns, read as the cell shows them: a percent-formatted 1.0 is 100, a plain 1 is 1."""
    for b in bound:
        raw = row[b.index]
        if blank(raw):
            continue
        shown = None if percent is None else (excel_row, b.index) in percent
        try:
            value = parse_percent(raw, shown)
        except Unclear as bad:
            notes.append(issue(bad.code, sheet=sheet, row=excel_row, column=b.header, cell=f"{b.letter}{excel_row}",
                               value=raw, **bad.params))
            invalid = invalid or set()
            invalid.add(b.field)
            continue
        if type(value) is Normalised:
            notes.append(issue(value.code, sheet=sheet, row=excel_row, column=b.header,
                               cell=f"{b.letter}{excel_row}", value=raw, normalised=value.shown))
            value = value.value
        values[b.field] = value
    return invalid

_INFO_BY_LABEL = {fold(f.label): f for f in INFO_FIELDS}


def read_info(rows: list[list[Any]], notes: list[Issue]) -> PlanInfo:
    info = PlanInfo()
    for r in range(1, len(rows)):
        row = rows[r]
        if len(row) < 2 or not isinstance(row[0], str) or not row[0].strip():
            continue
        excel_row = r + 1
        key = _INFO_BY_LABEL.get(fold(row[0]))
        if key is None:
            notes.append(issue("info-unknown-key", sheet=INFO_SHEET, row=excel_row, cell=f"A{excel_row}",
                               value=clean(row[0])))
            continue
        raw = row[1]
        if raw is None or blank(raw):
            continue
        info.cells.setdefault(key.field, f"B{excel_row}")
        parse = {Kind.DATE: parse_date, Kind.NUMBER: parse_number}.get(key.kind, parse_text)
        try:
            value = parse(raw)
        except Unclear as bad:
            notes.append(issue(bad.code, sheet=INFO_SHEET, row=excel_row, column=key.label,
                               cell=f"B{excel_row}", value=raw, **bad.params))
            continue
        if type(value) is Normalised:
            notes.append(issue(value.code, sheet=INFO_SHEET, row=excel_row, column=key.label,
                               cell=f"B{excel_row}", value=raw, normalised=value.shown))
            value = value.value
        if key.kind is Kind.NUMBER:
            value = int(value)
        if key.many:
            getattr(info, key.field).extend(line for line in str(value).split("\n") if line.strip())
        else:
            setattr(info, key.field, value)
    return info


