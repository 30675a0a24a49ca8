"""Importing the plan document a commune already issued (``cchc init --plan``).

``import_plan(path)`` reads a ``.docx`` (python-docx), ``.txt`` or ``.md`` plan and returns an ``ImportedPlan``:
the general information, the items, the positions named as responsible, and ``problems``: every paragraph that
could not be placed, as issues quoting the paragraph and pointing at the workbook cell they affect.
``flags.flag_cells(imported)`` is a builder ``customize`` hook that marks those cells (a comment and a fill).

Stages: ``sources`` (file formats -> paragraphs), ``structure`` (the walk: paragraphs -> items and header),
which hands each paragraph, as a ``tokens.Token``, to ``info`` (header, title, aims, organisation), ``items``
(the items and their a)-d) parts) or ``closing`` (recipients, signer), all reporting to ``problems``;
``fields`` (the wording of targets, deadlines and assignments), ``flags`` (problems -> workbook cells);
``imported`` holds ``ImportedPlan``, so that ``flags`` need not import this package.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.core.issues import ERROR, Issue, issue
from toolkit.core.model import PlanInfo, PlanItem, Source
from toolkit.core.schema import INFO_SHEET, PLAN, info_field
from toolkit.planparse.flags import info_rows
from toolkit.planparse.imported import ImportedPlan
from toolkit.planparse.problems import Problem
from toolkit.planparse.sources import WORD_SUFFIXES, PlanUnreadable, read_paragraphs
from toolkit.planparse.structure import parse


def import_plan(path: str | Path) -> ImportedPlan:
    """Read the issued plan at ``path`` (.docx, .txt, .md).

    Never raises for what the document says: a missing or unreadable file gives ``fatal=True`` with one
    problem; a document without recognisable items gives no items and a ``plan-no-items`` problem.
    """
    path = Path(path)
    if not path.is_file():
        return _fatal(path, issue("file-missing", path=str(path)))
    try:
        paragraphs = read_paragraphs(path)
    except PlanUnreadable as exc:
        return _fatal(path, issue("file-unreadable", path=str(path), reason=exc.reason))
    parsed = parse(paragraphs)
    letters = {col.field: PLAN.letter(col.field) for col in PLAN.columns}
    for n, item in enumerate(parsed.items):
        item.source, item.row = Source(PLAN.name, letters), n + 2
    word = "Đoạn" if path.suffix.lower() in WORD_SUFFIXES else "Dòng"
    rows = info_rows(parsed.info)
    problems = [_issue(p, parsed.items, rows, word) for p in parsed.problems]
    if not parsed.items:
        problems.insert(0, issue("plan-no-items", sheet=PLAN.name, cell="A2", row=2))
    return ImportedPlan(path, parsed.info, parsed.items, parsed.officials, problems)


def _fatal(path: Path, problem: Issue) -> ImportedPlan:
    return ImportedPlan(path, PlanInfo(), [], [], [problem], fatal=True)


_ERROR_PARTS = ("content", "deadline")  # required cells: a missing part leaves the workbook invalid


def _issue(p: Problem, items: list[PlanItem], rows: dict[str, int], word: str) -> Issue:
    params = dict(p.params)
    if p.para is not None:
        params.setdefault("where", f"{word} {p.para.line}")
        params.setdefault("paragraph", p.para.text)
    if "item_code" in params:
        params["item"] = params.pop("item_code")
    severity = ERROR if p.code == "plan-part-missing" and p.cell_field in _ERROR_PARTS else None
    if p.info and p.cell_field:
        label = info_field(p.cell_field).label
        row = rows[p.cell_field]
        return issue(p.code, sheet=INFO_SHEET, row=row, column=label, cell=f"B{row}", severity=severity, **params)
    if p.item is not None and p.cell_field:
        row = items[p.item].row
        col = PLAN.column(p.cell_field)
        return issue(p.code, sheet=PLAN.name, row=row, column=col.header, cell=f"{PLAN.letter(p.cell_field)}{row}",
                     severity=severity, **params)
    return issue(p.code, severity=severity, **params)



def problem_lines(plan: ImportedPlan) -> list[str]:
    """What ``cchc init --plan`` prints: a summary line, then one line per problem with its cell."""
    if plan.fatal:
        return [p.message for p in plan.problems]
    head = (f"Đọc kế hoạch {plan.path.name}: {len(plan.items)} nội dung, "
            f"{len(plan.officials)} chức danh/người trong sheet Cán bộ.")
    if not plan.problems:
        return [head, "Đã hiểu toàn bộ kế hoạch."]
    errors = plan.errors
    lines = [head, f"Cần xem lại {len(plan.problems)} điểm ({errors} lỗi, {len(plan.problems) - errors} cảnh báo); "
                   "các ô ghi trong [ ] đã được tô vàng, có ghi chú trong sổ:"]
    for p in plan.problems:
        tag = "Lỗi" if p.severity == ERROR else "Cảnh báo"
        place = f" [{p.ref}]" if p.cell else ""
        lines.append(f"- {tag}{place}: {p.message}")
    return lines
