"""Value rules: each rule about a single value exists here once, and every stage that needs it calls it.

The validator, the nightly mailer, the settings loader, the CLI's argument types and the workbook builder's
Excel input rules all decide "is this an e-mail address", "is this a plausible plan year", "which cell is
``E23``" through these functions, so what validation accepts is exactly what the rest uses.
"""

from __future__ import annotations

import re
from datetime import date

# --- e-mail addresses ---------------------------------------------------------------------------------------

# A plain ASCII address, name@host.tld, with the characters RFC 5322 allows in a dot-atom local part.
_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")


def has_control(text: str) -> bool:
    """True when ``text`` holds a line break or another control character (never allowed in a header)."""
    return bool(_CONTROL.search(text))


def plain_address(text: str) -> bool:
    """True for a bare address ``name@host.tld``: no display name, spaces, line breaks or non-ASCII."""
    return bool(_ADDRESS.match(text)) and ".." not in text and not text.startswith(".")


def email_address(text: str | None) -> str | None:
    """The address a cell or setting holds, or None when it is not exactly one usable address.

    ``a@xa.gov.vn`` (spaces around it ignored) gives ``a@xa.gov.vn``; a blank, a list (``a@x.vn; b@x.vn``), a
    display name (``Nguyễn Văn A <a@xa.gov.vn>``: the cell holds the address only), a line break, a missing
    top-level domain or any other form gives None. This is the one rule: validation reports exactly the
    non-blank cells for which it gives None, and mail goes exactly to what it gives.
    """
    if text is None:
        return None
    text = text.strip()
    if not text or has_control(text):
        return None
    return text if plain_address(text) else None


# --- years and dates ----------------------------------------------------------------------------------------

PLAN_YEARS = (2000, 2100)  # a plan year outside these is a typing mistake


def plausible_year(year: int | None) -> bool:
    """True for a year a plan can be tracked in (``Năm thực hiện``)."""
    return year is not None and PLAN_YEARS[0] <= year <= PLAN_YEARS[1]


_DAY_FIRST = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")


def day_from_text(text: str) -> date | None:
    """A date typed as text, day first (``15/10/2023``, ``15-10-2023``, ``15.10.2023``) or ISO
    (``2023-10-15``); None when it is not a real date (``10/15/2023`` is not)."""
    m = _DAY_FIRST.match(text.strip())
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _ISO_DAY.match(text.strip())
        if not m:
            return None
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    try:
        return date(year, month, day)
    except ValueError:
        return None


# --- cell references ----------------------------------------------------------------------------------------

_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def split_cell(cell: str) -> tuple[str, int] | None:
    """``E23`` -> (``E``, 23); None when ``cell`` is not an A1 reference."""
    m = _CELL.match(cell.strip())
    return (m.group(1).upper(), int(m.group(2))) if m else None


def row_of(cell: str | None) -> int | None:
    """The 1-based row of an A1 reference (``B5`` -> 5); None for None or a non-reference."""
    parts = split_cell(cell) if cell else None
    return parts[1] if parts else None


def column_index(letters: str) -> int:
    """``A`` -> 0, ``Z`` -> 25, ``AA`` -> 26."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def column_letters(index: int) -> str:
    """0 -> ``A``, 26 -> ``AA``: the inverse of ``column_index``."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# --- document numbers ---------------------------------------------------------------------------------------

REPORT_NUMBERS = (1, 9999)  # numbers restart at 01 each calendar year (Nghị định 30/2020)


def valid_report_number(number: int | None) -> bool:
    return number is not None and REPORT_NUMBERS[0] <= number <= REPORT_NUMBERS[1]
