"""Machine settings for the nightly emails: a small TOML file next to the workbook, merged over defaults.

The defaults live in ``DEFAULTS`` (one place); a user's file is merged over them and checked key by key, so a
bad value is a ``SettingsError`` whose message names the key (``smtp.port``) and says the fix. Paths in the
file are relative to the file's own folder. The SMTP password is never in the file: ``smtp.password_env``
names the environment variable that holds it.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from toolkit.core.errors import CchcError
from toolkit.core.valuerules import has_control, plain_address

SETTINGS_NAME = "cchc.toml"
SECURITY_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}

# Every key with its default. ``None`` means "not set"; smtp.port None means "the usual port of the security".
DEFAULTS: dict[str, Any] = {
    "workbook": None,
    "smtp": {
        "host": None,
        "port": None,
        "security": "starttls",
        "user": None,
        "password_env": "CCHC_SMTP_PASSWORD",
        "sender": None,
        "cafile": None,
        "timeout": 30,
    },
    "notify": {
        "office": None,
        "due_soon_days": 14,
    },
    "schedule": {
        "at": "22:00",
        "timezone": "Asia/Ho_Chi_Minh",
    },
    "paths": {
        "outbox": "outbox",
        "state": "state",
        "log": "nightly.log",
        "backups": "sao-luu",
    },
    "backups": {
        "keep_days": 31,
        "monthly": True,
    },
}

# What the sample file shows where the default is "not set", and the comment on each line (Vietnamese: the
# file is for officials).
_SAMPLE_VALUES: dict[str, Any] = {
    "smtp.host": "mail.example.gov.vn",
    "smtp.port": 587,
    "smtp.user": "vanphong@example.gov.vn",
    "smtp.sender": "Văn phòng UBND xã <vanphong@example.gov.vn>",
    "smtp.cafile": "ca.pem",
    "notify.office": "vanphong@example.gov.vn",
}
_COMMENTS: dict[str, str] = {
    "workbook": "sổ theo dõi dùng chung (đường dẫn tính từ thư mục chứa tệp này)",
    "smtp.host": "máy chủ gửi thư (SMTP) của cơ quan",
    "smtp.port": "587 cho starttls, 465 cho ssl, 25 cho none",
    "smtp.security": "starttls | ssl | none",
    "smtp.user": "tài khoản đăng nhập; xóa dòng này nếu máy chủ không yêu cầu đăng nhập",
    "smtp.password_env": "TÊN biến môi trường chứa mật khẩu (không ghi mật khẩu vào tệp này)",
    "smtp.sender": "người gửi hiển thị trên thư",
    "smtp.cafile": "chứng chỉ gốc riêng của máy chủ thư (tệp .pem), nếu cơ quan dùng chứng chỉ nội bộ",
    "smtp.timeout": "số giây chờ máy chủ thư trả lời",
    "notify.office": "nhận bản tổng hợp; để trống thì dùng «Email Văn phòng» trong sheet Thông tin chung",
    "notify.due_soon_days": "nhắc «sắp đến hạn» trước bao nhiêu ngày",
    "schedule.at": "giờ chạy hằng đêm (giờ:phút)",
    "schedule.timezone": "múi giờ",
    "paths.outbox": "thư mục thư chờ gửi (thư chưa gửi được nằm đây đến lần chạy sau)",
    "paths.state": "thư mục ghi nhớ đã gửi cho ai, ngày nào",
    "paths.log": "nhật ký chạy hằng đêm",
    "paths.backups": "thư mục bản sao sổ theo dõi, mỗi ngày một bản (xem README, mục Sao lưu)",
    "backups.keep_days": "giữ mọi bản sao trong bao nhiêu ngày gần nhất",
    "backups.monthly": "true: giữ mãi bản sao đầu tiên của mỗi tháng; false: giữ bản sao cuối cùng của tháng",
}
_COMMENTED_OUT = {"smtp.cafile", "smtp.timeout"}  # shown in the sample as comments only

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class SettingsError(CchcError):
    """A settings file that cannot be used; the message names the file and the key, and says the fix."""


valid_address = plain_address  # the one address rule (toolkit.rules); a setting takes the bare form only


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """How to reach the mail server. ``user`` None means no AUTH; ``cafile`` None trusts the system's CAs."""

    host: str | None
    port: int
    security: str
    user: str | None
    password_env: str
    sender: str | None
    cafile: Path | None
    timeout: float

    def password(self, environ: Mapping[str, str] | None = None) -> str | None:
        """The password from the environment variable ``password_env``; None when no ``user`` is set.

        Raises ``SettingsError`` when a user is set but the variable is empty or missing.
        """
        if not self.user:
            return None
        env = os.environ if environ is None else environ
        value = env.get(self.password_env)
        if not value:
            raise SettingsError(
                f"Chưa có mật khẩu hộp thư: hãy đặt biến môi trường {self.password_env} (cài đặt "
                f"smtp.password_env) trên máy chạy nhắc việc, hoặc xóa smtp.user nếu máy chủ không cần đăng nhập."
            )
        return value

    @property
    def sender_address(self) -> str | None:
        """The bare address of ``sender`` (``vanphong@example.gov.vn``), or None when no sender is set."""
        return parseaddr(self.sender)[1] if self.sender else None


@dataclass(frozen=True, slots=True)
class NotifySettings:
    """Who gets the digest (empty: the workbook's ``Email Văn phòng``) and how far ahead is "due soon"."""

    office: tuple[str, ...]
    due_soon_days: int


@dataclass(frozen=True, slots=True)
class ScheduleSettings:
    """When the nightly run happens, in the configured time zone."""

    at: time
    timezone: str

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class PathSettings:
    """Absolute folders and files the nightly job writes (never the workbook)."""

    outbox: Path
    state: Path
    log: Path
    backups: Path


@dataclass(frozen=True, slots=True)
class BackupSettings:
    """How long copies of the workbook are kept: every copy of the last ``keep_days`` days, and the first copy
    of each month when ``monthly`` (a month's only copy is never deleted either way)."""

    keep_days: int
    monthly: bool


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the notify and nightly commands need from the settings file.

    ``source`` is the file read (None for defaults made in code); ``workbook`` is None when not set.
    """

    source: Path | None
    folder: Path
    workbook: Path | None
    smtp: SmtpSettings
    notify: NotifySettings
    schedule: ScheduleSettings
    paths: PathSettings
    backups: BackupSettings = BackupSettings(31, True)

    def require_workbook(self) -> Path:
        """The workbook path; raises ``SettingsError`` when the file does not name one."""
        if self.workbook is None:
            raise SettingsError(f"{_where(self.source)}: chưa khai báo «workbook» (đường dẫn sổ theo dõi).")
        return self.workbook

    def require_sender(self) -> str:
        """The sender header; raises ``SettingsError`` when it is not set (needed to send or preview mail)."""
        if not self.smtp.sender:
            raise SettingsError(f"{_where(self.source)}: chưa khai báo «smtp.sender» (người gửi thư).")
        return self.smtp.sender


def _where(source: Path | None) -> str:
    return f"Tệp cài đặt {source}" if source else "Cài đặt"


def load_settings(path: str | Path) -> Settings:
    """Read the TOML settings file at ``path``, merged over ``DEFAULTS`` and checked.

    Raises ``SettingsError`` for a missing file, a TOML syntax error (with its line) or a bad value (naming
    the key).
    """
    path = Path(path)
    if not path.is_file():
        raise SettingsError(
            f"Không tìm thấy tệp cài đặt {path}. Tạo tệp mẫu bằng «cchc init» hoặc chỉ rõ bằng --config TỆP."
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise SettingsError(f"Tệp cài đặt {path} không phải văn bản UTF-8; hãy lưu lại với mã UTF-8.") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"Tệp cài đặt {path} sai cú pháp TOML: {exc}.") from None
    return settings_from_dict(data, folder=path.resolve().parent, source=path)


def find_settings(config: str | Path | None, cwd: str | Path = ".") -> Path:
    """The settings file to use: ``config`` when given, else ``cchc.toml`` in ``cwd``."""
    return Path(config) if config is not None else Path(cwd) / SETTINGS_NAME


def default_settings(folder: str | Path, **overrides: Any) -> Settings:
    """Settings made in code from ``DEFAULTS`` (for the demo and tests); ``overrides`` as nested dicts."""
    return settings_from_dict(overrides, folder=Path(folder).resolve(), source=None)


def settings_from_dict(data: Mapping[str, Any], *, folder: Path, source: Path | None = None) -> Settings:
    """Merge ``data`` over ``DEFAULTS`` and check every value; raises ``SettingsError`` naming the key."""
    merged = _merge(DEFAULTS, data, source, prefix="")
    check = _Checker(source, folder)
    smtp, notify, sched, paths = merged["smtp"], merged["notify"], merged["schedule"], merged["paths"]
    security = check.choice("smtp.security", smtp["security"], SECURITY_MODES)
    port = smtp["port"]
    port = DEFAULT_PORTS[security] if port is None else check.integer("smtp.port", port, 1, 65535)
    password_env = check.text("smtp.password_env", smtp["password_env"])
    if not _ENV_NAME.match(password_env):
        check.fail("smtp.password_env", f"«{password_env}» không phải tên biến môi trường (chỉ gồm chữ không dấu, "
                                        "số và dấu gạch dưới, ví dụ CCHC_SMTP_PASSWORD); mật khẩu không ghi ở đây")
    return Settings(
        source=source,
        folder=folder,
        workbook=check.path("workbook", merged["workbook"]),
        smtp=SmtpSettings(
            host=check.optional_text("smtp.host", smtp["host"]),
            port=port,
            security=security,
            user=check.optional_text("smtp.user", smtp["user"]),
            password_env=password_env,
            sender=check.sender("smtp.sender", smtp["sender"]),
            cafile=check.path("smtp.cafile", smtp["cafile"]),
            timeout=float(check.integer("smtp.timeout", smtp["timeout"], 1, 600)),
        ),
        notify=NotifySettings(
            office=check.addresses("notify.office", notify["office"]),
            due_soon_days=check.integer("notify.due_soon_days", notify["due_soon_days"], 0, 366),
        ),
        schedule=ScheduleSettings(
            at=check.clock("schedule.at", sched["at"]),
            timezone=check.timezone("schedule.timezone", sched["timezone"]),
        ),
        paths=PathSettings(
            outbox=check.required_path("paths.outbox", paths["outbox"]),
            state=check.required_path("paths.state", paths["state"]),
            log=check.required_path("paths.log", paths["log"]),
            backups=check.required_path("paths.backups", paths["backups"]),
        ),
        backups=BackupSettings(
            keep_days=check.integer("backups.keep_days", merged["backups"]["keep_days"], 1, 3660),
            monthly=check.boolean("backups.monthly", merged["backups"]["monthly"]),
        ),
    )


def _merge(defaults: Mapping[str, Any], data: Mapping[str, Any], source: Path | None, prefix: str) -> dict[str, Any]:
    merged = dict(defaults)
    for key, value in data.items():
        name = prefix + key
        if key not in defaults:
            known = ", ".join(prefix + k for k in defaults)
            raise SettingsError(f"{_where(source)}: không có cài đặt «{name}». Các cài đặt hợp lệ ở đây: {known}.")
        if isinstance(defaults[key], dict):
            if not isinstance(value, dict):
                raise SettingsError(f"{_where(source)}: «{name}» phải là một mục [{name}] chứa các cài đặt con.")
            merged[key] = _merge(defaults[key], value, source, prefix=name + ".")
        else:
            if isinstance(value, dict):
                raise SettingsError(f"{_where(source)}: «{name}» phải là một giá trị, không phải mục [{name}].")
            merged[key] = value
    return merged


class _Checker:
    """Turns raw TOML values into typed settings; every failure names its key."""

    def __init__(self, source: Path | None, folder: Path) -> None:
        self.source = source
        self.folder = folder

    def fail(self, key: str, why: str) -> None:
        raise SettingsError(f"{_where(self.source)}: cài đặt «{key}» không hợp lệ: {why}.")

    def optional_text(self, key: str, value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(key, f"phải là chuỗi trong dấu ngoặc kép, không phải {value!r}")
        if has_control(value):
            self.fail(key, "không được chứa xuống dòng hay ký tự điều khiển")
        return value.strip() or None

    def text(self, key: str, value: Any) -> str:
        text = self.optional_text(key, value)
        if text is None:
            self.fail(key, "không được để trống")
        return text  # type: ignore[return-value]

    def integer(self, key: str, value: Any, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"phải là số nguyên từ {low} đến {high}, không phải {value!r}")
        if not low <= value <= high:
            self.fail(key, f"phải từ {low} đến {high}, không phải {value}")
        return value

    def boolean(self, key: str, value: Any) -> bool:
        if not isinstance(value, bool):
            self.fail(key, f"phải là true hoặc false, không phải {value!r}")
        return value

    def choice(self, key: str, value: Any, allowed: tuple[str, ...]) -> str:
        text = self.text(key, value).lower()
        if text not in allowed:
            self.fail(key, f"«{value}» không thuộc {' | '.join(allowed)}")
        return text

    def path(self, key: str, value: Any) -> Path | None:
        text = self.optional_text(key, value)
        if text is None:
            return None
        p = Path(text).expanduser()
        return p if p.is_absolute() else self.folder / p

    def required_path(self, key: str, value: Any) -> Path:
        p = self.path(key, value)
        if p is None:
            self.fail(key, "không được để trống")
        return p  # type: ignore[return-value]

    def sender(self, key: str, value: Any) -> str | None:
        text = self.optional_text(key, value)
        if text is None:
            return None
        if not valid_address(parseaddr(text)[1]):
            self.fail(key, f"«{text}» không có địa chỉ thư hợp lệ (ví dụ \"Văn phòng UBND xã <vanphong@xa.gov.vn>\")")
        return text

    def addresses(self, key: str, value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        out: list[str] = []
        for item in items:
            text = self.optional_text(key, item)
            if text is None:
                continue
            for part in re.split(r"[;,]", text):
                part = part.strip()
                if part and not valid_address(part):
                    self.fail(key, f"«{part}» không phải địa chỉ thư hợp lệ")
                if part:
                    out.append(part)
        return tuple(out)

    def clock(self, key: str, value: Any) -> time:
        if isinstance(value, time):  # TOML local time: at = 22:00:00
            return value.replace(tzinfo=None)
        text = self.text(key, value)
        m = re.fullmatch(r"(\d{1,2})[:h](\d{2})", text)
        if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            self.fail(key, f"«{text}» không phải giờ dạng giờ:phút, ví dụ \"22:00\"")
        return time(int(m.group(1)), int(m.group(2)))  # type: ignore[union-attr]

    def timezone(self, key: str, value: Any) -> str:
        text = self.text(key, value)
        try:
            ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError):
            self.fail(key, f"không biết múi giờ «{text}»; ở Việt Nam dùng \"Asia/Ho_Chi_Minh\"")
        return text


def _toml_value(value: Any) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def sample_settings_text(workbook_name: str) -> str:
    """The commented sample settings file for ``workbook_name``, rendered from ``DEFAULTS``."""
    lines = [
        "# Cài đặt nhắc việc qua email hằng đêm của bộ công cụ cchc (lệnh cchc notify, cchc nightly).",
        "# Đường dẫn tương đối tính từ thư mục chứa tệp này. Mật khẩu hộp thư KHÔNG ghi vào tệp này:",
        "# đặt trong biến môi trường có tên ở smtp.password_env (xem README, mục Nhắc việc hằng đêm).",
        "",
    ]

    def line(name: str, value: Any) -> None:
        comment = _COMMENTS.get(name, "")
        key = name.rsplit(".", 1)[-1]
        text = f"{key} = {_toml_value(value)}"
        prefix = "# " if name in _COMMENTED_OUT else ""
        lines.append(f"{prefix}{text:<50} # {comment}" if comment else prefix + text)

    line("workbook", workbook_name)
    for section, keys in DEFAULTS.items():
        if not isinstance(keys, dict):
            continue
        lines += ["", f"[{section}]"]
        for key, default in keys.items():
            name = f"{section}.{key}"
            value = _SAMPLE_VALUES.get(name, default)
            if value is None:
                value = ""
            line(name, value)
    return "\n".join(lines) + "\n"


def write_sample_settings(folder: str | Path, workbook_name: str) -> Path:
    """Write the commented sample ``cchc.toml`` into ``folder`` for the workbook ``workbook_name``.

    An existing settings file is kept as it is (it holds the Office's own mail settings); its path is
    returned either way.
    """
    from toolkit.core.files import write_bytes_atomic

    target = Path(folder) / SETTINGS_NAME
    if target.exists():
        return target
    return write_bytes_atomic(target, sample_settings_text(workbook_name).encode("utf-8"))
