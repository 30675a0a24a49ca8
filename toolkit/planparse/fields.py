"""Understanding the short texts of a plan item: its target, its deadline, its c) labels and the positions named.

Pure functions on strings; they know Vietnamese plan wording, not files or workbooks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from toolkit.core.period import Period
from toolkit.core.schema import KIND_DONE, KIND_MAX, KIND_MIN
from toolkit.core.text import clean, new_tones


def key(text: str) -> str:
    """A matching key for plan wording: NFC, single spaces, lower case, without end punctuation.

    Unlike ``text.fold`` it keeps tone marks where they were typed, so patterns can be written as plain
    Vietnamese.
    """
    return clean(text).lower().strip(" .,;:")

# --- targets -----------------------------------------------------------------------------------------------

_PERCENT = re.compile(r"(\d{1,3}(?:[.,]\d+)?)\s*%")
_ALL = re.compile(r"(?<!\w)(tất cả|toàn bộ|100 phần trăm)(?!\w)")
_AT_MOST = re.compile(r"(?<!\w)(không quá|không vượt quá|tối đa|dưới|xuống còn|ít hơn|thấp hơn|<=|≤|<)\s*"
                      r"(?:mức\s+)?\d{1,3}(?:[.,]\d+)?\s*%")


@dataclass(frozen=True, slots=True)
class Target:
    """A target as understood: the number in percent (None when the text gives none), the kind, and the
    other numbers the text held when it held several (so the caller can say which one was taken)."""

    value: float | None
    kind: str
    others: tuple[float, ...] = ()


def understand_target(text: str | None) -> Target:
    """``100% cán bộ...`` -> 100, Tối thiểu; ``Tất cả các văn bản`` -> 100; ``không quá 5%`` -> 5, Tối đa;
    ``Hoàn thành 100% đề ra theo kế hoạch`` -> 100, Hoàn thành. None or no number gives value None (Tối thiểu)."""
    if not text:
        return Target(None, KIND_MIN)
    folded = key(text)
    numbers = [float(m.group(1).replace(",", ".")) for m in _PERCENT.finditer(text)]
    numbers = [n for n in numbers if 0 <= n <= 100]
    value = numbers[0] if numbers else (100.0 if _ALL.search(folded) else None)
    others = tuple(n for n in dict.fromkeys(numbers[1:]) if n != value)
    if "hoàn thành" in folded and ("kế hoạch" in folded or "nhiệm vụ" in folded):
        kind = KIND_DONE
    elif numbers and _AT_MOST.search(folded):
        kind = KIND_MAX
    else:
        kind = KIND_MIN
    return Target(value, kind, others)


# --- deadlines ---------------------------------------------------------------------------------------------

_DMY = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")
_WORDY_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_QUARTER = re.compile(r"quý\s+([ivx]+|[1-4])\s*(?:/|-|năm)\s*(\d{4})")
_MONTH = re.compile(r"tháng\s+(\d{1,2})\s*(?:/|-|năm)\s*(\d{4})")
_HALF = re.compile(r"(6|sáu)\s+tháng\s+(đầu|cuối)\s+năm\s+(\d{4})")
_YEAR = re.compile(r"(?<![\d/])(20\d{2})(?![\d/])")


@dataclass(frozen=True, slots=True)
class Deadline:
    """A deadline as understood: the date (None for event-based wording), the plan's wording to keep as
    ``Ghi chú thời hạn`` (None when the text was just a date), and whether a date-like text was invalid."""

    day: date | None
    note: str | None
    invalid: bool = False


def _month_end(year: int, month: int) -> date:
    first_of_next = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return first_of_next - timedelta(days=1)


def understand_deadline(text: str | None) -> Deadline:
    """``Trong năm 2023`` -> 31/12/2023; ``Quý III/2023`` -> 30/09/2023; ``30/9/2023`` -> that day;
    ``tháng 10/2023`` -> 31/10/2023; anything without a date (``Sau khi kết thúc đợt kiểm tra``,
    ``Thường xuyên``) -> no date, the wording kept as the note. None or blank gives an empty deadline."""
    if not text or not clean(text):
        return Deadline(None, None)
    shown = clean(text).rstrip(" .;")
    folded = key(shown)
    m = _DMY.search(folded) or _WORDY_DATE.search(folded)
    if m:
        try:
            day = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return Deadline(None, shown, invalid=True)
        only_date = m.group(0) == folded
        return Deadline(day, None if only_date else shown)
    m = _QUARTER.search(folded)
    if m:
        p = Period.parse(f"Quý {m.group(1)}/{m.group(2)}")
        if p is not None:
            return Deadline(p.end, shown)
    m = _MONTH.search(folded)
    if m and 1 <= int(m.group(1)) <= 12:
        return Deadline(_month_end(int(m.group(2)), int(m.group(1))), shown)
    m = _HALF.search(folded)
    if m:
        year = int(m.group(3))
        return Deadline(date(year, 6, 30) if m.group(2) == "đầu" else date(year, 12, 31), shown)
    m = _YEAR.search(folded)
    if m:
        return Deadline(date(int(m.group(1)), 12, 31), shown)
    return Deadline(None, shown)


# --- the c) part: who is responsible ----------------------------------------------------------------------

OWNER = "owner"
PARTNERS = "partners"
DOER = "doer"  # "Đơn vị thực hiện": the owner when no one else is named responsible, else a partner


def assignment_role(label: str) -> str | None:
    """The role a c) label names: ``Phụ trách``/``Chủ trì``/``Công chức phụ trách`` -> owner,
    ``Phối hợp/Thực hiện``/``Cơ quan phối hợp/thực hiện`` -> partners, ``Thực hiện`` -> doer; None otherwise."""
    f = key(label)
    if len(f) > 60:
        return None
    if "phối hợp" in f:
        return PARTNERS
    if any(w in f for w in ("phụ trách", "chủ trì", "đầu mối", "chịu trách nhiệm", "trách nhiệm chính")):
        return OWNER
    if "thực hiện" in f or f in ("đơn vị", "bộ phận", "người thực hiện"):
        return DOER
    return None


# --- positions named in c) parts --------------------------------------------------------------------------

_TITLE_PREFIX = re.compile(r"^(công chức|cán bộ|cc)\s+", re.IGNORECASE)
_DASH = re.compile(r"\s*[-\u2010-\u2015\u2212]\s*")
_STAFF = re.compile(r"(?:^|[,;]\s*)(Công chức\s+[^,;]+)")  # lower-case "công chức xã" is everyone


def position_name(text: str) -> str:
    """The position an owner text names, written the roster's way.

    ``Công chức Văn hoá- thông tin xã`` -> ``Văn hóa - Thông tin``; ``Văn phòng – Thống kê.`` -> ``Văn phòng -
    Thống kê``; collective wording (``Các công chức chuyên môn của UBND xã``) is kept as written.
    """
    name = clean(text).rstrip(" .;,")
    stripped = _TITLE_PREFIX.sub("", name)
    if stripped != name:
        name = re.sub(r"\s+(xã|phường|thị trấn)$", "", stripped, flags=re.IGNORECASE)
        if is_unit_type(name):
            return ""
    parts = [p.strip() for p in _DASH.split(name)]
    if len(parts) > 1:
        name = " - ".join(p[:1].upper() + p[1:] for p in parts if p)
    return new_tones(name[:1].upper() + name[1:])


def named_positions(owner: str | None, partners: str | None) -> list[str]:
    """Positions an item's c) part names: the owner, and each ``Công chức X`` among the partners."""
    found = []
    if owner:
        found.append(position_name(owner))
    for m in _STAFF.finditer(partners or ""):
        found.append(position_name(m.group(1)))
    return [name for name in found if name]


# --- the unit ----------------------------------------------------------------------------------------------

_UNIT_TYPES = ("xã", "phường", "thị trấn")
_UNIT_AFTER = re.compile(r"(?:ủy ban nhân dân|ubnd|địa bàn|của)\s+(xã|phường|thị trấn)\s+(.+)", re.IGNORECASE)


def _proper_name(words: list[str]) -> str:
    """The leading capitalised words (a place name) of ``words``; empty when the first is lower case."""
    name = []
    for word in words:
        core = word.strip(",.;:()")
        if not core or not core[0].isupper():
            break
        name.append(core)
        if core != word:  # punctuation ends the name
            break
    return " ".join(name)


def unit_in(text: str) -> str | None:
    """``xã Đăktover`` from ``Ủy ban nhân dân xã Đăktover xây dựng...`` or ``trên địa bàn xã Đăktover``."""
    for m in _UNIT_AFTER.finditer(clean(text)):
        name = _proper_name(m.group(2).split())
        if name and not name.isupper():
            return f"{m.group(1).lower()} {name}"
    return None


def unit_from_caps(line: str) -> tuple[str, str] | None:
    """(issuer, unit) from a header line ``ỦY BAN NHÂN DÂN XÃ ĐĂKTOVER`` / ``UBND XÃ IA KHƯƠL``."""
    if not line.isupper():
        return None
    m = re.match(r"^(ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND)\s+(XÃ|PHƯỜNG|THỊ TRẤN)\s+(.+)$", clean(line))
    if not m:
        return None
    name = " ".join(w[:1] + w[1:].lower() for w in m.group(3).split())
    return "Ủy ban nhân dân", f"{m.group(2).lower()} {name}"


def is_unit_type(word: str) -> bool:
    return key(word) in _UNIT_TYPES
