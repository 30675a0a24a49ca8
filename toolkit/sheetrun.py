"""Reading a run of ordinary rows column by column: the reader's fast path.

``sheetread.read_table`` cuts a sheet into chunks of rows. Rows that need a decision of their own (a blank
first cell, an error or uncalculated formula in a read cell, merged ranges, percent columns) are read one by
one; a run of ordinary rows between them is read here, a column at a time: each distinct value of a column is
parsed once, the column is mapped through what its values parsed to, and the records are made in one pass.
The outcome is the same records and the same notes, in the same order, as reading the rows one by one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
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
    """May ``raw`` key a cache? Not a boolean: True == 1 == 1.0 would share their entry."""
    return raw.__class__ is not bool


@dataclass(slots=True)
class ColumnSpec:
    """A read column: its field, header, letter, 0-based index and parser, and what its values parsed to.

    ``cache`` holds the clean outcome of each distinct cacheable value ("" is None); it is None for free text,
    which is cleaned, never refused. ``seen`` holds the other outcomes (a note is still written at every cell
    that has one).
    """

    field: str
    header: str
    letter: str
    index: int
    parse: Callable[[Any], Any]
    cache: dict[Any, Any] | None
    seen: dict[Any, Any] = field(default_factory=dict)

    def learn(self, raw: Any) -> Any:
        """Parse a value not seen before and remember the outcome (never for a boolean)."""
        got = outcome(self.parse, raw)
        if raw.__class__ is not bool:
            t = type(got)
            if t is not Bad and t is not Normalised and self.cache is not None and len(self.cache) < CACHE_LIMIT:
                self.cache[raw] = got
            elif len(self.seen) < CACHE_LIMIT:
                self.seen[raw] = got
        return got

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

    def take(self, i: int, order: int, spec: ColumnSpec, raw: Any) -> Any:
        """The value of row ``i``'s cell ``raw``, which the cache does not hold: noted when it had to be
        interpreted, None (and the field not understood) when it could not be."""
        got = _MISS
        if raw.__class__ is not bool:
            got = spec.cache.get(raw, _MISS) if spec.cache is not None else _MISS
            if got is _MISS:
                got = spec.seen.get(raw, _MISS)
        if got is _MISS:
            got = spec.learn(raw)
        t = type(got)
        if t is Bad:
            self.notes.append((i, order, spec.note(got.code, self.sheet, self.first + i, raw, **got.params)))
            self.invalid.setdefault(i, set()).add(spec.field)
            return None
        if t is Normalised:
            self.notes.append((i, order, spec.note(got.code, self.sheet, self.first + i, raw,
                                                   normalised=got.shown)))
            return got.value
        return got


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
    """The column mapped through what its distinct values parsed to; each new value is parsed once."""
    cache = spec.cache
    assert cache is not None
    if (0 in cache or 1 in cache) and bool in set(map(type, col)):  # True == 1: a boolean never keys the cache
        values = [_MISS if v.__class__ is bool else cache.get(v, _MISS) for v in col]
    else:
        values = list(map(cache.get, col, repeat(_MISS)))
        if not any(map(is_, values, repeat(_MISS))):  # the usual case: every value seen before
            return values
        for raw in set(compress(col, map(is_, values, repeat(_MISS)))):
            spec.learn(raw)
        values = list(map(cache.get, col, repeat(_MISS)))
    for i in compress(range(len(col)), map(is_, values, repeat(_MISS))):
        values[i] = run.take(i, order, spec, col[i])
    return values


def _text_values(col: tuple[Any, ...], parse: Callable[[Any], Any]) -> Sequence[Any]:
    """Free text: the cells as they are when every one is clean text (checked for the whole column at once),
    else each cleaned by ``parse``; blank is None."""
    try:
        joined = "\x00".join(col)  # no cell holds NUL (XML cannot); it keeps every check inside one cell
    except TypeError:  # a number or a date typed in a text column: each cell is written as text
        joined = None
    if joined is not None and "\u00a0" not in joined and "  " not in joined and \
            (joined.isascii() or unicodedata.is_normalized("NFC", joined)) and \
            not any(map(ne, col, map(str.strip, col))):
        return [v or None for v in col] if "" in col else col
    return [None if v == "" else parse(v) for v in col]
