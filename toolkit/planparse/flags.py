"""Pointing the importer's problems at workbook cells, and marking those cells in the new workbook."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from xlsxwriter.utility import xl_cell_to_rowcol

from toolkit.core.model import PlanInfo
from toolkit.core.schema import INFO_FIELDS, INFO_SHEET, PLAN, Kind
from toolkit.workbook.builder import Built, write_value

if TYPE_CHECKING:
    from toolkit.planparse.imported import ImportedPlan

FLAG_FILL = "#FFEB9C"  # Excel's "neutral" yellow: look here
_NUM_FORMATS = {Kind.DATE: "dd/mm/yyyy", Kind.PERCENT: "0.##", Kind.CODE: "@"}


def info_rows(info: PlanInfo) -> dict[str, int]:
    """The 1-based row of each ``Thông tin chung`` key's first value, as ``builder`` lays the sheet out."""
    rows, row = {}, 2
    for f in INFO_FIELDS:
        rows[f.field] = row
        value = getattr(info, f.field)
        row += max(1, len(value)) if f.many else 1
    return rows


def _cell_values(imported: ImportedPlan) -> dict[tuple[str, str], tuple[Any, Kind]]:
    """(sheet, cell) -> (value written there, its kind) for every cell the importer filled."""
    values: dict[tuple[str, str], tuple[Any, Kind]] = {}
    for item in imported.items:
        for col in PLAN.columns:
            values[(PLAN.name, item.cell(col.field))] = (getattr(item, col.field), col.kind)
    rows = info_rows(imported.info)
    for f in INFO_FIELDS:
        value = getattr(imported.info, f.field)
        if f.many:
            value = value[0] if value else None
        values[(INFO_SHEET, f"B{rows[f.field]}")] = (value, f.kind)
    return values


def _grouped(problems: Iterable[Any]) -> dict[tuple[str, str], list[str]]:
    cells: dict[tuple[str, str], list[str]] = {}
    for p in problems:
        if p.sheet and p.cell:
            cells.setdefault((p.sheet, p.cell), []).append(p.message)
    return cells


def flag_cells(imported: ImportedPlan) -> Callable[[Built], None]:
    """A builder ``customize`` hook: each cell a problem points at gets a yellow fill and a comment quoting
    the problems (so the Office sees in Excel what the plan did not say clearly). No problems: no marks."""

    def customize(built: Built) -> None:
        values = _cell_values(imported)
        formats: dict[Kind, Any] = {}
        for (sheet, cell), messages in _grouped(imported.problems).items():
            ws = built.sheets.get(sheet)
            if ws is None:
                continue
            value, kind = values.get((sheet, cell), (None, Kind.TEXT))
            if kind not in formats:
                props = {"font_name": "Times New Roman", "font_size": 12, "valign": "top", "text_wrap": True,
                         "border": 1, "border_color": "#BFBFBF", "bg_color": FLAG_FILL}
                if kind in _NUM_FORMATS:
                    props["num_format"] = _NUM_FORMATS[kind]
                formats[kind] = built.book.add_format(props)
            row, col = xl_cell_to_rowcol(cell)
            write_value(ws, row, col, value, formats[kind])
            text = "\n".join(["Khi đọc kế hoạch:", *(f"- {m}" for m in messages)])
            ws.write_comment(row, col, text[:32000], {"author": "cchc", "x_scale": 4, "y_scale": 3})

    return customize
