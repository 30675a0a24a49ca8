"""The real plan (KẾ HOẠCH khắc phục Chỉ số CCHC năm 2022, xã Đăktover) as structured data.

The data is in ``toolkit/data/example_plan.toml``, transcribed from ``toolkit/data/ke-hoach-khac-phuc-cchc-2022.txt``
(a copy of the issued plan). Every a)-d) part of every item is kept as written; the comments at the top of the
data file say where the plan itself is irregular (no number and date of its own, items without a numeric target,
item 1.8 without a deadline, "Trong năm 2023" read as 31/12/2023). Each call returns new objects: callers may
change them.
"""

from __future__ import annotations

import copy
import functools
import tomllib
from typing import Any

from toolkit.core.model import Official, PlanInfo, PlanItem
from toolkit.core.resources import data_file
from toolkit.core.schema import TARGET_KINDS

EXAMPLE_PLAN = "example_plan.toml"


@functools.cache
def _data() -> dict[str, Any]:
    with data_file(EXAMPLE_PLAN).open("rb") as f:
        data = tomllib.load(f)
    for row in data["items"]:
        if row.get("kind") not in (None, *TARGET_KINDS):
            raise ValueError(f"{EXAMPLE_PLAN}: item {row.get('code')}: kind {row['kind']!r} is not one of "
                             f"{TARGET_KINDS}")
        if row.get("target") is not None:
            row["target"] = float(row["target"])  # a percentage, written 100 or 100.0
    return data


def _table(name: str) -> Any:
    """A fresh copy of one table of the data file (the cached one is never handed out)."""
    return copy.deepcopy(_data()[name])


def plan_items() -> list[PlanItem]:
    """The eight items 1.1 to 1.8, in plan order."""
    return [PlanItem(**row) for row in _table("items")]


def plan_positions() -> list[Official]:
    """The positions the plan names as responsible or coordinating (names, e-mails to be filled in)."""
    return [Official(**row) for row in _table("positions")]


def plan_info(year: int = 2023) -> PlanInfo:
    """The unit, the plan's subject, legal basis, purposes, organisation, signer and recipients."""
    return PlanInfo(**_table("info"), year=year)
