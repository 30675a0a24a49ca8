"""Building a tracking workbook with XlsxWriter, from the declaration in ``schema``.

The builder writes the plan, the roster, the general information and (for examples and tests) progress rows,
and makes Excel the first line of defence: dropdowns from the plan and the roster, input messages and error
alerts in Vietnamese, date and number validation, frozen headers, the ``Tỷ lệ (%)`` formula, conditional
formats for overdue items and impossible figures, and A4 print setup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from toolkit.core.files import atomic_output
from toolkit.core.model import Official, PlanInfo, PlanItem, ProgressRow
from toolkit.core.period import Period
from toolkit.core.schema import (
    GUIDE_SHEET,
    INFO_FIELDS,
    INFO_HEADERS,
    INFO_SHEET,
    PLAN,
    PROGRESS,
    ROSTER,
    STATUS_DONE,
    Column,
    Kind,
    TableSheet,
)
from toolkit.workbook import excel_forms

# Defined names the dropdowns use, so a list grows with its sheet's rows.
NAME_CODES = "DS_Ma"
NAME_PEOPLE = "DS_CanBo"
NAME_POSITIONS = "DS_ChucDanh"

GUIDE_LINES = (
    ("HƯỚNG DẪN SỬ DỤNG SỔ THEO DÕI KẾ HOẠCH KHẮC PHỤC CHỈ SỐ CCHC", "title"),
    ("1. Sheet «Kế hoạch»: các nội dung của kế hoạch đã ban hành. Văn phòng cập nhật khi kế hoạch thay đổi; "
     "mỗi nội dung một dòng, Mã không trùng nhau (nhập dạng văn bản, ví dụ 1.10).", ""),
    ("2. Sheet «Tiến độ»: mỗi quý, công chức phụ trách thêm một dòng cho mỗi nội dung mình theo dõi, ghi tình "
     "trạng tại thời điểm báo cáo (không cộng dồn). Chọn Mã nhiệm vụ, Kỳ báo cáo, Người cập nhật và Tình trạng "
     "trong danh sách thả xuống.", ""),
    ("3. Ngày nhập theo dạng ngày/tháng/năm (ví dụ 15/10/2023). Số đạt và Tổng số nhập bằng số; cột Tỷ lệ (%) "
     "tự tính, không cần nhập.", ""),
    ("4. Khi chọn Hoàn thành phải ghi Kết quả thực hiện và Minh chứng (số, ký hiệu văn bản hoặc đường dẫn).", ""),
    ("5. Sheet «Cán bộ»: họ tên, chức danh, email của người phụ trách. Email dùng để gửi nhắc việc hằng đêm.", ""),
    ("6. Sheet «Thông tin chung»: tên cơ quan, số kế hoạch, người ký, nơi nhận... dùng để lập báo cáo theo "
     "Nghị định 30/2020/NĐ-CP. Mục có nhiều giá trị (Căn cứ, Nơi nhận) ghi mỗi giá trị một dòng.", ""),
    ("7. Không đổi tên sheet và tên cột; có thể thêm cột mới ở bên phải.", ""),
    ("8. Dòng màu đỏ ở sheet Kế hoạch: nội dung đã quá thời hạn mà chưa hoàn thành. Ô màu đỏ ở sheet Tiến độ: "
     "Số đạt lớn hơn Tổng số.", ""),
    ("9. Kiểm tra số liệu và lập báo cáo: bấm nút «Kiểm tra & tạo báo cáo» (tệp .xlsm), hoặc chạy lệnh "
     "cchc validate / cchc report.", ""),
)


@dataclass
class Built:
    """What ``build_workbook`` gives a ``customize`` hook: the XlsxWriter workbook, its sheets and formats."""

    book: Any  # xlsxwriter.Workbook
    sheets: dict[str, Any]  # sheet name -> xlsxwriter Worksheet
    formats: dict[str, Any]


def build_workbook(
    path: str | Path,
    info: PlanInfo,
    items: Sequence[PlanItem],
    officials: Sequence[Official],
    progress: Sequence[ProgressRow] = (),
    *,
    customize: Callable[[Built], None] | None = None,
    created: datetime | None = None,
) -> Path:
    """Write a new tracking workbook to ``path`` (atomically) and return the path.

    Record fields are written as given: typed values (dates, numbers) become typed cells, strings become text
    cells (never formulas or links). ``customize`` may add to the workbook before it is saved (used by the
    example generator and the macro-enabled build). ``created`` fixes the document's creation time so the same
    input gives the same file.
    """
    import xlsxwriter

    path = Path(path)
    year = info.year or date.today().year
    with atomic_output(path) as tmp:
        book = xlsxwriter.Workbook(
            str(tmp),
            {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
        )
        book.set_properties({
            "title": "Theo dõi kế hoạch khắc phục Chỉ số CCHC",
            "author": info.body_name or "cchc",
            "created": created or datetime(year, 1, 1),
        })
        formats = _formats(book)
        sheets: dict[str, Any] = {}
        sheets[GUIDE_SHEET] = _guide_sheet(book, formats)
        sheets[PLAN.name] = _table_sheet(book, PLAN, items, formats, year)
        sheets[PROGRESS.name] = _table_sheet(book, PROGRESS, progress, formats, year)
        sheets[ROSTER.name] = _table_sheet(book, ROSTER, officials, formats, year)
        sheets[INFO_SHEET] = _info_sheet(book, info, formats)
        _names_and_rules(book, sheets, formats, year)
        sheets[PROGRESS.name].activate()
        if customize is not None:
            customize(Built(book, sheets, formats))
        book.close()
    return path


def _formats(book: Any) -> dict[str, Any]:
    base = {"font_name": "Times New Roman", "font_size": 12, "valign": "top", "text_wrap": True, "border": 1,
            "border_color": "#BFBFBF"}
    return {
        "header": book.add_format({**base, "bold": True, "align": "center", "valign": "vcenter",
                                   "bg_color": "#DDEBF7", "border_color": "#808080"}),
        Kind.TEXT: book.add_format(base),
        Kind.CODE: book.add_format({**base, "num_format": "@", "align": "center"}),
        Kind.DATE: book.add_format({**base, "num_format": "dd/mm/yyyy", "align": "center"}),
        Kind.NUMBER: book.add_format({**base, "num_format": "#,##0.##"}),
        Kind.PERCENT: book.add_format({**base, "num_format": "General\"%\""}),  # 1 shows 1%, stays 1
        Kind.FORMULA: book.add_format({**base, "num_format": "0.0", "bg_color": "#F2F2F2"}),
        "title": book.add_format({"font_name": "Times New Roman", "font_size": 14, "bold": True}),
        "guide": book.add_format({"font_name": "Times New Roman", "font_size": 13, "text_wrap": True,
                                  "valign": "top"}),
        "info_key": book.add_format({**base, "bold": True}),
        "impossible": book.add_format({"bg_color": "#FF9999", "bold": True}),
        "done": book.add_format({"bg_color": "#C6EFCE", "font_color": "#006100"}),
    }


def _cell_format(col: Column, formats: dict[str, Any]) -> Any:
    kind = {Kind.ITEM_REF: Kind.CODE, Kind.PERSON: Kind.TEXT, Kind.EMAIL: Kind.TEXT, Kind.CHOICE: Kind.TEXT,
            Kind.PERIOD: Kind.TEXT}.get(col.kind, col.kind)
    return formats[kind]


def write_value(ws: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    """Write one Python value as the matching cell type; text always stays text."""
    if value is None:
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, fmt)
    elif isinstance(value, datetime):
        ws.write_datetime(row, col, value, fmt)
    elif isinstance(value, date):
        ws.write_datetime(row, col, datetime(value.year, value.month, value.day), fmt)
    elif isinstance(value, Period):
        ws.write_string(row, col, value.label, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def ratio_formula(excel_row: int) -> str:
    """The ``Tỷ lệ (%)`` formula of one Tiến độ row (1-based row number)."""
    e = f"{PROGRESS.letter('achieved')}{excel_row}"
    f = f"{PROGRESS.letter('total')}{excel_row}"
    return f'=IF(AND(ISNUMBER({e}),ISNUMBER({f}),{f}>0),ROUND({e}/{f}*100,1),"")'


def _table_sheet(book: Any, table: TableSheet, records: Sequence[Any], formats: dict[str, Any], year: int) -> Any:
    ws = book.add_worksheet(table.name)
    last_row = max(table.data_rows, len(records) + 50)
    for c, col in enumerate(table.columns):
        fmt = _cell_format(col, formats)
        ws.set_column(c, c, col.width, fmt)
        ws.write_string(0, c, col.header, formats["header"])
    ws.set_row(0, 36)
    r = 0
    for rec in records:
        r = rec.row - 1 if getattr(rec, "row", 0) > r else r + 1  # a record's own row, else the next one
        for c, col in enumerate(table.columns):
            fmt = _cell_format(col, formats)
            if col.kind is Kind.FORMULA:
                continue
            write_value(ws, r, c, getattr(rec, col.field, None), fmt)
        height = _row_height(table, rec)
        if getattr(rec, "hidden", False):
            ws.set_row(r, height, None, {"hidden": True})
        elif height is not None:
            ws.set_row(r, height)
    for c, col in enumerate(table.columns):
        if col.kind is Kind.FORMULA and col.field == "ratio":
            for r in range(1, last_row + 1):
                ws.write_formula(r, c, ratio_formula(r + 1), formats[Kind.FORMULA], "")
    ws.freeze_panes(1, 1 if table is PROGRESS else 0)
    # Print the rows in use, not the prepared empty ones: a print area that follows the last filled row of A.
    a = f"'{table.name}'!$A$1:$A${last_row + 1}"
    book.define_name(f"'{table.name}'!_xlnm.Print_Area",
                     f"=OFFSET('{table.name}'!$A$1,0,0,MAX(2,IFERROR(LOOKUP(2,1/({a}<>\"\"),ROW({a})),1)),"
                     f"{len(table.columns)})")
    ws.autofilter(0, 0, last_row, len(table.columns) - 1)
    ws.set_paper(9)  # A4
    if table is not ROSTER:
        ws.set_landscape()
    ws.set_margins(left=0.5, right=0.4, top=0.6, bottom=0.6)
    ws.repeat_rows(0)
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_footer("&C&\"Times New Roman\"&11Trang &P/&N")
    ws.set_header(f"&L&\"Times New Roman\"&11{table.name}")
    return ws


_LINE_HEIGHT = 15.75  # points per line of 12 pt Times New Roman


def _height(cells: Sequence[tuple[Any, float]]) -> float | None:
    """A row height showing every wrapped line of ``(value, column width)`` cells; None for one line.

    XlsxWriter cannot autofit row heights and neither Excel nor LibreOffice does it on open.
    """
    lines = 1
    for value, width in cells:
        if isinstance(value, str) and value:
            per_line = max(4, int(width * 1.15))
            lines = max(lines, sum(-(-max(len(part), 1) // per_line) for part in value.split("\n")))
    return None if lines == 1 else min(409, lines * _LINE_HEIGHT)


def _row_height(table: TableSheet, rec: Any) -> float | None:
    return _height([(getattr(rec, col.field, None), col.width) for col in table.columns
                    if col.kind is not Kind.FORMULA])


def _info_sheet(book: Any, info: PlanInfo, formats: dict[str, Any]) -> Any:
    ws = book.add_worksheet(INFO_SHEET)
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 80)
    ws.set_column(2, 2, 50)
    for c, text in enumerate(INFO_HEADERS):
        ws.write_string(0, c, text, formats["header"])
    r = 1
    for f in INFO_FIELDS:
        value = getattr(info, f.field)
        values = (value or [None]) if f.many else [value]
        for v in values:
            ws.write_string(r, 0, f.label, formats["info_key"])
            fmt = formats[Kind.DATE] if f.kind is Kind.DATE else formats[Kind.TEXT]
            write_value(ws, r, 1, v, fmt)
            ws.write_string(r, 2, f.help, formats[Kind.TEXT])
            height = _height([(v, 80), (f.help, 50)])
            if height is not None:
                ws.set_row(r, height)
            if f.help:
                ws.data_validation(r, 1, r, 1, {"validate": "any", "input_title": f.label[:32],
                                                "input_message": f.help[:255]})
            r += 1
    ws.freeze_panes(1, 1)
    ws.set_paper(9)
    ws.repeat_rows(0)
    ws.fit_to_pages(1, 0)
    return ws


def _guide_sheet(book: Any, formats: dict[str, Any]) -> Any:
    ws = book.add_worksheet(GUIDE_SHEET)
    ws.set_column(0, 0, 110, formats["guide"])
    for r, (text, style) in enumerate(GUIDE_LINES):
        ws.write_string(r, 0, text, formats["title"] if style == "title" else formats["guide"])
    ws.set_paper(9)
    ws.hide_gridlines(2)
    return ws


def _range(table: TableSheet, field: str, last_row: int | None = None) -> str:
    letter = table.letter(field)
    return f"'{table.name}'!${letter}$2:${letter}${(last_row or table.data_rows) + 1}"


def _alert(col: Column, message: str, *, stop: bool = True) -> dict[str, Any]:
    return {
        "input_title": col.header[:32],
        "input_message": col.help[:255],
        "error_title": f"Sai dữ liệu: {col.header}"[:32],
        "error_message": message[:255],
        "error_type": "stop" if stop else "warning",
    }


def _names_and_rules(book: Any, sheets: dict[str, Any], formats: dict[str, Any], year: int) -> None:
    book.define_name(NAME_CODES, "=" + _range(PLAN, "code"))
    book.define_name(NAME_PEOPLE, "=" + _range(ROSTER, "name"))
    book.define_name(NAME_POSITIONS, "=" + _range(ROSTER, "position"))
    for table in (PLAN, PROGRESS, ROSTER):
        for c, col in enumerate(table.columns):
            rule = _entry_rule(table, col, year)
            if rule is not None:
                sheets[table.name].data_validation(1, c, table.data_rows, c, rule)
    _marks(sheets[PROGRESS.name], formats)


def _entry_rule(table: TableSheet, col: Column, year: int) -> dict[str, Any] | None:
    """Excel's data validation for one column, from its declaration (and ``excel_forms`` for e-mail)."""
    if col.kind is Kind.ITEM_REF:
        return {"validate": "list", "source": f"={NAME_CODES}",
                **_alert(col, "Mã này không có trong sheet Kế hoạch. Hãy chọn trong danh sách.")}
    if col.kind is Kind.PERSON:
        return {"validate": "list", "source": f"={NAME_PEOPLE}",
                **_alert(col, "Người này chưa có trong sheet Cán bộ. Hãy chọn trong danh sách hoặc bổ sung vào "
                              "sheet Cán bộ trước.")}
    if col.kind is Kind.PERIOD:
        return {"validate": "list", "source": [p.label for p in Period.of_year(year)],
                **_alert(col, f"Kỳ báo cáo phải là một quý của năm {year}, ví dụ Quý III/{year}.")}
    if col.kind is Kind.CHOICE:
        return {"validate": "list", "source": list(col.choices),
                **_alert(col, "Hãy chọn một giá trị trong danh sách: " + ", ".join(col.choices) + ".")}
    if col.kind is Kind.DATE:
        return _date_rule(table, col, year)
    if col.kind in (Kind.NUMBER, Kind.PERCENT):
        return _number_rule(col)
    if col.kind is Kind.EMAIL:
        return {"validate": "custom", "value": "=" + excel_forms.email_ok(f"{table.letter(col.field)}2"),
                **_alert(col, "Địa chỉ email chưa đúng dạng: chỉ ghi một địa chỉ, ví dụ ten@xa.gov.vn.", stop=False)}
    if table is PLAN and col.field == "owner":
        return {"validate": "list", "source": f"={NAME_POSITIONS}", "show_error": False,
                "input_title": col.header[:32], "input_message": col.help[:255]}
    if col.help:
        return {"validate": "any", "input_title": col.header[:32], "input_message": col.help[:255]}
    return None


def _date_rule(table: TableSheet, col: Column, year: int) -> dict[str, Any]:
    """Progress dates from 1 January of the plan year to today (validation's date-before-plan-year and
    date-in-future); plan dates from the year before."""
    if table is PROGRESS:
        return {"validate": "date", "criteria": "between", "minimum": datetime(year, 1, 1), "maximum": "=TODAY()",
                **_alert(col, f"Nhập ngày dạng ngày/tháng/năm, từ 01/01/{year} đến hôm nay.")}
    return {"validate": "date", "criteria": ">=", "value": datetime(year - 1, 1, 1),
            **_alert(col, "Nhập ngày dạng ngày/tháng/năm, ví dụ 31/12/2023.")}


def _number_rule(col: Column) -> dict[str, Any]:
    """The column's declared bounds, the ones validation's range check applies."""
    low = col.minimum or 0
    if col.maximum is not None:
        return {"validate": "decimal", "criteria": "between", "minimum": low, "maximum": col.maximum,
                **_alert(col, f"Nhập số từ {low:g} đến {col.maximum:g}.")}
    if col.exclusive_minimum:
        return {"validate": "decimal", "criteria": ">", "value": low, **_alert(col, f"Nhập số lớn hơn {low:g}.")}
    return {"validate": "decimal", "criteria": ">=", "value": low, **_alert(col, f"Nhập số không nhỏ hơn {low:g}.")}


def _marks(progress_ws: Any, formats: dict[str, Any]) -> None:
    """Conditional formats of ``Tiến độ``. Overdue items are marked from the toolkit's own check (the button's
    mark rules, xlsm.py): an Excel formula here would be a second, different overdue rule. The impossible figures
    are the Excel form of assess.bad_figure_cells (excel_rules; tests/test_excel_rules.py runs both on the same
    rows)."""
    e, f = PROGRESS.letter("achieved"), PROGRESS.letter("total")
    status = PROGRESS.letter("status")
    last = PROGRESS.data_rows + 1
    progress_ws.conditional_format(f"{e}2:{e}{last}", {
        "type": "formula", "criteria": "=" + excel_forms.achieved_bad(f"${e}2", f"${f}2"),
        "format": formats["impossible"],
    })
    progress_ws.conditional_format(f"{f}2:{f}{last}", {
        "type": "formula", "criteria": "=" + excel_forms.total_bad(f"${f}2"), "format": formats["impossible"],
    })
    progress_ws.conditional_format(f"{status}2:{status}{last}", {
        "type": "cell", "criteria": "==", "value": f'"{STATUS_DONE}"', "format": formats["done"],
    })
