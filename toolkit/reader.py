"""Reading a tracking workbook into the domain model. Reads values only; never writes the file.

``read_workbook(path)`` accepts .xlsx, .xlsm (and .xls/.ods where python-calamine can read them) and returns
a ``TrackingWorkbook`` whose records remember their cells. Cells it had to interpret or could not understand
become issues in ``TrackingWorkbook.notes``. A file that cannot be read at all raises ``UnreadableWorkbook``
carrying one issue that says why, in Vietnamese.
"""

from __future__ import annotations

import dataclasses
import gc
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from .issues import Issue, issue
from .model import Official, PlanInfo, PlanItem, ProgressRow, Record, Source, TrackingWorkbook
from .schema import INFO_FIELDS, INFO_SHEET, PLAN, PROGRESS, ROSTER, Kind, TableSheet, column_letter
from .text import clean, fold
from .values import Normalised, Unclear, parse_date, parse_number, parse_text, parser_for


class UnreadableWorkbook(Exception):
    """The file cannot be read as a tracking workbook at all; ``issue`` says why (for the user)."""

    def __init__(self, problem: Issue) -> None:
        super().__init__(problem.message)
        self.issue = problem


RECORD_TYPES: dict[str, type[Record]] = {PLAN.name: PlanItem, PROGRESS.name: ProgressRow, ROSTER.name: Official}


def read_workbook(path: str | Path) -> TrackingWorkbook:
    """Read the workbook at ``path``.

    Raises ``UnreadableWorkbook`` when the file is missing, not a workbook, encrypted, truncated, or lacks a
    required sheet or column; bad cell values never raise (they become notes).
    """
    import python_calamine as calamine

    path = Path(path)
    shown = str(path)
    if not path.is_file():
        raise UnreadableWorkbook(issue("file-missing", path=shown))
    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
        sheet_names = book.sheet_names
    except calamine.PasswordError:
        raise UnreadableWorkbook(issue("file-encrypted", path=shown)) from None
    except Exception as exc:  # calamine reports every malformed file through a few exception types
        raise UnreadableWorkbook(issue("file-unreadable", path=shown, reason=_reason(exc, path))) from None

    by_fold = {fold(n): n for n in sheet_names}

    def sheet_of(sheet: str) -> tuple[str, Any]:
        actual = by_fold.get(fold(sheet))
        if actual is None:
            raise UnreadableWorkbook(issue("sheet-missing", sheet=sheet))
        try:
            return actual, book.get_sheet_by_name(actual)
        except Exception as exc:
            raise UnreadableWorkbook(issue("file-unreadable", path=shown, reason=_reason(exc, path))) from None

    extras = _XlsxExtras(path)
    # The XML scan for hidden rows and error cells is mostly decompression, which runs outside the GIL: it
    # overlaps with calamine loading the same sheets.
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cchc-scan")
    scans = {t.name: pool.submit(extras.scan, by_fold.get(fold(t.name), t.name)) for t in (PLAN, PROGRESS, ROSTER)}

    def grid(name: str) -> SheetGrid:
        _, ws = sheet_of(name)
        scan = scans.get(name)
        return SheetGrid(_rows(ws), list(ws.merged_cell_ranges or []),
                         scan.result() if scan is not None else SheetExtras())

    try:
        return read_sheets(shown, grid)
    except UnreadableWorkbook:
        raise
    except Exception as exc:  # a malformed part found while streaming rows
        raise UnreadableWorkbook(issue("file-unreadable", path=shown, reason=_reason(exc, path))) from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        extras.close()
        book.close()


@dataclass(frozen=True, slots=True)
class SheetGrid:
    """One sheet as a source of values: its rows from row 1 and column A, its merged ranges (0-based
    ``((first row, first col), (last row, last col))``) and what the values alone do not show."""

    rows: Iterable[list[Any]]
    merged: list[Any] = dataclasses.field(default_factory=list)
    extras: SheetExtras = dataclasses.field(default_factory=lambda: SheetExtras())


def read_sheets(label: str, grid: Callable[[str], SheetGrid]) -> TrackingWorkbook:
    """Build the domain model from any source of sheets: a file (``read_workbook``) or Excel's open workbook.

    ``grid(name)`` returns the contract sheet ``name`` (``Kế hoạch``, ``Tiến độ``, ``Cán bộ``, ``Thông tin
    chung``) or raises ``UnreadableWorkbook`` with ``sheet-missing``. Cells are understood exactly the same way
    whatever the source. ``label`` is what ``TrackingWorkbook.path`` says.
    """
    notes: list[Issue] = []
    tables: dict[str, list[Any]] = {}
    gc_was_enabled = gc.isenabled()
    gc.disable()  # bulk creation of acyclic records: the cycle collector would rescan them again and again
    try:
        for table in (PLAN, PROGRESS, ROSTER):
            sheet = grid(table.name)
            tables[table.name] = _read_table(table, sheet.rows, sheet.merged, sheet.extras, notes)
            del sheet  # the sheet's cells are freed before the next sheet is loaded
        info = _read_info(list(grid(INFO_SHEET).rows), notes)
    finally:
        if gc_was_enabled:
            gc.enable()
    return TrackingWorkbook(
        path=label,
        info=info,
        items=tables[PLAN.name],
        officials=tables[ROSTER.name],
        progress=tables[PROGRESS.name],
        notes=notes,
    )


def _reason(exc: Exception, path: Path) -> str:
    try:
        with path.open("rb") as f:
            magic = f.read(8)
    except OSError:
        magic = b""
    if magic and not magic.startswith((b"PK", b"\xd0\xcf\x11\xe0")):  # neither a zip (xlsx/ods) nor OLE (xls)
        return "không phải tệp Excel (.xlsx, .xlsm, .xls) hoặc .ods"
    text = str(exc)
    if isinstance(exc, zipfile.BadZipFile) or "zip" in text.lower() or "EOF" in text:
        return "tệp bị hỏng hoặc chưa lưu xong (có thể đang được lưu); hãy thử lại sau"
    if "detect" in text.lower() or "format" in text.lower():
        return "không phải tệp Excel (.xlsx, .xlsm, .xls) hoặc .ods"
    return f"tệp bị hỏng ({type(exc).__name__})"


@dataclass(frozen=True, slots=True)
class _Bound:
    """A declared column bound to its position in this workbook."""

    field: str
    header: str
    index: int
    letter: str
    parse: Callable[[Any], Any]
    cached: bool  # all but free text: few distinct values (codes, names, dates, choices), parsed once each


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
            bound.append(_Bound(col.field, col.header, idx, letters[col.field], parse, col.kind is not Kind.TEXT))
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


def _rows(ws: Any) -> Iterator[list[Any]]:
    """A sheet's rows from row 1 (index 0) and column A (index 0), streamed from calamine."""
    start = ws.start
    if start is None:
        return iter(())
    lead = start[1]
    rows = ws.iter_rows()
    if not lead:
        return iter(rows)
    pad = [""] * lead
    return (pad + row for row in rows)


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


def _read_table(table: TableSheet, rows: Iterable[list[Any]], merged: list[Any], extras: SheetExtras,
                notes: list[Issue]) -> list[Any]:
    """Records from a table sheet's rows (row 0 is the header); blank rows are skipped, hidden ones kept."""
    it = iter(rows)
    header = next(it, None)
    if header is None:
        raise UnreadableWorkbook(issue("column-missing", sheet=table.name, column=table.columns[0].header))
    bound, source = _bind_header(table, header, notes)
    fills = _merge_fills(merged, table.name, notes) if merged else {}
    merge_values: dict[tuple[int, int], Any] = {}
    make = RECORD_TYPES[table.name]
    sheet = table.name
    data_idx = [b.index for b in bound]
    need = max(data_idx, default=-1) + 1
    cells_of = itemgetter(*data_idx) if len(data_idx) > 1 else (lambda row: (row[data_idx[0]],))
    n_data = len(data_idx)
    # Per column, what each distinct cell value parsed to when it parsed cleanly; "" (blank) is None.
    columns = [(b.field, b.parse, {"": None} if b.cached else None, b) for b in bound]
    records: list[Any] = []
    hidden_rows, error_cells = extras.hidden, extras.errors
    miss = _Bad  # a sentinel no cache ever holds as a value
    if fills and 0 in fills:
        for c0, _c1, r0 in fills[0]:
            merge_values[(r0, c0)] = header[c0] if c0 < len(header) else ""
    for r, row in enumerate(it, start=1):
        if len(row) < need:
            row = row + [""] * (need - len(row))
        if fills and r in fills:
            for c0, c1, r0 in fills[r]:
                key = (r0, c0)
                if r == r0:
                    merge_values[key] = row[c0] if c0 < len(row) else ""
                value = merge_values.get(key, "")
                for c in range(c0, min(c1, len(row) - 1) + 1):
                    row[c] = value
        cells = cells_of(row)
        if cells.count("") == n_data:  # a blank row left in the middle
            continue
        excel_row = r + 1
        values: dict[str, Any] = {}
        invalid: set[str] | None = None
        for (field, parse, cache, b), raw in zip(columns, cells):  # noqa: B905 (same length by construction)
            if cache is None:  # free text: cleaned, never refused
                if raw != "":
                    values[field] = parse(raw)
                    continue
                value = None
            else:  # the fast path: a value seen before in this column that parsed cleanly
                value = cache.get(raw, miss)
                if value is not miss and value is not None:
                    values[field] = value
                    continue
            if value is None:  # a blank cell (cached as None), unless it holds an error value
                if error_cells and (excel_row, b.index) in error_cells:
                    notes.append(issue("error-value", sheet=sheet, row=excel_row, column=b.header,
                                       cell=f"{b.letter}{excel_row}", value=error_cells[(excel_row, b.index)]))
                    invalid = invalid or set()
                    invalid.add(field)
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
        hidden = excel_row in hidden_rows
        if hidden:
            notes.append(issue("hidden-row", sheet=sheet, row=excel_row, cell=f"A{excel_row}"))
        records.append(make(source=source, row=excel_row, hidden=hidden,
                            invalid=frozenset(invalid) if invalid else _VALID, **values))
    return records


_INFO_BY_LABEL = {fold(f.label): f for f in INFO_FIELDS}


def _read_info(rows: list[list[Any]], notes: list[Issue]) -> PlanInfo:
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


@dataclass(frozen=True, slots=True)
class SheetExtras:
    """What calamine does not tell: hidden rows (1-based) and cells holding error values (#DIV/0!)."""

    hidden: frozenset[int] = frozenset()
    errors: dict[tuple[int, int], str] | None = None


_ROW_HIDDEN = re.compile(
    rb'<row\b[^>]*?\br="(\d+)"[^>]*?\bhidden="(?:1|true)"|<row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="(\d+)"'
)
_ERROR_CELL = re.compile(
    rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*?\bt="e"[^>]*>(?:(?!</c>).)*?<v>([^<]*)</v>', re.S
)


class _XlsxExtras:
    """Finds hidden rows and error cells in an .xlsx/.xlsm by scanning the sheet XML; nothing for other formats.

    The scan is a byte search that only runs its regular expressions when the sheet mentions ``hidden`` or an
    error cell at all, so a clean 100,000-row sheet costs one decompression.
    """

    def __init__(self, path: Path) -> None:
        self._zip: zipfile.ZipFile | None = None
        self._targets: dict[str, str] = {}
        if path.suffix.lower() not in (".xlsx", ".xlsm"):
            return
        try:
            self._zip = zipfile.ZipFile(path)
            self._targets = _sheet_targets(self._zip)
        except (zipfile.BadZipFile, KeyError, OSError):
            self._zip = None

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def scan(self, sheet: str) -> SheetExtras:
        target = self._targets.get(sheet)
        if self._zip is None or target is None:
            return SheetExtras()
        try:
            xml = self._zip.read(target)
        except Exception:  # a damaged part (zlib.error, BadZipFile, ...): calamine reports the file itself
            return SheetExtras()
        hidden: set[int] = set()
        if b'hidden="' in xml:
            for m in _ROW_HIDDEN.finditer(xml):
                hidden.add(int(m.group(1) or m.group(2)))
        errors: dict[tuple[int, int], str] | None = None
        if b't="e"' in xml:
            errors = {}
            for m in _ERROR_CELL.finditer(xml):
                errors[(int(m.group(2)), _column_index(m.group(1).decode()))] = m.group(3).decode()
        return SheetExtras(frozenset(hidden), errors)


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _sheet_targets(zf: zipfile.ZipFile) -> dict[str, str]:
    """Map sheet name -> XML part path, from workbook.xml and its relationships."""
    wb = zf.read("xl/workbook.xml").decode("utf-8")
    rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = {}
    for m in re.finditer(r"<Relationship\b[^>]*>", rels):
        tag = m.group(0)
        rid = re.search(r'\bId="([^"]+)"', tag)
        tgt = re.search(r'\bTarget="([^"]+)"', tag)
        if rid and tgt:
            t = tgt.group(1)
            targets[rid.group(1)] = t.lstrip("/") if t.startswith("/") else "xl/" + t
    out = {}
    for m in re.finditer(r"<sheet\b[^>]*>", wb):
        tag = m.group(0)
        name = re.search(r'\bname="([^"]+)"', tag)
        rid = re.search(r'\br:id="([^"]+)"', tag) or re.search(r'\bid="([^"]+)"', tag)
        if name and rid and rid.group(1) in targets:
            out[_unescape(name.group(1))] = targets[rid.group(1)]
    return out


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)
