"""Problems found while reading a plan: what it said that could not be placed as written, in document order."""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.planparse.sources import Paragraph
from toolkit.planparse.tokens import Token


@dataclass(frozen=True, slots=True)
class Problem:
    """Something the plan said that could not be placed as written.

    ``item`` is the index of the item it concerns (None for the plan as a whole), ``cell_field`` the PlanItem or
    PlanInfo field whose cell it affects (None when no cell is affected), ``para`` the paragraph it came from.
    """

    code: str
    para: Paragraph | None = None
    item: int | None = None
    cell_field: str | None = None
    info: bool = False  # cell_field is a PlanInfo field (Thông tin chung) rather than a PlanItem field
    params: dict[str, object] = field(default_factory=dict)


class Problems:
    """The one list every stage of the walk reports to, so the problems keep the order they were found in."""

    def __init__(self) -> None:
        self.found: list[Problem] = []

    def report(self, code: str, para: Paragraph | None = None, *, item: int | None = None,
               field_name: str | None = None, info: bool = False, **params: object) -> None:
        self.found.append(Problem(code, para, item, field_name, info, params))

    def unplaced(self, tok: Token) -> None:
        """A paragraph outside any item that could not be placed."""
        self.report("plan-paragraph-unplaced", tok.para)
