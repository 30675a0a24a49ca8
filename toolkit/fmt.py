"""How facts are written: one formatter per kind of value, shared by the report, the emails and the sheets.

A percentage, a date, a target or a count reads the same wherever an official meets it: ``95,2%``,
``05/10/2023``, ``tối thiểu 50%``, ``đã hoàn thành 04/08 nội dung``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from .schema import KIND_DONE, KIND_MAX

if TYPE_CHECKING:
    from .assess import Assessment, ItemState

UNKNOWN = "chưa xác định"
NOT_REPORTED = "chưa báo cáo"
SEVERITY_LABELS = {"error": "Lỗi", "warning": "Cảnh báo"}


def percent(value: float | None, *, unknown: str = UNKNOWN) -> str:
    """``95,2%`` the Vietnamese way (decimal comma, one decimal, no ``,0``); ``unknown`` for None."""
    if value is None:
        return unknown
    text = f"{value:.1f}".replace(".", ",")
    return (text[:-2] if text.endswith(",0") else text) + "%"


def number(value: float) -> str:
    """``20``, ``1.190``, ``12,5``: Vietnamese thousands dot and decimal comma."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def day(d: date | None) -> str:
    """``05/10/2023``, ``10/8/2023``, ``08/02/2024``: the day with two digits, months 1 and 2 with a leading
    zero (Nghị định 30/2020, Phụ lục I); ``""`` for None."""
    if d is None:
        return ""
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"{d.day:02d}/{month}/{d.year}"


def count(n: int, total: int | None = None) -> str:
    """``04`` or ``04/08``: counts of items in a headline, two digits as documents write them."""
    return f"{n:02d}" if total is None else f"{n:02d}/{total:02d}"


def target_phrase(kind: str | None, target: float | None) -> str:
    """The target in words: ``tối thiểu 50%``, ``không quá 1%``, ``hoàn thành``; ``chưa lượng hóa`` when the
    plan gives no number for a ratio item."""
    if kind == KIND_DONE:
        return "hoàn thành" if target is None else f"hoàn thành ({percent(target)})"
    if target is None:
        return "chưa lượng hóa"
    return ("không quá " if kind == KIND_MAX else "tối thiểu ") + percent(target)


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


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
