"""A clean tracking workbook for report tests: the example's plan and rows, issued early in the year.

The shipped example has deliberate flaws (so its report is a draft) and a plan issued on 10/8/2023 (so only
quý III and năm can be reported). Report tests need every period kind and an issued report too: this builds
the example's own rows, typed correctly, for a plan issued on 16/01/2023.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from tests.conftest import ROOT
from toolkit.core.example_plan import plan_info, plan_items
from toolkit.core.model import PlanInfo, PlanItem, ProgressRow
from toolkit.core.period import Period
from toolkit.workbook.builder import build_workbook

PLAN_DAY = dt.date(2023, 1, 16)
# The day each period's report is made (a few days after the quarter ends).
REPORT_DAY = {1: dt.date(2023, 4, 10), 2: dt.date(2023, 7, 10), 3: dt.date(2023, 10, 12), 4: dt.date(2024, 1, 8)}


def example_module():
    sys.path.insert(0, str(ROOT / "workbooks"))
    import make_example

    return make_example


def clean_info(**changes) -> PlanInfo:
    info = plan_info()
    info.plan_number, info.plan_date = "52/KH-UBND", PLAN_DAY
    for key, value in changes.items():
        setattr(info, key, value)
    return info


def clean_rows(until: int = 4, *, skip: frozenset[tuple[str, int]] = frozenset()) -> list[ProgressRow]:
    """The example's rows of quarters 1..``until``, typed correctly, dated inside each quarter's data window."""
    ex = example_module()
    rows = []
    for (code, q), (who, achieved, total, status, result, difficulties, proposals, evidence) in ex.ROWS.items():
        if (code, q) in skip or q > until:
            continue
        if (code, q) == ("1.4", 2):
            result = "Tiếp nhận 35 hồ sơ trực tuyến."
        updated = {1: dt.date(2023, 3, 10), 2: dt.date(2023, 6, 9), 3: dt.date(2023, 9, 8),
                   4: dt.date(2023, 12, 8)}[q]
        rows.append(ProgressRow(code=code, period=Period(2023, q), updated=updated, updater=who, achieved=achieved,
                                total=total, status=status, result=result or None,
                                difficulties=difficulties or None, proposals=proposals or None,
                                evidence=evidence or None))
    return rows


def build_clean(path: Path, *, until: int = 4, info: PlanInfo | None = None, items: list[PlanItem] | None = None,
                rows: list[ProgressRow] | None = None) -> Path:
    """A clean workbook as it stands when the report of quarter ``until`` is made."""
    ex = example_module()
    return build_workbook(path, info or clean_info(), items if items is not None else plan_items(), ex.OFFICIALS,
                          rows if rows is not None else clean_rows(until))
