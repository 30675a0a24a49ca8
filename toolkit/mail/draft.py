"""The pieces every nightly email is written with: the ``Draft``, a document written into both bodies at once,
and the small text helpers that keep a workbook's text safe in a header or an HTML body.

``MailDoc`` writes each paragraph, heading, list and table once into a plain-text body (tables aligned) and an
HTML body. Names and texts from the workbook never reach a header unchecked: ``one_line`` folds line breaks
and control characters into spaces. What the emails say is ``mail.compose``'s; their MIME form ``mime``'s.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

LIST_LIMIT = 200  # problems listed in one email; the rest are counted (the workbook check lists them all)
TEXT_COLUMN = 40  # widest a plain-text column is padded to; longer cells run on (the last column never pads)


@dataclass(frozen=True, slots=True)
class Draft:
    """One email before it is a MIME message: recipients, subject, and the two bodies.

    ``kind`` is ``official``, ``office`` (the digest) or ``alert`` (the run failed or the workbook could not be
    read). ``addresses`` is empty when nobody can receive it (no Office address set anywhere).
    """

    kind: Literal["official", "office", "alert"]
    name: str
    addresses: tuple[str, ...]
    subject: str
    text: str
    html: str


# ---------------------------------------------------------------- writing helpers


def one_line(text: str) -> str:
    """``text`` safe for a header: every line break and control character folded into one space."""
    return " ".join(re.sub(r"[\x00-\x1f\x7f\u0085\u2028\u2029]", " ", text).split())


def short(text: str | None, limit: int = 90) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_HTML_SPECIAL = re.compile("[&<>\"']")


def escape(text: object) -> str:
    """``html.escape(text, quote=True)``, skipped for the many cells with nothing to escape."""
    shown = str(text)
    return html.escape(shown, quote=True) if _HTML_SPECIAL.search(shown) else shown


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A plain-text table: a header row, a rule, and one line per row, columns aligned and separated by
    `` | `` (a blank cell stays a blank column, so every value stays under its header)."""
    widths = [min(TEXT_COLUMN, max(len(str(r[i])) for r in [headers, *rows])) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        padded = [str(c).ljust(w) for c, w in zip(cells[:-1], widths[:-1], strict=True)] + [str(cells[-1])]
        return ("  " + " | ".join(padded)).rstrip()

    rule = "  " + "-+-".join("-" * w for w in widths)
    return [line(headers), rule, *(line(r) for r in rows)]


class MailDoc:
    """A message written once into both bodies: plain text lines and HTML."""

    def __init__(self) -> None:
        self.text: list[str] = []
        self.html: list[str] = []

    def para(self, text: str) -> None:
        self.text += [text, ""]
        self.html.append(f"<p>{escape(text)}</p>")

    def heading(self, text: str) -> None:
        self.text += [text, "-" * min(len(text), 70)]
        self.html.append(f'<h3 style="margin:18px 0 6px">{escape(text)}</h3>')

    def bullets(self, lines: Sequence[str], more: int = 0) -> None:
        self.text += [f"  - {line}" for line in lines]
        items = "".join(f"<li>{escape(line)}</li>" for line in lines)
        if more:
            self.text.append(f"  ... và {more} vấn đề khác.")
            items += f"<li>... và {more} vấn đề khác.</li>"
        self.text.append("")
        self.html.append(f"<ul>{items}</ul>")

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]], more: int = 0) -> None:
        self.text += text_table(headers, rows)
        if more:
            self.text.append(f"  ... và {more} vấn đề khác.")
        self.text.append("")
        cell = 'style="border:1px solid #bbb;padding:3px 6px;vertical-align:top"'
        head = "".join(f"<th {cell}>{escape(h)}</th>" for h in headers)
        between = f"</td><td {cell}>"
        body = "".join(f"<tr><td {cell}>{between.join(map(escape, row))}</td></tr>" if row else "<tr></tr>"
                       for row in rows)
        tail = f"<p>... và {more} vấn đề khác.</p>" if more else ""
        self.html.append(f'<table style="border-collapse:collapse;font-size:14px"><tr>{head}</tr>{body}</table>{tail}')

    def fragment(self) -> tuple[str, str]:
        """What was written so far, as (text, HTML) pieces to place inside another message."""
        return "\n".join(self.text), "\n".join(self.html)

    def bodies(self) -> tuple[str, str]:
        """The two whole bodies: the text, and the HTML page around what was written."""
        return "\n".join(self.text).rstrip() + "\n", html_page("\n".join(self.html))


def html_page(body: str) -> str:
    """A whole HTML email around ``body``."""
    return ('<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"></head>\n'
            f'<body style="font-family:Arial,sans-serif;font-size:15px">\n{body}\n</body></html>\n')


FOOTER = ("Thư này do máy gửi tự động từ sổ theo dõi kế hoạch khắc phục Chỉ số CCHC; xin đừng trả lời thư này. "
           "Sửa trực tiếp trong sổ theo dõi, lần kiểm tra đêm sau sẽ cập nhật.")
