r"""The macro-enabled tracking workbook: xlwings' standalone VBA, a Vietnamese button bound to it, its settings.

``cchc init`` builds a ``.xlsm`` with ``build_macro_workbook``. The VBA project is taken at build time from the
INSTALLED xlwings package's standalone quickstart (``xlwings/quickstart_standalone.xlsm``), so the VBA always
matches the xlwings version Python will run; it is never stored in this repository, and never edited.

How a click reaches Python (read from the VBA of xlwings 0.37.8, module ``xlwings``):

- The quickstart's own macro, ``Module1.SampleCall``, runs ``RunPython "import <stem>;<stem>.main()"`` where
  ``<stem>`` is the workbook's file name without its extension. Python compiles that command as a whole, so a
  name such as ``theo_doi_cchc_2023 (1)`` (a download), ``... - Copy`` or ``Sổ CCHC-2023`` is a SyntaxError
  before any line of ours runs, and the command needs a module of that name next to the workbook.
- ``RunPython(PythonCommand As String)`` is a public procedure that takes the command itself. Excel's
  "Assign Macro" accepts a call with arguments written between single quotes, and stores it verbatim as the
  form button's macro (VML ``<x:FmlaMacro>'Macro("argument")'</x:FmlaMacro>``, no ``[0]!`` prefix), which it
  runs as written. The buttons are bound to ``'RunPython("import toolkit.button;toolkit.button.main()")'``
  (``CLICK_COMMAND``): the command never mentions the workbook's name, so any file name works and no Python
  file has to travel with the workbook (mail filters drop ``.py`` files). ``RunPython`` being a Function does
  not matter: Excel runs a button's call as ``Application.Run`` does. Not yet clicked in a real Excel here:
  the README's smoke test (steps 3 and 4) is the check on a real PC; ``tests/test_button_names.py`` runs the
  exact command line the VBA builds for renamed files. One name stays unusable: xlwings' ``Book.caller``
  cuts ``--wb=<name>`` at the first ``=``, so a name holding ``=`` cannot find its workbook (``cchc doctor``
  says so).
- ``RunPython`` reads every setting through ``GetConfig``: the ``xlwings.conf`` sheet first (each value passed
  through ``WScript.Shell.ExpandEnvironmentStrings``, so ``%CCHC_PYTHON%`` expands), then ``xlwings.conf``
  next to the workbook, then the user's ``%USERPROFILE%\.xlwings\xlwings.conf`` (written by the add-in's
  ribbon), then the default. The sheet therefore names every setting the click depends on (``ConfSettings``),
  so nothing of a PC's own xlwings set-up (UDF server, conda, another interpreter) changes the click.
- ``ExecuteWindows`` runs ``cmd.exe /C <drive> & cd "<python folder>" & "<interpreter>" -B -c "import
  xlwings.utils;xlwings.utils.prepare_sys_path(\"<ADD_WORKBOOK_TO_PYTHONPATH>;<full name>;<full name>;
  <OneDrive/SharePoint settings>;<PYTHONPATH>\"); <command>" --wb="<name>" --from_xl=1 --app="..."
  --hwnd="..." 2> "<TEMP DIR>\xlwings-<GUID>.log"``. A non-zero exit shows the log file read with VBA's ANSI
  file functions (``ShowError``); ``TEMP DIR`` (undocumented) defaults to ``Environ("Temp")``, an ANSI string
  that breaks for a Windows account named with Vietnamese letters. The button therefore shows its own
  messages (``button.main``) and exits 0, and the sheet sets an ASCII ``TEMP DIR``.
"""

from __future__ import annotations

import os
import sys
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import toolkit
from toolkit.core.errors import CchcError
from toolkit.core.issues import SEVERITY_LABELS
from toolkit.core.model import Official, PlanInfo, PlanItem, ProgressRow
from toolkit.core.period import Period
from toolkit.core.schema import INFO_SHEET, PLAN, PROGRESS, ROSTER, column_letter
from toolkit.excel.layout import (
    BUTTON_CAPTION,
    PERIOD_CELL,
    RESULTS_FIRST_ROW,
    RESULTS_HEADERS,
    RESULTS_SHEET,
    SUMMARY_SHEET,
)
from toolkit.workbook.builder import Built, build_workbook

# What the button runs: a command that names the toolkit, never the workbook.
CLICK_COMMAND = "import toolkit.button;toolkit.button.main()"
MACRO = f"'RunPython(\"{CLICK_COMMAND}\")'"  # the form button's macro, as Excel stores a call with an argument
CONF_SHEET = "xlwings.conf"  # the sheet name xlwings' VBA looks for (GetConfigFromSheet)
PYTHON_VARIABLE = "CCHC_PYTHON"  # the per-PC environment variable naming the Python that has the toolkit
PER_PC_PYTHON = f"%{PYTHON_VARIABLE}%"  # what Interpreter_Win says when each PC names its own Python
QUICKSTART = "quickstart_standalone.xlsm"
VBA_PART = "xl/vbaProject.bin"

# Defined names the mark rules use: where the results sheet lists each issue's place and severity.
NAME_PLACES = "CCHC_ViTri"
NAME_SEVERITIES = "CCHC_MucDo"
MARKED_ROWS = 5000  # rows of each data sheet covered by the mark rules
RESULT_ROWS = 5000  # rows of the results sheet the mark rules look at


@dataclass(frozen=True, slots=True)
class ConfSettings:
    """What the ``xlwings.conf`` sheet says.

    ``interpreter_win`` is the full path of the Python that has the toolkit, or ``%CCHC_PYTHON%`` (each PC names
    its own with ``setx CCHC_PYTHON ...``); ``pythonpath`` the folder holding the ``toolkit`` package (needed
    for a source checkout only); ``temp_dir`` the folder for xlwings' error log, which must be ASCII.
    """

    interpreter_win: str = PER_PC_PYTHON
    interpreter_mac: str = ""
    pythonpath: str = ""
    temp_dir: str = "%TEMP%"

    @classmethod
    def of_this_machine(cls, env: Mapping[str, str] | None = None) -> ConfSettings:
        """The settings for the machine running ``init``.

        On Windows: its own interpreter, written with ``%LOCALAPPDATA%``/``%USERPROFILE%`` in place of this
        user's folder (so another account with the same layout finds its own), or ``%CCHC_PYTHON%`` when that
        variable is set here (the office names the Python per PC). Elsewhere: ``%CCHC_PYTHON%`` for Windows and
        this interpreter for macOS. ``TEMP DIR`` is ``%TEMP%`` unless this user's temp folder is not ASCII.
        """
        env = dict(os.environ if env is None else env)
        exe = sys.executable or ""
        package_parent = str(Path(toolkit.__file__).resolve().parent.parent)  # the folder holding ``toolkit``
        win = PER_PC_PYTHON
        if sys.platform == "win32" and not env.get(PYTHON_VARIABLE):
            win = portable_path(exe, env)
        temp = env.get("TEMP") or env.get("TMP") or ""
        temp_dir = "%TEMP%" if temp.isascii() else "%PUBLIC%\\Documents"
        return cls(interpreter_win=win, interpreter_mac=exe if sys.platform == "darwin" else "",
                   pythonpath=portable_path(package_parent, env), temp_dir=temp_dir)

    def rows(self) -> list[tuple[str, Any]]:
        """The key/value rows of the sheet, from A1 down (xlwings reads keys down to the first blank cell).

        Every key ``RunPython`` and ``ExecuteWindows`` read is here, so none falls back to a PC's own files.
        The OneDrive/SharePoint folder keys are left to the PC (only used to map an online name to its folder).
        """
        return [
            ("Interpreter_Win", self.interpreter_win),
            ("Interpreter_Mac", self.interpreter_mac),
            ("PYTHONPATH", self.pythonpath),
            ("ADD_WORKBOOK_TO_PYTHONPATH", "false"),  # nothing is imported from the workbook's folder
            ("Conda Path", ""),
            ("Conda Env", ""),
            ("Use UDF Server", False),
            ("Show Console", False),
            ("TEMP DIR", self.temp_dir),
            ("SHOW_ERROR_POPUPS", "True"),
        ]


def portable_path(path: str, env: Mapping[str, str]) -> str:
    """``path`` with this user's folder written as ``%LOCALAPPDATA%``, ``%APPDATA%`` or ``%USERPROFILE%``."""
    lowered = path.lower()
    for name in ("LOCALAPPDATA", "APPDATA", "USERPROFILE"):
        base = (env.get(name) or "").rstrip("\\/")
        if base and lowered.startswith(base.lower()) and path[len(base):len(base) + 1] in ("\\", "/"):
            return f"%{name}%" + path[len(base):]
    return path


CONF_HELP = (
    "Hướng dẫn: các dòng trên là cấu hình xlwings của nút bấm (lệnh cchc init ghi). Interpreter_Win là đường dẫn "
    f"python.exe có bộ công cụ, hoặc %{PYTHON_VARIABLE}% để mỗi máy tự khai báo một lần bằng lệnh "
    f"setx {PYTHON_VARIABLE} \"C:\\cchc\\.venv\\Scripts\\python.exe\" (rồi mở lại Excel).",
    "Nếu bấm nút mà Excel báo «Could not find Interpreter!», hãy chạy cchc doctor <tên sổ> trên máy này: lệnh "
    "cho biết máy cần khai báo gì. Đừng để trống Interpreter_Win (python trong PATH không có bộ công cụ).",
    "Không đổi tên sheet này và không chèn dòng trống vào giữa các dòng cấu hình (A1 trở xuống).",
)


def standalone_vba_project() -> bytes:
    """The ``vbaProject.bin`` of the installed xlwings package's standalone quickstart workbook.

    Raises ``CchcError`` when xlwings is not installed or its package lacks the quickstart (reinstall it).
    """
    try:
        import xlwings
    except ImportError:
        raise CchcError("Chưa cài xlwings; hãy cài lại bộ công cụ: pip install -e .") from None
    source = Path(xlwings.__file__).resolve().parent / QUICKSTART
    try:
        with zipfile.ZipFile(source) as zf:
            return zf.read(VBA_PART)
    except (OSError, KeyError, zipfile.BadZipFile):
        raise CchcError(
            f"Không đọc được {QUICKSTART} của xlwings ({source}); hãy cài lại xlwings: "
            "pip install --force-reinstall xlwings"
        ) from None


def xlwings_version() -> str:
    import xlwings

    return xlwings.__version__


def build_macro_workbook(
    path: str | Path,
    info: PlanInfo,
    items: Sequence[PlanItem],
    officials: Sequence[Official],
    progress: Sequence[ProgressRow] = (),
    *,
    settings: ConfSettings | None = None,
    customize: Callable[[Built], None] | None = None,
) -> Path:
    """Build the ``.xlsm`` tracking workbook with the button; any file name works.

    ``settings`` None means this machine's interpreter and path (``ConfSettings.of_this_machine``).
    ``customize`` is a further builder hook (as ``builder.build_workbook`` takes), run after the button's parts.
    """
    path = Path(path)
    vba = standalone_vba_project()
    conf = settings or ConfSettings.of_this_machine()
    year = info.year or 2023

    def hook(built: Built) -> None:
        add_button_parts(built, vba, conf, year)
        if customize is not None:
            customize(built)

    build_workbook(path, info, items, officials, progress, customize=hook)
    return path


def add_button_parts(built: Built, vba: bytes, conf: ConfSettings, year: int) -> None:
    """The builder hook: VBA project, summary and results sheets with the button, mark rules, xlwings.conf."""
    book, sheets = built.book, built.sheets
    book.add_vba_project(BytesIO(vba), is_stream=True)
    book.set_vba_name("ThisWorkbook")
    styles = _styles(book)
    _summary_sheet(book.add_worksheet(SUMMARY_SHEET), styles, year)
    _results_sheet(book.add_worksheet(RESULTS_SHEET), styles)
    _mark_rules(book, sheets, styles)
    _conf_sheet(book.add_worksheet(CONF_SHEET), conf, styles)


def _styles(book: Any) -> dict[str, Any]:
    base = {"font_name": "Times New Roman", "font_size": 12}
    return {
        "title": book.add_format({**base, "font_size": 14, "bold": True}),
        "label": book.add_format({**base, "bold": True}),
        "cell": book.add_format({**base, "valign": "top"}),
        "text": book.add_format({**base, "text_wrap": True, "valign": "top"}),
        "hint": book.add_format({**base, "italic": True, "font_color": "#595959"}),
        "header": book.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                   "align": "center", "valign": "vcenter"}),
        "period": book.add_format({**base, "bold": True, "bg_color": "#FFF2CC", "border": 1, "align": "center"}),
        "conf": book.add_format({"font_name": "Consolas", "font_size": 11}),
        "mark_error": book.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006", "border": 2,
                                       "border_color": "#C00000"}),
        "mark_warning": book.add_format({"bg_color": "#FFEB9C", "font_color": "#7F6000", "border": 1,
                                         "border_color": "#BF8F00"}),
    }


def _button(ws: Any, cell: str) -> None:
    """A form button running ``MACRO``.

    XlsxWriter writes a macro name as ``[0]!Name``; a call with an argument is stored the way Excel stores it
    (verbatim, in single quotes, no ``[0]!``), so the button's macro is set on the button XlsxWriter made.
    """
    ws.insert_button(cell, {"caption": BUTTON_CAPTION, "width": 220, "height": 40, "x_offset": 4, "y_offset": 2})
    ws.buttons_list[-1].macro = MACRO


def _summary_sheet(ws: Any, styles: dict[str, Any], year: int) -> None:
    ws.set_column(0, 0, 12, styles["cell"])
    ws.set_column(1, 1, 44, styles["text"])
    ws.set_column(2, 9, 15, styles["cell"])
    ws.write_string(0, 0, "TỔNG HỢP TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH", styles["title"])
    row, col = _cell_index(PERIOD_CELL)
    ws.write_string(row, col - 1, "Kỳ báo cáo:", styles["label"])
    ws.write_blank(row, col, None, styles["period"])
    quarters = [p.label for p in Period.of_year(year)]
    ws.data_validation(row, col, row, col, {
        "validate": "list", "source": quarters, "input_title": "Kỳ báo cáo",
        "input_message": "Chọn quý cần lập báo cáo; để trống thì lấy quý hiện tại.",
        "error_title": "Sai kỳ báo cáo", "error_message": f"Hãy chọn một quý trong danh sách, ví dụ Quý III/{year}.",
    })
    ws.write_string(row, col + 1, "(để trống: quý hiện tại)", styles["hint"])
    ws.write_string(row + 1, 0, f"Bấm nút «{BUTTON_CAPTION}» để kiểm tra số liệu, tổng hợp tiến độ và lập báo cáo "
                                "quý; kết quả ghi ở sheet này và sheet «" + RESULTS_SHEET + "».", styles["hint"])
    _button(ws, "E1")
    ws.freeze_panes(4, 0)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)


def _results_sheet(ws: Any, styles: dict[str, Any]) -> None:
    widths = (6, 10, 18, 14, 7, 20, 80)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w, styles["text"] if c == len(widths) - 1 else styles["cell"])
    ws.write_string(0, 0, "KẾT QUẢ KIỂM TRA SỐ LIỆU", styles["title"])
    ws.write_string(1, 0, f"Chưa kiểm tra. Bấm nút «{BUTTON_CAPTION}».", styles["hint"])
    for c, text in enumerate(RESULTS_HEADERS):
        ws.write_string(RESULTS_FIRST_ROW - 2, c, text, styles["header"])
    _button(ws, "H1")
    ws.freeze_panes(RESULTS_FIRST_ROW - 1, 0)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)


def _mark_rules(book: Any, sheets: dict[str, Any], styles: dict[str, Any]) -> None:
    """Marks as conditional formats driven by the results list: clearing the list clears every mark.

    A cell is marked while the results sheet lists its place (``Tiến độ!E7``); the button only rewrites that
    list, so it never touches the cells' own formatting.
    """
    first = RESULTS_FIRST_ROW
    last = first + RESULT_ROWS
    place_col = column_letter(RESULTS_HEADERS.index("Vị trí"))
    severity_col = column_letter(RESULTS_HEADERS.index("Mức độ"))
    book.define_name(NAME_PLACES, f"='{RESULTS_SHEET}'!${place_col}${first}:${place_col}${last}")
    book.define_name(NAME_SEVERITIES, f"='{RESULTS_SHEET}'!${severity_col}${first}:${severity_col}${last}")
    widths = {PLAN.name: len(PLAN.columns), PROGRESS.name: len(PROGRESS.columns), ROSTER.name: len(ROSTER.columns),
              INFO_SHEET: 3}
    for name, ncols in widths.items():
        ws = sheets[name]
        last_col = column_letter(ncols - 1)
        for severity, style in ((SEVERITY_LABELS["error"], "mark_error"),
                                (SEVERITY_LABELS["warning"], "mark_warning")):
            ws.conditional_format(f"A1:{last_col}{MARKED_ROWS}", {
                "type": "formula", "criteria": mark_formula(name, severity), "format": styles[style]})


def mark_formula(sheet: str, severity: str) -> str:
    """The mark rule of ``sheet``: TRUE for a cell the results list names (``Tiến độ!E7``) with ``severity``.

    ``ROW()``/``COLUMN()`` are the cell the rule is evaluated for; ``ADDRESS(..., 4)`` spells it ``E7``.
    """
    here = f'"{sheet}!"&ADDRESS(ROW(),COLUMN(),4)'
    return f'=COUNTIFS({NAME_PLACES},{here},{NAME_SEVERITIES},"{severity}")>0'


def _conf_sheet(ws: Any, conf: ConfSettings, styles: dict[str, Any]) -> None:
    ws.set_column(0, 0, 22, styles["conf"])
    ws.set_column(1, 1, 70, styles["conf"])
    rows = conf.rows()
    for r, (key, value) in enumerate(rows):
        ws.write_string(r, 0, key)
        if isinstance(value, bool):
            ws.write_boolean(r, 1, value)
        elif value:
            ws.write_string(r, 1, value)
    version = xlwings_version()
    lines = (*CONF_HELP, f"Sổ này mang VBA của xlwings {version}: máy bấm nút phải cài đúng xlwings {version} "
                          f"(pip install xlwings=={version}), nếu không hãy tạo lại sổ bằng cchc init.")
    for i, line in enumerate(lines):
        ws.write_string(len(rows) + 1 + i, 0, line, styles["hint"])
    ws.hide()  # GetConfigFromSheet reads a hidden sheet; nobody edits it by accident


def _cell_index(cell: str) -> tuple[int, int]:
    from xlsxwriter.utility import xl_cell_to_rowcol

    return xl_cell_to_rowcol(cell)
