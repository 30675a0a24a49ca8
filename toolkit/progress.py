"""The completion rules of design.md section 4, for one item: which row is current, and its completion.

A ``Tiến độ`` row is a snapshot of an item as of its quarter. For quarter P an item's current row is its
latest row with ``Kỳ báo cáo`` <= P: the latest quarter, then the latest ``Ngày cập nhật``, then the lower
row on the sheet. ``toolkit.assess`` applies these rules once per run to every item; nothing else calls
them on rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .model import PlanItem, ProgressRow
from .period import Period
from .schema import KIND_DONE, KIND_MAX, KIND_MIN, STATUS_DONE, STATUS_NOT_STARTED


def current_rows(progress: Sequence[ProgressRow], period: Period) -> dict[str, ProgressRow]:
    """Item code -> its current row for ``period`` (the snapshot rule); rows without code or quarter are skipped."""
    limit = period.year * 4 + period.quarter
    best: dict[str, tuple[int, date, int]] = {}
    rows: dict[str, ProgressRow] = {}
    for row in progress:
        p = row.period
        if not row.code or p is None:
            continue
        ordinal = p.year * 4 + p.quarter  # quarters compared as plain numbers: this loop sees every row
        if ordinal > limit:
            continue
        key = (ordinal, row.updated or date.min, row.row)
        old = best.get(row.code)
        if old is None or key > old:
            best[row.code] = key
            rows[row.code] = row
    return rows


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
