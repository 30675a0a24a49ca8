"""``cchc status`` views of an assessment: the JSON shape and the terminal tables.

Nothing here computes a fact: every figure and flag is read from ``assess.Assessment``.
"""

from __future__ import annotations

from typing import Any

from toolkit.core.table import table
from toolkit.core.words import day, percent, target_phrase, upper_first
from toolkit.rules.assess import Assessment, ItemState
from toolkit.rules.phrases import completion_text, counts_line, mean_line


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def item_as_dict(s: ItemState) -> dict[str, Any]:
    """One item's facts as JSON: percentages 0..100 rounded to 2 decimals, null when unknown."""
    return {
        "code": s.code,
        "target": s.target,
        "kind": s.kind,
        "row": s.row.row if s.row is not None else None,
        "reported": s.reported,
        "carried_from": s.carried_from.label if s.carried_from else None,
        "usable": s.usable,
        "bad_cells": list(s.bad_cells),
        "ratio": _rounded(s.ratio),
        "completion": _rounded(s.completion),
        "status": s.status,
        "done": s.done,
        "overdue": s.overdue,
        "due_soon": s.due_soon,
        "missing": [q.label for q in s.missing],
        "owner": s.owner,
        "owners": [p.name for p in s.owners],
    }


def as_dict(a: Assessment) -> dict[str, Any]:
    """The JSON shape of ``cchc status --json``."""
    return {
        "period": a.period.label,
        "report_kind": a.period.kind_label,
        "as_of": a.as_of.isoformat(),
        "overdue_on": a.overdue_on.isoformat(),
        "cutoff": {"start": a.window.start.isoformat(), "end": a.window.end.isoformat()},
        "reportable": a.reportable,
        "counts": {
            "items": len(a.items),
            "done": len(a.done),
            "not_done": len(a.not_done),
            "overdue": len(a.overdue),
            "not_reported": len(a.not_reported),
            "unknown": len(a.unknown),
        },
        "done": [s.code for s in a.done],
        "overdue": [s.code for s in a.overdue],
        "not_reported": [s.code for s in a.not_reported],
        "unknown": [s.code for s in a.unknown],
        "mean_completion": _rounded(a.mean),
        "mean_covers": a.known,
        "items": [item_as_dict(s) for s in a.items],
    }


def headline(a: Assessment) -> str:
    """The counts first, then the mean saying what it covers."""
    return f"{upper_first(counts_line(a))}. {upper_first(mean_line(a))}."


def _flags(s: ItemState) -> str:
    flags = ["quá hạn" if s.overdue else "", "sắp đến hạn" if s.due_soon else ""]
    if not s.reported:
        flags.append(f"số liệu {s.carried_from.label}" if s.carried_from else "chưa báo cáo")
    return ", ".join(f for f in flags if f)


def as_text(a: Assessment) -> str:
    """The status as two plain-text tables: per item, then per responsible official."""
    cutoff = (f"; quá hạn xét tại ngày chốt số liệu {day(a.overdue_on)}" if a.overdue_on != a.as_of else "")
    lines = [f"Tiến độ thực hiện kế hoạch {a.period.label} (tính đến ngày {day(a.as_of)}{cutoff})", ""]
    if not a.reportable:
        lines += [f"{a.period.label} kết thúc trước ngày ban hành kế hoạch ({day(a.wb.info.plan_date)}); "
                  "kỳ này không có số liệu để báo cáo.", ""]
    rows = [(s.code, target_phrase(s.kind, s.target), percent(s.ratio, unknown="-"), completion_text(s),
             s.status or "-", _flags(s), ", ".join(p.name or "" for p in s.owners) or s.owner) for s in a.items]
    lines += table(("Mã", "Chỉ tiêu", "Tỷ lệ", "Hoàn thành", "Tình trạng", "Ghi chú", "Phụ trách"), rows)
    lines += ["", headline(a), "", "Theo người phụ trách:"]
    groups = list(a.by_owner().items())
    if a.unassigned():
        groups.append(("(chưa xác định người phụ trách)", a.unassigned()))
    people = []
    for name, states in groups:
        known = [s.completion for s in states if s.completion is not None]
        people.append((name, ", ".join(s.code for s in states),
                       f"{sum(1 for s in states if s.done):02d}/{len(states):02d}",
                       ", ".join(s.code for s in states if s.overdue) or "-",
                       ", ".join(s.code for s in states if not s.reported) or "-",
                       percent(sum(known) / len(known) if known else None)))
    lines += table(("Người phụ trách", "Nội dung", "Hoàn thành", "Quá hạn", "Chưa báo cáo", "Bình quân"), people)
    return "\n".join(lines)
