"""Reading a tracking workbook into the domain model. Reads values only; never writes the file.

``read_workbook(path)`` accepts .xlsx, .xlsm (and .xls/.ods where python-calamine can read them) and returns
a ``TrackingWorkbook`` whose records remember their cells. Cells it had to interpret or could not understand
become issues in ``TrackingWorkbook.notes``. A file that cannot be read at all raises ``UnreadableWorkbook``
carrying one issue that says why, in Vietnamese.
"""

from __future__ import annotations

import dataclasses
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.core.issues import Issue, issue
from toolkit.core.model import TrackingWorkbook
from toolkit.core.schema import INFO_SHEET, PLAN, PROGRESS, ROSTER
from toolkit.workbook.rows import SheetExtras, UnreadableWorkbook, note_outside, read_info, read_table


def read_workbook(path: str | Path, *, plain: bool = False) -> TrackingWorkbook:
    """Read the workbook at ``path``.

    Raises ``UnreadableWorkbook`` when the file is missing, a folder, not a workbook, encrypted, truncated,
    absurdly large when unpacked, or lacks a required sheet or column; bad cell values never raise (they
    become notes). ``plain`` reads without the two speed paths (``source.open_source``'s scans beside calamine,
    ``rows.read_table``'s column-by-column runs): the reference they are tested against
    (tests/test_reader_paths.py), the same workbook and notes.
    """
    import python_calamine as calamine

    from toolkit.workbook import markup
    from toolkit.workbook.source import contract_sheets, open_source, sheet_lookup

    path = Path(path)
    shown = str(path)
    if path.is_dir():
        raise UnreadableWorkbook(_folder_issue(path))
    if not path.is_file():
        raise UnreadableWorkbook(issue("file-missing", path=shown))
    try:
        src = open_source(path, lambda p: calamine.CalamineWorkbook.from_path(str(p)), beside=not plain)
        sheet_names = src.book.sheet_names
    except markup.Refused as big:
        raise UnreadableWorkbook(issue("file-too-large", path=shown, **big.params)) from None
    except calamine.PasswordError:
        raise UnreadableWorkbook(issue("file-encrypted", path=shown)) from None
    except MemoryError:  # the machine's limit, not the file's fault (the nightly child reports it as such)
        raise
    except Exception as exc:  # calamine reports every malformed file through a few exception types
        raise UnreadableWorkbook(issue("file-unreadable", path=shown, reason=_reason(exc, path))) from None

    notes = list(src.notes)
    tables = contract_sheets(sheet_names, notes)

    def grid(name: str) -> SheetGrid:
        actual = tables.get(name) or sheet_lookup(sheet_names, name, notes)
        if actual is None:
            raise UnreadableWorkbook(issue("sheet-missing", sheet=name))
        try:
            ws = src.book.get_sheet_by_name(actual)
        except Exception as exc:
            raise UnreadableWorkbook(issue("file-unreadable", path=shown, reason=_reason(exc, path))) from None
        scan = src.scan(actual)
        merged = list(ws.merged_cell_ranges or []) or (scan.merged if scan is not None and scan.merged else [])
        return SheetGrid(_rows(ws), merged, _extras(scan, src.formats_known))

    try:
        wb = read_sheets(shown, grid, by_columns=not plain)
    except (UnreadableWorkbook, MemoryError):
        raise
    except Exception as exc:  # a malformed part found while streaming rows
        raise UnreadableWorkbook(issue("file-unreadable", path=shown, reason=_reason(exc, path))) from None
    finally:
        src.close()
    if not src.formats_known:
        notes.append(issue("format-checks-unavailable", path=shown, value=path.suffix.lower()))
    wb.notes[:0] = notes
    return wb


def _folder_issue(path: Path) -> Issue:
    books = sorted(p.name for p in path.iterdir() if p.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"))
    found = ("; trong thư mục có: " + ", ".join(books[:5])) if books else "; thư mục không có tệp Excel nào"
    return issue("file-is-folder", path=str(path), found=found)


def _extras(scan: Any, formats_known: bool) -> SheetExtras:
    if scan is None:
        return SheetExtras(percent=frozenset() if formats_known else None)
    return SheetExtras(
        hidden=frozenset(scan.hidden), errors=scan.errors or None, filtered=frozenset(scan.filtered),
        percent=frozenset(scan.percent) if scan.percent is not None else frozenset(),
        uncalculated=scan.uncalculated or None, outside=tuple(sorted(scan.far_cells)))


@dataclass(frozen=True, slots=True)
class SheetGrid:
    """One sheet as a source of values: its rows from row 1 and column A, its merged ranges (0-based
    ``((first row, first col), (last row, last col))``) and what the values alone do not show."""

    rows: Iterable[list[Any]]
    merged: list[Any] = dataclasses.field(default_factory=list)
    extras: SheetExtras = dataclasses.field(default_factory=lambda: SheetExtras())


def read_sheets(label: str, grid: Callable[[str], SheetGrid], *, by_columns: bool = True) -> TrackingWorkbook:
    """Build the domain model from any source of sheets: a file (``read_workbook``) or Excel's open workbook.

    ``grid(name)`` returns the contract sheet ``name`` (``Kế hoạch``, ``Tiến độ``, ``Cán bộ``, ``Thông tin
    chung``) or raises ``UnreadableWorkbook`` with ``sheet-missing``. Cells are understood exactly the same way
    whatever the source. ``label`` is what ``TrackingWorkbook.path`` says; ``by_columns``: see ``rows.read_table``.
    """
    notes: list[Issue] = []
    tables: dict[str, list[Any]] = {}
    for table in (PLAN, PROGRESS, ROSTER):
        sheet = grid(table.name)
        tables[table.name] = read_table(table, sheet.rows, sheet.merged, sheet.extras, notes, by_columns=by_columns)
        del sheet  # the sheet's cells are freed before the next sheet is loaded
    info_sheet = grid(INFO_SHEET)
    note_outside(INFO_SHEET, info_sheet.extras.outside, notes)
    info = read_info(list(info_sheet.rows), notes)
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


