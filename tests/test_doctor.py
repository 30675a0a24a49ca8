"""``cchc doctor`` on this machine (Linux: the Windows-only checks say so), its Windows checks on this machine's
files and programs seen through Windows' rules, and its advice appended to a failed click's message box."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import xlwings as xw

from tests.mailserver import MailServer, ServerFn, make_servers, toml
from tests.test_button import payload, remote_engine  # noqa: F401  (the autouse fixture registering the engine)
from toolkit.cli import main as cchc
from toolkit.core.resources import example_workbook
from toolkit.create import create_workbook
from toolkit.excel.button import click
from toolkit.excel.doctor import (
    FAIL,
    NA,
    OK,
    WARN,
    Machine,
    check_name,
    check_python,
    check_task,
    check_temp,
    check_trust,
    check_vba,
    expand,
    installed_xlwings,
    is_trusted,
    zone_of,
)


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`cchc init` with a file name a download gives, in a folder of its own (with the sample cchc.toml)."""
    return create_workbook(tmp_path_factory.mktemp("doctor") / "theo_doi_cchc_2023 (1).xlsm")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerFn]:
    yield from make_servers(tmp_path)


def settings(folder: Path, srv: MailServer) -> Path:
    config = folder / "cchc.toml"
    config.write_text(toml({"workbook": "so.xlsm", "smtp": srv.smtp_settings()}), encoding="utf-8")
    return config


def test_doctor_runs_here_and_says_which_checks_cannot_apply(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cchc(["doctor", str(book)])
    out = capsys.readouterr().out
    assert "Traceback" not in out
    lines = out.strip().splitlines()
    assert len(lines) == 11 and lines[-1] == "Có 1 mục cần sửa."  # the sample cchc.toml's mail server
    assert "[ĐẠT] Phiên bản xlwings: macro của sổ là của xlwings" in out
    assert "[ĐẠT] Quyền ghi thư mục của sổ" in out
    assert "[ĐẠT] Tên tệp sổ: «theo_doi_cchc_2023 (1).xlsm» dùng được" in out
    for title in ("Python của nút bấm", "Thư mục tạm của xlwings", "Dấu «tải từ Internet» trên tệp",
                  "Chính sách macro của Excel", "Tác vụ nhắc việc hằng đêm"):
        assert f"[KHÔNG ÁP DỤNG] {title}: " in out
    assert "vẫn ghi máy chủ thư mẫu mail.example.gov.vn" in out
    assert code == 1


@pytest.mark.parametrize("security", ["none", "starttls", "ssl"])
def test_the_mail_server_is_reached_with_ehlo_only(book: Path, tmp_path: Path, server: ServerFn, security: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    srv = server(security=security, auth=True)
    assert cchc(["doctor", str(book), "--config", str(settings(tmp_path, srv))]) == 0
    out = capsys.readouterr().out
    assert f"[ĐẠT] Máy chủ thư (cchc.toml): 127.0.0.1:{srv.port} trả lời EHLO ({security})." in out
    assert out.strip().endswith("Không có mục nào cần sửa.")
    assert srv.received == []  # nothing was sent


def test_a_stopped_mail_server_is_a_check_to_fix(tmp_path: Path, server: ServerFn,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    srv = server(security="none")
    config = settings(tmp_path, srv)
    srv.stop()
    assert cchc(["doctor", "--config", str(config)]) == 1
    out = capsys.readouterr().out
    assert f"[CẦN SỬA] Máy chủ thư (cchc.toml): không kết nối được 127.0.0.1:{srv.port}" in out


# --- the Windows checks, on this machine's files and programs ----------------------------------------------------

def windows(env: dict[str, str], **kw: Any) -> Machine:
    def run(argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(list(argv), capture_output=True, text=True, timeout=120)

    return Machine("win32", env, kw.pop("registry", None), kw.pop("run", run))


def test_the_python_the_workbook_starts() -> None:
    per_pc = {"INTERPRETER_WIN": "%CCHC_PYTHON%"}
    found = check_python(per_pc, windows({"cchc_python": sys.executable}))
    assert found.status == OK and sys.executable in found.detail and "bộ công cụ 0." in found.detail
    unset = check_python(per_pc, windows({}))
    assert unset.status == FAIL and 'setx CCHC_PYTHON "' in unset.detail
    blank = check_python({"INTERPRETER_WIN": ""}, windows({}))
    assert blank.status == FAIL and "python trong PATH" in blank.detail
    missing = check_python({"INTERPRETER_WIN": r"C:\cchc\.venv\Scripts\python.exe"}, windows({}))
    assert missing.status == FAIL and "Could not find Interpreter!" in missing.detail
    without = check_python({"INTERPRETER_WIN": sys._base_executable}, windows({}))  # the venv's base Python
    assert without.status == FAIL and "chưa có bộ công cụ" in without.detail
    assert check_python(per_pc, Machine("linux", {})).status == NA


def test_the_temp_folder_must_exist_and_be_ascii(tmp_path: Path) -> None:
    vietnamese = tmp_path / "Nguyễn Văn A"
    vietnamese.mkdir()
    assert check_temp({"TEMP DIR": "%TEMP%"}, windows({"TEMP": str(vietnamese)})).status == FAIL
    assert check_temp({}, windows({"TEMP": str(vietnamese)})).status == FAIL  # no key: Environ("Temp")
    assert check_temp({"TEMP DIR": "%TEMP%"}, windows({"TEMP": str(tmp_path)})).status == OK
    assert check_temp({"TEMP DIR": "%PUBLIC%\\Documents"}, windows({})).status == FAIL
    assert expand("%Public%\\Documents", {"PUBLIC": "C:\\Users\\Public"}) == "C:\\Users\\Public\\Documents"


def test_the_workbooks_vba_must_be_the_installed_xlwings(book: Path, tmp_path: Path) -> None:
    assert check_vba(book, None, installed_xlwings()).status == OK
    older = check_vba(book, {"X": "Sổ này mang VBA của xlwings 0.30.1: ..."}, ("0.37.8", b"other"))
    assert older.status == FAIL and "xlwings 0.30.1" in older.detail and "0.37.8" in older.detail
    plain = create_workbook(tmp_path / "so.xlsx")
    assert check_vba(plain, None, installed_xlwings()).status == FAIL
    with zipfile.ZipFile(plain) as zf:
        assert "xl/vbaProject.bin" not in zf.namelist()


def test_trusted_locations_and_the_macro_policy(book: Path) -> None:
    folder = str(book.resolve().parent)
    assert is_trusted(folder, [(folder, False)]) and is_trusted(folder + "\\sub", [(folder, True)])
    assert not is_trusted(folder + "\\sub", [(folder, False)])
    registry = {
        (r"Software\Microsoft\Office\16.0\Excel\Security\Trusted Locations", "*"): ["Location0"],
        (r"Software\Microsoft\Office\16.0\Excel\Security\Trusted Locations\Location0", "Path"): "%APPDATA%\\x",
        (r"Software\Policies\Microsoft\Office\16.0\Excel\Security", "VBAWarnings"): 3,
    }
    signed_only = check_trust(book, windows({"APPDATA": "C:\\A"}, registry=lambda k, n: registry.get((k, n))))
    assert signed_only.status == FAIL and "chỉ chạy macro có chữ ký số" in signed_only.detail
    registry[(r"Software\Microsoft\Office\16.0\Excel\Security\Trusted Locations\Location0", "Path")] = folder
    assert check_trust(book, windows({}, registry=lambda k, n: registry.get((k, n)))).status == OK
    default = check_trust(book, windows({}, registry=lambda k, n: None))
    assert default.status == WARN and "Enable Content" in default.detail
    assert zone_of("[ZoneTransfer]\r\nZoneId=3\r\nHostUrl=https://mail.example/") == 3 and zone_of("") is None


def test_the_nightly_task_registration() -> None:
    def schtasks(ok: bool) -> Machine:
        def run(argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
            assert list(argv[:4]) == ["schtasks", "/Query", "/TN", "CCHC nhac viec"]
            out = "TaskName: \\CCHC nhac viec\r\nNext Run Time: 02/12/2026 22:00:00\r\nLast Result: 0\r\n"
            return subprocess.CompletedProcess(argv, 0 if ok else 1, out if ok else "", "" if ok else "ERROR")
        return windows({}, run=run)

    registered = check_task(schtasks(True))
    assert registered.status == OK and "02/12/2026 22:00:00" in registered.detail
    assert check_task(schtasks(False)).status == FAIL


# --- from the button -----------------------------------------------------------------------------------------------

def test_a_failed_click_shows_the_doctors_advice(tmp_path: Path) -> None:
    """The report cannot be written (a file stands where its folder should be) in a workbook without macros: the
    message box says both, the failure and what the doctor finds wrong with the workbook."""
    workbook = create_workbook(tmp_path / "so.xlsx")
    xlbook = xw.Book(json=payload(example_workbook(), name=str(workbook)))
    blocked = tmp_path / "bao-cao"
    blocked.write_text("", encoding="utf-8")
    outcome = click(xlbook, folder=blocked)
    assert not outcome.ok
    prompt = next(a["args"][0] for a in xlbook.json()["actions"] if a["func"] == "alert")
    assert prompt.startswith("Không ghi được tệp")
    assert "Kiểm tra máy (cchc doctor):" in prompt and "[CẦN SỬA] Phiên bản xlwings" in prompt


def test_a_name_with_an_equals_sign_is_the_one_xlwings_cannot_find(tmp_path: Path) -> None:
    assert check_name(tmp_path / "so=2023.xlsm").status == FAIL
    assert check_name(tmp_path / "Sổ CCHC-2023 (1) - Copy.xlsm").status == OK
