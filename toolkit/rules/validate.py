"""Validation: every entry of a tracking workbook checked, every problem an issue at its cell.

``run_checks(assessment)`` runs the checks in ``CHECKS`` (``checks``: per column and per sheet;
``checks_rows``: across ``Tiến độ`` rows and from the assessment's item facts) and returns a ``Report`` that
also holds the reader's own notes; ``toolkit.api.check`` runs it on every assessment, so its issues travel with
the one assessment. A cell the reader could not understand (``Record.invalid``) is never reported again.

Severities, as an official would weigh them: an error is something the quarterly report cannot be right
with (a missing or impossible figure, a row that counts for no item, a date that cannot be true); a warning
is something to tidy or to act on that does not make the figures wrong (a spelling, a late item, a quarter
nobody reported).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.core.issues import ERROR, SEVERITY_LABELS, Issue, Report, issue
from toolkit.core.schema import INFO_SHEET, PLAN, PROGRESS, ROSTER
from toolkit.core.valuerules import plausible_year
from toolkit.rules import checks as c
from toolkit.rules import checks_rows as p
from toolkit.rules.checks import Check, Context

if TYPE_CHECKING:
    from toolkit.rules.assess import Assessment

ISSUE_LIMIT = 1000  # issues listed per report; beyond it a note says how many more there are

CHECKS: list[Check] = [
    c.check_required,
    c.check_range,
    c.check_unique_codes,
    c.check_references,
    c.check_emails,
    c.check_plan_not_empty,
    c.check_owners,
    c.check_targets,
    c.check_deadlines,
    c.check_duplicate_officials,
    c.check_info,
    p.check_figures,
    p.check_results,
    p.check_done_meets_target,
    p.check_dates,
    p.check_period_year,
    p.check_duplicate_snapshots,
    p.check_missing_reports,
    p.check_unusable_figures,
    p.check_overdue,
    p.check_overdue_cause,
]

_SHEET_ORDER = {PLAN.name: 1, PROGRESS.name: 2, ROSTER.name: 3, INFO_SHEET: 4}


def _position(i: Issue) -> tuple[int, int, int, str]:
    """Sort key: sheet order, row, then column (file-level issues first)."""
    if i.sheet is None:
        return (0, 0, 0, "")
    letters = (i.cell or "").rstrip("0123456789")
    return (_SHEET_ORDER.get(i.sheet, 5), i.row or 0, len(letters), letters)


def run_checks(assessment: Assessment, *, limit: int = ISSUE_LIMIT) -> Report:
    """Every check over the assessed workbook, with the reader's notes (``api.check`` runs it).

    Issues are sorted by sheet, row and column. When there are more than ``limit``, every error is kept
    before any warning (so ``valid`` stays true to the workbook), the rest are counted in ``Report.capped``
    and a final ``issues-capped`` note says how many were left out.
    """
    wb = assessment.wb
    year = wb.year if plausible_year(wb.year) else None  # a nonsense year is reported; its rules are skipped
    ctx = Context(assessment=assessment, as_of=assessment.as_of, year=year,
                  plan_codes=frozenset(it.code for it in wb.items if it.code))
    found: list[Issue] = list(wb.notes)
    for check in CHECKS:
        found.extend(check(ctx))
    found.sort(key=_position)
    capped = 0
    if len(found) > limit:
        errors = [i for i in found if i.severity == ERROR]
        keep = set(map(id, (errors + [i for i in found if i.severity != ERROR])[:limit]))
        kept = [i for i in found if id(i) in keep]
        capped = len(found) - len(kept)
        found = [*kept, issue("issues-capped", more=capped, limit=limit)]
    return Report(workbook=wb.path, issues=found, capped=capped)


def summary(report: Report) -> str:
    """One Vietnamese line: how the check ended (used by the CLI, the button and the nightly digest)."""
    if report.fatal:
        return report.issues[0].message if report.issues else "Không đọc được sổ theo dõi."
    if report.errors:
        return f"Có {report.errors} lỗi và {report.warnings} cảnh báo cần xem lại trong {Path(report.workbook).name}."
    if report.warnings:
        return f"Không có lỗi; có {report.warnings} cảnh báo cần xem lại trong {Path(report.workbook).name}."
    return f"Sổ theo dõi {Path(report.workbook).name} hợp lệ: không có lỗi, không có cảnh báo."



def report_text(report: Report) -> str:
    """The report as a plain-text table (sheet, cell, severity, message) followed by the summary line."""
    from toolkit.core.table import table

    rows = [(i.sheet or "", i.cell or "", SEVERITY_LABELS[i.severity], i.message) for i in report.issues]
    lines = [f"Kiểm tra sổ theo dõi: {report.workbook}", ""]
    if rows:
        lines += [*table(("Sheet", "Ô", "Mức", "Vấn đề"), rows), ""]
    lines.append(summary(report))
    return "\n".join(lines)
