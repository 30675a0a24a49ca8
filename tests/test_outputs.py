"""Outputs that cannot be written end with one Vietnamese line and exit 2, no traceback, no temporary file;
``init`` never overwrites; piping into ``head`` is not an error. Real CLI, real files and processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.cli import main
from toolkit.core.resources import example_workbook


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert err.startswith("Lỗi: Không ghi được tệp ")
    return err


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp"))


def test_out_pointing_at_a_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bao-cao.docx"
    out.write_bytes(b"a file, not a folder")
    assert main(["plan", str(example_workbook()), "--out", str(out)]) == 2
    assert f"{out} là một tệp, không phải thư mục" in one_error_line(capsys)
    assert out.read_bytes() == b"a file, not a folder" and leftovers(tmp_path) == []


def test_a_name_taken_by_a_folder_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(example_workbook()), "--out", str(tmp_path)]) == 0
    written = Path(capsys.readouterr().out.split(": ", 1)[1].strip())
    written.unlink()
    written.mkdir()  # someone made a folder with the document's name
    assert main(["plan", str(example_workbook()), "--out", str(tmp_path)]) == 2
    assert "tên này đang là một thư mục" in one_error_line(capsys)
    assert written.is_dir() and leftovers(tmp_path) == []


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="folder rights do not bind root")
def test_a_folder_without_rights_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    locked = tmp_path / "chi-doc"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        assert main(["plan", str(example_workbook()), "--out", str(locked)]) == 2
        assert "không có quyền ghi vào thư mục" in one_error_line(capsys)
    finally:
        locked.chmod(0o755)
    assert list(locked.iterdir()) == []


@pytest.mark.skipif(os.name == "nt", reason="the file size limit is POSIX")
def test_a_full_disk_is_one_line_and_no_temporary_file(tmp_path: Path) -> None:
    def small_disk() -> None:  # writes past 4 KB fail as on a full disk (EFBIG), in the child only
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    done = subprocess.run([sys.executable, "-m", "toolkit", "plan", str(example_workbook()), "--out", str(tmp_path)],
                          capture_output=True, preexec_fn=small_disk, check=False)
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert err.startswith("Lỗi: Không ghi được tệp ") and "không đủ chỗ trống" in err
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_created_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a").write_text("a file", encoding="utf-8")
    assert main(["plan", str(example_workbook()), "--out", str(tmp_path / "a" / "b")]) == 2
    assert "một phần của đường dẫn là tệp, không phải thư mục" in one_error_line(capsys)
    assert leftovers(tmp_path) == []


def test_init_never_overwrites_an_existing_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "theo_doi_cchc_2023.xlsm"
    book.write_bytes(b"the Office's own workbook")
    assert main(["init", str(book)]) == 2
    err = capsys.readouterr().err
    assert f"Tệp {book} đã có; không ghi đè" in err and "--force" in err and "Traceback" not in err
    assert book.read_bytes() == b"the Office's own workbook"


def test_init_keeps_an_existing_settings_file_even_with_force(tmp_path: Path) -> None:
    book = tmp_path / "theo_doi_cchc_2023.xlsx"
    settings = tmp_path / "cchc.toml"
    settings.write_text('workbook = "khac.xlsx"\n', encoding="utf-8")
    assert main(["init", str(book)]) == 0
    assert main(["init", str(book), "--force"]) == 0
    assert settings.read_text(encoding="utf-8") == 'workbook = "khac.xlsx"\n'


def test_piping_into_head_is_not_an_error(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "toolkit", "status", str(example_workbook()), "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader (head) has gone before the command writes anything
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait() == 0 and err == ""
