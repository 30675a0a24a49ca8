"""The Excel button «Kiểm tra & tạo báo cáo»: check the live workbook, mark, summarise, write the report.

``main()`` is what the buttons' macro runs (``xlsm.CLICK_COMMAND``, whatever the workbook's file name): it finds
the calling workbook and runs ``click``. ``click(book)`` works on any xlwings ``Book`` (Excel on Windows or macOS, or
xlwings' remote engine in the tests). It reads the sheets' values, unsaved edits included, into the same domain
model the file reader produces (``live.read_book``); validates; rewrites the results sheet (one row per issue,
with a link to its cell) and the summary sheet; writes the quarterly report next to the workbook; and says so in
a message box.

Marks are conditional formats the macro-enabled workbook carries (``xlsm``): a cell is marked while the results
sheet lists its place, so rewriting the list clears the previous run's marks and the cells' own formatting is
never touched. Text that comes from officials is always written as text (``=SUM(A1)`` and ``+84...`` too).
Every failure ends as a Vietnamese message box, never as a traceback; one the PC may have caused carries the
advice of ``cchc doctor``. This module imports nothing heavy at
import time: the button starts a new Python on every click.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from toolkit.core.errors import CchcError
from toolkit.core.words import UNKNOWN
from toolkit.excel.layout import (
    MESSAGE_TITLE,
    PERIOD_CELL,
    RESULTS_FIRST_ROW,
    RESULTS_HEADERS,
    RESULTS_SHEET,
    RESULTS_STATUS_ROW,
    SUMMARY_FIRST_ROW,
    SUMMARY_SHEET,
    SUMMARY_STATUS_ROW,
)
from toolkit.workbook.live import read_book


@dataclass
class ClickOutcome:
    """What one click did: the validation report, the report file written, the message shown.

    ``ok`` is False when the click stopped on a failure (``message`` says why); ``report_path`` is None when no
    report file was written.
    """

    ok: bool
    message: str
    validation: Any = None  # issues.Report; None when the click stopped before validating
    report_path: Path | None = None


def main() -> None:
    """Run the click for the workbook that called Python through the macro.

    The macro (``xlsm.CLICK_COMMAND``) reads Python's stderr only when Python exits non-zero, through VBA's
    ANSI file functions, which garble Vietnamese. So every message, even when the calling workbook cannot be
    reached, is shown here as a Unicode message box and Python exits 0; where no box can be shown (not
    Windows), the reason goes to stderr and Python exits 1, for xlwings to show.
    """
    try:
        import xlwings as xw

        book = xw.Book.caller()
    except Exception as exc:
        message = (f"Không kết nối được với sổ Excel đang mở ({type(exc).__name__}: {exc}). Hãy đóng các cửa sổ "
                   "Excel khác rồi bấm nút lại; nếu vẫn lỗi, chạy lệnh cchc doctor <tên sổ> và xem mục Hướng dẫn "
                   "trên Windows.")
        if not system_message(message):
            sys.stderr.write(message + "\n")
            raise SystemExit(1) from None
        return
    click(book)


def system_message(text: str, *, error: bool = True) -> bool:
    """Show ``text`` in a Windows message box (Unicode, on top of Excel); False where there is none."""
    if sys.platform != "win32":
        return False
    try:  # pragma: no cover - Windows only
        import ctypes

        flags = (0x10 if error else 0x40) | 0x40000  # MB_ICONERROR / MB_ICONINFORMATION, MB_TOPMOST
        ctypes.windll.user32.MessageBoxW(None, text, MESSAGE_TITLE, flags)  # type: ignore[attr-defined]
        return True
    except Exception:  # pragma: no cover
        return False


def click(book: Any, *, as_of: date | None = None, now: datetime | None = None,
          folder: str | Path | None = None) -> ClickOutcome:
    """Check ``book`` (an xlwings Book), write the results, summary and quarterly report, show a message box.

    ``as_of`` is the checking date (default: today), ``now`` the time stamped on the sheets (default: now).
    ``folder`` is where the report goes, by default the workbook's own folder. Never raises: a failure is
    shown as a Vietnamese message box and returned with ``ok=False``.
    """
    now = now or datetime.now()
    as_of = as_of or now.date()
    try:
        outcome = _click(book, as_of, now, folder)
    except Exception as exc:  # the edge: whatever went wrong becomes a message the official can act on
        outcome = ClickOutcome(ok=False, message=with_advice(failure_message(exc), exc, book))
    try:
        book.app.alert(outcome.message, title=MESSAGE_TITLE, mode="info" if outcome.ok else "critical")
    except Exception:  # Excel would not show it: a message box of the system's own, where there is one
        system_message(outcome.message, error=not outcome.ok)
    return outcome


def failure_message(exc: BaseException) -> str:
    """A Vietnamese message for a failure of the click, saying what to do."""
    from toolkit.core.files import OutputLocked
    from toolkit.workbook.rows import UnreadableWorkbook

    if isinstance(exc, UnreadableWorkbook):
        return f"Không kiểm tra được sổ: {exc.issue.message}"
    if isinstance(exc, (CchcError, OutputLocked)):
        return str(exc)
    if isinstance(exc, PermissionError):
        return (f"Không ghi được tệp {exc.filename or ''}: tệp đang mở hoặc thư mục không cho phép ghi. "
                "Hãy đóng tệp (Word) rồi bấm nút lại.")
    if isinstance(exc, OSError):
        return f"Không ghi được tệp {exc.filename or ''}: {exc.strerror or exc}. Hãy kiểm tra thư mục của sổ."
    return (f"Có lỗi ngoài dự kiến ({type(exc).__name__}: {exc}). Số liệu đã nhập trong sổ không bị thay đổi; "
            "hãy chụp thông báo này gửi người quản trị bộ công cụ.")


def with_advice(message: str, exc: BaseException, book: Any) -> str:
    """``message`` followed by what ``cchc doctor`` finds wrong on this PC, for failures the PC may cause.

    A problem in the workbook's data (a missing sheet, a wrong quarter) is the data's, and gets no advice.
    """
    from toolkit.core.files import OutputError
    from toolkit.workbook.rows import UnreadableWorkbook

    if isinstance(exc, (UnreadableWorkbook, CchcError)) and not isinstance(exc, OutputError):
        return message  # an output that cannot be written is the PC's or the folder's: the doctor may know why
    try:
        from toolkit.excel.doctor import advice_for_click

        advice = advice_for_click(book_folder(book) / Path(str(book.fullname)).name)
    except Exception:  # the doctor itself could not look: the failure's own message stands
        return message
    return f"{message}\n\n{advice}" if advice else message


def _click(book: Any, as_of: date, now: datetime, folder: str | Path | None) -> ClickOutcome:
    from toolkit.api import check
    from toolkit.rules.validate import summary

    out_dir = Path(folder) if folder is not None else book_folder(book)
    wb = read_book(book)
    a = check(wb, as_of=as_of, period=chosen_period(book, wb, as_of))
    report = a.report
    write_results(book, report, now)
    write_summary(book, wb, a, None, now)
    report_path, said = write_quarter_report(wb, a, out_dir, as_of=as_of)
    history: list[str] = []
    if report_path is not None:
        from toolkit.memory.ledger import after_report  # the report's figures in the ledger; figures changed since

        history = after_report(out_dir / Path(wb.path).name, wb, a.period, day=as_of, document=report_path,
                               assessment=a)
    write_summary_status(book, a, report_path, now)
    lines = [summary(report)]
    if report.errors:
        lines.append(f"Xem sheet «{RESULTS_SHEET}»: bấm vào ô ở cột Vị trí để đến ô cần sửa.")
    lines.append(f"Đã ghi tổng hợp tiến độ {a.period.label} vào sheet «{SUMMARY_SHEET}».")
    lines += said
    lines += history  # the ledger: figures changed after an issued report
    return ClickOutcome(ok=True, message="\n".join(lines), validation=report, report_path=report_path)


def book_folder(book: Any) -> Path:
    """The folder holding the workbook file; a ``CchcError`` when the workbook was never saved to a folder."""
    name = str(book.fullname or "")
    path = Path(name)
    if "://" in name or not path.is_absolute() or not path.parent.is_dir():
        raise CchcError(
            "Không xác định được thư mục của sổ (sổ chưa được lưu, hoặc đang mở trực tiếp từ OneDrive/SharePoint "
            "trên web). Hãy lưu sổ vào một thư mục trên máy (hoặc thư mục OneDrive đã đồng bộ) rồi bấm nút lại."
        )
    return path.parent


def chosen_period(book: Any, wb: Any, as_of: date) -> Any:
    """The quarter typed in ``Tổng hợp!B2``; None when blank (the assessment then takes the current period).

    Raises ``CchcError`` naming the cell when it holds something that is not a quarter.
    """
    from toolkit.core.period import Period

    sheet = _sheet(book, SUMMARY_SHEET)
    raw = sheet.range(PERIOD_CELL).value if sheet is not None else None
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    period = Period.parse(str(raw))
    if period is None:
        raise CchcError(f"Ô {SUMMARY_SHEET}!{PERIOD_CELL} ghi «{raw}», không phải kỳ báo cáo. Hãy chọn một quý "
                        f"trong danh sách (ví dụ Quý III/{wb.year or as_of.year}) hoặc để trống để lấy quý hiện tại.")
    return period


# Writing back -------------------------------------------------------------------------------------------------


def excel_text(value: str) -> str:
    """``value`` as Excel must store it: always text, never a formula, number or date.

    A leading apostrophe is Excel's own marker for "this is text"; it is not part of the value and is not shown.
    """
    return "'" + value


def link_formula(sheet: str, cell: str) -> str:
    """A ``HYPERLINK`` formula jumping to ``sheet!cell``, showing ``sheet!cell``; quotes are escaped."""
    target = "#'" + sheet.replace("'", "''") + "'!" + cell
    shown = f"{sheet}!{cell}"
    return f'=HYPERLINK("{target.replace(chr(34), chr(34) * 2)}","{shown.replace(chr(34), chr(34) * 2)}")'


def results_rows(report: Any) -> list[list[Any]]:
    """One row per issue, in ``RESULTS_HEADERS`` order; the place is a link when the issue has a cell.

    The place text (``Tiến độ!E7``) is what the mark rules look up, so it is exactly ``Issue.ref``.
    """
    from toolkit.core.issues import SEVERITY_LABELS

    rows: list[list[Any]] = []
    for n, i in enumerate(report.issues, start=1):
        if i.sheet and i.cell:
            place: Any = link_formula(i.sheet, i.cell)
        else:
            place = excel_text(i.ref) if i.ref else ""
        rows.append([n, SEVERITY_LABELS.get(i.severity, i.severity), place,
                     excel_text(i.sheet) if i.sheet else "", i.row if i.row else "",
                     excel_text(i.column) if i.column else "", excel_text(i.message)])
    return rows


def write_results(book: Any, report: Any, now: datetime) -> None:
    """Rewrite the results sheet (adding it when missing): a status line and one row per issue."""
    from toolkit.core.words import day
    from toolkit.rules.validate import summary

    sheet = _sheet(book, RESULTS_SHEET)
    if sheet is None:
        sheet = _add_sheet(book, RESULTS_SHEET)
        sheet.range("A1").value = "KẾT QUẢ KIỂM TRA SỐ LIỆU"
        sheet.range((RESULTS_FIRST_ROW - 1, 1)).value = [list(RESULTS_HEADERS)]
    _clear_from(sheet, RESULTS_FIRST_ROW, len(RESULTS_HEADERS))
    status = f"Kiểm tra lúc {now:%H:%M} {day(now.date())}: {summary(report)}"
    sheet.range((RESULTS_STATUS_ROW, 1)).value = excel_text(status)
    rows = results_rows(report)
    if rows:
        sheet.range((RESULTS_FIRST_ROW, 1)).value = rows


def _pct(value: float | None) -> Any:
    return round(value, 1) if value is not None else UNKNOWN


_WIDTH = 9  # columns of the summary sheet's body


def _line(*cells: Any) -> list[Any]:
    return [*cells, *[""] * (_WIDTH - len(cells))]


def _deadline(s: Any) -> str:
    from toolkit.core.words import day

    it = s.item
    if it.deadline is not None:
        return excel_text(day(it.deadline))
    return excel_text(it.deadline_note) if it.deadline_note else ""


def _note(s: Any) -> str:
    """The item's flags, in the words of the other outputs (fixed wording starting with a letter: no text marker)."""
    from toolkit.core.words import upper_first
    from toolkit.rules.phrases import NOT_REPORTED

    flags = ["Quá hạn" if s.overdue else "", "Sắp đến hạn" if s.due_soon else ""]
    if s.carried_from is not None:
        flags.append(f"Số liệu {s.carried_from.label}; kỳ này chưa cập nhật")
    elif not s.reported:
        flags.append(upper_first(NOT_REPORTED))
    if not s.usable:
        flags.append("Số liệu lỗi: " + ", ".join(s.bad_cells))
    return "; ".join(f for f in flags if f)


def _names(s: Any) -> str:
    return excel_text(", ".join(p.name or "" for p in s.owners) or s.owner)


def _status(s: Any) -> str:
    from toolkit.core.words import upper_first
    from toolkit.rules.phrases import NOT_REPORTED

    return excel_text(s.status) if s.status else upper_first(NOT_REPORTED)


def _item_rows(a: Any) -> list[list[Any]]:
    from toolkit.core.words import upper_first
    from toolkit.rules.phrases import counts_line, mean_line

    rows = [_line(f"1. Tiến độ theo nội dung ({a.period.label})"),
            _line("Mã", "Nội dung", "Phụ trách", "Chỉ tiêu (%)", "Tỷ lệ đạt (%)", "Mức hoàn thành (%)",
                  "Tình trạng", "Thời hạn", "Ghi chú")]
    for s in a.items:
        rows.append(_line(excel_text(s.code), excel_text(s.item.content or ""), _names(s),
                          s.target if s.target is not None else "", _pct(s.ratio) if s.ratio is not None else "",
                          _pct(s.completion), _status(s), _deadline(s), _note(s)))
    rows.append(_line("", excel_text(f"{upper_first(counts_line(a))}. {upper_first(mean_line(a))}.")))
    return rows


def _owner_rows(wb: Any, a: Any) -> list[list[Any]]:
    rows = [_line("2. Tiến độ theo cán bộ phụ trách"),
            _line("", "Họ và tên", "Chức danh", "Số nội dung", "Đã hoàn thành", "Quá hạn", "Hoàn thành bình quân (%)")]
    by_position = {p.name: p.position for p in wb.officials}
    for name, states in a.by_owner().items():
        known = [s.completion for s in states if s.completion is not None]
        rows.append(_line("", excel_text(name), excel_text(by_position.get(name) or ""), len(states),
                          sum(1 for s in states if s.done), sum(1 for s in states if s.overdue),
                          _pct(sum(known) / len(known)) if known else UNKNOWN))
    if a.unassigned():
        rows.append(_line("", "Chưa xác định người phụ trách: " + ", ".join(s.code for s in a.unassigned())))
    return rows


def _overdue_rows(a: Any) -> list[list[Any]]:
    from toolkit.core.words import day

    rows = [_line("3. Nội dung quá hạn")]
    if not a.overdue:
        return [*rows, _line("", f"Không có nội dung quá hạn tính đến {day(a.overdue_on)}.")]
    rows.append(_line("Mã", "Nội dung", "Phụ trách", "", "", "Mức hoàn thành (%)", "Tình trạng", "Thời hạn"))
    for s in a.overdue:
        rows.append(_line(excel_text(s.code), excel_text(s.item.content or ""), _names(s), "", "",
                          _pct(s.completion), _status(s), _deadline(s)))
    return rows


def summary_rows(wb: Any, a: Any) -> list[list[Any]]:
    """The summary sheet's body, read from the assessment: per item, per official, and the overdue items."""
    return [*_item_rows(a), _line(), *_owner_rows(wb, a), _line(), *_overdue_rows(a)]


def write_summary(book: Any, wb: Any, progress: Any, report_path: Path | None, now: datetime) -> None:
    """Rewrite the summary sheet's body (adding the sheet when missing); the quarter cell is kept as typed."""
    sheet = _sheet(book, SUMMARY_SHEET)
    if sheet is None:
        sheet = _add_sheet(book, SUMMARY_SHEET)
        sheet.range("A1").value = "TỔNG HỢP TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH"
        sheet.range("A2").value = "Kỳ báo cáo:"
    rows = summary_rows(wb, progress)
    _clear_from(sheet, SUMMARY_STATUS_ROW, len(rows[0]))
    write_summary_status(book, progress, report_path, now, sheet=sheet)
    sheet.range((SUMMARY_FIRST_ROW, 1)).value = rows


def write_summary_status(book: Any, progress: Any, report_path: Path | None, now: datetime, *,
                         sheet: Any = None) -> None:
    """The summary sheet's status line: when it was computed, as of which day, where the report is."""
    sheet = sheet if sheet is not None else _sheet(book, SUMMARY_SHEET)
    from toolkit.core.words import day

    status = f"Cập nhật lúc {now:%H:%M} {day(now.date())}, tính đến ngày {day(progress.overdue_on)}."
    if report_path is not None:
        status += f" Báo cáo: {report_path}"
    sheet.range((SUMMARY_STATUS_ROW, 1)).value = excel_text(status)


def write_quarter_report(wb: Any, a: Any, folder: Path, *, as_of: date) -> tuple[Path | None, list[str]]:
    """Write the period's Word report for the assessment ``a`` into ``folder``, dated ``as_of``.

    Returns the path written (None when the period cannot be reported) and the lines telling the official what
    was written: the issued report, or a draft (``DỰ THẢO``, no number) while the workbook has errors, which the
    results sheet lists; and where the file went when the usual one was open in Word.
    """
    from toolkit.core.files import OutputLocked
    from toolkit.report.write import NotReportable, write_report

    if not a.reportable:
        return None, [f"Không lập báo cáo {a.period.report_phrase}: kỳ này kết thúc trước ngày ban hành kế hoạch. "
                      f"Hãy chọn kỳ khác ở ô {SUMMARY_SHEET}!{PERIOD_CELL}."]
    try:
        written = write_report(a, folder, date=as_of)
        path, moved = written.path, []
    except OutputLocked as exc:
        written, path, moved = None, exc.free, [str(exc)]
    except NotReportable as exc:
        return None, [str(exc)]
    draft = written.draft if written is not None else a.report.errors > 0
    if draft:
        what = (f"Đã lập DỰ THẢO báo cáo {a.period.report_phrase} (không số, chưa ban hành được vì sổ còn "
                f"{a.report.errors} lỗi; sửa các lỗi ở sheet «{RESULTS_SHEET}» rồi bấm nút lại)")
    else:
        what = f"Đã lập báo cáo {a.period.report_phrase} để ban hành"
    return path, [*moved, f"{what}: {path}"]


def _sheet(book: Any, name: str) -> Any:
    from toolkit.core.text import fold

    key = fold(name)
    for sheet in book.sheets:
        if fold(sheet.name) == key:
            return sheet
    return None


def _add_sheet(book: Any, name: str) -> Any:
    sheets = book.sheets
    return sheets.add(name=name, after=sheets[len(sheets) - 1])


def _clear_from(sheet: Any, first_row: int, width: int) -> None:
    """Clear the values (not the formats) from ``first_row`` down to the sheet's last used row."""
    last = sheet.used_range.last_cell
    if last.row >= first_row:
        sheet.range((first_row, 1), (last.row, max(width, last.column))).clear_contents()
