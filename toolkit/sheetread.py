"""Reading one sheet's rows into records: header binding, cell parsing, merges, and what the values do not say.

Used by ``reader.read_sheets`` for every source (a file or Excel's open workbook), so a cell is understood the
same way wherever it comes from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter
from typing import Any

from .issues import Issue, issue
from .model import Official, PlanInfo, PlanItem, ProgressRow, Record, Source
from .schema import INFO_FIELDS, INFO_SHEET, PLAN, PROGRESS, ROSTER, Kind, TableSheet, column_letter
from .text import clean, fold
from .values import Normalised, Unclear, parse_date, parse_number, parse_percent, parse_text, parser_for

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


_VALID: frozenset[str] = frozenset()
_CACHE_LIMIT = 20_000  # distinct values remembered per column; beyond that, cells are parsed one by one


@dataclass(frozen=True, slots=True)
class _Bad:
    """A remembered ``Unclear`` outcome of parsing one distinct value."""

    code: str
    params: dict[str, Any]


def _outcome(parse: Callable[[Any], Any], raw: Any) -> Any:
    try:
        return parse(raw)
    except Unclear as bad:
        return _Bad(bad.code, bad.params)


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


def read_table(table: TableSheet, rows: Iterable[list[Any]], merged: list[Any], extras: SheetExtras,
               notes: list[Issue]) -> list[Any]:
    """Records from a table sheet's rows (row 0 is the header); blank rows are skipped, hidden ones kept."""
    it = iter(rows)
    header, bound, source = _header(table, it, notes)
    width = max((i + 1 for i, h in enumerate(header) if h != ""), default=0)
    note_outside(table.name, extras.outside, notes)
    fills = _merge_fills(merged, table.name, notes) if merged else {}
    merge_values: dict[tuple[int, int], Any] = {}
    make = RECORD_TYPES[table.name]
    sheet = table.name
    generic = [b for b in bound if not b.percent]
    by_percent = [b for b in bound if b.percent]
    data_idx = [b.index for b in generic]
    need = max((b.index for b in bound), default=-1) + 1
    cells_of = itemgetter(*data_idx) if len(data_idx) > 1 else (lambda row: (row[data_idx[0]],))
    # Per column, what each distinct cell value parsed to when it parsed cleanly; "" (blank) is None.
    columns = [(b.field, b.parse, {"": None} if b.cached else None, b) for b in generic]
    records: list[Any] = []
    hidden_rows = extras.hidden
    flags = _flags(extras, bound)
    strays: list[tuple[int, int]] = []
    if fills and 0 in fills:
        for c0, _c1, r0 in fills[0]:
            merge_values[(r0, c0)] = header[c0] if c0 < len(header) else ""
    for r, row in enumerate(it, start=1):
        if len(row) < need:
            row = row + [""] * (need - len(row))
        elif len(row) > width:
            _strays(row, width, r, strays)
        if fills and r in fills:
            _fill(row, r, fills[r], merge_values)
        cells = cells_of(row)
        excel_row = r + 1
        first = cells[0]
        if (first == "" or (type(first) is str and first.isspace())) and \
                _skip_blank(cells, [row[b.index] for b in by_percent], generic + by_percent, flags, sheet, excel_row,
                            notes):
            continue
        values, invalid = _parse_cells(columns, cells, sheet, excel_row, notes)
        if by_percent:
            invalid = _percent_cells(by_percent, row, excel_row, extras.percent, sheet, values, notes, invalid)
        if flags and excel_row in flags:
            invalid = _apply_flags(flags[excel_row], sheet, excel_row, values, notes, invalid)
        hidden = excel_row in hidden_rows
        if hidden:
            notes.append(issue("hidden-row", sheet=sheet, row=excel_row, cell=f"A{excel_row}"))
        records.append(make(source=source, row=excel_row, hidden=hidden,
                            invalid=frozenset(invalid) if invalid else _VALID, **values))
    note_outside(sheet, tuple(strays), notes)
    return records


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


def _parse_cells(columns: list[tuple[str, Any, dict[Any, Any] | None, _Bound]], cells: Any, sheet: str,
                 excel_row: int, notes: list[Issue]) -> tuple[dict[str, Any], set[str] | None]:
    """One row's cells parsed into field values, and the fields whose cells could not be understood.

    Each column caches what its distinct values parsed to (the fast path: a value seen before that parsed
    cleanly); free text (no cache) is cleaned, never refused.
    """
    values: dict[str, Any] = {}
    invalid: set[str] | None = None
    miss = _Bad  # a sentinel no cache ever holds as a value
    for (field, parse, cache, b), raw in zip(columns, cells):  # noqa: B905 (same length by construction)
        if cache is None:
            if raw != "":
                values[field] = parse(raw)
            continue
        value = cache.get(raw, miss)
        if value is not miss:
            if value is not None:
                values[field] = value
            continue
        value = _outcome(parse, raw)
        t = type(value)
        if t is _Bad:
            notes.append(issue(value.code, sheet=sheet, row=excel_row, column=b.header,
                               cell=f"{b.letter}{excel_row}", value=raw, **value.params))
            invalid = invalid or set()
            invalid.add(field)
            continue
        if t is Normalised:
            notes.append(issue(value.code, sheet=sheet, row=excel_row, column=b.header,
                               cell=f"{b.letter}{excel_row}", value=raw, normalised=value.shown))
            value = value.value
        elif len(cache) < _CACHE_LIMIT and not (raw is True or raw is False or raw == 0 or raw == 1):
            cache[raw] = value  # 0 and 1 are never keys: True == 1 == 1.0 would share them
        values[field] = value
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
        if raw == "":
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
        if raw == "" or raw is None:
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


