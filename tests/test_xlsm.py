"""The macro-enabled workbook `cchc init` builds: xlwings' own VBA, buttons bound to its RunPython with the toolkit's
command, the settings sheet (every key the click reads), and the mark rules (file names: test_button_names)."""

from __future__ import annotations

import re
import sys
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlwings

from toolkit.cli import main as cchc
from toolkit.core.example_plan import plan_info, plan_items, plan_positions
from toolkit.core.schema import INFO_SHEET, PLAN, PROGRESS, ROSTER
from toolkit.create import create_workbook
from toolkit.excel.button import link_formula
from toolkit.excel.layout import BUTTON_CAPTION, RESULTS_FIRST_ROW, RESULTS_HEADERS, RESULTS_SHEET, SUMMARY_SHEET
from toolkit.excel.xlsm import (
    CLICK_COMMAND,
    CONF_SHEET,
    MACRO,
    NAME_PLACES,
    NAME_SEVERITIES,
    ConfSettings,
    build_macro_workbook,
    mark_formula,
    portable_path,
)
from toolkit.workbook.builder import Built
from toolkit.workbook.reader import read_workbook

from .conftest import soffice_convert

with warnings.catch_warnings():  # oletools builds its parsers with pyparsing names that now warn on import
    warnings.simplefilter("ignore")
    from oletools.olevba import VBA_Parser

pytestmark = pytest.mark.filterwarnings("ignore:Print area cannot be set:UserWarning")

WINDOWS = ConfSettings(interpreter_win=r"C:\Users\vanphong\cchc\.venv\Scripts\python.exe",
                       pythonpath=r"C:\Users\vanphong\cchc")


@pytest.fixture(scope="module")
def xlsm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`cchc init` with its defaults, in a fresh folder."""
    folder = tmp_path_factory.mktemp("init-xlsm")
    return create_workbook(folder / "theo_doi_cchc_2023.xlsm")


@pytest.fixture(scope="module")
def windows_xlsm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same workbook as `cchc init` would build it on an office PC with Python in a venv."""
    folder = tmp_path_factory.mktemp("init-win")
    return build_macro_workbook(folder / "theo_doi_cchc_2023.xlsm", plan_info(), plan_items(), plan_positions(),
                                settings=WINDOWS)


@pytest.fixture(scope="module")
def vba_modules(xlsm: Path) -> dict[str, str]:
    parser = VBA_Parser(str(xlsm))
    try:
        assert parser.detect_vba_macros()
        return {name: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def test_default_init_is_a_macro_workbook_and_nothing_else(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert cchc(["init"]) == 0
    assert (tmp_path / "theo_doi_cchc_2023.xlsm").is_file()
    assert not list(tmp_path.glob("*.py")), "the button needs no Python file next to the workbook"
    with zipfile.ZipFile(tmp_path / "theo_doi_cchc_2023.xlsm") as zf:
        assert "xl/vbaProject.bin" in zf.namelist()


def test_xlsx_on_request_has_no_macros(tmp_path: Path) -> None:
    path = create_workbook(tmp_path / "Sổ theo dõi 2023.xlsx")  # any name: nothing imports it
    with zipfile.ZipFile(path) as zf:
        assert not [n for n in zf.namelist() if "vba" in n.lower() or n.endswith(".vml")]
    assert not (tmp_path / "Sổ theo dõi 2023.py").exists()


def test_vba_is_the_installed_xlwings_standalone_project(xlsm: Path, vba_modules: dict[str, str]) -> None:
    code = "\n".join(vba_modules.values())
    assert f'XLWINGS_VERSION As String = "{xlwings.__version__}"' in code
    assert re.search(r"Public Function RunPython\(PythonCommand As String\)", code)
    quickstart = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    with zipfile.ZipFile(quickstart) as theirs, zipfile.ZipFile(xlsm) as ours:
        assert ours.read("xl/vbaProject.bin") == theirs.read("xl/vbaProject.bin")


def test_the_buttons_call_run_python_which_takes_the_command(vba_modules: dict[str, str]) -> None:
    code = "\n".join(vba_modules.values())
    assert re.search(r"^Public Function RunPython\(PythonCommand As String\)", code, re.M)
    assert MACRO == "'RunPython(\"import toolkit.button;toolkit.button.main()\")'"
    assert CLICK_COMMAND == "import toolkit.button;toolkit.button.main()"


def test_the_stored_command_runs_in_python() -> None:
    """The command every issued workbook stores, run as the macro runs it (``python -c``): it imports the button
    and reaches ``main``, which, with no Excel calling, says so in Vietnamese (a moved module would fail here
    with ``ModuleNotFoundError`` instead)."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-B", "-c", CLICK_COMMAND], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr and "ModuleNotFoundError" not in done.stderr
    assert done.stderr.startswith("Không kết nối được với sổ Excel đang mở")


def _buttons(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Sheet name -> [(caption, macro)] for every form button, read from the VML the sheets point at."""
    out: dict[str, list[tuple[str, str]]] = {}
    with zipfile.ZipFile(path) as zf:
        wb_xml = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
        targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', rels))
        targets.update({a: b for b, a in re.findall(r'Target="([^"]+)"[^>]*Id="(rId\d+)"', rels)})
        for name, rid in re.findall(r'<sheet name="([^"]+)" sheetId="\d+" r:id="(rId\d+)"', wb_xml):
            sheet_part = "xl/" + targets[rid]
            rel_part = sheet_part.replace("worksheets/", "worksheets/_rels/") + ".rels"
            if rel_part not in zf.namelist():
                continue
            for vml in re.findall(r'Target="\.\./drawings/(vmlDrawing\d+\.vml)"', zf.read(rel_part).decode()):
                text = zf.read(f"xl/drawings/{vml}").decode()
                for shape in re.findall(r"<v:shape .*?</v:shape>", text, re.S):
                    if 'ObjectType="Button"' not in shape:
                        continue
                    caption = re.sub(r"<[^>]+>", "", re.search(r"<v:textbox.*?</v:textbox>", shape, re.S).group(0))
                    macro = re.search(r"<x:FmlaMacro>(.*?)</x:FmlaMacro>", shape).group(1).replace("&quot;", '"')
                    out.setdefault(name.replace("&amp;", "&"), []).append(
                        (caption.replace("&amp;", "&").strip(), macro))
    return out


def test_buttons_are_labelled_in_vietnamese_and_bound_to_the_macro(xlsm: Path) -> None:
    buttons = _buttons(xlsm)
    assert buttons == {
        SUMMARY_SHEET: [(BUTTON_CAPTION, MACRO)],  # verbatim, as Excel stores a call with an argument
        RESULTS_SHEET: [(BUTTON_CAPTION, MACRO)],
    }
    assert BUTTON_CAPTION == "Kiểm tra & tạo báo cáo"


def _conf(path: Path) -> dict[str, object]:
    """What xlwings' GetConfigFromSheet reads: keys from A1 down to the first blank cell, upper-cased."""
    ws = openpyxl.load_workbook(path)[CONF_SHEET]
    out: dict[str, object] = {}
    row = 1
    while ws.cell(row, 1).value not in (None, ""):
        key = str(ws.cell(row, 1).value).upper()
        assert key not in out, f"duplicate key {key}: VBA's Dictionary.Add would fail"
        out[key] = ws.cell(row, 2).value
        row += 1
    return out


def test_conf_sheet_names_every_setting_the_click_reads_and_is_hidden(windows_xlsm: Path) -> None:
    assert _conf(windows_xlsm) == {
        "INTERPRETER_WIN": WINDOWS.interpreter_win,
        "INTERPRETER_MAC": None,
        "PYTHONPATH": WINDOWS.pythonpath,
        "ADD_WORKBOOK_TO_PYTHONPATH": "false",
        "CONDA PATH": None,
        "CONDA ENV": None,
        "USE UDF SERVER": False,
        "SHOW CONSOLE": False,
        "TEMP DIR": "%TEMP%",
        "SHOW_ERROR_POPUPS": "True",
    }
    wb = openpyxl.load_workbook(windows_xlsm)
    help_text = " ".join(str(c.value) for c in wb[CONF_SHEET]["A"] if c.value)
    assert f"pip install xlwings=={xlwings.__version__}" in help_text and "setx CCHC_PYTHON" in help_text
    assert wb[CONF_SHEET].sheet_state == "hidden"
    assert "_xlwings.conf" not in wb.sheetnames


USER = {"USERPROFILE": r"C:\Users\vanphong", "LOCALAPPDATA": r"C:\Users\vanphong\AppData\Local",
        "APPDATA": r"C:\Users\vanphong\AppData\Roaming", "TEMP": r"C:\Users\vanphong\AppData\Local\Temp"}


@pytest.mark.parametrize(("path", "written"), [
    (r"C:\Users\vanphong\AppData\Local\Programs\Python\Python311\python.exe",
     r"%LOCALAPPDATA%\Programs\Python\Python311\python.exe"),
    (r"c:\users\VANPHONG\cchc\.venv\Scripts\python.exe", r"%USERPROFILE%\cchc\.venv\Scripts\python.exe"),
    (r"C:\Users\vanphong2\python.exe", r"C:\Users\vanphong2\python.exe"),
    (r"C:\cchc\.venv\Scripts\python.exe", r"C:\cchc\.venv\Scripts\python.exe"),
])
def test_paths_in_the_users_folder_are_written_for_whoever_is_logged_in(path: str, written: str) -> None:
    assert portable_path(path, USER) == written


@pytest.mark.parametrize(("platform", "env", "win", "mac", "temp"), [
    ("win32", USER, "exe", "", "%TEMP%"),
    ("win32", {**USER, "CCHC_PYTHON": r"D:\py\python.exe"}, "%CCHC_PYTHON%", "", "%TEMP%"),
    ("win32", {**USER, "TEMP": r"C:\Users\Nguyễn\AppData\Local\Temp"}, "exe", "", r"%PUBLIC%\Documents"),
    ("darwin", {}, "%CCHC_PYTHON%", "exe", "%TEMP%"),
    ("linux", {}, "%CCHC_PYTHON%", "", "%TEMP%"),
])
def test_conf_settings_follow_the_machine_running_init(monkeypatch: pytest.MonkeyPatch, platform: str,
                                                       env: dict[str, str], win: str, mac: str, temp: str) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    conf = ConfSettings.of_this_machine(env)
    toolkit_parent = Path(sys.modules["toolkit"].__file__).resolve().parent.parent
    assert conf.pythonpath == str(toolkit_parent)
    assert conf.interpreter_win == (sys.executable if win == "exe" else win)
    assert conf.interpreter_mac == (sys.executable if mac == "exe" else mac)
    assert conf.temp_dir == temp


def test_mark_rules_follow_the_results_list(xlsm: Path) -> None:
    wb = openpyxl.load_workbook(xlsm)
    names = {name: wb.defined_names[name].attr_text for name in (NAME_PLACES, NAME_SEVERITIES)}
    place = "ABCDEFG"[RESULTS_HEADERS.index("Vị trí")]
    severity = "ABCDEFG"[RESULTS_HEADERS.index("Mức độ")]
    assert names[NAME_PLACES].startswith(f"'{RESULTS_SHEET}'!${place}$5:")
    assert names[NAME_SEVERITIES].startswith(f"'{RESULTS_SHEET}'!${severity}$5:")
    results = wb[RESULTS_SHEET]
    assert [c.value for c in results[4]][: len(RESULTS_HEADERS)] == list(RESULTS_HEADERS)
    for sheet in (PLAN.name, PROGRESS.name, ROSTER.name, INFO_SHEET):
        formulas = [rule.formula[0] for cf in wb[sheet].conditional_formatting for rule in cf.rules
                    if rule.formula and NAME_PLACES in rule.formula[0]]
        assert formulas == [f'COUNTIFS({NAME_PLACES},"{sheet}!"&ADDRESS(ROW(),COLUMN(),4),{NAME_SEVERITIES},"Lỗi")>0',
                            f'COUNTIFS({NAME_PLACES},"{sheet}!"&ADDRESS(ROW(),COLUMN(),4),{NAME_SEVERITIES},'
                            '"Cảnh báo")>0'], sheet


def test_the_macro_workbook_reads_like_the_plain_one(xlsm: Path, tmp_path: Path) -> None:
    plain = read_workbook(create_workbook(tmp_path / "plain.xlsx"))
    macro = read_workbook(xlsm)
    assert [(i.code, i.target, i.deadline, i.owner) for i in macro.items] == \
           [(i.code, i.target, i.deadline, i.owner) for i in plain.items]
    assert [o.name for o in macro.officials] == [o.name for o in plain.officials]
    assert macro.notes == plain.notes


def test_mark_rules_light_up_exactly_the_listed_cells_in_a_spreadsheet_engine(tmp_path: Path) -> None:
    """LibreOffice evaluates each mark rule, verbatim, in scratch cells of Tiến độ against a results list written
    as the button writes it (the place as a HYPERLINK formula, the severity as text)."""
    listed = {"N7": "Lỗi", "O8": "Cảnh báo"}
    probes = ["N7", "O8", "N8", "O7"]

    def write_list_and_probes(built: Built) -> None:
        results = built.book.get_worksheet_by_name(RESULTS_SHEET)
        for r, (cell, severity) in enumerate(listed.items(), start=RESULTS_FIRST_ROW - 1):
            results.write_string(r, RESULTS_HEADERS.index("Mức độ"), severity)
            results.write_formula(r, RESULTS_HEADERS.index("Vị trí"), link_formula(PROGRESS.name, cell))
        sheet = built.sheets[PROGRESS.name]
        for cell in probes:
            error, warning = (mark_formula(PROGRESS.name, s)[1:] for s in ("Lỗi", "Cảnh báo"))
            sheet.write_formula(cell, f'=IF({error},"Lỗi",IF({warning},"Cảnh báo","-"))')

    src = build_macro_workbook(tmp_path / "so_thu.xlsm", plan_info(), plan_items(), plan_positions(),
                               settings=ConfSettings(), customize=write_list_and_probes)
    out = soffice_convert(src, "xlsx", tmp_path / "lo")
    # python-calamine reads LibreOffice's cached results (openpyxl trips over LibreOffice's drawing XML).
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name(PROGRESS.name).to_python(skip_empty_area=False)
    value = {cell: rows[int(cell[1:]) - 1][ord(cell[0]) - 65] for cell in probes}
    assert value == {"N7": "Lỗi", "O8": "Cảnh báo", "N8": "-", "O7": "-"}
