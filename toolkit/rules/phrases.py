"""The phrases made of an assessment's facts: an item's completion, the counts headline, the mean.

Every output (the report, ``cchc status``, the emails, the Excel button) writes these facts with these
functions, so they read the same everywhere: ``đã hoàn thành 04/08 nội dung; 04 nội dung chưa hoàn thành, trong
đó 04 nội dung quá hạn``. Single values are written by ``words``.
"""

from __future__ import annotations

from collections.abc import Sequence

from toolkit.core.schema import KIND_DONE
from toolkit.core.words import UNKNOWN, count, percent
from toolkit.rules.assess import Assessment, ItemState

NOT_REPORTED = "chưa báo cáo"


def codes(states: Sequence[ItemState]) -> str:
    """``1.1, 1.4``: item codes in plan order."""
    return ", ".join(s.code for s in states)


def completion_text(s: ItemState) -> str:
    """An item's completion as every output prints it, with the reason when it is not a plain figure."""
    if s.row is None:
        return f"0% ({NOT_REPORTED})"
    if s.completion is None:
        if not s.usable:
            return f"{UNKNOWN} (số liệu lỗi tại {', '.join(s.bad_cells)})"
        if s.item.target is None and s.item.kind != KIND_DONE:
            return f"{UNKNOWN} (kế hoạch chưa lượng hóa chỉ tiêu)"
        return f"{UNKNOWN} (thiếu số liệu)"
    text = percent(s.completion)
    if s.carried_from is not None:
        text += f" (số liệu {s.carried_from.label})"
    return text


def counts_line(a: Assessment) -> str:
    """The headline of counts (design.md section 4): completed out of all, not completed and how many of them
    are overdue, not reported. Every output leads with exactly this sentence."""
    total = len(a.items)
    parts = [f"đã hoàn thành {count(len(a.done), total)} nội dung"]
    if a.not_done:
        late = f", trong đó {count(len(a.overdue))} nội dung quá hạn" if a.overdue else ""
        parts.append(f"{count(len(a.not_done))} nội dung chưa hoàn thành{late}")
    if a.not_reported:
        parts.append(f"{count(len(a.not_reported))} nội dung chưa báo cáo {a.period.label}")
    return "; ".join(parts)


def mean_line(a: Assessment) -> str:
    """The secondary figure: the mean completion and the items it covers (never the headline)."""
    if a.mean is None:
        return "chưa tính được mức hoàn thành bình quân (không nội dung nào xác định được mức hoàn thành)"
    covered = f"{count(a.known, len(a.items))} nội dung xác định được mức hoàn thành"
    return f"mức hoàn thành bình quân {percent(a.mean)} (tính trên {covered})"
