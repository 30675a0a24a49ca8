"""Reading a tracking workbook into the domain model. Reads values only; never writes the file.

``read_workbook(path)`` accepts .xlsx, .xlsm (and .xls/.ods where python-calamine can read them) and returns
a ``TrackingWorkbook`` whose records remember their cells. Cells it had to interpret or could not understand
become issues in ``TrackingWorkbook.notes``. A file that cannot be read at all raises ``UnreadableWorkbook``
carrying one issue that says why, in Vietnamese.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
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

    def grid(sheet: str) -> tuple[str, list[list[Any]], list[tuple[tuple[int, int], tuple[int, int]]]]:
        actual = by_fold.get(fold(sheet))
        if actual is None:
            raise UnreadableWorkbook(issue("sheet-missing", sheet=sheet))
        try:
            ws = book.get_sheet_by_name(actual)
            rows = ws.to_python(skip_empty_area=False)
            merged = list(ws.merged_cell_ranges or [])
        except Exception as exc:
            raise UnreadableWorkbook(issue("file-unreadable", path=shown, reason=_reason(exc, path))) from None
        return actual, rows, merged

    notes: list[Issue] = []
    extras = _XlsxExtras(path)
    tables: dict[str, list[Any]] = {}
    for table in (PLAN, PROGRESS, ROSTER):
        actual, rows, merged = grid(table.name)
        tables[table.name] = _read_table(table, rows, merged, extras.scan(actual), notes)
    _, info_rows, _ = grid(INFO_SHEET)
    info = _read_info(info_rows, notes)
    extras.close()
    book.close()
    return TrackingWorkbook(
        path=shown,
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
            bound.append(_Bound(col.field, col.header, idx, letters[col.field], parse))
    return bound, Source(table.name, letters)


def _fill_merged(rows: list[list[Any]], merged: Iterable[tuple[tuple[int, int], tuple[int, int]]],
                 sheet: str, notes: list[Issue]) -> None:
    """Copy a merged range's value into every cell of it (a vertical merge means "same for these rows")."""
    for (r0, c0), (r1, c1) in merged:
        if r1 < 1:  # header-only merges change nothing in the data
            continue
        ref = f"{column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}"
        notes.append(issue("merged-cells", sheet=sheet, row=r0 + 1, cell=f"{column_letter(c0)}{r0 + 1}", value=ref))
        value = rows[r0][c0] if r0 < len(rows) and c0 < len(rows[r0]) else ""
        for r in range(max(r0, 1), min(r1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, len(rows[r]) - 1) + 1):
                rows[r][c] = value


def _read_table(table: TableSheet, rows: list[list[Any]], merged: list[Any], extras: _SheetExtras,
                notes: list[Issue]) -> list[Any]:
    if not rows:
        raise UnreadableWorkbook(issue("column-missing", sheet=table.name, column=table.columns[0].header))
    bound, source = _bind_header(table, rows[0], notes)
    if merged:
        _fill_merged(rows, merged, table.name, notes)
    make = RECORD_TYPES[table.name]
    sheet = table.name
    data_idx = [b.index for b in bound]
    width = len(rows[0])
    records: list[Any] = []
    hidden_rows, error_cells = extras.hidden, extras.errors
    for r in range(1, len(rows)):
        row = rows[r]
        empties = row.count("")
        if empties == width or all(row[i] == "" for i in data_idx):
            continue
        excel_row = r + 1
        values: dict[str, Any] = {}
        invalid: set[str] | None = None
        for b in bound:
            raw = row[b.index]
            if raw == "" or raw is None:
                if error_cells and (excel_row, b.index) in error_cells:
                    notes.append(issue("error-value", sheet=sheet, row=excel_row, column=b.header,
                                       cell=f"{b.letter}{excel_row}", value=error_cells[(excel_row, b.index)]))
                    invalid = invalid or set()
                    invalid.add(b.field)
                continue
            try:
                value = b.parse(raw)
            except Unclear as bad:
                notes.append(issue(bad.code, sheet=sheet, row=excel_row, column=b.header,
                                   cell=f"{b.letter}{excel_row}", value=raw, **bad.params))
                invalid = invalid or set()
                invalid.add(b.field)
                continue
            if type(value) is Normalised:
                notes.append(issue(value.code, sheet=sheet, row=excel_row, column=b.header,
                                   cell=f"{b.letter}{excel_row}", value=raw, normalised=value.shown))
                value = value.value
            values[b.field] = value
        hidden = excel_row in hidden_rows
        if hidden:
            notes.append(issue("hidden-row", sheet=sheet, row=excel_row, cell=f"A{excel_row}"))
        records.append(make(source=source, row=excel_row, hidden=hidden,
                            invalid=frozenset(invalid) if invalid else frozenset(), **values))
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
class _SheetExtras:
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

    def scan(self, sheet: str) -> _SheetExtras:
        target = self._targets.get(sheet)
        if self._zip is None or target is None:
            return _SheetExtras()
        try:
            xml = self._zip.read(target)
        except (KeyError, OSError, zipfile.BadZipFile):
            return _SheetExtras()
        hidden: set[int] = set()
        if b'hidden="' in xml:
            for m in _ROW_HIDDEN.finditer(xml):
                hidden.add(int(m.group(1) or m.group(2)))
        errors: dict[tuple[int, int], str] | None = None
        if b't="e"' in xml:
            errors = {}
            for m in _ERROR_CELL.finditer(xml):
                errors[(int(m.group(2)), _column_index(m.group(1).decode()))] = m.group(3).decode()
        return _SheetExtras(frozenset(hidden), errors)


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
