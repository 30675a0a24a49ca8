"""Daily copies of the shared workbook: whole and readable, one per day, retention, a file caught mid-save."""

from __future__ import annotations

import hashlib
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from toolkit.cli import main
from toolkit.core.resources import example_workbook
from toolkit.memory.backups import BackupFailed, Copy, copies, keep_copy, to_remove
from toolkit.workbook.reader import read_workbook

NAME = "theo_doi_cchc_2023.xlsx"


@pytest.fixture
def book(tmp_path: Path) -> Path:
    folder = tmp_path / "chia-se"
    folder.mkdir()
    path = folder / NAME
    shutil.copyfile(example_workbook(), path)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_copy_is_whole_readable_named_by_the_day_and_the_workbook_untouched(book: Path) -> None:
    before = (digest(book), book.stat().st_mtime_ns)
    kept = keep_copy(book, book.parent / "sao-luu", day=date(2023, 10, 20))
    assert kept.copy.path == book.parent / "sao-luu" / "theo_doi_cchc_2023.2023-10-20.xlsx" and kept.created
    assert digest(kept.copy.path) == before[0]
    again = read_workbook(kept.copy.path)
    assert len(again.items) == len(kept.wb.items) > 0 and len(again.progress) == len(kept.wb.progress) > 0
    assert (digest(book), book.stat().st_mtime_ns) == before
    assert [p.name for p in (book.parent / "sao-luu").iterdir()] == [kept.copy.path.name]  # no temp file left


def test_one_copy_per_day(book: Path) -> None:
    folder = book.parent / "sao-luu"
    first = keep_copy(book, folder, day=date(2023, 10, 20))
    stamp = first.copy.path.stat().st_mtime_ns
    second = keep_copy(book, folder, day=date(2023, 10, 20))
    assert not second.created and second.copy.path.stat().st_mtime_ns == stamp
    keep_copy(book, folder, day=date(2023, 10, 21))
    assert [c.day for c in copies(folder, book)] == [date(2023, 10, 20), date(2023, 10, 21)]


def half_save(book: Path) -> bytes:
    whole = book.read_bytes()
    book.write_bytes(whole[: len(whole) // 2])
    book.with_name("~$" + book.name).write_bytes(b"\x0bNguyen Nhung")
    return whole


def test_a_workbook_being_saved_is_retried_not_copied_half_written(book: Path) -> None:
    whole = half_save(book)
    waits: list[float] = []

    def saving_finishes(seconds: float) -> None:
        waits.append(seconds)
        book.write_bytes(whole)

    kept = keep_copy(book, book.parent / "sao-luu", day=date(2023, 10, 20), wait=5.0, sleep=saving_finishes)
    assert waits == [5.0] and kept.copy.path.read_bytes() == whole


def test_a_workbook_still_half_saved_is_not_copied(book: Path) -> None:
    half_save(book)
    waits: list[float] = []
    with pytest.raises(BackupFailed, match="đang được lưu dở"):
        keep_copy(book, book.parent / "sao-luu", day=date(2023, 10, 20), attempts=3, sleep=waits.append)
    assert len(waits) == 2 and not list((book.parent / "sao-luu").glob("*"))


def test_a_file_that_is_whole_but_not_a_workbook_is_not_kept(book: Path) -> None:
    import zipfile

    book.unlink()
    with zipfile.ZipFile(book, "w") as zf:
        zf.writestr("hello.txt", "không phải sổ theo dõi")
    with pytest.raises(BackupFailed, match="không đọc lại được"):
        keep_copy(book, book.parent / "sao-luu", day=date(2023, 10, 20))
    assert not list((book.parent / "sao-luu").glob("*"))


def every_day(first: date, last: date) -> list[Copy]:
    return [Copy(Path(f"x.{first + timedelta(days=n)}.xlsx"), first + timedelta(days=n))
            for n in range((last - first).days + 1)]


def test_retention_keeps_the_last_31_days_and_the_first_copy_of_each_month() -> None:
    kept = every_day(date(2023, 1, 10), date(2023, 10, 20))
    removed = {c.day for c in to_remove(kept, date(2023, 10, 20), keep_days=31, monthly=True)}
    left = sorted({c.day for c in kept} - removed)
    firsts = [date(2023, 1, 10)] + [date(2023, m, 1) for m in range(2, 10)]
    assert left == firsts + [date(2023, 9, 20) + timedelta(days=n) for n in range(31)]


def test_a_months_only_copy_is_never_deleted_and_monthly_off_keeps_the_last() -> None:
    kept = [Copy(Path("a"), date(2023, 3, 17)), Copy(Path("b"), date(2023, 5, 2)), Copy(Path("c"), date(2023, 5, 30))]
    assert to_remove(kept, date(2023, 10, 20), keep_days=31, monthly=True) == [kept[2]]
    assert to_remove(kept, date(2023, 10, 20), keep_days=31, monthly=False) == [kept[1]]


def test_keep_copy_applies_retention_day_after_day(book: Path) -> None:
    folder = book.parent / "sao-luu"
    day = date(2023, 8, 25)
    while day <= date(2023, 10, 20):
        keep_copy(book, folder, day=day, keep_days=31)
        day += timedelta(days=7)
    days = [c.day for c in copies(folder, book)]
    assert days == [date(2023, 8, 25), date(2023, 9, 1), date(2023, 9, 22), date(2023, 9, 29), date(2023, 10, 6),
                    date(2023, 10, 13), date(2023, 10, 20)]


def test_cchc_backups_lists_the_copies_with_rows_and_size(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backups", str(book)]) == 0
    assert "Chưa có bản sao nào" in capsys.readouterr().out
    folder = book.parent / "sao-luu"
    keep_copy(book, folder, day=date(2023, 10, 19))
    keep_copy(book, folder, day=date(2023, 10, 20))
    wb = read_workbook(book)
    assert main(["backups", str(book)]) == 0
    out = capsys.readouterr().out
    line = (f"Kế hoạch {len(wb.items)} dòng, Tiến độ {len(wb.progress)} dòng, Cán bộ {len(wb.officials)} dòng")
    assert "19/10/2023  theo_doi_cchc_2023.2023-10-19.xlsx" in out and line in out and " KB " in out
    assert "2 bản sao." in out
