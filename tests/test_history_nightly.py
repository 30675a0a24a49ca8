"""The workbook's memory over several simulated nights, against a real SMTP server.

The shared workbook (the example) is edited with openpyxl between runs, as officials would in Excel: a cell
edited and a target changed; then a row inserted in the middle and a figure of an already reported quarter
changed; then a row deleted; then nothing. Each change appears once in the right emails with its cell and
values, the figure changed after the report is reported to the Office every night, nothing else is reported.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from tests.mailserver import Delivered, MailServer, toml
from toolkit.cli import main
from toolkit.core.resources import example_workbook
from toolkit.core.settings import load_settings
from toolkit.memory.backups import copies
from toolkit.memory.ledger import ledger_path, load
from toolkit.night.run import run_once

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
D = "daktover.example.vn"
OFFICE, NHUNG, TU = f"vanphong@{D}", f"nhung.vp@{D}", f"tu.dcxd@{D}"
THANH, NGUYET = f"thanh.vhxh@{D}", f"nguyet.vhtt@{D}"
DRIFT = ("Nội dung 1.3, Quý III/2023: Báo cáo số 09/BC-UBND ngày 10/10/2023 đã ghi 260/430; "
         "nay ô Tiến độ!E20 là 280/430")
MOVED = DRIFT.replace("E20", "E19")  # the same figure after the row above it was deleted
NEW_ROW = ["1.7", "Quý II/2023", datetime(2023, 7, 7), "Đinh Văn Tú", 40, 290, None, "Đang thực hiện",
           "Giải quyết 40/290 hồ sơ đúng hạn."]


def edit(book: Path, change: Callable[[openpyxl.Workbook], None]) -> None:
    """Edit the shared workbook as an official would, then save it (openpyxl writes a whole new file)."""
    wb = openpyxl.load_workbook(book)
    change(wb)
    wb.save(book)


def shift_merges(ws, at: int, by: int) -> None:
    """Move merged ranges at or below row ``at`` by ``by`` rows, as Excel does (openpyxl's insert/delete don't)."""
    for rng in list(ws.merged_cells.ranges):
        if rng.min_row >= at:
            ws.merged_cells.remove(rng)
            rng.shift(row_shift=by)
            ws.merged_cells.add(rng)


def day_one(wb: openpyxl.Workbook) -> None:
    """The workbook as it stands on 10/10/2023, clean enough to issue report 09 (a workbook with errors only
    gives a draft): the two errors of quý II-III fixed, the quý IV rows (typed on 15/12/2023) not there yet."""
    ws = wb["Tiến độ"]
    ws["I12"] = "Tiếp nhận 35 hồ sơ trực tuyến."
    ws["C23"] = date(2023, 10, 9)
    for row in ws.iter_rows(min_row=25, max_row=33):
        for cell in row:
            if type(cell).__name__ != "MergedCell" and not str(cell.value or "").startswith("="):
                cell.value = None


def day_two(wb: openpyxl.Workbook) -> None:
    wb["Tiến độ"]["E12"] = 40  # 1.4, Quý II/2023: 35 -> 40 (Đinh Văn Tú's row)
    wb["Kế hoạch"]["D4"] = 60  # 1.3's target: 50 -> 60 (Nguyễn Thị Hồng Nhung's item)


def day_three(wb: openpyxl.Workbook) -> None:
    ws = wb["Tiến độ"]
    shift_merges(ws, 13, 1)
    ws.insert_rows(13)  # a row for 1.7, Quý II/2023 in the middle: every row below moves down one
    for col, value in enumerate(NEW_ROW, 1):
        ws.cell(13, col, value)
    ws["E20"] = 280  # 1.3, Quý III/2023 (was E19): reported as 260 in report 09 of 10/10/2023


def day_four(wb: openpyxl.Workbook) -> None:
    ws = wb["Tiến độ"]
    ws.delete_rows(16)  # 1.8, Quý II/2023 (Siu Thị Nguyệt), was row 15 before the insert
    shift_merges(ws, 17, -1)


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[date, list[Delivered]]]:
    """Five nights of ``cchc notify``-equivalent runs on an edited workbook: the emails of each night."""
    tmp = tmp_path_factory.mktemp("memory")
    srv = MailServer(tmp).start()
    folder = tmp / "chia-se"
    folder.mkdir()
    book = folder / "theo_doi_cchc_2023.xlsx"
    shutil.copyfile(example_workbook(), book)
    config = folder / "cchc.toml"
    config.write_text(toml({"workbook": book.name, "smtp": srv.smtp_settings()}), encoding="utf-8")
    settings = load_settings(config)
    edit(book, day_one)
    with contextlib.redirect_stdout(io.StringIO()):  # report 09 for Quý III, issued on 10/10/2023
        assert main(["report", str(book), "--number", "9", "--date", "2023-10-10", "--period", "Quý III/2023",
                     "--out", str(tmp / "bao-cao")]) == 0
    out: dict[date, list[Delivered]] = {}
    for day, change in [(date(2023, 10, 16), None), (date(2023, 10, 17), day_two), (date(2023, 10, 18), day_three),
                        (date(2023, 10, 19), day_four), (date(2023, 10, 20), None)]:
        if change is not None:
            edit(book, change)
        srv.handler.received.clear()
        result = run_once(settings, now=datetime(2023, 10, 16, 22, tzinfo=TZ), as_of=day)
        assert result.error is None and result.waiting == 0
        out[day] = list(srv.handler.received)
    srv.stop()
    assert [c.day for c in copies(settings.paths.backups, book)] == list(out)  # one copy per night
    yield out
    shutil.rmtree(tmp, ignore_errors=True)


def mail(received: list[Delivered], address: str) -> Delivered | None:
    found = [d for d in received if d.rcpt_tos == [address]]
    assert len(found) <= 1
    return found[0] if found else None


def section(text: str) -> str:
    """The change list of a text body ('' when there is none)."""
    if "Thay đổi từ bản sao ngày" not in text:
        return ""
    rest = text.split("Thay đổi từ bản sao ngày", 1)[1]
    return rest.split("\n\n", 1)[0]


def change_lines(received: list[Delivered], address: str) -> list[str]:
    """The change table's rows, each as ``  - cell | cell`` (blank cells left out), read from the aligned
    plain-text table under its header and rule."""
    m = mail(received, address)
    lines = section(m.text).splitlines() if m else []
    rule = next((i for i, line in enumerate(lines) if "-+-" in line and set(line.strip()) <= {"-", "+"}), None)
    rows: list[str] = []
    for line in lines[rule + 1:] if rule is not None else []:
        if not line.strip():
            break
        if not line.strip().startswith("..."):
            rows.append("  - " + " | ".join(c.strip() for c in line.split("|") if c.strip()))
    return rows


def test_the_first_night_has_nothing_to_compare(nights) -> None:
    for d in nights[date(2023, 10, 16)]:
        assert "Thay đổi từ bản sao" not in d.text and "Số liệu đã thay đổi sau khi báo cáo" not in d.text


def test_an_edited_cell_and_a_target_reach_the_office_and_their_owners_plan_first(nights) -> None:
    received = nights[date(2023, 10, 17)]
    office = change_lines(received, OFFICE)
    assert office == [
        "  - Sửa ô | Kế hoạch!D4 | Chỉ tiêu (%); nội dung 1.3 | 50 | 60",
        "  - Sửa ô | Tiến độ!E12 | Số đạt; nội dung 1.4, Quý II/2023 | 35 | 40 | Đinh Văn Tú",
    ]
    assert "16/10/2023 (2)" in section(mail(received, OFFICE).text)
    assert change_lines(received, NHUNG) == [office[0]]
    assert change_lines(received, TU) == [office[1]]
    assert change_lines(received, THANH) == [] and change_lines(received, NGUYET) == []
    html = mail(received, OFFICE).html
    assert html.count("Kế hoạch!D4") == 1 and html.count("Tiến độ!E12") == 1


def test_an_inserted_row_is_one_added_row_and_the_reported_figure_an_edit_and_a_warning(nights) -> None:
    received = nights[date(2023, 10, 18)]
    office = change_lines(received, OFFICE)
    assert office == [
        "  - Sửa ô | Tiến độ!E20 | Số đạt; nội dung 1.3, Quý III/2023 | 260 | 280 | Nguyễn Thị Hồng Nhung",
        "  - Thêm dòng | Tiến độ!A13 | nội dung 1.7, Quý II/2023 | Mã nhiệm vụ 1.7, Kỳ báo cáo Quý II/2023, Ngày cập "
        "nhật 07/07/2023, Người cập nhật Đinh Văn Tú, Số đạt 40, Tổng số 290, Tình trạng Đang thực hiện, Kết quả "
        "thực hiện Giải quyết 40/290 hồ sơ đúng hạn. | Đinh Văn Tú",
    ]
    assert change_lines(received, NHUNG) == [office[0]] and change_lines(received, TU) == [office[1]]
    text = mail(received, OFFICE).text
    assert text.count(DRIFT) == 1 and "Số liệu đã thay đổi sau khi báo cáo (1)" in text
    assert all(DRIFT not in d.text for d in received if d.rcpt_tos != [OFFICE])


def test_a_deleted_row_is_listed_with_its_content(nights) -> None:
    received = nights[date(2023, 10, 19)]
    office = change_lines(received, OFFICE)
    assert len(office) == 1 and office[0].startswith(
        "  - Xóa dòng | Tiến độ!A16 | nội dung 1.8, Quý II/2023, trong bản sao ngày 18/10/2023 | Mã nhiệm vụ 1.8, "
        "Kỳ báo cáo Quý II/2023, Ngày cập nhật 07/07/2023, Người cập nhật Siu Thị Nguyệt, Số đạt 6, Tổng số 12")
    assert change_lines(received, NGUYET) == office
    assert change_lines(received, NHUNG) == [] and change_lines(received, TU) == []
    assert mail(received, OFFICE).text.count(MOVED) == 1  # still changed after the report: said every night


def test_a_quiet_night_lists_no_change(nights) -> None:
    received = nights[date(2023, 10, 20)]
    assert all("Thay đổi từ bản sao" not in d.text for d in received)
    assert mail(received, OFFICE).text.count(MOVED) == 1


def test_one_readable_copy_per_night_and_the_ledger_beside_the_workbook(tmp_path: Path) -> None:
    book = tmp_path / "theo_doi_cchc_2023.xlsx"
    shutil.copyfile(example_workbook(), book)
    edit(book, day_one)  # a workbook with errors gives only a draft, which the ledger does not record
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["report", str(book), "--number", "9", "--date", "2023-10-10", "--period", "Quý III/2023",
                     "--out", str(tmp_path)]) == 0
        assert main(["report", str(book), "--date", "2023-10-10", "--period", "Quý III/2023",
                     "--out", str(tmp_path)]) == 0  # Số báo cáo tiếp theo (05): issued too
    (first, second) = load(ledger_path(book))
    assert (first.number, first.day, first.period.label) == ("09/BC-UBND", date(2023, 10, 10), "Quý III/2023")
    assert second.number == "05/BC-UBND"
    item = next(p for p in first.items if p.code == "1.3")
    assert (item.row, item.key, item.achieved, item.total, item.status) == (
        19, ("1.3", "Quý III/2023", "2023-10-09"), 260, 430, "Đang thực hiện")
    assert ledger_path(book) == tmp_path / "so-cai-bao-cao.json" and copies(tmp_path / "sao-luu", book) == []


def test_cchc_status_shows_figures_changed_after_a_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "theo_doi_cchc_2023.xlsx"
    shutil.copyfile(example_workbook(), book)
    edit(book, day_one)  # clean enough to issue the report
    assert main(["report", str(book), "--number", "9", "--date", "2023-10-10", "--period", "Quý III/2023",
                 "--out", str(tmp_path)]) == 0
    assert main(["status", str(book), "--as-of", "2023-10-20"]) == 0
    assert "Báo cáo số 09" not in capsys.readouterr().err
    edit(book, lambda wb: wb["Tiến độ"].__setitem__("E19", 280))
    assert main(["status", str(book), "--as-of", "2023-10-20"]) == 0
    assert ("Chú ý: Nội dung 1.3, Quý III/2023: Báo cáo số 09/BC-UBND ngày 10/10/2023 đã ghi 260/430; nay ô "
            "Tiến độ!E19 là 280/430") in capsys.readouterr().err



def test_a_copy_that_cannot_be_kept_is_told_to_the_office_and_the_emails_still_go(tmp_path: Path) -> None:
    srv = MailServer(tmp_path).start()
    try:
        folder = tmp_path / "chia-se"
        folder.mkdir()
        book = folder / "theo_doi_cchc_2023.xlsx"
        shutil.copyfile(example_workbook(), book)
        (folder / "sao-luu").write_text("một tệp, không phải thư mục", encoding="utf-8")
        config = folder / "cchc.toml"
        config.write_text(toml({"workbook": book.name, "smtp": srv.smtp_settings()}), encoding="utf-8")
        result = run_once(load_settings(config), now=datetime(2023, 10, 16, 22, tzinfo=TZ), as_of=date(2023, 10, 16))
    finally:
        srv.stop()
    assert result.exit_code == 0 and len(srv.received) == 5
    digest = mail(srv.received, OFFICE)
    assert "Sao lưu sổ theo dõi" in digest.text
    assert "Chưa sao lưu được sổ theo dõi ngày 16/10/2023: Không ghi được bản sao vào thư mục" in digest.text
    assert all("sao lưu" not in d.text.lower() for d in srv.received if d is not digest)
