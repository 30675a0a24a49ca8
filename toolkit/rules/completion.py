"""The completion rules of design.md section 4, for one item: which row is current, and its completion.

A ``Tiến độ`` row is a snapshot of an item as of its quarter. For quarter P an item's current row is its
latest row with ``Kỳ báo cáo`` <= P: the latest quarter, then the latest ``Ngày cập nhật``, then the lower
row on the sheet. ``toolkit.rules.assess`` applies these rules once per run to every item; nothing else calls
them on rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from toolkit.core.model import PlanItem, ProgressRow
from toolkit.core.period import Period
from toolkit.core.schema import KIND_DONE, KIND_MAX, KIND_MIN, STATUS_DONE, STATUS_NOT_STARTED


@dataclass(frozen=True, slots=True)
class Snapshots:
    """What one pass over ``Tiến độ`` tells about the items for quarter P: each item's current row (the
    snapshot rule), the (item, quarter) pairs with a row, and the items with a row whose quarter is unclear."""

    current: dict[str, ProgressRow]
    reported: set[tuple[str, Period]]
    unclear: set[str]


def snapshots(progress: Sequence[ProgressRow], period: Period) -> Snapshots:
    """One pass over the rows for ``period``; rows without a code are skipped."""
    best: dict[str, tuple[Period, date, int]] = {}
    out = Snapshots(current={}, reported=set(), unclear=set())
    current, reported = out.current, out.reported
    for row in progress:
        code = row.code
        if not code:
            continue
        p = row.period
        if p is None:
            out.unclear.add(code)
            continue
        reported.add((code, p))
        if p > period:
            continue
        key = (p, row.updated or date.min, row.row)
        old = best.get(code)
        if old is None or key > old:
            best[code] = key
            current[code] = row
    return out


def current_rows(progress: Sequence[ProgressRow], period: Period) -> dict[str, ProgressRow]:
    """Item code -> its current row for ``period`` (the snapshot rule); rows without code or quarter are skipped."""
    return snapshots(progress, period).current


def completion_of(item: PlanItem, row: ProgressRow | None) -> float | None:
    """Completion 0..100 of ``item`` given its current ``row`` (None = not reported, completion 0).

    Returns None when unknown: a ``Tối thiểu``/``Tối đa`` item without a numeric target, or whose row gives no
    ratio (unless the row says ``Chưa thực hiện``, which is 0). A blank ``Loại chỉ tiêu`` counts as
    ``Tối thiểu``.
    """
    if row is None:
        return 0.0
    ratio = row.ratio
    kind = item.kind or KIND_MIN
    if kind == KIND_DONE:
        if row.status == STATUS_DONE:
            return 100.0
        return min(max(ratio, 0.0), 100.0) if ratio is not None else 0.0
    target = item.target
    if target is None:
        return None
    if ratio is None:
        return 0.0 if row.status == STATUS_NOT_STARTED else None
    if kind == KIND_MAX:
        if ratio <= target:
            return 100.0
        return target / ratio * 100
    if target <= 0:
        return 100.0
    return min(max(ratio, 0.0) / target, 1.0) * 100
