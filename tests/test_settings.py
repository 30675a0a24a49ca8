"""Settings: the sample written by ``cchc init`` loads as the defaults; every bad value names its key."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from toolkit.core.settings import (
    DEFAULTS,
    SETTINGS_NAME,
    SettingsError,
    default_settings,
    load_settings,
    write_sample_settings,
)
from toolkit.create import create_workbook


def test_sample_loads_and_matches_the_defaults(tmp_path: Path) -> None:
    path = write_sample_settings(tmp_path, "theo_doi_cchc_2023.xlsm")
    text = path.read_text(encoding="utf-8")
    assert path.name == SETTINGS_NAME and "# " in text and "mật khẩu" in text.lower()
    s = load_settings(path)
    assert s.workbook == tmp_path.resolve() / "theo_doi_cchc_2023.xlsm"
    assert (s.smtp.port, s.smtp.security, s.smtp.password_env) == (587, "starttls", DEFAULTS["smtp"]["password_env"])
    assert s.smtp.sender == "Văn phòng UBND xã <vanphong@example.gov.vn>"
    assert s.notify.office == ("vanphong@example.gov.vn",)
    assert s.notify.due_soon_days == DEFAULTS["notify"]["due_soon_days"] == 14
    assert (s.schedule.at, s.schedule.timezone) == (time(22, 0), "Asia/Ho_Chi_Minh")
    assert s.paths.outbox == tmp_path.resolve() / "outbox" and s.paths.state == tmp_path.resolve() / "state"
    assert "\npassword =" not in text and "\npassword_env =" in text  # only the variable's name, never a password


def test_init_writes_the_sample_next_to_the_workbook_and_keeps_an_edited_one(tmp_path: Path) -> None:
    book = create_workbook(tmp_path / "so" / "theo_doi_cchc_2023.xlsx")
    settings = book.parent / SETTINGS_NAME
    assert load_settings(settings).workbook == book.resolve()
    settings.write_text('workbook = "khac.xlsx"\n', encoding="utf-8")
    create_workbook(book, force=True)
    assert settings.read_text(encoding="utf-8") == 'workbook = "khac.xlsx"\n'


@pytest.mark.parametrize(("security", "port"), [("starttls", 587), ("ssl", 465), ("none", 25), ("SSL", 465)])
def test_port_follows_security_when_not_set(tmp_path: Path, security: str, port: int) -> None:
    assert default_settings(tmp_path, smtp={"security": security}).smtp.port == port


@pytest.mark.parametrize(
    ("toml", "key", "hint"),
    [
        ('[smtp]\nport = "năm trăm"\n', "smtp.port", "số nguyên"),
        ("[smtp]\nport = 70000\n", "smtp.port", "65535"),
        ('[smtp]\nsecurity = "tls"\n', "smtp.security", "starttls | ssl | none"),
        ('[smtp]\nsender = "Văn phòng"\n', "smtp.sender", "địa chỉ thư"),
        ('[smtp]\npassword_env = "mat khau 123"\n', "smtp.password_env", "biến môi trường"),
        ('[smtp]\nhots = "mail.xa.gov.vn"\n', "smtp.hots", "smtp.host"),
        ('[notify]\noffice = "van phong@xa"\n', "notify.office", "không phải địa chỉ"),
        ("[notify]\ndue_soon_days = -3\n", "notify.due_soon_days", "từ 0"),
        ('[schedule]\nat = "25:00"\n', "schedule.at", "giờ:phút"),
        ('[schedule]\ntimezone = "Hà Nội"\n', "schedule.timezone", "Asia/Ho_Chi_Minh"),
        ("smtp = 5\n", "smtp", "mục [smtp]"),
        ('[paths]\noutbox = ""\n', "paths.outbox", "để trống"),
    ],
)
def test_bad_setting_names_its_key(tmp_path: Path, toml: str, key: str, hint: str) -> None:
    path = tmp_path / SETTINGS_NAME
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(SettingsError) as err:
        load_settings(path)
    message = str(err.value)
    assert f"«{key}»" in message and hint in message and str(path) in message


def test_toml_syntax_error_says_where(tmp_path: Path) -> None:
    path = tmp_path / SETTINGS_NAME
    path.write_text('workbook = "a.xlsx"\n[smtp\nhost = "x"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"sai cú pháp TOML.*line 2"):
        load_settings(path)


def test_missing_file_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="cchc init"):
        load_settings(tmp_path / SETTINGS_NAME)


@pytest.mark.parametrize(
    ("smtp", "environ", "expected"),
    [
        ({}, {}, None),  # no user: no AUTH, no password needed
        ({"user": "vp@xa.gov.vn"}, {"CCHC_SMTP_PASSWORD": "bí mật"}, "bí mật"),
        ({"user": "vp@xa.gov.vn", "password_env": "MK_XA"}, {"MK_XA": "s3cret"}, "s3cret"),
    ],
)
def test_password_comes_from_the_named_variable(tmp_path: Path, smtp: dict, environ: dict,
                                                 expected: str | None) -> None:
    assert default_settings(tmp_path, smtp=smtp).smtp.password(environ) == expected


def test_missing_password_variable_is_a_clear_message(tmp_path: Path) -> None:
    s = default_settings(tmp_path, smtp={"user": "vp@xa.gov.vn", "password_env": "MK_XA"})
    with pytest.raises(SettingsError, match="biến môi trường MK_XA"):
        s.smtp.password({})


def test_office_accepts_a_list_and_separators(tmp_path: Path) -> None:
    s = default_settings(tmp_path, notify={"office": ["a@xa.gov.vn", "b@xa.gov.vn; c@xa.gov.vn"]})
    assert s.notify.office == ("a@xa.gov.vn", "b@xa.gov.vn", "c@xa.gov.vn")
