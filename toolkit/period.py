"""Reporting periods: quarters written the Vietnamese way, ``Quý III/2023``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .text import clean

ROMAN = ("I", "II", "III", "IV")
_PERIOD_RE = re.compile(r"^(?:quý|quy|q)\s*([ivx]+|[1-4])\s*(?:/|-|năm|nam)\s*(\d{4})$", re.IGNORECASE)


@dataclass(frozen=True, order=True, slots=True)
class Period:
    """One quarter of one year; ordered in time."""

    year: int
    quarter: int

    def __post_init__(self) -> None:
        if not 1 <= self.quarter <= 4:
            raise ValueError(f"quarter must be 1..4, got {self.quarter}")

    @property
    def label(self) -> str:
        """The canonical cell text, ``Quý III/2023``."""
        return f"Quý {ROMAN[self.quarter - 1]}/{self.year}"

    @property
    def phrase(self) -> str:
        """The wording used in documents, ``quý III năm 2023``."""
        return f"quý {ROMAN[self.quarter - 1]} năm {self.year}"

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end(self) -> date:
        """The last day of the quarter."""
        nxt = self.next()
        return nxt.start - timedelta(days=1)

    def next(self) -> Period:
        return Period(self.year + 1, 1) if self.quarter == 4 else Period(self.year, self.quarter + 1)

    def previous(self) -> Period:
        return Period(self.year - 1, 4) if self.quarter == 1 else Period(self.year, self.quarter - 1)

    @classmethod
    def containing(cls, day: date) -> Period:
        """The quarter that ``day`` falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def of_year(cls, year: int) -> list[Period]:
        return [cls(year, q) for q in range(1, 5)]

    @classmethod
    def parse(cls, text: str) -> Period | None:
        """Parse ``Quý III/2023`` and lenient spellings (``quý 3/2023``, ``Q3-2023``); None if not a quarter."""
        m = _PERIOD_RE.match(clean(text))
        if not m:
            return None
        q = m.group(1).upper()
        quarter = int(q) if q.isdigit() else (ROMAN.index(q) + 1 if q in ROMAN else 0)
        if not 1 <= quarter <= 4:
            return None
        return cls(int(m.group(2)), quarter)

    def __str__(self) -> str:
        return self.label
