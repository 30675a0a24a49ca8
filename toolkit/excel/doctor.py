"""``cchc doctor``: on the PC it runs on, what stops the button or the nightly emails, and what to do.

Each check returns a ``Check``: ``ok`` (nothing to do), ``warn`` (works, with advice), ``fail`` (the button or
the emails will not work until the advice is followed) or ``na`` (cannot apply on this PC, e.g. Windows
registry checks on Linux; the text says so). Nothing here writes the workbook or changes the PC.

The workbook's settings are read the way xlwings' VBA reads them (``GetConfigFromSheet``: keys in column A from
A1 down, values in column B, ``%VAR%`` expanded by ``WScript.Shell``), so the doctor names the Python the button
will really start (see ``excel/xlsm.py`` for the VBA this follows).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OK, WARN, FAIL, NA = "ok", "warn", "fail", "na"
LABELS = {OK: "ĐẠT", WARN: "LƯU Ý", FAIL: "CẦN SỬA", NA: "KHÔNG ÁP DỤNG"}
TASK_NAME = "CCHC nhac viec"  # the nightly task the README registers with schtasks
OFFICE_KEY = r"Software\Microsoft\Office\16.0\Excel\Security"
POLICY_KEY = r"Software\Policies\Microsoft\Office\16.0\Excel\Security"
# Excel's macro setting (VBAWarnings): what a macro in an untrusted folder meets.
MACRO_POLICIES = {1: "bật mọi macro", 2: "tắt macro, có hỏi (Enable Content)", 3: "chỉ chạy macro có chữ ký số",
                  4: "tắt mọi macro, không hỏi"}


@dataclass(frozen=True, slots=True)
class Check:
    """One check's outcome: its title, status (``ok``/``warn``/``fail``/``na``) and what was found / to do."""

    title: str
    status: str
    detail: str

    def line(self) -> str:
        return f"[{LABELS[self.status]}] {self.title}: {self.detail}"


@dataclass(frozen=True, slots=True)
class Machine:
    """The PC as the checks see it: platform, environment, and the Windows-only readers (None elsewhere)."""

    platform: str
    env: Mapping[str, str]
    registry: Callable[[str, str], Any] | None = None  # (key, value name) -> value or None (HKCU)
    run: Callable[[Sequence[str]], subprocess.CompletedProcess[str]] | None = None

    @classmethod
    def this(cls) -> Machine:
        windows = sys.platform == "win32"
        return cls(sys.platform, dict(os.environ), _hkcu if windows else None, _run)

    @property
    def windows(self) -> bool:
        return self.platform == "win32"


def _run(argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(argv), capture_output=True, text=True, encoding="utf-8", errors="replace",
                          timeout=60)


def _hkcu(key: str, name: str) -> Any:  # pragma: no cover - Windows only
    import winreg

    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as k:
            if name == "*":  # the subkeys' names
                return [winreg.EnumKey(k, i) for i in range(winreg.QueryInfoKey(k)[0])]
            return winreg.QueryValueEx(k, name)[0]
    except OSError:
        return None


# The workbook's xlwings settings --------------------------------------------------------------------------------


def read_conf(workbook: Path) -> dict[str, Any] | None:
    """The ``xlwings.conf`` sheet as ``GetConfigFromSheet`` reads it (upper-cased keys); None without the sheet."""
    import warnings

    import openpyxl

    from toolkit.excel.xlsm import CONF_SHEET

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(workbook, read_only=True, data_only=True)
    try:
        if CONF_SHEET not in wb.sheetnames:
            return None
        rows = list(wb[CONF_SHEET].iter_rows(min_col=1, max_col=2, values_only=True))
    finally:
        wb.close()
    conf: dict[str, Any] = {}
    for key, value in rows:
        if key in (None, ""):
            break
        conf[str(key).upper()] = "" if value is None else value
    return conf


def expand(value: str, env: Mapping[str, str]) -> str:
    """``%NAME%`` expanded as ``ExpandEnvironmentStrings`` does: names ignore case, unknown ones stay as written."""
    lowered = {k.upper(): v for k, v in env.items()}
    return re.sub(r"%([^%]+)%", lambda m: lowered.get(m.group(1).upper(), m.group(0)), value)


def ansi_safe(text: str, machine: Machine) -> bool:
    """True when VBA's ANSI file functions can name ``text`` (Windows' code page; ASCII elsewhere)."""
    if machine.windows and sys.platform == "win32":  # pragma: no cover - Windows only
        try:
            return text.encode("mbcs", "strict").decode("mbcs") == text
        except UnicodeError:
            return False
    return text.isascii()


# Checks ---------------------------------------------------------------------------------------------------------


def check_python(conf: Mapping[str, Any], machine: Machine) -> Check:
    """The Python the workbook's ``Interpreter_Win`` starts: set, found, ANSI path, has the toolkit."""
    from toolkit.excel.xlsm import PYTHON_VARIABLE

    title = "Python của nút bấm"
    written = str(conf.get("INTERPRETER_WIN") or "")
    if not machine.windows:
        return Check(title, NA, f"máy này không phải Windows (Excel trên Windows mới chạy nút); sổ ghi "
                                f"Interpreter_Win = «{written}». Hãy chạy cchc doctor trên máy Windows bấm nút.")
    here = f'setx {PYTHON_VARIABLE} "<đường dẫn python.exe có bộ công cụ>" rồi đóng hẳn Excel và mở lại'
    if not written:
        return Check(title, FAIL, "sổ để trống Interpreter_Win: Excel sẽ chạy python trong PATH, không phải Python "
                                  f"có bộ công cụ. Hãy tạo lại sổ bằng cchc init, hoặc chạy {here}.")
    exe = expand(written, machine.env)
    if "%" in exe:
        return Check(title, FAIL, f"sổ ghi Interpreter_Win = «{written}» nhưng máy này chưa khai báo biến đó. "
                                  f"Hãy chạy {here}.")
    if not Path(exe).is_file():
        return Check(title, FAIL, f"không có tệp {exe} (Interpreter_Win = «{written}»): Excel sẽ báo «Could not "
                                  f"find Interpreter!». Hãy cài bộ công cụ vào đúng thư mục đó, hoặc chạy {here}.")
    if not ansi_safe(exe, machine):
        return Check(title, FAIL, f"đường dẫn {exe} có chữ có dấu: macro của xlwings không tìm được tệp này. Hãy "
                                  "cài bộ công cụ vào thư mục không dấu (ví dụ C:\\cchc) rồi chạy " + here + ".")
    probe = "import toolkit, xlwings; print(toolkit.__version__, xlwings.__version__)"
    try:
        done = (machine.run or _run)([exe, "-c", probe])
    except (OSError, subprocess.SubprocessError) as exc:
        return Check(title, FAIL, f"không chạy được {exe}: {exc}.")
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return Check(title, FAIL, f"{exe} chạy được nhưng chưa có bộ công cụ ({last}). Hãy cài: «{exe}» -m pip "
                                  "install -e <thư mục bộ công cụ>.")
    toolkit_version, xlwings_version = [*done.stdout.split(), "?", "?"][:2]
    return Check(title, OK, f"{exe} (bộ công cụ {toolkit_version}, xlwings {xlwings_version}).")


def installed_xlwings() -> tuple[str, bytes | None]:
    """The installed xlwings' version and its standalone VBA project (None when it cannot be read)."""
    import xlwings

    from toolkit.excel.xlsm import QUICKSTART, VBA_PART

    try:
        with zipfile.ZipFile(Path(xlwings.__file__).resolve().parent / QUICKSTART) as zf:
            return xlwings.__version__, zf.read(VBA_PART)
    except (OSError, KeyError, zipfile.BadZipFile):
        return xlwings.__version__, None


def check_vba(workbook: Path, conf: Mapping[str, Any] | None, installed: tuple[str, bytes | None]) -> Check:
    """The workbook's VBA is the installed xlwings' own (``init`` copies it byte for byte)."""
    from toolkit.excel.xlsm import VBA_PART

    title = "Phiên bản xlwings"
    version, theirs = installed
    try:
        with zipfile.ZipFile(workbook) as zf:
            ours = zf.read(VBA_PART)
    except KeyError:
        return Check(title, FAIL, f"sổ {workbook.name} không có macro (tệp .xlsx hoặc đã lưu lại dạng .xlsx). Hãy "
                                  "tạo sổ .xlsm bằng cchc init.")
    except (OSError, zipfile.BadZipFile) as exc:
        return Check(title, FAIL, f"không đọc được {workbook}: {exc}.")
    if theirs is not None and ours == theirs:
        return Check(title, OK, f"macro của sổ là của xlwings {version}, đúng bản đã cài.")
    notes = " ".join(str(v) for v in (conf or {}).values())
    stated = re.search(r"xlwings (\d+\.\d+\.\d+)", notes)
    made_with = f"xlwings {stated.group(1)}" if stated else "một bản xlwings khác"
    return Check(title, FAIL, f"macro của sổ là của {made_with}, máy này cài xlwings {version}. Hãy cài đúng bản "
                              f"của sổ (pip install xlwings==<bản của sổ>) hoặc tạo lại sổ bằng cchc init.")


def check_temp(conf: Mapping[str, Any] | None, machine: Machine) -> Check:
    """The folder xlwings writes its error log to (``TEMP DIR``, default ``Environ("Temp")``): exists, ASCII."""
    title = "Thư mục tạm của xlwings"
    if not machine.windows:
        return Check(title, NA, "chỉ dùng trên Windows (nơi macro ghi nhật ký lỗi).")
    written = str((conf or {}).get("TEMP DIR") or "")
    folder = expand(written, machine.env) if written else machine.env.get("TEMP", "")
    if not folder or "%" in folder or not Path(folder).is_dir():
        return Check(title, FAIL, f"không có thư mục «{folder or written}» (TEMP DIR). Hãy tạo lại sổ bằng cchc "
                                  "init hoặc sửa ô TEMP DIR trong sheet xlwings.conf thành %PUBLIC%\\Documents.")
    if not ansi_safe(folder, machine):
        return Check(title, FAIL, f"«{folder}» có chữ có dấu: macro không đọc được nhật ký lỗi. Hãy sửa ô TEMP DIR "
                                  "trong sheet xlwings.conf (đang ẩn: chuột phải tên sheet > Unhide) thành "
                                  "%PUBLIC%\\Documents.")
    return Check(title, OK, folder)


def check_folder(workbook: Path) -> Check:
    """The workbook's folder takes new files (the report goes next to the workbook)."""
    title = "Quyền ghi thư mục của sổ"
    folder = workbook.resolve().parent
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".cchc-doctor-", delete=True):
            pass
    except OSError as exc:
        return Check(title, FAIL, f"không ghi được vào {folder} ({exc.strerror or exc}): báo cáo không lưu được. "
                                  "Hãy chép sổ vào thư mục có quyền ghi, hoặc nhờ quản trị cấp quyền.")
    return Check(title, OK, f"ghi được vào {folder}.")


def check_name(workbook: Path) -> Check:
    """The file name reaches Python intact: xlwings' ``Book.caller`` cuts ``--wb=<name>`` at the first ``=``."""
    title = "Tên tệp sổ"
    if "=" in workbook.name:
        return Check(title, FAIL, f"tên «{workbook.name}» có dấu «=»: xlwings không tìm lại được sổ khi bấm nút. "
                                  "Hãy đổi tên tệp, bỏ dấu «=».")
    return Check(title, OK, f"«{workbook.name}» dùng được (tên có dấu cách, dấu ngoặc, chữ có dấu đều được).")


def check_cloud(workbook: Path, machine: Machine) -> Check:
    """Whether the workbook is in a OneDrive/SharePoint folder, and which local folder it maps to."""
    title = "Thư mục OneDrive/SharePoint"
    path = str(workbook.resolve())
    for name in ("OneDriveCommercial", "OneDriveConsumer", "OneDrive"):
        root = machine.env.get(name) or ""
        if root and path.lower().startswith(root.rstrip("\\/").lower()):
            return Check(title, WARN, f"sổ nằm trong thư mục đồng bộ {root} (biến {name}). Nút chạy được khi tệp đã "
                                      "đồng bộ về máy: chuột phải thư mục > Always keep on this device; đừng mở sổ "
                                      "bằng Excel trên web.")
    if re.search(r"[\\/](OneDrive|SharePoint)\b", path, re.I):
        return Check(title, WARN, f"đường dẫn {path} có vẻ là thư mục OneDrive/SharePoint đồng bộ: giữ tệp trên máy "
                                  "(Always keep on this device).")
    return Check(title, OK, "sổ ở thư mục thường trên máy (không phải OneDrive/SharePoint).")


def zone_of(stream: str) -> int | None:
    """The ``ZoneId`` of a ``Zone.Identifier`` stream's text (3 = Internet, 4 = untrusted); None without one."""
    m = re.search(r"^ZoneId=(\d+)", stream, re.M)
    return int(m.group(1)) if m else None


def check_mark_of_web(workbook: Path, machine: Machine) -> Check:
    """Mark of the Web: Office blocks macros of a file downloaded or received by email."""
    title = "Dấu «tải từ Internet» trên tệp"
    if not machine.windows:
        return Check(title, NA, "chỉ có trên ổ đĩa Windows (NTFS).")
    try:
        text = Path(f"{workbook}:Zone.Identifier").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return Check(title, OK, "tệp không mang dấu tải từ Internet.")
    zone = zone_of(text)
    if zone is not None and zone >= 3:
        return Check(title, FAIL, "tệp mang dấu tải từ Internet/email: Excel sẽ chặn macro («Microsoft has blocked "
                                  "macros...»). Chuột phải tệp > Properties > chọn Unblock > OK (hoặc PowerShell: "
                                  f"Unblock-File \"{workbook}\"), rồi mở lại sổ.")
    return Check(title, OK, f"vùng {zone}: không bị chặn.")


def trusted_locations(machine: Machine) -> list[tuple[str, bool]]:
    """Excel's trusted locations (path, subfolders allowed) for this user, from the policy and user keys."""
    if machine.registry is None:
        return []
    found = []
    for base in (POLICY_KEY, OFFICE_KEY):
        key = base + r"\Trusted Locations"
        for sub in machine.registry(key, "*") or []:
            path = machine.registry(f"{key}\\{sub}", "Path")
            if path:
                found.append((expand(str(path), machine.env), bool(machine.registry(f"{key}\\{sub}",
                                                                                    "AllowSubfolders"))))
    return found


def is_trusted(folder: str, locations: Sequence[tuple[str, bool]]) -> bool:
    """True when ``folder`` is one of ``locations`` or below one that allows subfolders."""
    here = folder.rstrip("\\/").lower()
    for path, subfolders in locations:
        root = path.rstrip("\\/").lower()
        if here == root or (subfolders and here.startswith(root + "\\")):
            return True
    return False


def check_trust(workbook: Path, machine: Machine) -> Check:
    """Will Excel run this folder's macros: trusted location, or the macro policy's answer."""
    title = "Chính sách macro của Excel"
    if machine.registry is None:
        return Check(title, NA, "chỉ đọc được trong registry của Windows.")
    folder = str(workbook.resolve().parent)
    if is_trusted(folder, trusted_locations(machine)):
        return Check(title, OK, f"{folder} là Trusted Location: macro chạy không hỏi.")
    policy = machine.registry(POLICY_KEY, "VBAWarnings") or machine.registry(OFFICE_KEY, "VBAWarnings") or 2
    meaning = MACRO_POLICIES.get(int(policy), f"mức {policy}")
    if int(policy) in (3, 4):
        return Check(title, FAIL, f"Excel đặt «{meaning}» và {folder} không phải Trusted Location: nút không chạy. "
                                  "Nhờ quản trị thêm thư mục này vào Trusted Locations (xem README, mục cho người "
                                  "quản trị).")
    return Check(title, WARN if int(policy) == 2 else OK,
                 f"Excel đặt «{meaning}»: lần đầu mở sổ hãy bấm Enable Content; hoặc thêm {folder} vào Trusted "
                 "Locations (File > Options > Trust Center).")


def check_task(machine: Machine) -> Check:
    """The nightly task's registration in Task Scheduler (``schtasks /Query``)."""
    title = "Tác vụ nhắc việc hằng đêm"
    if not machine.windows:
        return Check(title, NA, "Task Scheduler chỉ có trên Windows; trên Linux xem crontab -l.")
    try:
        done = (machine.run or _run)(["schtasks", "/Query", "/TN", TASK_NAME, "/FO", "LIST", "/V"])
    except (OSError, subprocess.SubprocessError) as exc:
        return Check(title, FAIL, f"không hỏi được Task Scheduler: {exc}.")
    if done.returncode != 0:
        return Check(title, FAIL, f"chưa đăng ký tác vụ «{TASK_NAME}». Hãy tạo bằng lệnh schtasks /Create trong "
                                  "README (mục Nhắc việc hằng đêm).")
    fields = dict(re.findall(r"^([^:\r\n]+):\s*(.*?)\s*$", done.stdout, re.M))
    when = fields.get("Next Run Time", "?")
    return Check(title, OK, f"đã đăng ký «{TASK_NAME}», lần chạy tới: {when}, kết quả lần trước: "
                            f"{fields.get('Last Result', '?')}.")


def check_smtp(config: Path | None) -> Check:
    """The mail server of ``cchc.toml``: connect and EHLO only (no login, nothing sent)."""
    import smtplib

    from toolkit.core.errors import CchcError
    from toolkit.core.settings import load_settings
    from toolkit.mail.outbox import ssl_context

    title = "Máy chủ thư (cchc.toml)"
    if config is None or not config.is_file():
        return Check(title, NA, "không có cchc.toml (chỉ cần cho email nhắc việc); chỉ tệp bằng --config.")
    try:
        smtp = load_settings(config).smtp
    except CchcError as exc:
        return Check(title, FAIL, str(exc))
    if not smtp.host:
        return Check(title, FAIL, f"{config}: chưa khai báo smtp.host.")
    server = f"{smtp.host}:{smtp.port}"
    if re.search(r"(^|\.)example(\.|$)", smtp.host, re.I):
        return Check(title, FAIL, f"{config} vẫn ghi máy chủ thư mẫu {smtp.host}: hãy điền máy chủ thư của cơ quan "
                                  "(smtp.host, smtp.port, smtp.user).")
    try:
        if smtp.security == "ssl":
            conn: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout,
                                                  context=ssl_context(smtp))
        else:
            conn = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        try:
            code, _ = conn.ehlo()
            starttls = conn.has_extn("starttls")
        finally:
            conn.close()
    except (OSError, smtplib.SMTPException, CchcError) as exc:
        return Check(title, FAIL, f"không kết nối được {server} ({exc}). Kiểm tra smtp.host, smtp.port, "
                                  "smtp.security và tường lửa.")
    if code != 250:
        return Check(title, FAIL, f"{server} trả lời EHLO bằng mã {code}.")
    if smtp.security == "starttls" and not starttls:
        return Check(title, FAIL, f"{server} không hỗ trợ STARTTLS; đặt smtp.security = \"ssl\" (cổng 465).")
    return Check(title, OK, f"{server} trả lời EHLO ({smtp.security}).")


# Running them ---------------------------------------------------------------------------------------------------


def run_checks(workbook: Path | None, *, config: Path | None = None, machine: Machine | None = None) -> list[Check]:
    """Every check for ``workbook`` (None: the PC-wide ones only) and the settings file ``config``.

    ``config`` None means ``cchc.toml`` next to the workbook, else in the current folder.
    """
    machine = machine or Machine.this()
    checks: list[Check] = []
    if workbook is not None:
        if not workbook.is_file():
            return [Check("Sổ theo dõi", FAIL, f"không có tệp {workbook}.")]
        conf = _conf_or_none(workbook)
        checks.append(check_python(conf or {}, machine))
        checks.append(check_vba(workbook, conf, installed_xlwings()))
        checks += [check_name(workbook), check_temp(conf, machine), check_folder(workbook),
                   check_cloud(workbook, machine),
                   check_mark_of_web(workbook, machine), check_trust(workbook, machine)]
    checks.append(check_task(machine))
    if config is None:
        near = (workbook.parent if workbook is not None else Path.cwd()) / "cchc.toml"
        config = near if near.is_file() else None
    checks.append(check_smtp(config))
    return checks


def _conf_or_none(workbook: Path) -> dict[str, Any] | None:
    try:
        return read_conf(workbook)
    except Exception:  # not a workbook openpyxl reads; check_vba says why
        return None


def advice_for_click(workbook: Path, *, machine: Machine | None = None) -> str:
    """What the doctor says about a failed click: the checks of the workbook's folder that do not pass.

    Runs from the button (so the Python and the macro itself are known to work). Empty when all pass.
    """
    machine = machine or Machine.this()
    conf = _conf_or_none(workbook)
    checks = [check_vba(workbook, conf, installed_xlwings()), check_name(workbook), check_temp(conf, machine),
              check_folder(workbook), check_cloud(workbook, machine)]
    bad = [c.line() for c in checks if c.status == FAIL]
    return "\n".join(["Kiểm tra máy (cchc doctor):", *bad]) if bad else ""
