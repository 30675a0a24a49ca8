"""Reporting periods: quarters written the Vietnamese way, ``Quý III/2023``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from toolkit.core.text import clean

ROMAN = ("I", "II", "III", "IV")
_PERIOD_RE = re.compile(r"^(?:quý|quy|q)\s*([ivx]+|[1-4])\s*(?:/|-|năm|nam)\s*(\d{4})$", re.IGNORECASE)


class _Quarter(NamedTuple):
    year: int
    quarter: int


class Period(_Quarter):
    """One quarter of one year; ordered in time.

    A named tuple underneath: hashing, equality and order run at C speed, and the assessment keys every
    ``Tiến độ`` row by its quarter.
    """

    __slots__ = ()

    def __new__(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise ValueError(f"quarter must be 1..4, got {quarter}")
        return super().__new__(cls, year, quarter)

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

    @property
    def kind_label(self) -> str:
        """The periodic report this quarter closes (Nghị định 09/2019 Điều 12): ``quý I``, ``6 tháng đầu năm``,
        ``quý III``, ``năm``."""
        return REPORT_KINDS[self.quarter - 1]

    @property
    def report_phrase(self) -> str:
        """The period as a report's title and sentences name it: ``6 tháng đầu năm 2023``, ``năm 2023``."""
        return f"{self.kind_label} năm {self.year}" if self.quarter in (1, 3) else f"{self.kind_label} {self.year}"

    def window(self, cutoff_day: int | None = None) -> Window:
        """The data cut-off window of this period's report (thời gian chốt số liệu).

        Nghị định 09/2019 Điều 12: from the day after ``cutoff_day`` (default 14) of the month before the
        reporting span to ``cutoff_day`` of its last month. The span is the quarter for quý I and quý III, the
        first half-year for the six-month report (Quý II) and the whole year for the year report (Quý IV).
        A province's own cut-off day (``Thông tin chung``) replaces 14.
        """
        day = CUTOFF_DAY if cutoff_day is None else max(1, min(int(cutoff_day), 28))
        first_month = {1: 1, 2: 1, 3: 7, 4: 1}[self.quarter]
        last_month = 3 * self.quarter
        before = date(self.year, first_month, 1) - timedelta(days=1)  # the month before the span
        return Window(date(before.year, before.month, day) + timedelta(days=1), date(self.year, last_month, day))

    def __str__(self) -> str:
        return self.label


REPORT_KINDS = ("quý I", "6 tháng đầu năm", "quý III", "năm")
CUTOFF_DAY = 14  # Nghị định 09/2019/NĐ-CP Điều 12: data up to the 14th of the period's last month


@dataclass(frozen=True, slots=True)
class Window:
    """A span of days, both ends included."""

    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end
