"""Any file name works: the button's macro call, simulated exactly as xlwings' VBA builds and runs it.

``RunPython`` (xlwings 0.37.8, module ``xlwings``) puts the settings into a ``prepare_sys_path`` argument, and
``ExecuteWindows`` hands one line to ``cmd.exe /C``: ``<drive> & cd "<python folder>" & "<python>" -B -c
"...prepare_sys_path(\\"<path>\\"); <command>" --wb="<name>" ... 2> "<log>"``. The test builds that line from the
VBA's own rules, reads it the way cmd.exe (carets, ``&``, redirection) and the C runtime (argv quoting) do, and
runs the resulting argv with this venv's Python, from a folder that is not the workbook's. The VBA lines the
simulation follows are pinned, so a new xlwings that builds the line differently fails here first.
"""

from __future__ import annotations

import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from toolkit.create import create_workbook
from toolkit.excel.xlsm import CLICK_COMMAND, MACRO, ConfSettings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from oletools.olevba import VBA_Parser

NAMES = ["theo_doi_cchc_2023 (1).xlsm", "theo_doi_cchc_2023 - Copy.xlsm", "Sổ CCHC-2023.xlsm",
         "Báo cáo & tiến độ; quý 1.xlsm", "2023.xlsm", "class.xlsm", "toolkit.xlsm"]
PYTHON_WIN = r"C:\cchc\.venv\Scripts\python.exe"
FOLDER_WIN = "C:\\Users\\Nguyễn Văn A\\Downloads"
EXCEL = r"C:\Program Files\Microsoft Office\root\Office16\EXCEL.EXE"


def execute_windows_line(command: str, name: str, conf: dict[str, str], log: str) -> str:
    """The line ``ExecuteWindows`` hands to ``WScript.Run`` for ``RunPython command`` in workbook ``name``."""
    python = conf["INTERPRETER_WIN"]
    fullname = f"{FOLDER_WIN}\\{name}"
    # RunPython: AddExcelDir;ActiveFullName;ThisFullName;<3 OneDrive/SharePoint keys, not set>;PYTHONPATH
    pythonpath = f"{conf['ADD_WORKBOOK_TO_PYTHONPATH']};{fullname};{fullname};;;;{conf['PYTHONPATH']}"
    # ExecuteWindows
    drive = f'{python[:2]} & cd "{python[:python.rindex(chr(92))]}" & '
    pythonpath = pythonpath.replace("&", "^&").replace("\\", "\\\\")
    run = f'"{python}" -B -c "import xlwings.utils;xlwings.utils.prepare_sys_path(\\"{pythonpath}\\"); {command}" '
    return (f'cmd.exe /C {drive}{run} --wb="{name}" --from_xl=1 --app="{EXCEL}" --hwnd="1312" 2> "{log}" ')


def cmd_last_command(line: str) -> tuple[str, str]:
    """cmd.exe's reading of ``line``: carets and ``&`` outside quotes; the last command and its stderr file."""
    assert line.startswith("cmd.exe /C ")
    text, out, quoted, i = line[len("cmd.exe /C "):], [""], False, 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "^":
            i += 1
            ch = text[i]
        elif not quoted and ch == "&":
            out.append("")
            i += 1
            continue
        out[-1] += ch
        i += 1
    command, _, redirect = out[-1].rpartition(" 2> ")
    return command, redirect.strip().strip('"')


def c_runtime_argv(command: str) -> list[str]:
    """The argv the Microsoft C runtime builds from a command line (backslash and quote rules)."""
    args, current, quoted, has_arg, i = [], "", False, False, 0
    while i < len(command):
        ch = command[i]
        if ch == "\\":
            n = len(command[i:]) - len(command[i:].lstrip("\\"))
            if i + n < len(command) and command[i + n] == '"':
                current += "\\" * (n // 2)
                if n % 2:
                    current += '"'
                    i += n + 1
                else:
                    i += n
                continue
            current += "\\" * n
            i += n
            has_arg = True
            continue
        if ch == '"':
            if quoted and command[i + 1:i + 2] == '"':
                current += '"'
                i += 2
                continue
            quoted, has_arg = not quoted, True
        elif ch in " \t" and not quoted:
            if has_arg:
                args.append(current)
            current, has_arg = "", False
        else:
            current, has_arg = current + ch, True
        i += 1
    if has_arg:
        args.append(current)
    return args


@pytest.fixture(scope="module")
def vba() -> str:
    import xlwings

    parser = VBA_Parser(str(Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"))
    try:
        return "\n".join(code for _, _, _, code in parser.extract_macros())
    finally:
        parser.close()


def test_the_simulation_follows_the_vba_lines(vba: str) -> None:
    pinned = [
        'PYTHONPATH = AddExcelDir & ";" & ActiveFullName & ";" & ThisFullName & ";" & '
        'GetConfig("ONEDRIVE_CONSUMER_WIN") & ";" & GetConfig("ONEDRIVE_COMMERCIAL_WIN") & ";" & '
        'GetConfig("SHAREPOINT_WIN") & ";" & GetConfig("PYTHONPATH")',
        'DriveCommand = Left$(PYTHON_WIN, 2) & " & cd """ & PythonDir & """ & "',
        'PYTHONPATH = Replace(PYTHONPATH, "&", "^&")',
        'PYTHONPATH = Replace(PYTHONPATH, "\\", "\\\\")',
        'RunCommand = CondaCmd & PythonInterpreter & " -B -c ""import xlwings.utils;'
        'xlwings.utils.prepare_sys_path(\\""" & PYTHONPATH & "\\""); " & PythonCommand & """ "',
        '" --wb=" & """" & ThisWorkbook.Name & """ --from_xl=1" & " --app=" & Chr(34) & _',
        'TempDir = GetConfig("TEMP DIR", Environ("Temp"))',
        'GetConfig = ExpandEnvironmentStrings(GetConfig)',
        'Public Function RunPython(PythonCommand As String)',
    ]
    flat = re.sub(r"[ \t]+", " ", vba)
    for line in pinned:
        assert re.sub(r"[ \t]+", " ", line) in flat, line
    # The quickstart's own macro builds the command from the file name: what the button no longer uses.
    assert 'RunPython "import " & mymodule & ";" & mymodule & ".main()"' in vba
    assert MACRO == f"'RunPython(\"{CLICK_COMMAND}\")'"


@pytest.mark.parametrize("name", NAMES)
def test_the_click_command_runs_the_toolkit_whatever_the_file_is_called(name: str, tmp_path: Path) -> None:
    conf = {key.upper(): str(value) for key, value in ConfSettings(interpreter_win=PYTHON_WIN,
                                                                    pythonpath=r"C:\cchc").rows()}
    line = execute_windows_line(CLICK_COMMAND, name, conf, r"C:\Users\Public\Documents\xlwings-1.log")
    command, log = cmd_last_command(line)
    argv = c_runtime_argv(command)
    assert argv[0] == PYTHON_WIN and argv[1:3] == ["-B", "-c"]
    assert [a.split("=")[1] for a in argv if a.startswith("--wb=")] == [name]  # what Book.caller() looks for
    # A decoy next to the workbook: nothing may be imported from the workbook's folder.
    (tmp_path / "toolkit").mkdir()
    (tmp_path / "toolkit" / "__init__.py").write_text("raise SystemExit('decoy imported')\n", encoding="utf-8")
    run = tmp_path / "python-folder"
    run.mkdir()
    code = argv[3].replace(FOLDER_WIN.replace("\\", "\\\\"), str(tmp_path))
    with open(tmp_path / "xlwings.log", "wb") as stderr:
        done = subprocess.run([sys.executable, *argv[1:3], code, *argv[4:]], cwd=run, stderr=stderr, timeout=120)
    text = (tmp_path / "xlwings.log").read_text(encoding="utf-8")
    assert log.endswith(".log")
    # toolkit.button.main ran (no SyntaxError, no decoy): off Windows it cannot reach Excel and says so.
    assert "SyntaxError" not in text and "decoy" not in text and "Traceback" not in text
    assert text.startswith("Không kết nối được với sổ Excel đang mở"), text
    assert done.returncode == 1


def test_the_old_macro_command_fails_on_such_names() -> None:
    """Why the button no longer uses SampleCall: its command does not even compile for a downloaded copy."""
    stem = "theo_doi_cchc_2023 (1)"
    with pytest.raises(SyntaxError):
        compile(f"import {stem};{stem}.main()", "<string>", "exec")


@pytest.mark.parametrize("name", NAMES[:3])
def test_init_accepts_any_name_and_writes_only_the_workbook(name: str, tmp_path: Path) -> None:
    path = create_workbook(tmp_path / name)
    assert path.is_file()
    assert not list(tmp_path.glob("*.py")), "no Python file travels with the workbook"


def test_a_pythonpath_ending_in_a_backslash_would_break_the_command() -> None:
    """The doubling of backslashes makes a trailing one escape the closing quote: the settings never end so."""
    conf = {key.upper(): str(value) for key, value in ConfSettings(interpreter_win=PYTHON_WIN,
                                                                    pythonpath="C:\\cchc\\").rows()}
    command, _ = cmd_last_command(execute_windows_line(CLICK_COMMAND, "a.xlsm", conf, "x.log"))
    with pytest.raises(SyntaxError):
        compile(c_runtime_argv(command)[3], "<string>", "exec")
    assert not ConfSettings.of_this_machine().pythonpath.endswith(("\\", "/"))
