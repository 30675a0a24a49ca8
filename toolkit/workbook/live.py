"""The live-Excel adapter: an open xlwings ``Book`` read into the domain model the file reader gives.

``read_book(book)`` reads the values Excel holds now (unsaved edits included) and hands them to the file
reader's own table parsing (``reader.read_sheets``), so a cell is understood exactly as in a file. What Excel
hands over differs from what a file holds, and is normalised here:

- error cells arrive as text (``#DIV/0!``, with ``err_to_str``), or, for the error values xlwings does not
  name (``#SPILL!``, ``#CALC!``...), as COM's integer error code (``CVErr``: ``-2146826281`` is ``#DIV/0!``);
- a currency- or accounting-formatted number arrives as ``Decimal`` (COM's ``VT_CY``): it is a number;
- rows hidden by an active filter are the filter's, not the official's: only rows hidden by hand are reported
  (Excel itself unhides every row of the filter range when the filter is cleared);
- merged ranges are found by halving the used range (``Range.MergeCells`` is True, False or mixed), a few
  calls per merged range instead of one per cell.

Engines that cannot tell merges or hidden rows (xlwings' remote engine) report none.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# What Excel shows for a cell holding an error value, by Excel's error number (``XlCVError``).
ERROR_NUMBERS = {2000: "#NULL!", 2007: "#DIV/0!", 2015: "#VALUE!", 2023: "#REF!", 2029: "#NAME?", 2036: "#NUM!",
                 2042: "#N/A", 2043: "#GETTING_DATA", 2045: "#SPILL!", 2046: "#CONNECT!", 2047: "#BLOCKED!",
                 2048: "#UNKNOWN!", 2049: "#FIELD!", 2050: "#CALC!", 2051: "#BUSY!", 2052: "#DATA!",
                 2222: "#PYTHON!"}
EXCEL_ERRORS = frozenset(ERROR_NUMBERS.values())
# COM hands an error cell over as the HRESULT-style code 0x800A0000 + the error number, as a signed int.
_COM_ERROR_BASE = -2146828288
_ERROR_TEXT = re.compile(r"#[A-Z0-9_/]{1,20}[!?]|#N/A|#GETTING_DATA")


def error_text(value: Any) -> str | None:
    """What Excel shows for ``value`` when it is an error value as some engine hands it over; else None.

    Text such as ``#SPILL!`` (or any ``#WORD!``/``#WORD?`` Excel may add later) and COM's integer codes in
    Excel's error range (``-2146826281`` -> ``#DIV/0!``); an unknown code in that range is ``#LỖI!<number>``.
    No figure of a tracking workbook is a negative number of ten digits, so the range cannot hide a real value.
    """
    kind = type(value)
    if kind is str:
        return value if value in EXCEL_ERRORS or _ERROR_TEXT.fullmatch(value) else None
    if kind is int:
        number = value - _COM_ERROR_BASE
        if 2000 <= number <= 2999:
            return ERROR_NUMBERS.get(number, f"#LỖI!{number}")
    return None


@dataclass
class LiveSheet:
    """One sheet as the file reader sees it: values from A1 (blank cells are ``""``) and what values do not say.

    ``errors`` maps (1-based row, 0-based column) to the error a cell shows (``#DIV/0!``; the cell reads blank);
    ``merged`` lists merged ranges as 0-based ((first row, first column), (last row, last column)) corners and
    ``hidden`` the 1-based rows hidden by hand: both empty where the engine cannot tell (the remote engine).
    """

    rows: list[list[Any]]
    errors: dict[tuple[int, int], str]
    merged: list[tuple[tuple[int, int], tuple[int, int]]]
    hidden: frozenset[int]


def sheet_rows(sheet: Any, *, layout: bool = True) -> LiveSheet:
    """Read ``sheet`` (an xlwings Sheet) from A1 to its last used cell in one call; ``layout`` adds merges and
    hidden rows where the engine can tell."""
    last = sheet.used_range.last_cell
    values = sheet.range((1, 1), (last.row, last.column)).options(ndim=2, err_to_str=True).value or [[]]
    errors: dict[tuple[int, int], str] = {}
    rows: list[list[Any]] = []
    for r, row in enumerate(values):
        out = []
        for c, v in enumerate(row):
            if v is None:
                v = ""
            elif type(v) is Decimal:
                v = float(v)
            else:
                shown = error_text(v)
                if shown is not None:
                    errors[(r + 1, c)] = shown
                    v = ""
            out.append(v)
        rows.append(out)
    if not layout:
        return LiveSheet(rows, errors, [], frozenset())
    height, width = len(rows), max((len(r) for r in rows), default=0)
    return LiveSheet(rows, errors, merged_ranges(sheet, height, width), hidden_rows(sheet, height))


# Merged ranges ------------------------------------------------------------------------------------------------

Corners = tuple[tuple[int, int], tuple[int, int]]


def merged_ranges(sheet: Any, height: int, width: int) -> list[Corners]:
    """Merged ranges of ``sheet`` within its first ``height`` rows and ``width`` columns (0-based corners).

    Empty when the engine cannot tell (the remote engine raises ``NotImplementedError``).
    """
    if height < 1 or width < 1:
        return []

    def state(r1: int, c1: int, r2: int, c2: int) -> bool | None:
        value = sheet.range((r1, c1), (r2, c2)).merge_cells
        return value if isinstance(value, bool) else None

    def area(r: int, c: int) -> tuple[int, int, int, int]:
        found = sheet.range((r, c)).merge_area
        end = found.last_cell
        return found.row, found.column, end.row, end.column

    try:
        return find_merges(state, area, height, width)
    except Exception:  # an engine that cannot tell
        return []


def find_merges(state: Callable[[int, int, int, int], bool | None], area: Callable[[int, int], tuple[int, ...]],
                height: int, width: int) -> list[Corners]:
    """The merged ranges of the 1-based block (1, 1)..(height, width), found by halving.

    ``state`` is Excel's ``Range.MergeCells`` of a block (True: all merged, False: none, None: mixed) and
    ``area(r, c)`` the ``MergeArea`` of one merged cell as (first row, first column, last row, last column).
    A block with no merged cell costs one call, so the calls grow with the number of merged ranges times the
    logarithm of the sheet's size, never with its cells.
    """
    found: dict[tuple[int, int], tuple[int, int]] = {}
    pending = [(1, 1, height, width)]
    while pending:
        r1, c1, r2, c2 = pending.pop()
        merged = state(r1, c1, r2, c2)
        if merged is False:
            continue
        if merged is True:
            a = area(r1, c1)
            found[(a[0] - 1, a[1] - 1)] = (a[2] - 1, a[3] - 1)
            if a[0] <= r1 and a[1] <= c1 and a[2] >= r2 and a[3] >= c2:
                continue  # one merged range covers the block
        if r1 == r2 and c1 == c2:
            continue
        if r2 - r1 >= c2 - c1:
            mid = (r1 + r2) // 2
            pending += [(r1, c1, mid, c2), (mid + 1, c1, r2, c2)]
        else:
            mid = (c1 + c2) // 2
            pending += [(r1, c1, r2, mid), (r1, mid + 1, r2, c2)]
    return sorted(found.items())


# Hidden rows --------------------------------------------------------------------------------------------------


def hidden_rows(sheet: Any, height: int) -> frozenset[int]:
    """Rows 2..height hidden by hand (1-based), from Excel's visible cells of column A (Windows).

    Rows hidden by an active filter are left out: within the filter's range Excel itself treats every hidden row
    as the filter's (clearing the filter shows them all). Empty where the engine cannot tell.
    """
    if height < 2:
        return frozenset()
    try:
        api = sheet.api
        column = api.Range(api.Cells(1, 1), api.Cells(height, 1))
        visible: set[int] = set()
        for part in column.SpecialCells(12).Areas:  # 12 = xlCellTypeVisible
            visible.update(range(part.Row, part.Row + part.Rows.Count))
        filtered = filter_rows(api)
    except Exception:  # not Excel on Windows (or nothing visible): no hidden rows reported
        return frozenset()
    return frozenset(r for r in range(2, height + 1) if r not in visible and r not in filtered)


def filter_rows(api: Any) -> set[int]:
    """The data rows (1-based) under a filter with a criterion applied: the sheet's autofilter, and the
    autofilter of each Excel table (``ListObject``) on the sheet, which the sheet's own does not report."""
    rows: set[int] = set()
    if api.AutoFilterMode and api.FilterMode:
        span = api.AutoFilter.Range
        rows.update(range(span.Row + 1, span.Row + span.Rows.Count))
    for table in api.ListObjects:
        if table.ShowAutoFilter and table.AutoFilter.FilterMode:
            span = table.Range
            rows.update(range(span.Row + 1, span.Row + span.Rows.Count))
    return rows


# The workbook -------------------------------------------------------------------------------------------------


def read_book(book: Any) -> Any:
    """Read an open xlwings Book into the domain model ``reader.read_workbook`` gives for a file.

    Uses the reader's own table and key/value parsing on the values Excel holds now (unsaved edits included),
    so a cell is understood exactly as in the file. Raises ``reader.UnreadableWorkbook`` when a required sheet
    or column is missing.
    """
    from toolkit.core.issues import issue
    from toolkit.core.schema import INFO_SHEET, PLAN
    from toolkit.core.text import fold
    from toolkit.workbook.reader import SheetGrid, read_sheets
    from toolkit.workbook.rows import SheetExtras, UnreadableWorkbook

    by_fold = {fold(s.name): s for s in book.sheets}

    def grid(name: str) -> SheetGrid:
        sheet = by_fold.get(fold(name))
        if sheet is None:
            raise UnreadableWorkbook(issue("sheet-missing", sheet=name))
        live = sheet_rows(sheet, layout=name != INFO_SHEET)
        percent = percent_cells(sheet, live.rows) if name == PLAN.name else None
        return SheetGrid(live.rows, live.merged, SheetExtras(hidden=live.hidden, errors=live.errors or None,
                                                             percent=percent))

    return read_sheets(str(book.fullname), grid)


def percent_cells(sheet: Any, rows: list[list[Any]]) -> frozenset[tuple[int, int]] | None:
    """The cells of the plan's percent columns that Excel formats as a percentage (1-based row, 0-based column).

    Only a number in (0, 1] needs its format (``1`` shows 1% or 100%); those few cells are asked one by one.
    None when the engine cannot tell (the reader then reports such a number as unclear, never guesses).
    """
    from toolkit.core.schema import PLAN, Kind
    from toolkit.core.text import fold
    from toolkit.workbook.markup import is_percent_code

    if not rows:
        return frozenset()
    headers = {fold(str(h)): c for c, h in enumerate(rows[0]) if isinstance(h, str)}
    columns = [headers[fold(col.header)] for col in PLAN.columns
               if col.kind is Kind.PERCENT and fold(col.header) in headers]
    found: set[tuple[int, int]] = set()
    try:
        for c in columns:
            for r in range(1, len(rows)):
                v = rows[r][c] if c < len(rows[r]) else ""
                if isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v <= 1 \
                        and is_percent_code(str(sheet.range((r + 1, c + 1)).number_format or "")):
                    found.add((r + 1, c))
    except Exception:  # an engine that cannot tell formats (xlwings' remote engine)
        return None
    return frozenset(found)
