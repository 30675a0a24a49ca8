"""The macro-enabled workbook `cchc init` builds: xlwings' own VBA, a button bound to its macro, the settings sheet,
the companion module the macro imports, and file names the macro can import."""

from __future__ import annotations

import re
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlwings

from toolkit.builder import Built
from toolkit.button import (
    BUTTON_CAPTION,
    RESULTS_FIRST_ROW,
    RESULTS_HEADERS,
    RESULTS_SHEET,
    SUMMARY_SHEET,
    link_formula,
)
from toolkit.cli import main as cchc
from toolkit.create import create_workbook
from toolkit.errors import CchcError
from toolkit.example_plan import plan_info, plan_items, plan_positions
from toolkit.reader import read_workbook
from toolkit.schema import INFO_SHEET, PLAN, PROGRESS, ROSTER
from toolkit.xlsm import (
    CONF_SHEET,
    MACRO,
    NAME_PLACES,
    NAME_SEVERITIES,
    ConfSettings,
    build_macro_workbook,
    mark_formula,
    module_name_problem,
    suggest_name,
)

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


def test_default_init_is_a_macro_workbook_with_its_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert cchc(["init"]) == 0
    assert (tmp_path / "theo_doi_cchc_2023.xlsm").is_file()
    assert (tmp_path / "theo_doi_cchc_2023.py").is_file()
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


def test_the_button_macro_imports_the_workbook_module_and_calls_main(vba_modules: dict[str, str]) -> None:
    macro = next(code for code in vba_modules.values() if re.search(rf"^Sub {MACRO}\(\)", code, re.M))
    body = macro[macro.index(f"Sub {MACRO}()"):]
    body = body[:body.index("End Sub")]
    assert "ThisWorkbook.Name" in body
    assert 'RunPython "import " & mymodule & ";" & mymodule & ".main()"' in body


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
                    macro = re.search(r"<x:FmlaMacro>(.*?)</x:FmlaMacro>", shape).group(1)
                    out.setdefault(name.replace("&amp;", "&"), []).append(
                        (caption.replace("&amp;", "&").strip(), macro))
    return out


def test_buttons_are_labelled_in_vietnamese_and_bound_to_the_macro(xlsm: Path) -> None:
    buttons = _buttons(xlsm)
    assert buttons == {
        SUMMARY_SHEET: [(BUTTON_CAPTION, f"[0]!{MACRO}")],
        RESULTS_SHEET: [(BUTTON_CAPTION, f"[0]!{MACRO}")],
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


def test_conf_sheet_holds_the_interpreter_and_path_of_the_init_machine(windows_xlsm: Path) -> None:
    assert _conf(windows_xlsm) == {
        "INTERPRETER_WIN": WINDOWS.interpreter_win,
        "INTERPRETER_MAC": None,
        "PYTHONPATH": WINDOWS.pythonpath,
        "SHOW CONSOLE": False,
    }
    help_text = " ".join(str(c.value) for c in openpyxl.load_workbook(windows_xlsm)[CONF_SHEET]["A"] if c.value)
    assert f"pip install xlwings=={xlwings.__version__}" in help_text
    sheet_names = openpyxl.load_workbook(windows_xlsm, read_only=True).sheetnames
    assert CONF_SHEET in sheet_names and "_xlwings.conf" not in sheet_names


@pytest.mark.parametrize(("platform", "key"), [("win32", "interpreter_win"), ("darwin", "interpreter_mac"),
                                               ("linux", None)])
def test_conf_settings_follow_the_machine_running_init(monkeypatch: pytest.MonkeyPatch, platform: str,
                                                       key: str | None) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    conf = ConfSettings.of_this_machine()
    toolkit_parent = Path(sys.modules["toolkit"].__file__).resolve().parent.parent
    assert conf.pythonpath == str(toolkit_parent)
    for field in ("interpreter_win", "interpreter_mac"):
        assert getattr(conf, field) == (sys.executable if field == key else "")


def test_companion_module_is_one_hand_over_and_imports_as_the_macro_does(xlsm: Path, tmp_path: Path) -> None:
    module = xlsm.with_suffix(".py")
    code = [line for line in module.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith('"""')]
    assert code == ["from toolkit.button import main  # noqa: F401"]
    # What RunPython runs on Windows: prepare_sys_path with the workbook's full name, then the macro's command,
    # from a folder that is not the workbook's.
    command = (f"import xlwings.utils;xlwings.utils.prepare_sys_path({f'true;{xlsm};{xlsm};;;;'!r}); "
               f"import {xlsm.stem};import toolkit.button;"
               f"assert {xlsm.stem}.main is toolkit.button.main;print('ok')")
    done = subprocess.run([sys.executable, "-B", "-c", command], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


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


@pytest.mark.parametrize(("name", "problem", "suggestion"), [
    ("theo_doi_cchc_2023.xlsm", None, "theo_doi_cchc_2023.xlsm"),
    ("SoTheoDoi.xlsm", None, "sotheodoi.xlsm"),
    ("Theo dõi CCHC 2023.xlsm", "chữ có dấu", "theo_doi_cchc_2023.xlsm"),
    ("theo-doi-cchc-2023.xlsm", "dấu gạch ngang", "theo_doi_cchc_2023.xlsm"),
    ("so theo doi (1).xlsm", "dấu cách", "so_theo_doi_1.xlsm"),
    ("2023.xlsm", "bắt đầu bằng chữ số", "so_2023.xlsm"),
    ("class.xlsm", "từ khóa", "so_class.xlsm"),
    ("string.xlsm", "trùng tên", "so_string.xlsm"),
    ("toolkit.xlsm", "trùng tên", "so_toolkit.xlsm"),
    ("pytest.xlsm", "trùng tên", "so_pytest.xlsm"),  # any module this Python has would be imported instead
    ("Đăktover.xlsm", "chữ có dấu", "daktover.xlsm"),
])
def test_workbook_names_the_macro_can_import(name: str, problem: str | None, suggestion: str) -> None:
    found = module_name_problem(name)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found
    assert suggest_name(name) == suggestion
    assert module_name_problem(suggestion) is None


def test_init_refuses_a_name_the_macro_cannot_import_and_says_why(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(CchcError) as caught:
        create_workbook(tmp_path / "Theo dõi CCHC 2023.xlsm")
    message = str(caught.value)
    assert "«Theo dõi CCHC 2023.xlsm»" in message and "«theo_doi_cchc_2023.xlsm»" in message
    assert "chữ không dấu" in message
    assert not list(tmp_path.iterdir())
    assert cchc(["init", str(tmp_path / "theo-doi.xlsm")]) == 2
    assert "«theo_doi.xlsm»" in capsys.readouterr().err


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
