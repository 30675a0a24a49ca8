"""The ledger of issued reports: what each numbered report printed, to catch figures changed afterwards.

When an issued, numbered report is written, ``record`` notes in ``so-cai-bao-cao.json`` beside the workbook
(never inside it) what it printed for every item: the quarter, the ``Tiến độ`` row it came from (sheet row
and content key: code, quarter, date of update), Số đạt / Tổng số, the ratio and completion, and the status,
with the report's number and date. Writing the same number again replaces its entry.

``drifts`` compares, for each quarter, the latest report issued for it with the workbook as it is now
(assessed for that quarter as of the report's date): any item whose Số đạt, Tổng số or Tình trạng differ is
one line for the Office, naming the report, the printed value, the cell and its value now. A target changed
in ``Kế hoạch`` is a plan change (the change list), not a changed figure.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from toolkit.core import words
from toolkit.core.files import write_bytes_atomic
from toolkit.core.model import ProgressRow, TrackingWorkbook
from toolkit.core.period import Period
from toolkit.memory.changes import show
from toolkit.rules.assess import Assessment, ItemState, assess

log = logging.getLogger("cchc.ledger")

LEDGER_NAME = "so-cai-bao-cao.json"
FIGURES = ("achieved", "total", "status")


def ledger_path(workbook: str | Path) -> Path:
    """``so-cai-bao-cao.json`` in the workbook's folder."""
    return Path(workbook).parent / LEDGER_NAME


@dataclass(frozen=True, slots=True)
class Printed:
    """What a report printed for one item; ``row`` is None when the item had no row ("chưa báo cáo")."""

    code: str
    row: int | None
    key: tuple[str, str, str] | None
    achieved: float | None
    total: float | None
    status: str | None
    ratio: float | None = None
    completion: float | None = None

    def figures(self) -> str:
        """``260/430``; ``chưa báo cáo`` without a row; ``(trống)`` for a missing figure."""
        if self.row is None:
            return "chưa báo cáo"
        return f"{show(self.achieved)}/{show(self.total)}"


@dataclass(frozen=True, slots=True)
class Issued:
    """One issued report: its number (``09/BC-UBND``), date, quarter and what it printed."""

    number: str
    day: date
    period: Period
    items: tuple[Printed, ...]
    document: str = ""

    @property
    def title(self) -> str:
        return f"Báo cáo số {self.number} ngày {words.day(self.day)}"


def _states(wb: TrackingWorkbook, period: Period, as_of: date,
            assessment: Assessment | None = None) -> list[tuple[str, ProgressRow | None, ItemState]]:
    """(code, row used, state) for every plan item, from the one assessment (``assessment`` when the caller
    already has the one its report printed)."""
    a = assessment if assessment is not None and assessment.period == period else assess(wb, as_of=as_of,
                                                                                          period=period)
    return [(s.code, s.row, s) for s in a.items if s.code]


def _printed(code: str, row: ProgressRow | None, state: ItemState) -> Printed:
    key = None
    if row is not None:
        key = (row.code or "", row.period.label if row.period else "", row.updated.isoformat() if row.updated else "")
    return Printed(code, row.row if row is not None else None, key,
                   row.achieved if row is not None else None, row.total if row is not None else None,
                   row.status if row is not None else None, state.ratio, state.completion)


def load(path: Path) -> list[Issued]:
    """The reports in the ledger, in the order recorded; an unreadable ledger is logged and read as empty."""
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [_issued(r) for r in data.get("reports", [])]
    except (ValueError, TypeError, KeyError, AttributeError, OSError) as exc:
        log.error("Sổ cái báo cáo %s không đọc được: %s", path, exc)
        return []


def _issued(r: dict[str, Any]) -> Issued:
    period = Period.parse(r["period"])
    if period is None:
        raise ValueError(f"kỳ báo cáo không hợp lệ: {r['period']!r}")
    items = tuple(Printed(i["code"], i.get("row"), tuple(i["key"]) if i.get("key") else None,  # type: ignore[arg-type]
                          i.get("achieved"), i.get("total"), i.get("status"), i.get("ratio"), i.get("completion"))
                  for i in r["items"])
    return Issued(r["number"], date.fromisoformat(r["date"]), period, items, r.get("document", ""))


def _as_dict(report: Issued) -> dict[str, Any]:
    return {"number": report.number, "date": report.day.isoformat(), "period": report.period.label,
            "document": report.document,
            "items": [{"code": p.code, "row": p.row, "key": list(p.key) if p.key else None, "achieved": p.achieved,
                       "total": p.total, "status": p.status, "ratio": p.ratio, "completion": p.completion}
                      for p in report.items]}


def record(workbook: str | Path, wb: TrackingWorkbook, period: Period, *, number: str, day: date,
           document: str | Path = "", assessment: Assessment | None = None) -> Issued:
    """Note what report ``number`` of ``day`` printed for ``period`` (``assessment``: the one the report used)."""
    issued = Issued(number, day, period, tuple(_printed(*s) for s in _states(wb, period, day, assessment)),
                    Path(document).name if document else "")
    path = ledger_path(workbook)
    reports = [r for r in load(path) if r.number != number or r.day.year != day.year]
    reports.append(issued)
    data = {"version": 1, "workbook": Path(workbook).name, "reports": [_as_dict(r) for r in reports]}
    write_bytes_atomic(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    return issued


def record_issued(workbook: str | Path, wb: TrackingWorkbook, period: Period, *, number: int | None, day: date,
                  document: str | Path = "", assessment: Assessment | None = None) -> str | None:
    """Record a report just written when it is issued (``number``, else ``Số báo cáo tiếp theo``; an unnumbered
    draft is not recorded). Returns a message for the user when the ledger could not be written, else None."""
    from toolkit.report.wording import number_symbol

    number = number if number is not None else wb.info.next_report_number
    if number is None:
        return None
    try:
        record(workbook, wb, period, number=number_symbol(number, "BC", wb.info.issuer_abbr), day=day,
               document=document, assessment=assessment)
    except OSError as exc:
        log.error("Không ghi được sổ cái báo cáo: %s", exc)
        return f"không ghi được sổ cái báo cáo {ledger_path(workbook)}: {exc}"
    return None


def latest_per_period(reports: list[Issued]) -> list[Issued]:
    """The last report issued for each quarter (a corrected report supersedes the earlier one)."""
    latest: dict[Period, Issued] = {}
    for r in reports:
        if r.period not in latest or r.day >= latest[r.period].day:
            latest[r.period] = r
    return sorted(latest.values(), key=lambda r: r.period)


def _cell(row: ProgressRow, printed: Printed) -> str:
    for name in FIGURES:
        if getattr(row, name) != getattr(printed, name):
            return row.ref(name)
    return row.ref("achieved")


def _drift(report: Issued, printed: Printed, row: ProgressRow | None) -> str | None:
    now = (row.achieved, row.total, row.status) if row is not None else (None, None, None)
    before = (printed.achieved, printed.total, printed.status)
    if (printed.row is None and row is None) or (printed.row is not None and row is not None and now == before):
        return None
    head = f"Nội dung {printed.code}, {report.period.label}: {report.title} đã ghi "
    if row is None:
        return head + f"{printed.figures()}; nay không còn dòng số liệu nào của nội dung này đến {report.period.label}"
    current = Printed(printed.code, row.row, None, row.achieved, row.total, row.status)
    if printed.row is not None and (printed.achieved, printed.total) == (row.achieved, row.total):
        return head + f"tình trạng «{printed.status or ''}»; nay ô {_cell(row, printed)} là «{row.status or ''}»"
    return head + f"{printed.figures()}; nay ô {_cell(row, printed)} là {current.figures()}"


def drifts(workbook: str | Path, wb: TrackingWorkbook) -> list[str]:
    """One line per item whose figures changed since the latest report issued for its quarter."""
    out: list[str] = []
    for report in latest_per_period(load(ledger_path(workbook))):
        rows = {code: row for code, row, _ in _states(wb, report.period, report.day)}
        for printed in report.items:
            line = _drift(report, printed, rows.get(printed.code))
            if line:
                out.append(line)
    return out


def after_report(workbook: str | Path, wb: TrackingWorkbook, period: Period, *, day: date,
                 document: str | Path = "", assessment: Assessment | None = None) -> list[str]:
    """For the button: record the report just written (numbered by ``Số báo cáo tiếp theo``), then the lines
    to show: a ledger that could not be written, and figures changed after earlier reports."""
    problem = record_issued(workbook, wb, period, number=None, day=day, document=document, assessment=assessment)
    return [f"Chú ý: {line}" for line in ([problem] if problem else []) + drifts(workbook, wb)]
