"""Reading a run of ordinary rows column by column: the reader's fast path.

``rows.read_table`` cuts a sheet into chunks of rows. Rows that need a decision of their own (a blank
first cell, an error or uncalculated formula in a read cell, merged ranges, percent columns) are read one by
one; a run of ordinary rows between them is read here, a column at a time: each distinct value of a column is
parsed once, the column is mapped through what its values parsed to, and the records are made in one pass.
The outcome is the same records and the same notes, in the same order, as reading the rows one by one
(``rows.read_table(by_columns=False)``, tested side by side in tests/test_reader_paths.py). It saves 21% of
``cchc validate``'s wall time on the 100,000-row log (2.20 s -> 1.74 s).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import is_, itemgetter, ne
from typing import Any

from toolkit.core.issues import Issue, issue
from toolkit.core.model import Record, Source
from toolkit.workbook.cells import Normalised, Unclear

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


def blank(raw: Any) -> bool:
    """Does the cell hold nothing? A cell of spaces holds nothing, like an empty one."""
    return raw == "" or (raw.__class__ is str and raw.isspace())


def cacheable(raw: Any) -> bool:
    """May ``raw`` key a cache? Not a boolean: True == 1 == 1.0 would share their entry."""
    return raw.__class__ is not bool


class Outcomes(dict[Any, Any]):
    """What each distinct value of a column parsed to, when it parsed cleanly ("" is None).

    Looking up a value not seen before (``outcomes[raw]``) parses it on the spot: a clean outcome is
    remembered and returned; any other (a value that needed interpreting, one not understood, a boolean, or
    any value once the column holds ``CACHE_LIMIT``) is kept in ``others``, ``missed`` is set and ``_MISS``
    returned, for the reader to note at its cell. ``get`` never parses.
    """

    __slots__ = ("missed", "others", "parse")

    def __init__(self, parse: Callable[[Any], Any]) -> None:
        super().__init__({"": None})
        self.parse = parse
        self.others: dict[Any, Any] = {}
        self.missed = False

    def __missing__(self, raw: Any) -> Any:
        if blank(raw):
            self[raw] = None
            return None
        if raw.__class__ is not bool:  # True == 1: a boolean never keys the cache
            got = self.others.get(raw, _MISS)
            if got is _MISS:
                got = outcome(self.parse, raw)
                t = type(got)
                if t is not Bad and t is not Normalised and len(self) < CACHE_LIMIT:
                    self[raw] = got
                    return got
                if len(self.others) < CACHE_LIMIT:
                    self.others[raw] = got
        self.missed = True
        return _MISS

    def outcome_of(self, raw: Any) -> Any:
        """What ``raw`` parses to, from memory when it can be (None for a blank cell); a value not seen before
        is parsed and remembered as a look-up remembers it."""
        if blank(raw):
            return None
        if raw.__class__ is not bool:
            got = self[raw]
            if got is _MISS:
                got = self.others.get(raw, _MISS)
            if got is not _MISS:
                return got
        return outcome(self.parse, raw)


@dataclass(slots=True)
class ColumnSpec:
    """A read column: its field, header, letter, 0-based index and parser, and what its values parsed to
    (``cache``; None for free text, which is cleaned, never refused)."""

    field: str
    header: str
    letter: str
    index: int
    parse: Callable[[Any], Any]
    cache: Outcomes | None

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
        """The value of row ``i``'s cell ``raw``, which did not parse cleanly from memory: noted when it had to
        be interpreted, None (and the field not understood) when it could not be."""
        assert spec.cache is not None
        got = spec.cache.outcome_of(raw)
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
    cache.missed = False
    values = list(map(cache.__getitem__, col))
    if (0 in cache or 1 in cache) and bool in set(map(type, col)):  # True == 1: a boolean found 1's entry
        values = [_MISS if v.__class__ is bool else cache.get(v, _MISS) for v in col]
    elif not cache.missed:  # the usual case: every value parsed cleanly, now or before
        return values
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
    return [None if blank(v) else parse(v) for v in col]
