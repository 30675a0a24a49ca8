"""The checking child does all the work that needs a whole workbook and hands back only small results."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import openpyxl

from toolkit.core.resources import example_workbook
from toolkit.memory.backups import Keeping, copies, copy_name
from toolkit.night import child
from toolkit.night.child import read_night, spare_child

DAY = date(2023, 10, 20)


def test_the_child_keeps_the_copy_lists_the_changes_and_hands_back_a_slim_assessment(tmp_path: Path) -> None:
    book = tmp_path / "theo_doi_cchc_2023.xlsx"
    shutil.copyfile(example_workbook(), book)
    folder = tmp_path / "sao-luu"
    folder.mkdir()
    shutil.copyfile(book, folder / copy_name(book, date(2023, 10, 19)))  # yesterday's copy
    wb = openpyxl.load_workbook(book)
    wb["Tiến độ"]["E12"] = 40
    wb.save(book)

    done = read_night(book, as_of=DAY, keeping=Keeping(book, folder))
    a, night = done.assessment, done.night
    assert a is not None and night is not None and done.stopped is None
    assert [c.day for c in copies(folder, book)] == [
        date(2023, 10, 19), DAY]
    assert night.kept is not None and night.kept.created and night.problem is None
    assert [(c.ref, c.old, c.new) for c in night.changes or []] == [("Tiến độ!E12", "35", "40")]
    assert night.drifts == []
    pointed = {i.row for i in a.report.issues if i.sheet == "Tiến độ"}
    assert {r.row for r in a.wb.progress} <= pointed  # only the rows the issues point at
    assert night.kept.wb.progress == [] and len(night.kept.wb.officials) == len(a.wb.officials)
    assert a.wb.path == str(book) and all(s.item in a.wb.items for s in a.items)


def test_a_dry_run_keeps_no_copy_but_still_compares(tmp_path: Path) -> None:
    book = tmp_path / "theo_doi_cchc_2023.xlsx"
    shutil.copyfile(example_workbook(), book)
    folder = tmp_path / "sao-luu"
    done = read_night(book, as_of=DAY, keeping=Keeping(book, folder, dry_run=True))
    assert done.night is not None and done.night.kept is None and done.night.changes == []
    assert not folder.exists() or copies(folder, book) == []


def test_a_spare_child_gets_the_copy_a_dead_one_is_replaced_and_an_unused_one_is_stopped(tmp_path: Path) -> None:
    """``cchc notify`` starts its child before it has a copy (``spare_child``); the check is the same either way."""
    book = tmp_path / "theo_doi_cchc_2023.xlsx"
    shutil.copyfile(example_workbook(), book)
    alone = read_night(book, as_of=DAY)
    with spare_child():
        handed = read_night(book, as_of=DAY)
    with spare_child():
        assert child._spare is not None
        child._spare.kill()
        child._spare.wait()
        replaced = read_night(book, as_of=DAY)
    for done in (handed, replaced):
        assert not done.report.fatal and done.assessment is not None
        assert [i.message for i in done.report.issues] == [i.message for i in alone.report.issues]
    with spare_child():
        unused = child._spare
    assert unused is not None and unused.poll() is not None and child._spare is None
