"""``cchc notify`` end to end: the example workbook, a settings file, and a real SMTP server (STARTTLS + AUTH)."""

from __future__ import annotations

import contextlib
import io
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.mailserver import PASSWORD, Delivered, MailServer, ServerFn, make_servers, toml
from toolkit.cli import main
from toolkit.core.resources import example_workbook

D = "daktover.example.vn"

# The example's deliberate flaws (workbooks/make_example.py FLAWS), by who must hear about them.
EXPECTED_CELLS = {
    f"nhung.vp@{D}": ["Tiến độ!D9", "Tiến độ!E14", "Tiến độ!C19"],  # NBSP in a name, 900 as text, date as text
    f"thanh.vhxh@{D}": ["Tiến độ!D5", "Tiến độ!A30"],  # NFD name, duplicate snapshot
    f"nguyet.vhtt@{D}": ["Tiến độ!A8", "Tiến độ!B15"],  # hidden row, "Quý 2/2023"
    f"tu.dcxd@{D}": ["Tiến độ!C23", "Tiến độ!H26", "Tiến độ!I12"],  # 10/13/2023, "hoàn thành ", no result
}
NAMES = {f"nhung.vp@{D}": "Nguyễn Thị Hồng Nhung", f"thanh.vhxh@{D}": "Lê Văn Thành",
         f"nguyet.vhtt@{D}": "Siu Thị Nguyệt", f"tu.dcxd@{D}": "Đinh Văn Tú"}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerFn]:
    yield from make_servers(tmp_path)


def shared_folder(tmp_path: Path, srv: MailServer) -> Path:
    """A folder like the Office's share: the example workbook and its cchc.toml; returns the settings file."""
    folder = tmp_path / "chia-se"
    folder.mkdir()
    shutil.copyfile(example_workbook(), folder / "theo_doi_cchc_2023.xlsx")
    config = folder / "cchc.toml"
    config.write_text(toml({"workbook": "theo_doi_cchc_2023.xlsx", "smtp": srv.smtp_settings()}), encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def delivered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[list[Delivered], str, int]]:
    """One ``cchc notify`` run over STARTTLS + AUTH (module-wide server): the messages, stdout and exit code."""
    tmp = tmp_path_factory.mktemp("notify")
    srv = MailServer(tmp, security="starttls", auth=True).start()
    config = shared_folder(tmp, srv)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CCHC_TEST_SMTP_PASSWORD", PASSWORD)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main(["notify", "--config", str(config), "--as-of", "2024-01-08"])
    srv.stop()
    yield srv.received, out.getvalue(), code


def test_every_official_with_something_to_hear_and_the_office_get_one_email(delivered) -> None:
    received, stdout, code = delivered
    assert code == 0
    assert sorted(r for d in received for r in d.rcpt_tos) == sorted([*EXPECTED_CELLS, f"vanphong@{D}"])
    assert f"trung.pct@{D}" not in stdout and f"hlim.tp@{D}" not in stdout  # nothing to hear, no email
    assert all(d.mail_from == "vanphong@daktover.example.vn" for d in received)


@pytest.mark.parametrize("address", sorted(EXPECTED_CELLS))
def test_each_email_names_the_cells_of_the_injected_problems(delivered, address: str) -> None:
    received, _, _ = delivered
    (mail,) = [d for d in received if d.rcpt_tos == [address]]
    assert mail.message["Subject"].startswith("Nhắc việc CCHC xã Đăktover ngày 08/01/2024: ")
    assert mail.message["To"].addresses[0].display_name == NAMES[address]
    assert mail.message.get_content_type() == "multipart/alternative"
    text, html = mail.text, mail.html
    for cell in EXPECTED_CELLS[address]:
        assert cell in text and cell in html
    assert f"Kính gửi {NAMES[address]}," in text
    assert unicodedata.is_normalized("NFC", text) and unicodedata.is_normalized("NFC", html)


def test_the_office_digest_is_delivered_with_completion_and_overdue(delivered) -> None:
    received, _, _ = delivered
    (digest,) = [d for d in received if d.rcpt_tos == [f"vanphong@{D}"]]
    assert digest.message["Subject"].startswith("Tổng hợp CCHC xã Đăktover ngày 08/01/2024: đã hoàn thành 04/08 nội "
                                                "dung; 04 nội dung chưa hoàn thành, trong đó 04 nội dung quá hạn")
    assert "%" not in digest.message["Subject"]  # the counts, never the average
    text = digest.text
    assert "kỳ Quý IV/2023" in text and "Quá hạn (4)" in text
    assert "; mức hoàn thành bình quân 99,1% (tính trên 06/08 nội dung xác định được mức hoàn thành)." in text
    assert "Quý chưa báo cáo" not in text  # quarters I and II ended before the plan was issued (10/8/2023)
    assert "Đinh Văn Tú: 2 lỗi" in text and "Quá hạn" in digest.html


def test_wrong_password_is_a_clear_message_and_mail_waits(tmp_path: Path, server: ServerFn,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    srv = server(security="starttls", auth=True)
    config = shared_folder(tmp_path, srv)
    monkeypatch.setenv("CCHC_TEST_SMTP_PASSWORD", "không-đúng")
    assert main(["notify", "--config", str(config), "--as-of", "2024-01-08"]) == 2
    err = capsys.readouterr().err
    assert "từ chối đăng nhập" in err and "CCHC_TEST_SMTP_PASSWORD" in err and "Traceback" not in err
    assert srv.received == [] and len(list((config.parent / "outbox").glob("*.eml"))) == 5
    monkeypatch.setenv("CCHC_TEST_SMTP_PASSWORD", PASSWORD)
    assert main(["notify", "--config", str(config), "--as-of", "2024-01-08"]) == 0
    assert len(srv.received) == 5 and list((config.parent / "outbox").glob("*.eml")) == []


def test_dry_run_writes_eml_files_and_sends_nothing(tmp_path: Path, server: ServerFn,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    srv = server()
    config = shared_folder(tmp_path, srv)
    assert main(["notify", "--config", str(config), "--as-of", "2024-01-08", "--dry-run"]) == 0
    previews = sorted((config.parent / "outbox" / "xem-truoc" / "2024-01-08").glob("*.eml"))
    assert [p.name for p in previews] == sorted([*(f"official__{a}.eml" for a in EXPECTED_CELLS),
                                                 f"office__vanphong@{D}.eml"])
    assert srv.received == [] and "Xem trước:" in capsys.readouterr().out
    assert main(["notify", "--config", str(config), "--as-of", "2024-01-08"]) == 0  # a dry run remembers nothing
    assert len(srv.received) == 5


def test_missing_settings_file_is_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["notify", "--config", str(tmp_path / "cchc.toml")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Lỗi: Không tìm thấy tệp cài đặt") and "Traceback" not in err
