"""Who is who: matching the plan's "Phụ trách" wording and typed names to the officials on ``Cán bộ``.

Plans name owners loosely: by position (``Công chức Văn hoá- Xã hội``), by a shorter form of a position
(``Văn phòng`` for ``Văn phòng - Thống kê``), or by name. Comparisons use ``text.fold``, so case, spaces,
dashes, NFD and old-style tone marks (``hoá``/``hóa``) never matter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from toolkit.core.model import Official, PlanItem
from toolkit.core.text import fold

_fold = lru_cache(maxsize=4096)(fold)  # the same few names and positions are compared again and again


@lru_cache(maxsize=4096)
def _phrase(needle: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(needle) + r"(?!\w)")


def _contains(haystack: str, needle: str) -> bool:
    """``text.contains_phrase`` on already folded text."""
    return bool(needle) and _phrase(needle).search(haystack) is not None


def find_official(name: str | None, officials: Iterable[Official]) -> Official | None:
    """The official whose ``Họ và tên`` is ``name`` (folded comparison); None when nobody (or ``name`` is None)."""
    if not name:
        return None
    key = _fold(name)
    if not key:
        return None
    for person in officials:
        if person.name and _fold(person.name) == key:
            return person
    return None


def owners_of(item_or_text: PlanItem | str | None, officials: Sequence[Official]) -> list[Official]:
    """The officials responsible for a plan item (or for an owner text such as ``Văn phòng - Thống kê``).

    Matching, in order: officials whose name occurs in the text; else officials whose position occurs in the
    text; else officials whose position contains the whole text (``Văn phòng`` -> ``Văn phòng - Thống kê``).
    When a matched position is part of another matched position, only the longer one counts. Returns an empty
    list when the text is blank or names nobody on the roster; the order is the roster's.
    """
    text = item_or_text.owner if isinstance(item_or_text, PlanItem) else item_or_text
    key = _fold(text) if text else ""
    if not key:
        return []
    by_name = [p for p in officials if p.name and _contains(key, _fold(p.name))]
    if by_name:
        return by_name
    by_position = [p for p in officials if p.position and _contains(key, _fold(p.position))]
    if by_position:
        folded = [_fold(p.position or "") for p in by_position]
        return [p for p, f in zip(by_position, folded, strict=True)
                if not any(f != g and _contains(g, f) for g in folded)]
    return [p for p in officials if p.position and _contains(_fold(p.position), key)]


def responsible(item: PlanItem, officials: Sequence[Official]) -> str:
    """The names of an item's owners joined by ``, ``; the item's own owner text when nobody matches ("" if none)."""
    found = owners_of(item, officials)
    if found:
        return ", ".join(p.name or "" for p in found)
    return item.owner or ""
