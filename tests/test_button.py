"""The Excel button, clicked through xlwings' own remote engine (no Excel here).

The harness turns a real workbook file into the JSON an xlwings client sends (``xw.Book(json=...)``: values of
every sheet, dates as ISO strings, a merged range's other cells blank, error cells as their text, as
``xlwings/js/xlwings.ts`` builds it), runs the click, and reads the actions it returns. ``apply`` plays the
value actions back onto the payload, which is the workbook as Excel would hold it after the click, so a second
click sees the first one's results. The marks are conditional formats in the workbook that look up the results
sheet's places (``test_xlsm``); ``marked`` evaluates them on the played-back workbook.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlwings as xw
from docx import Document

import toolkit.excel.button as button
from toolkit.api import check, validate, validate_file
from toolkit.core.example_plan import plan_info, plan_items, plan_positions
from toolkit.core.model import Official, PlanItem, ProgressRow
from toolkit.core.period import Period
from toolkit.core.resources import example_workbook
from toolkit.excel.button import click
from toolkit.excel.layout import (
    MESSAGE_TITLE,
    PERIOD_CELL,
    RESULTS_FIRST_ROW,
    RESULTS_HEADERS,
    RESULTS_SHEET,
    SUMMARY_SHEET,
)
from toolkit.excel.xlsm import ConfSettings, build_macro_workbook
from toolkit.workbook.live import read_book
from toolkit.workbook.reader import read_workbook

AS_OF = dt.date(2024, 1, 8)
NOW = dt.datetime(2024, 1, 8, 9, 30)
Q4 = Period(2023, 4)


@pytest.fixture(autouse=True)
def remote_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """xlwings' remote engine, under its PolyForm Noncommercial licence (the key is set for the tests only).

    xlwings registers the engine when it is imported, which happened before this fixture set the key, so the
    engine is registered here, once, the way ``xlwings/__init__.py`` does it.
    """
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    if "remote" not in [engine.name for engine in xw.engines]:
        from xlwings.pro import _xlremote

        xw.engines.add(xw.Engine(impl=_xlremote.engine))


# --- the harness ------------------------------------------------------------------------------------------------

def payload(path: Path, *, name: str | None = None) -> dict[str, Any]:
    """The JSON an xlwings client sends for the workbook at ``path`` (its cached values, as Excel shows them)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        wb = openpyxl.load_workbook(path, data_only=True)
    sheets = []
    for ws in wb.worksheets:
        rows = []
        for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column, values_only=True):
            rows.append([_client_value(v) for v in row])
        sheets.append({"name": ws.title, "values": rows, "pictures": [], "tables": []})
    return {"client": "Microsoft Office Scripts", "version": xw.__version__,
            "book": {"name": name or path.name, "active_sheet_index": 0, "selection": "A1"},
            "names": [], "sheets": sheets}


def _client_value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(v, dt.date):
        return v.strftime("%Y-%m-%dT00:00:00.000Z")
    return v


def sheet_of(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(s for s in data["sheets"] if s["name"] == name)


def set_cell(data: dict[str, Any], sheet: str, cell: str, value: Any) -> None:
    """Type ``value`` into ``sheet!cell`` of the payload (an unsaved edit)."""
    col, row = _split(cell)
    _put(sheet_of(data, sheet)["values"], row - 1, col, value)


def _split(cell: str) -> tuple[int, int]:
    m = re.fullmatch(r"([A-Z]+)(\d+)", cell)
    assert m
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return col - 1, int(m.group(2))


def _put(values: list[list[Any]], r: int, c: int, value: Any) -> None:
    width = max([len(row) for row in values] + [c + 1])
    while len(values) <= r:
        values.append([""] * width)
    for row in values:
        row.extend([""] * (width - len(row)))
    values[r][c] = value


def apply(data: dict[str, Any], actions: list[dict[str, Any]]) -> dict[str, Any]:
    """Play the click's value actions back onto the payload: the workbook Excel holds after the click."""
    for a in actions:
        if a["func"] == "addSheet":
            position, name = a["args"]
            data["sheets"].insert(position, {"name": name, "values": [[]], "pictures": [], "tables": []})
        elif a["func"] == "setValues":
            values = sheet_of_index(data, a["sheet_position"])
            for i, row in enumerate(a["values"]):
                for j, v in enumerate(row):
                    _put(values, a["start_row"] + i, a["start_column"] + j, _stored(v))
        elif a["func"] == "rangeClearContents":
            values = sheet_of_index(data, a["sheet_position"])
            for i in range(a["row_count"]):
                for j in range(a["column_count"]):
                    _put(values, a["start_row"] + i, a["start_column"] + j, "")
    return data


def sheet_of_index(data: dict[str, Any], position: int) -> list[list[Any]]:
    return data["sheets"][position]["values"]


def _stored(v: Any) -> Any:
    """What a cell shows after Excel stores ``v``: text without its apostrophe, a HYPERLINK's friendly name."""
    if isinstance(v, str) and v.startswith("'"):
        return v[1:]
    if isinstance(v, str) and v.startswith("=HYPERLINK("):
        return re.fullmatch(r'=HYPERLINK\("(?:[^"]|"")*","((?:[^"]|"")*)"\)', v).group(1).replace('""', '"')
    return v


def marked(data: dict[str, Any]) -> dict[str, str]:
    """Place -> severity of every marked cell: what the mark rules (COUNTIFS over the results list) light up."""
    rows = sheet_of(data, RESULTS_SHEET)["values"][RESULTS_FIRST_ROW - 1:]
    place, severity = RESULTS_HEADERS.index("Vị trí"), RESULTS_HEADERS.index("Mức độ")
    return {row[place]: row[severity] for row in rows if len(row) > place and row[place]}


def written(actions: list[dict[str, Any]]) -> list[Any]:
    return [v for a in actions if a["func"] == "setValues" for row in a["values"] for v in row]


def alert(actions: list[dict[str, Any]]) -> tuple[str, str]:
    alerts = [a["args"] for a in actions if a["func"] == "alert"]
    assert len(alerts) == 1, "exactly one message box per click"
    prompt, title, _buttons, mode, _callback = alerts[0]
    assert title == MESSAGE_TITLE
    return prompt, mode


def run(data: dict[str, Any], folder: Path, **kw: Any) -> tuple[button.ClickOutcome, list[dict[str, Any]]]:
    book = xw.Book(json=data)
    outcome = click(book, as_of=kw.pop("as_of", AS_OF), now=NOW, folder=folder, **kw)
    return outcome, book.json()["actions"]


# --- workbooks ------------------------------------------------------------------------------------------------

def row(code: str, q: int, updated: dt.date, updater: str, achieved: Any, total: Any, status: str, result: str = "",
        **more: Any) -> ProgressRow:
    return ProgressRow(code=code, period=Period(2023, q), updated=updated, updater=updater, achieved=achieved,
                       total=total, status=status, result=result, **more)


NHUNG, TU = "Nguyễn Thị Hồng Nhung", "Đinh Văn Tú"
OFFICIALS = [Official(name=NHUNG, position="Văn phòng - Thống kê", email="nhung@example.vn", phone="+84 905 112 233"),
             Official(name=TU, position="Các công chức chuyên môn của UBND xã", email="tu@example.vn")]
CLEAN_ROWS = [
    row("1.1", 4, dt.date(2023, 12, 15), NHUNG, 20, 21, "Đang thực hiện", "20/21 đạt chuẩn."),
    row("1.2", 4, dt.date(2023, 12, 15), TU, 600, 600, "Hoàn thành", "Toàn bộ văn bản qua hệ thống.",
        evidence="Sổ văn bản đi"),
]


@pytest.fixture(scope="module")
def macro_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workbook `cchc init` made (with the button), two clean rows and an official's text that looks like a
    formula and like a phone number."""
    folder = tmp_path_factory.mktemp("macro")
    rows = [*CLEAN_ROWS,
            row("1.3", 4, dt.date(2023, 12, 15), "+84905112233", "=SUM(A1)", 10, "Đang thực hiện",
                "=SUM(A1) hồ sơ")]
    return build_macro_workbook(folder / "theo_doi_cchc_2023.xlsm", plan_info(), plan_items(), OFFICIALS, rows,
                                settings=ConfSettings())


# --- the tests --------------------------------------------------------------------------------------------------

def test_click_on_the_example_writes_results_summary_and_report(tmp_path: Path) -> None:
    data = payload(example_workbook())
    outcome, actions = run(data, tmp_path)
    assert outcome.ok
    added = [a["args"][1] for a in actions if a["func"] == "addSheet"]
    assert added == [RESULTS_SHEET, SUMMARY_SHEET]
    # The report file, next to the workbook (the folder given), for the current quarter.
    report = tmp_path / "bao-cao-cchc-quy-IV-2023.docx"
    assert outcome.report_path == report and report.is_file()
    text = "\n".join(p.text for p in Document(str(report)).paragraphs)
    assert "kết quả thực hiện năm 2023" in text  # the Quý IV report is the year report (Nghị định 09/2019)
    prompt, mode = alert(actions)
    assert mode == "info" and str(report) in prompt and "3 lỗi" in prompt
    # Every issue is a row whose place links to its cell.
    after = apply(data, actions)
    listed = marked(after)
    assert len(listed) == len([i for i in outcome.validation.issues if i.cell])
    assert listed["Tiến độ!C23"] == "Lỗi"  # 10/13/2023 typed month first
    assert '=HYPERLINK("#\'Tiến độ\'!C23","Tiến độ!C23")' in written(actions)


def test_live_read_is_the_file_reader_on_the_values_excel_holds() -> None:
    """Same records and issues as reading the file, except what values cannot show to the remote engine:
    the hidden row and the merged range (Excel on Windows reports both through ``sheet_rows``)."""
    path = example_workbook()
    live = read_book(xw.Book(json=payload(path)))
    from_file = read_workbook(path)
    assert [(i.code, i.content, i.target, i.kind, i.owner, i.deadline) for i in live.items] == \
           [(i.code, i.content, i.target, i.kind, i.owner, i.deadline) for i in from_file.items]
    assert live.officials == from_file.officials
    merged_row = next(n.row for n in from_file.notes if n.code == "merged-cells") + 1
    shown = [replace(r, hidden=False) for r in from_file.progress if r.row != merged_row]
    assert [r for r in live.progress if r.row != merged_row] == shown
    assert live.info == from_file.info
    live_issues = {(i.code, i.ref) for i in validate(live, as_of=AS_OF).issues}
    file_issues = {(i.code, i.ref) for i in validate_file(path, as_of=AS_OF)[0].issues}
    assert file_issues - live_issues == {("hidden-row", "Tiến độ!A8"), ("merged-cells", "Tiến độ!B25")}
    assert live_issues - file_issues == {("required-missing", f"Tiến độ!B{merged_row}")}


def test_results_go_to_the_workbooks_own_sheets_and_only_values_change(macro_book: Path, tmp_path: Path) -> None:
    outcome, actions = run(payload(macro_book), tmp_path)
    assert outcome.ok
    assert not [a for a in actions if a["func"] == "addSheet"], "init made the sheets; none is added"
    # Nothing but values: no fill, font, border or format of anyone's cells is touched.
    assert {a["func"] for a in actions} <= {"setValues", "rangeClearContents", "alert"}
    sheets = [s["name"] for s in payload(macro_book)["sheets"]]
    targets = {sheets[a["sheet_position"]] for a in actions if a["sheet_position"] is not None}
    assert targets == {RESULTS_SHEET, SUMMARY_SHEET}


def test_officials_text_is_written_as_text_never_as_a_formula(macro_book: Path, tmp_path: Path) -> None:
    _, actions = run(payload(macro_book), tmp_path)
    values = [v for v in written(actions) if isinstance(v, str)]
    formulas = [v for v in values if v.startswith(("=", "+", "-", "@"))]
    assert formulas and all(v.startswith("=HYPERLINK(\"#'") for v in formulas)
    messages = [v for v in values if "=SUM(A1)" in v or "+84905112233" in v]
    assert messages and all(v.startswith("'") for v in messages)
    assert "'«=SUM(A1)» không phải số hợp lệ." in values


def test_a_second_click_clears_the_marks_of_the_first(macro_book: Path, tmp_path: Path) -> None:
    data = payload(macro_book)
    _, first = run(data, tmp_path)
    data = apply(data, first)
    before = marked(data)
    assert before["Tiến độ!E4"] == "Lỗi" and before["Tiến độ!D4"] == "Cảnh báo"
    # The official fixes the row (unsaved) and clicks again.
    set_cell(data, "Tiến độ", "D4", NHUNG)
    set_cell(data, "Tiến độ", "E4", 7)
    set_cell(data, "Tiến độ", "I4", "7 hồ sơ")
    _, second = run(data, tmp_path)
    cleared = [a for a in second if a["func"] == "rangeClearContents"
               and data["sheets"][a["sheet_position"]]["name"] == RESULTS_SHEET]
    assert cleared and cleared[0]["start_row"] == RESULTS_FIRST_ROW - 1
    assert cleared[0]["start_row"] + cleared[0]["row_count"] >= RESULTS_FIRST_ROW - 1 + len(before)
    after = marked(apply(data, second))
    assert "Tiến độ!E4" not in after and "Tiến độ!D4" not in after
    assert set(after) < set(before)


def test_summary_gives_completion_per_item_and_official_and_the_overdue(macro_book: Path, tmp_path: Path) -> None:
    data = payload(macro_book)
    _, actions = run(data, tmp_path)
    rows = sheet_of(apply(data, actions), SUMMARY_SHEET)["values"]
    coded = [r for r in rows if r and isinstance(r[0], str) and re.fullmatch(r"1\.\d", r[0])]
    by_code = {r[0]: r for r in reversed(coded[: len(plan_items())])}  # section 1: one row per item
    overdue = [r[0] for r in coded[len(plan_items()):]]  # section 3
    assert overdue == [r[0] for r in coded[: len(plan_items())] if r[8].startswith("Quá hạn")]
    assert "1.1" in overdue and "1.2" not in overdue
    assert by_code["1.1"][5] == round(20 / 21 * 100, 1) and by_code["1.1"][8] == "Quá hạn"
    assert by_code["1.2"][5] == 100 and by_code["1.2"][6] == "Hoàn thành" and by_code["1.2"][8] == ""
    assert by_code["1.4"][6] == "Chưa báo cáo"
    people = {r[1]: r for r in rows if len(r) > 1 and r[1] in (NHUNG, TU)}
    wb = read_workbook(macro_book)
    a = check(wb, as_of=AS_OF)  # Tổng hợp!B2 is blank: the check is about the click's day
    assert overdue == [s.code for s in a.overdue]
    for name, items in a.by_owner().items():
        done = sum(1 for ip in items if ip.completion == 100)
        assert people[name][3:6] == [len(items), done, sum(1 for ip in items if ip.overdue)], name
    assert people[TU][4] >= 1  # 1.2 is done
    flat = [str(v) for r in rows for v in r]
    assert any(v.startswith("3. Nội dung quá hạn") for v in flat)
    assert any(v.lstrip("'").startswith("Đã hoàn thành ") and "Mức hoàn thành bình quân" in v for v in flat)


@pytest.mark.parametrize(("typed", "as_of", "report"), [
    ("", dt.date(2024, 1, 8), "bao-cao-cchc-quy-IV-2023.docx"),  # after the plan year: its last quarter
    ("", dt.date(2023, 8, 15), "bao-cao-cchc-quy-III-2023.docx"),  # the current quarter
    ("Quý II/2023", dt.date(2024, 1, 8), "bao-cao-cchc-quy-II-2023.docx"),
    ("quý 1/2023", dt.date(2024, 1, 8), "bao-cao-cchc-quy-I-2023.docx"),
])
def test_the_quarter_is_the_one_chosen_in_the_summary_sheet(macro_book: Path, tmp_path: Path, typed: str,
                                                            as_of: dt.date, report: str) -> None:
    data = payload(macro_book)
    set_cell(data, SUMMARY_SHEET, PERIOD_CELL, typed)
    outcome, actions = run(data, tmp_path, as_of=as_of)
    assert outcome.ok and outcome.report_path == tmp_path / report
    assert [p.name for p in tmp_path.glob("*.docx")] == [report]
    assert str(tmp_path / report) in alert(actions)[0]


def _without_sheet(data: dict[str, Any], name: str) -> dict[str, Any]:
    data["sheets"] = [s for s in data["sheets"] if s["name"] != name]
    return data


def _rename_header(data: dict[str, Any], sheet: str, old: str, new: str) -> dict[str, Any]:
    header = sheet_of(data, sheet)["values"][0]
    header[header.index(old)] = new
    return data


@pytest.mark.parametrize(("spoil", "expected"), [
    (lambda d: set_cell(d, SUMMARY_SHEET, "B2", "Quý 5/2023") or d, "Ô Tổng hợp!B2 ghi «Quý 5/2023»"),
    (lambda d: _without_sheet(d, "Cán bộ"), "Không kiểm tra được sổ: Thiếu sheet «Cán bộ»"),
    (lambda d: _rename_header(d, "Tiến độ", "Số đạt", "Đạt"), "thiếu cột «Số đạt»"),
])
def test_failures_are_vietnamese_message_boxes_and_change_nothing(macro_book: Path, tmp_path: Path, spoil: Any,
                                                                  expected: str) -> None:
    outcome, actions = run(spoil(payload(macro_book)), tmp_path)
    assert not outcome.ok
    prompt, mode = alert(actions)
    assert mode == "critical" and expected in prompt and "Traceback" not in prompt
    assert [a["func"] for a in actions] == ["alert"]
    assert not list(tmp_path.iterdir())


def test_main_is_what_the_macro_calls_and_reports_next_to_the_workbook(macro_book: Path, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """``main()`` finds the calling book (xlwings' mock caller stands in for Excel) and writes next to it."""
    book = xw.Book(json=payload(macro_book, name=str(tmp_path / macro_book.name)))
    monkeypatch.setattr(xw.Book, "_mock_caller", book, raising=False)
    button.main()
    prompt, mode = alert(book.json()["actions"])
    assert mode == "info"
    written_reports = list(tmp_path.glob("bao-cao-cchc-quy-*.docx"))
    assert len(written_reports) == 1 and str(written_reports[0]) in prompt


def test_a_workbook_never_saved_to_a_folder_gets_a_message(macro_book: Path) -> None:
    book = xw.Book(json=payload(macro_book, name="Book1"))
    outcome = click(book, as_of=AS_OF, now=NOW)
    assert not outcome.ok
    prompt, mode = alert(book.json()["actions"])
    assert mode == "critical" and "Hãy lưu sổ vào một thư mục" in prompt


def test_items_and_officials_are_those_of_the_workbook(macro_book: Path) -> None:
    live = read_book(xw.Book(json=payload(macro_book)))
    assert [i.code for i in live.items] == [i.code for i in plan_items()]
    assert [o.name for o in live.officials] == [o.name for o in OFFICIALS]
    assert isinstance(live.items[0], PlanItem) and plan_positions()


def test_without_a_calling_workbook_main_says_so_in_vietnamese_for_the_macro_to_show() -> None:
    """Off Windows (no system message box) the Vietnamese reason goes to stderr and Python exits 1, for xlwings'
    macro to show; on Windows ``main`` shows it in a Unicode message box itself (``button.system_message``)."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", "from toolkit.button import main; main()"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.startswith("Không kết nối được với sổ Excel đang mở") and "Traceback" not in done.stderr


CHECK_IMPORTS = r"""
import json, sys
import toolkit.button
heavy = ("xlwings", "numpy", "docx", "docxtpl", "jinja2", "openpyxl", "python_calamine", "xlsxwriter")
print(json.dumps([m for m in heavy if m in sys.modules]))
import xlwings as xw
before = set(sys.modules)
from datetime import date
from toolkit.excel.button import click  # what toolkit.button.main() runs
outcome = click(xw.Book(json=json.load(open(sys.argv[1], encoding="utf-8"))), as_of=date(2024, 1, 8),
                folder=sys.argv[2])
assert outcome.ok, outcome.message
print(json.dumps(sorted({m.split(".")[0] for m in set(sys.modules) - before if m.split(".")[0] in heavy})))
"""


def test_the_hand_over_imports_nothing_heavy_and_the_click_only_what_it_needs(tmp_path: Path) -> None:
    """A fresh Python per click: importing what the macro's command imports is cheap, and the click loads the report
    libraries but never the file readers and writers (Excel hands the values over)."""
    import json
    import subprocess
    import sys

    data = tmp_path / "payload.json"
    data.write_text(json.dumps(payload(example_workbook()), ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", CHECK_IMPORTS, str(data), str(tmp_path)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    at_import, by_click = (json.loads(line) for line in done.stdout.strip().splitlines()[-2:])
    assert at_import == []
    # The report fills a prepared template with jinja2 and lxml (toolkit.report.prepared); python-docx and docxtpl load
    # only for a chart or on the first run of a template. Never a file reader or writer, nor numpy.
    assert not set(by_click) & {"numpy", "openpyxl", "python_calamine", "xlsxwriter"}


def test_the_button_says_it_wrote_a_draft_while_the_workbook_has_errors(tmp_path: Path) -> None:
    data = payload(example_workbook())  # the example has errors: the report cannot be issued yet
    outcome, actions = run(data, tmp_path)
    prompt, _ = alert(actions)
    assert outcome.ok and outcome.report_path is not None
    assert "Đã lập DỰ THẢO báo cáo năm 2023 (không số, chưa ban hành được vì sổ còn 3 lỗi" in prompt
    document = Document(str(outcome.report_path))
    shown = [p.text for p in document.paragraphs] + [c.text for t in document.tables for c in t._cells]
    assert any("DỰ THẢO" in text for text in shown)


def test_a_period_before_the_plan_gives_no_report(tmp_path: Path) -> None:
    data = payload(example_workbook())  # the example's plan was issued on 10/8/2023
    data["sheets"].append({"name": SUMMARY_SHEET, "values": [["TỔNG HỢP"], ["Kỳ báo cáo:", "Quý I/2023"]],
                           "pictures": [], "tables": []})
    outcome, actions = run(data, tmp_path)
    prompt, mode = alert(actions)
    assert outcome.ok and outcome.report_path is None and not list(tmp_path.glob("*.docx"))
    assert mode == "info" and "Không lập báo cáo quý I năm 2023: kỳ này kết thúc trước ngày ban hành kế hoạch" in prompt
