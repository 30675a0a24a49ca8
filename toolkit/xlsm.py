"""The macro-enabled tracking workbook: xlwings' standalone VBA, a Vietnamese button, its settings and module.

``cchc init`` builds a ``.xlsm`` with ``build_macro_workbook``. The VBA project is taken at build time from the
INSTALLED xlwings package's standalone quickstart (``xlwings/quickstart_standalone.xlsm``), so the VBA always
matches the xlwings version Python will run; it is never stored in this repository. Its macro ``SampleCall``
imports the Python module named after the workbook and calls its ``main()``; the companion module written next
to the workbook is that module, and hands over to ``toolkit.button.main``. The ``xlwings.conf`` sheet holds the
interpreter and path of the machine that ran ``init``, so the button works there without editing anything.
"""

from __future__ import annotations

import keyword
import re
import sys
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from .builder import Built, build_workbook
from .button import (
    BUTTON_CAPTION,
    PERIOD_CELL,
    RESULTS_FIRST_ROW,
    RESULTS_HEADERS,
    RESULTS_SHEET,
    SUMMARY_SHEET,
)
from .errors import CchcError
from .files import write_bytes_atomic
from .model import Official, PlanInfo, PlanItem, ProgressRow
from .period import Period
from .schema import INFO_SHEET, PLAN, PROGRESS, ROSTER, column_letter
from .validate import SEVERITY_LABELS

# The macro of the standalone quickstart's Module1: ``RunPython "import <workbook name>; <workbook name>.main()"``.
MACRO = "SampleCall"
CONF_SHEET = "xlwings.conf"  # the sheet name xlwings' VBA looks for (GetConfigFromSheet)
QUICKSTART = "quickstart_standalone.xlsm"
VBA_PART = "xl/vbaProject.bin"

# Defined names the mark rules use: where the results sheet lists each issue's place and severity.
NAME_PLACES = "CCHC_ViTri"
NAME_SEVERITIES = "CCHC_MucDo"
MARKED_ROWS = 5000  # rows of each data sheet covered by the mark rules
RESULT_ROWS = 5000  # rows of the results sheet the mark rules look at

# Module names a workbook must not take: importing them would load something else than the companion.
_TAKEN = frozenset({"toolkit", "xlwings", "xlsxwriter", "openpyxl", "docx", "docxtpl", "schedule",
                    "python_calamine", "pywintypes", "win32api", "pythoncom"})


@dataclass(frozen=True, slots=True)
class ConfSettings:
    """What the ``xlwings.conf`` sheet says: the interpreter per platform and the extra module path.

    An empty interpreter means "``python`` on the PATH" (xlwings' own default); ``pythonpath`` is the folder
    holding the ``toolkit`` package, so the button finds it even from a source checkout.
    """

    interpreter_win: str = ""
    interpreter_mac: str = ""
    pythonpath: str = ""

    @classmethod
    def of_this_machine(cls) -> ConfSettings:
        """The settings of the machine running ``init``: its own interpreter, for its own platform."""
        exe = sys.executable or ""
        package_parent = str(Path(__file__).resolve().parent.parent)
        if sys.platform == "win32":
            return cls(interpreter_win=exe, pythonpath=package_parent)
        if sys.platform == "darwin":
            return cls(interpreter_mac=exe, pythonpath=package_parent)
        return cls(pythonpath=package_parent)

    def rows(self) -> list[tuple[str, Any]]:
        """The key/value rows of the sheet, from A1 down (xlwings reads keys up to the first blank cell)."""
        return [
            ("Interpreter_Win", self.interpreter_win),
            ("Interpreter_Mac", self.interpreter_mac),
            ("PYTHONPATH", self.pythonpath),
            ("Show Console", False),
        ]


CONF_HELP = (
    "Hướng dẫn: các dòng trên là cấu hình xlwings của máy đã tạo sổ (lệnh cchc init). "
    "Interpreter_Win là đường dẫn tới python.exe; để trống thì dùng python có trong PATH.",
    "Nếu bấm nút mà Excel báo «Could not find Interpreter!», hãy sửa ô B1 thành đường dẫn python.exe của máy "
    "này (chạy lệnh: where python), hoặc tạo lại sổ bằng cchc init trên máy này.",
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


def module_name_problem(path: str | Path) -> str | None:
    """Why the workbook's file name cannot be imported as a Python module, in Vietnamese; None if it can.

    The standalone macro imports the module named after the workbook (``theo_doi_cchc_2023.xlsm`` imports
    ``theo_doi_cchc_2023``), so the name must be an ASCII Python identifier that is not a keyword and does not
    hide a module the button itself needs or the standard library.
    """
    stem = Path(path).stem
    if not stem:
        return "tên tệp trống"
    if not stem.isascii():
        return "tên tệp có chữ có dấu hoặc ký tự ngoài bảng chữ cái Latinh không dấu"
    if not stem.isidentifier():
        if stem[0].isdigit():
            return "tên tệp bắt đầu bằng chữ số"
        return "tên tệp có dấu cách, dấu gạch ngang, dấu chấm hoặc ký tự đặc biệt (chỉ được dùng chữ không dấu, " \
               "chữ số và dấu gạch dưới _)"
    if keyword.iskeyword(stem) or keyword.issoftkeyword(stem):
        return f"«{stem}» là từ khóa của Python"
    if stem.lower() in _TAKEN or stem in sys.stdlib_module_names or _installed(stem, Path(path)):
        return f"«{stem}» trùng tên một mô-đun Python có sẵn"
    return None


def _installed(name: str, workbook: Path) -> bool:
    """True when ``name`` is a module this Python already has (other than the workbook's own companion)."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return False
    if spec is None:
        return False
    origin = spec.origin
    return not (origin and Path(origin).resolve() == companion_path(workbook).resolve())


def suggest_name(path: str | Path, *, year: int | None = None) -> str:
    """An importable file name close to ``path``'s: ``Theo dõi CCHC 2023.xlsm`` -> ``theo_doi_cchc_2023.xlsm``."""
    stem = Path(path).stem
    text = unicodedata.normalize("NFD", stem.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    if not text:
        text = f"theo_doi_cchc_{year}" if year else "theo_doi_cchc"
    if text[0].isdigit():
        text = "so_" + text
    if module_name_problem(text + ".xlsm") is not None:
        text = "so_" + text
    return text + ".xlsm"


def check_workbook_name(path: str | Path, *, year: int | None = None) -> None:
    """Raise ``CchcError`` explaining, in Vietnamese, why ``path`` cannot carry the button, with a better name."""
    problem = module_name_problem(path)
    if problem is None:
        return
    suggestion = suggest_name(path, year=year)
    raise CchcError(
        f"Không dùng được tên «{Path(path).name}» cho sổ có nút bấm: {problem}. Nút «{BUTTON_CAPTION}» gọi "
        f"mô-đun Python cùng tên với tệp, nên tên tệp phải là tên mô-đun hợp lệ: chỉ gồm chữ không dấu, chữ số "
        f"và dấu gạch dưới, không bắt đầu bằng chữ số, không trùng mô-đun có sẵn của Python. Hãy dùng tên như "
        f"«{suggestion}» (hoặc tạo tệp .xlsx, không có nút bấm)."
    )


COMPANION_TEMPLATE = '''\
"""Nút «{caption}» của sổ {workbook}: macro gọi main() của mô-đun cùng tên với sổ."""
from toolkit.button import main  # noqa: F401
'''


def companion_path(workbook: str | Path) -> Path:
    """The Python module next to the workbook that the macro imports: ``theo_doi_cchc_2023.py``."""
    workbook = Path(workbook)
    return workbook.with_suffix(".py")


def write_companion(workbook: str | Path) -> Path:
    """Write the companion module next to ``workbook`` (atomically) and return its path."""
    target = companion_path(workbook)
    text = COMPANION_TEMPLATE.format(caption=BUTTON_CAPTION, workbook=Path(workbook).name)
    return write_bytes_atomic(target, text.encode("utf-8"))


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
    """Build the ``.xlsm`` tracking workbook with the button, and its companion module next to it.

    ``settings`` None means this machine's interpreter and path (``ConfSettings.of_this_machine``).
    ``customize`` is a further builder hook (as ``builder.build_workbook`` takes), run after the button's parts.
    Raises ``CchcError`` for a file name the macro could not import (the message proposes one).
    """
    path = Path(path)
    check_workbook_name(path, year=info.year)
    vba = standalone_vba_project()
    conf = settings or ConfSettings.of_this_machine()
    year = info.year or 2023

    def hook(built: Built) -> None:
        add_button_parts(built, vba, conf, year)
        if customize is not None:
            customize(built)

    build_workbook(path, info, items, officials, progress, customize=hook)
    write_companion(path)
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
    ws.insert_button(cell, {"macro": MACRO, "caption": BUTTON_CAPTION, "width": 220, "height": 40,
                            "x_offset": 4, "y_offset": 2})


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


def _cell_index(cell: str) -> tuple[int, int]:
    from xlsxwriter.utility import xl_cell_to_rowcol

    return xl_cell_to_rowcol(cell)
