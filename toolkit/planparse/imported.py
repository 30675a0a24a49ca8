"""What importing an issued plan gives: ``ImportedPlan``, the type ``import_plan`` returns and ``flags`` reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from toolkit.core.issues import ERROR, Issue
from toolkit.core.model import Official, PlanInfo, PlanItem


@dataclass(slots=True)
class ImportedPlan:
    """What an issued plan gave: the workbook's content and what could not be placed.

    ``fatal`` is True when the file could not be read at all (``problems`` then holds the reason and the
    other fields are empty). Items carry their future ``Kế hoạch`` row (``item.ref("owner")``).
    """

    path: Path
    info: PlanInfo
    items: list[PlanItem]
    officials: list[Official]
    problems: list[Issue] = field(default_factory=list)
    fatal: bool = False

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == ERROR)
