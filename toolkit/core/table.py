"""Plain-text tables for terminals and .txt outputs (widths counted in characters of NFC text)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """Lines of a left-aligned table with a dashed rule under the header; the last column is never padded."""
    body = [list(r) for r in rows]
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        padded = [c.ljust(w) for c, w in zip(cells[:-1], widths[:-1], strict=True)]
        return "  ".join([*padded, cells[-1]]).rstrip()

    rule = ["-" * w for w in widths[:-1]] + ["-" * min(widths[-1], max(len(headers[-1]), 20))]
    return [line(headers), line(rule), *(line(r) for r in body)]
