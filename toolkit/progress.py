"""Completion of the plan for one quarter, exactly as design.md section 4 defines it.

A ``Tiến độ`` row is a snapshot of an item as of its quarter. For quarter P an item's current row is its
latest row with ``Kỳ báo cáo`` <= P: the latest quarter, then the latest ``Ngày cập nhật``, then the lower
row on the sheet. Rows whose code, quarter or figures could not be read simply do not count here (validation
reports them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .model import Official, PlanItem, ProgressRow, TrackingWorkbook
from .people import owners_of
from .period import Period
from .schema import KIND_DONE, KIND_MAX, KIND_MIN, STATUS_DONE, STATUS_NOT_STARTED


@dataclass(frozen=True, slots=True)
class ItemProgress:
    """One plan item's state for a quarter.

    ``row`` is None when the item has no row by the quarter ("chưa báo cáo"; completion is then 0).
    ``ratio`` is None when the row gives no usable Số đạt / Tổng số. ``completion`` is None when it cannot be
    known (a ratio item without a numeric target, or without figures) and is never guessed.
    """

    item: PlanItem
    row: ProgressRow | None
    ratio: float | None
    completion: float | None
    overdue: bool

    @property
    def code(self) -> str:
        return self.item.code or ""

    @property
    def target(self) -> float | None:
        return self.item.target

    @property
    def kind(self) -> str:
        """``Loại chỉ tiêu``; a blank one counts as ``Tối thiểu``."""
        return self.item.kind or KIND_MIN

    @property
    def owner(self) -> str:
        """The item's ``Phụ trách`` text as written in the plan."""
        return self.item.owner or ""

    @property
    def status(self) -> str | None:
        """The current row's ``Tình trạng``; None when not reported."""
        return self.row.status if self.row is not None else None

    @property
    def reported(self) -> bool:
        return self.row is not None


@dataclass(frozen=True, slots=True)
class PlanProgress:
    """The whole plan for one quarter as of one day.

    ``plan_completion`` is the mean of the known completions (None if none is known); ``unknown`` counts the
    items whose completion is unknown and is always stated next to the mean.
    """

    period: Period
    as_of: date
    items: list[ItemProgress]
    plan_completion: float | None
    unknown: int

    def by_owner(self, officials: Sequence[Official]) -> dict[str, list[ItemProgress]]:
        """Official name -> the items they own (``people.owners_of``), in roster order.

        An item owned jointly appears under each owner; officials owning nothing are left out; items whose
        owner matches nobody are in ``unassigned``.
        """
        out: dict[str, list[ItemProgress]] = {}
        for person in officials:
            if person.name:
                out.setdefault(person.name, [])
        for ip in self.items:
            for person in owners_of(ip.item, officials):
                if person.name:
                    out[person.name].append(ip)
        return {name: items for name, items in out.items() if items}

    def unassigned(self, officials: Sequence[Official]) -> list[ItemProgress]:
        """Items whose ``Phụ trách`` names nobody on ``Cán bộ``."""
        return [ip for ip in self.items if not owners_of(ip.item, officials)]

    @property
    def overdue(self) -> list[ItemProgress]:
        return [ip for ip in self.items if ip.overdue]

    @property
    def not_reported(self) -> list[ItemProgress]:
        return [ip for ip in self.items if not ip.reported]


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


def is_overdue(item: PlanItem, row: ProgressRow | None, completion: float | None, as_of: date) -> bool:
    """The deadline has passed (before ``as_of``) and the item is not complete.

    An item without a dated deadline (event-based) is never overdue. When completion is unknown, the item
    counts as complete only if its row says ``Hoàn thành``.
    """
    if item.deadline is None or item.deadline >= as_of:
        return False
    if completion is None:
        return row is None or row.status != STATUS_DONE
    return completion < 100


def compute_progress(wb: TrackingWorkbook, period: Period, *, as_of: date) -> PlanProgress:
    """Completion of every plan item for ``period`` as of ``as_of``, and the plan's mean.

    Items are in plan order; an item code listed twice on ``Kế hoạch`` counts once (its first row), and items
    without a code are left out (validation reports both).
    """
    current = current_rows(wb.progress, period)
    seen: set[str] = set()
    items: list[ItemProgress] = []
    for item in wb.items:
        if not item.code or item.code in seen:
            continue
        seen.add(item.code)
        row = current.get(item.code)
        completion = completion_of(item, row)
        items.append(ItemProgress(item=item, row=row, ratio=row.ratio if row is not None else None,
                                  completion=completion, overdue=is_overdue(item, row, completion, as_of)))
    known = [ip.completion for ip in items if ip.completion is not None]
    mean = sum(known) / len(known) if known else None
    return PlanProgress(period=period, as_of=as_of, items=items, plan_completion=mean,
                        unknown=len(items) - len(known))


def default_period(wb: TrackingWorkbook, as_of: date) -> Period:
    """The quarter of ``as_of``, clamped to the plan year (Quý I before it, Quý IV after it).

    Without a known plan year, simply the quarter of ``as_of``.
    """
    period = Period.containing(as_of)
    year = wb.year
    if year is None or not 1 < year < 9999:  # a nonsense year typed in Thông tin chung (validation reports it)
        return period
    if period.year > year:
        return Period(year, 4)
    if period.year < year:
        return Period(year, 1)
    return period


def percent(value: float | None, *, unknown: str = "chưa xác định") -> str:
    """``95,2%`` the Vietnamese way (decimal comma, one decimal, no ``,0``); ``unknown`` for None."""
    if value is None:
        return unknown
    text = f"{value:.1f}".replace(".", ",")
    return (text[:-2] if text.endswith(",0") else text) + "%"


def target_text(ip: ItemProgress) -> str:
    """How the target reads in a table: ``≥ 50%``, ``≤ 5%``, ``hoàn thành``; ``chưa lượng hóa`` when blank."""
    if ip.kind == KIND_DONE:
        return "hoàn thành" if ip.target is None else f"hoàn thành ({percent(ip.target)})"
    if ip.target is None:
        return "chưa lượng hóa"
    return ("≤ " if ip.kind == KIND_MAX else "≥ ") + percent(ip.target)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def progress_as_dict(pp: PlanProgress) -> dict[str, object]:
    """The JSON shape of ``cchc status --json``: percentages 0..100 rounded to 2 decimals, null when unknown."""
    return {
        "period": pp.period.label,
        "as_of": pp.as_of.isoformat(),
        "plan_completion": _rounded(pp.plan_completion),
        "unknown": pp.unknown,
        "items": [
            {
                "code": ip.code,
                "target": ip.target,
                "kind": ip.kind,
                "ratio": _rounded(ip.ratio),
                "completion": _rounded(ip.completion),
                "status": ip.status,
                "overdue": ip.overdue,
                "reported": ip.reported,
                "owner": ip.owner,
            }
            for ip in pp.items
        ],
    }


def plan_summary(pp: PlanProgress) -> str:
    """One line: the plan's mean completion and how many items are unknown, overdue and not reported."""
    known = len(pp.items) - pp.unknown
    head = (f"Toàn kế hoạch: {percent(pp.plan_completion)} (bình quân {known} nội dung"
            + (f"; {pp.unknown} nội dung chưa xác định được mức hoàn thành)" if pp.unknown else ")"))
    tail = []
    if pp.overdue:
        tail.append(f"{len(pp.overdue)} nội dung quá hạn")
    if pp.not_reported:
        tail.append(f"{len(pp.not_reported)} nội dung chưa báo cáo")
    return head + (". " + ", ".join(tail) + "." if tail else ".")


def progress_text(pp: PlanProgress, officials: Sequence[Official]) -> str:
    """The status as two plain-text tables: per item, then per responsible official."""
    from .people import responsible
    from .textable import table

    lines = [f"Tiến độ thực hiện kế hoạch {pp.period.label} (tính đến ngày {pp.as_of:%d/%m/%Y})", ""]
    rows = []
    for ip in pp.items:
        rows.append((
            ip.code,
            target_text(ip),
            percent(ip.ratio, unknown="-"),
            percent(ip.completion) if ip.reported else "0% (chưa báo cáo)",
            ip.status or "-",
            "quá hạn" if ip.overdue else "",
            responsible(ip.item, officials),
        ))
    lines += table(("Mã", "Chỉ tiêu", "Tỷ lệ", "Hoàn thành", "Tình trạng", "Quá hạn", "Phụ trách"), rows)
    lines += ["", plan_summary(pp), "", "Theo người phụ trách:"]
    people = []
    groups = list(pp.by_owner(officials).items())
    unassigned = pp.unassigned(officials)
    if unassigned:
        groups.append(("(chưa xác định người phụ trách)", unassigned))
    for name, items in groups:
        known = [i.completion for i in items if i.completion is not None]
        people.append((
            name,
            ", ".join(i.code for i in items),
            percent(sum(known) / len(known) if known else None),
            ", ".join(i.code for i in items if i.overdue) or "-",
            ", ".join(i.code for i in items if not i.reported) or "-",
        ))
    lines += table(("Người phụ trách", "Nội dung", "Bình quân", "Quá hạn", "Chưa báo cáo"), people)
    return "\n".join(lines)
