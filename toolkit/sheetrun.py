"""Reading a run of ordinary rows column by column: the reader's fast path.

``sheetread.read_table`` cuts a sheet into chunks of rows. Rows that need a decision of their own (a blank
first cell, an error or uncalculated formula in a read cell, merged ranges, percent columns) are read one by
one; a run of ordinary rows between them is read here, a column at a time: each distinct value of a column is
parsed once, the column is mapped through what its values parsed to, and the records are made in one pass.
The outcome is the same records and the same notes, in the same order, as reading the rows one by one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import is_, itemgetter, ne
from typing import Any

from .issues import Issue, issue
from .model import Record, Source
from .values import Normalised, Unclear

CACHE_LIMIT = 20_000  # distinct values remembered per column; beyond that, cells are parsed one by one
VALID: frozenset[str] = frozenset()
_MISS = object()  # what a cache returns for a value it has not seen


@dataclass(frozen=True, slots=True)
class Bad:
    """A remembered ``Unclear`` outcome of parsing one distinct value."""

    code: str
    params: dict[str, Any]


def outcome(parse: Callable[[Any], Any], raw: Any) -> Any:
    """What ``parse`` makes of ``raw``: the value, a ``Normalised`` or a ``Bad``."""
    try:
        return parse(raw)
    except Unclear as bad:
        return Bad(bad.code, bad.params)


def cacheable(raw: Any) -> bool:
    """May ``raw`` key a cache? Not 0 and 1: True == 1 == 1.0 would share their entry."""
    return not (raw is True or raw is False or raw == 0 or raw == 1)


@dataclass(slots=True)
class ColumnSpec:
    """A read column: its field, header, letter, 0-based index and parser, and what its values parsed to.

    ``cache`` holds the clean outcome of each distinct cacheable value ("" is None); it is None for free text,
    which is cleaned, never refused. ``seen`` holds the other outcomes by type and value (a note is still
    written at every cell that has one).
    """

    field: str
    header: str
    letter: str
    index: int
    parse: Callable[[Any], Any]
    cache: dict[Any, Any] | None
    seen: dict[tuple[type, Any], Any] = field(default_factory=dict)

    def note(self, code: str, sheet: str, row: int, raw: Any, **params: Any) -> Issue:
        return issue(code, sheet=sheet, row=row, column=self.header, cell=f"{self.letter}{row}", value=raw,
                     **params)


@dataclass(slots=True)
class Run:
    """What reading one run of rows gathers before its records are made."""

    sheet: str
    first: int  # the Excel row of the run's first row
    notes: list[tuple[int, int, Issue]] = field(default_factory=list)  # (row in run, column order, issue)
    invalid: dict[int, set[str]] = field(default_factory=dict)  # row in run -> fields not understood

    def refuse(self, i: int, order: int, spec: ColumnSpec, raw: Any, bad: Bad) -> None:
        self.notes.append((i, order, spec.note(bad.code, self.sheet, self.first + i, raw, **bad.params)))
        self.invalid.setdefault(i, set()).add(spec.field)


def read_run(cols: list[tuple[Any, ...]], a: int, b: int, first: int, specs: list[ColumnSpec],
             layout: list[int | None], make: Callable[..., Record], source: Source, hidden_rows: frozenset[int],
             notes: list[Issue]) -> list[Record]:
    """Records of rows ``a`` to ``b`` (exclusive) of a chunk given as columns; ``first`` is row ``a``'s Excel
    row. ``layout`` gives, for each data field of ``make`` in order, the index of its spec (None: unread)."""
    run = Run(sheet=source.sheet, first=first)
    values = [_text_values(cols[s.index][a:b], s.parse) if s.cache is None else
              _cached_values(cols[s.index][a:b], s, order, run) for order, s in enumerate(specs)]
    n = b - a
    hidden = _hidden(run, n, len(specs), hidden_rows)
    if run.notes:
        run.notes.sort(key=itemgetter(0, 1))
        notes.extend(note for _i, _order, note in run.notes)
    invalid = [VALID] * n
    for i, fields in run.invalid.items():
        invalid[i] = frozenset(fields)
    data: list[Iterable[Any]] = [repeat(None) if k is None else values[k] for k in layout]
    return list(map(make, repeat(source), range(first, first + n), hidden, invalid, *data))


def _hidden(run: Run, n: int, order: int, hidden_rows: frozenset[int]) -> list[bool]:
    hidden = [False] * n
    if hidden_rows:
        for i in range(n):
            row = run.first + i
            if row in hidden_rows:
                hidden[i] = True
                run.notes.append((i, order, issue("hidden-row", sheet=run.sheet, row=row, cell=f"A{row}")))
    return hidden


def _cached_values(col: tuple[Any, ...], spec: ColumnSpec, order: int, run: Run) -> list[Any]:
    """The column mapped through what its distinct values parsed to; new values are parsed once."""
    cache = spec.cache
    assert cache is not None
    values = list(map(cache.get, col, repeat(_MISS)))
    for i in compress(range(len(col)), map(is_, values, repeat(_MISS))):
        raw = col[i]
        key = (raw.__class__, raw)
        got = spec.seen.get(key, _MISS)
        if got is _MISS:
            got = outcome(spec.parse, raw)
            if type(got) is Bad or type(got) is Normalised or not cacheable(raw) or len(cache) >= CACHE_LIMIT:
                if len(spec.seen) < CACHE_LIMIT:
                    spec.seen[key] = got
            else:
                cache[raw] = got
        t = type(got)
        if t is Bad:
            run.refuse(i, order, spec, raw, got)
            got = None
        elif t is Normalised:
            run.notes.append((i, order, spec.note(got.code, run.sheet, run.first + i, raw, normalised=got.shown)))
            got = got.value
        values[i] = got
    return values


def _text_values(col: tuple[Any, ...], parse: Callable[[Any], Any]) -> list[Any]:
    """Free text: the cells as they are when every one is clean text (checked for the whole column at once),
    else each cleaned by ``parse``; blank is None."""
    try:
        joined = "\x00".join(col)  # no cell holds NUL (XML cannot); it keeps every check inside one cell
    except TypeError:  # a number or a date typed in a text column: each cell is written as text
        joined = None
    if joined is not None and "\u00a0" not in joined and "  " not in joined and \
            (joined.isascii() or unicodedata.is_normalized("NFC", joined)) and \
            not any(map(ne, col, map(str.strip, col))):
        return [v or None for v in col]
    return [None if v == "" else parse(v) for v in col]
