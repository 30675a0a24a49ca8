"""How values are written: one formatter per kind of value, shared by every stage that shows one.

A percentage, a number, a date, a count or a target reads the same wherever an official meets it: ``95,2%``,
``1.190``, ``05/10/2023``, ``04/08``, ``tối thiểu 50%``. The phrases made of an assessment's facts (the counts
headline, an item's completion) are ``rules.phrases``'.
"""

from __future__ import annotations

from datetime import date

from toolkit.core.schema import KIND_DONE, KIND_MAX

UNKNOWN = "chưa xác định"


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
    """``Đã hoàn thành ...``: the first letter capitalised, the rest as written."""
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """``Khắc phục ...`` -> ``khắc phục ...``; an acronym at the start (``CCHC ...``) is kept."""
    if len(text) >= 2 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text
