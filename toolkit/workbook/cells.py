"""Turning one cell's raw value into a typed value, the lenient way offices need.

Each parser takes what python-calamine returns for a cell (str, float, int, bool, date, datetime, timedelta)
and returns the typed value; when it had to interpret (a date typed as text, ``85%`` as text) it returns a
``Normalised`` carrying the value and the issue code to warn with; when the meaning is not clear it raises
``Unclear`` with the error code. Blank cells are handled by the caller and never reach a parser.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from toolkit.core.period import Period
from toolkit.core.schema import Column, Kind
from toolkit.core.text import clean, fold
from toolkit.core.valuerules import day_from_text
from toolkit.core.words import day


@dataclass(frozen=True, slots=True)
class Normalised:
    """A value the parser understood only after interpreting the cell; ``code`` names the warning."""

    value: Any
    code: str
    shown: str  # the understood value as the warning message shows it


class Unclear(Exception):
    """The cell's meaning is not clear; ``code`` names the error."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


_EXCEL_EPOCH = date(1899, 12, 30)
_NUMBER_TEXT = re.compile(r"^[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)$")
# 1.234 / 1,234 / 12.500.000: a thousands separator or a decimal point? Vietnamese uses "." for thousands,
# spreadsheets often "." for decimals; a group of exactly three digits after 1-3 digits is not clear.
_GROUPED = re.compile(r"^[+-]?[1-9]\d{0,2}(?:[.,]\d{3})+$")
_PERCENT_TEXT = re.compile(r"^([+-]?\d+(?:[.,]\d+)?)\s*%$")


def _needs_clean(v: str) -> bool:
    return (
        v != v.strip()
        or "\u00a0" in v
        or "  " in v
        or (not v.isascii() and not unicodedata.is_normalized("NFC", v))
    )


def _as_text(v: Any) -> str:
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, datetime):
        return f"{day(v.date())} {v:%H:%M}" if (v.hour or v.minute) else day(v.date())
    if isinstance(v, date):
        return day(v)
    return str(v)


def parse_text(v: Any) -> Any:
    """Free text: cleaned silently (NFC, stray spaces); non-text cells shown as typed."""
    if type(v) is str:
        return clean(v) if _needs_clean(v) else v
    return _as_text(v)


def parse_key_text(v: Any) -> Any:
    """Text used as a key (a name, an e-mail): cleaned, with a warning when cleaning changed it."""
    if type(v) is str:
        if _needs_clean(v):
            c = clean(v)
            return Normalised(c, "text-normalised", c)
        return v
    return _as_text(v)


def parse_code(v: Any) -> Any:
    """An item code: always text; a number typed in the cell is converted with a warning (1.10 became 1.1)."""
    if type(v) is str:
        return parse_key_text(v)
    if isinstance(v, bool):
        raise Unclear("not-a-choice", allowed="mã nội dung")
    if isinstance(v, (int, float)):
        text = _as_text(v)
        return Normalised(text, "code-as-number", text)
    return _as_text(v)


def _number_from_text(text: str) -> float:
    if not _NUMBER_TEXT.match(text) or _GROUPED.match(text):
        raise Unclear("not-a-number")
    return float(text.replace(",", "."))


def parse_number(v: Any) -> Any:
    """A number; numeric text (``12``, ``12,5``) with a warning; ``1.234`` (thousands or decimal?) is unclear."""
    t = type(v)
    if t is float or t is int:
        return float(v)
    if t is str:
        text = clean(v).replace(" ", "")
        n = _number_from_text(text)
        return Normalised(n, "number-as-text", f"{n:g}")
    raise Unclear("not-a-number")


def parse_percent(v: Any, shown_as_percent: bool | None = False) -> Any:
    """A percentage 0..100, read as Excel shows the cell (design.md section 4).

    ``shown_as_percent`` is whether the cell's number format is a percentage: then 1.0 (showing 100%) is 100.
    A plain number is that many percent: 1 is 1%, 0.5 is 0.5%; nothing is multiplied by 100 unless the cell
    shows it so. When the format is unknown (None), a number in (0, 1] could be either and is ``Unclear``.
    ``85%`` or ``0,5%`` typed as text is 85 or 0.5, with a warning.
    """
    t = type(v)
    if t is float or t is int:
        if shown_as_percent:
            return round(v * 100.0, 10)
        if shown_as_percent is None and 0 < v <= 1:
            raise Unclear("percent-ambiguous", normalised=f"{v * 100:g}")
        return float(v)
    if t is str:
        text = clean(v).replace(" ", "")
        m = _PERCENT_TEXT.match(text)
        n = float(m.group(1).replace(",", ".")) if m else _number_from_text(text)
        return Normalised(n, "number-as-text", f"{n:g}")
    raise Unclear("not-a-number")


def parse_date(v: Any) -> Any:
    """A date. Text is read day first (``15/10/2023``); ``10/15/2023`` is not a date. Excel serials accepted."""
    t = type(v)
    if t is date:
        return v
    if t is datetime:
        return v.date()
    if t is float or t is int:
        if 20000 <= v <= 80000 and float(v).is_integer():
            d = _EXCEL_EPOCH + timedelta(days=int(v))
            return Normalised(d, "date-as-number", day(d))
        raise Unclear("not-a-date")
    if t is str:
        d = day_from_text(clean(v))
        if d is None:
            raise Unclear("not-a-date")
        return Normalised(d, "date-as-text", day(d))
    raise Unclear("not-a-date")


def parse_period(v: Any) -> Any:
    """A quarter, ``Quý III/2023``; lenient spellings are understood with a warning."""
    if type(v) is not str:
        raise Unclear("not-a-period")
    p = Period.parse(v)
    if p is None:
        raise Unclear("not-a-period")
    if p.label == v:
        return p
    return Normalised(p, "period-normalised", p.label)


def choice_parser(choices: tuple[str, ...]) -> Callable[[Any], Any]:
    """A parser accepting exactly ``choices``; other spellings of them (case, spaces, NFD) with a warning."""
    exact = frozenset(choices)
    folded = {fold(c): c for c in choices}
    allowed = ", ".join(choices)

    def parse_choice(v: Any) -> Any:
        if type(v) is str and v in exact:
            return v
        hit = folded.get(fold(_as_text(v)))
        if hit is None:
            raise Unclear("not-a-choice", allowed=allowed)
        return Normalised(hit, "choice-normalised", hit)

    return parse_choice


def parser_for(column: Column) -> Callable[[Any], Any] | None:
    """The parser for a column's kind; None for formula columns, which are never read as data."""
    kind = column.kind
    if kind is Kind.FORMULA:
        return None
    if kind is Kind.CHOICE:
        return choice_parser(column.choices)
    return _PARSERS[kind]


_PARSERS: dict[Kind, Callable[[Any], Any]] = {
    Kind.TEXT: parse_text,
    Kind.CODE: parse_code,
    Kind.ITEM_REF: parse_code,
    Kind.PERSON: parse_key_text,
    Kind.EMAIL: parse_key_text,
    Kind.NUMBER: parse_number,
    Kind.PERCENT: parse_percent,
    Kind.DATE: parse_date,
    Kind.PERIOD: parse_period,
}
