"""The completion bar chart for the quarterly report, drawn as a PNG in pure Python.

No plotting library: the picture is a handful of rectangles and digits, so it is drawn into a pixel buffer
and encoded with ``zlib`` (a few milliseconds, nothing to install, nothing imported when no report is made).
Labels are item codes and percentages only (digits and ``.,%?``, from a small built-in bitmap font); the
words (title, legend) are in the Word caption under the picture, where they stay editable and searchable.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from .assess import Assessment as PlanProgress

Color = tuple[int, int, int]
WHITE: Color = (255, 255, 255)
INK: Color = (33, 33, 33)
GRID: Color = (210, 210, 210)
DONE: Color = (46, 125, 50)  # reached 100%
PARTIAL: Color = (21, 101, 192)  # below 100%
LATE: Color = (198, 40, 40)  # overdue and not complete
UNKNOWN: Color = (225, 225, 225)  # completion cannot be known

_GLYPHS = {
    "0": (" ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### "),
    "1": ("  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "),
    "2": (" ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####"),
    "3": ("#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### "),
    "4": ("   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # "),
    "5": ("#####", "#    ", "#### ", "    #", "    #", "#   #", " ### "),
    "6": ("  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### "),
    "7": ("#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   "),
    "8": (" ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### "),
    "9": (" ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  "),
    ".": ("   ", "   ", "   ", "   ", "   ", "## ", "## "),
    ",": ("   ", "   ", "   ", "   ", "## ", " # ", "#  "),
    "%": ("##   ", "##  #", "   # ", "  #  ", " #   ", "#  ##", "   ##"),
    "?": (" ### ", "#   #", "    #", "   # ", "  #  ", "     ", "  #  "),
    " ": ("   ",) * 7,
}


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, its value 0..100 (None = unknown) and its colour."""

    label: str
    value: float | None
    color: Color


class Canvas:
    """An RGB pixel buffer with rectangles and bitmap text; ``png()`` encodes it."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.rows = [bytearray(bytes(WHITE) * width) for _ in range(height)]

    def rect(self, x0: int, y0: int, x1: int, y1: int, color: Color) -> None:
        x0, x1 = max(0, min(x0, x1)), min(self.width, max(x0, x1))
        y0, y1 = max(0, min(y0, y1)), min(self.height, max(y0, y1))
        if x1 <= x0:
            return
        fill = bytes(color) * (x1 - x0)
        for y in range(y0, y1):
            self.rows[y][3 * x0:3 * x1] = fill

    def text_width(self, text: str, scale: int) -> int:
        return sum((len(_GLYPHS.get(ch, _GLYPHS["?"])[0]) + 1) * scale for ch in text) - scale

    def text(self, x: int, y: int, text: str, scale: int, color: Color = INK) -> None:
        """Draw ``text`` with its top-left corner at (x, y); unknown characters print as ``?``."""
        for ch in text:
            glyph = _GLYPHS.get(ch, _GLYPHS["?"])
            for gy, line in enumerate(glyph):
                for gx, px in enumerate(line):
                    if px == "#":
                        self.rect(x + gx * scale, y + gy * scale, x + (gx + 1) * scale, y + (gy + 1) * scale, color)
            x += (len(glyph[0]) + 1) * scale

    def png(self) -> bytes:
        raw = b"".join(b"\x00" + bytes(row) for row in self.rows)

        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        dpi = struct.pack(">IIB", 7874, 7874, 1)  # 200 dpi in pixels per metre
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"pHYs", dpi)
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def _pct(value: float) -> str:
    text = f"{value:.1f}".replace(".", ",")
    return (text[:-2] if text.endswith(",0") else text) + "%"


def bar_chart(bars: Sequence[Bar], *, width: int = 1400, row: int = 56, scale: int = 4) -> bytes:
    """A horizontal bar chart of values 0..100 with a grid at every 25; unknown values as a grey ``?`` bar."""
    label_w = max((Canvas(1, 1).text_width(b.label, scale) for b in bars), default=0) + 4 * scale
    value_w = Canvas(1, 1).text_width("100%", scale) + 6 * scale
    left, right, top = label_w + 2 * scale, width - value_w, 3 * scale
    glyph_h = 7 * scale
    height = top + row * max(len(bars), 1) + glyph_h + 6 * scale
    c = Canvas(width, height)
    plot = right - left
    bottom = top + row * len(bars)
    for tick in (0, 25, 50, 75, 100):
        x = left + plot * tick // 100
        c.rect(x - 1, top, x + 1, bottom, INK if tick in (0, 100) else GRID)
        label = str(tick)
        c.text(x - c.text_width(label, scale) // 2, bottom + 2 * scale, label, scale)
    bar_h = row * 3 // 5
    for i, b in enumerate(bars):
        y = top + i * row + (row - bar_h) // 2
        c.text(left - 2 * scale - c.text_width(b.label, scale), y + (bar_h - glyph_h) // 2, b.label, scale)
        if b.value is None:
            c.rect(left, y, right, y + bar_h, UNKNOWN)
            c.text(left + (plot - c.text_width("?", scale)) // 2, y + (bar_h - glyph_h) // 2, "?", scale)
            continue
        value = max(0.0, min(100.0, b.value))
        end = left + round(plot * value / 100)
        c.rect(left, y, end, y + bar_h, b.color)
        text = _pct(b.value)
        c.text(end + 2 * scale, y + (bar_h - glyph_h) // 2, text, scale)
    return c.png()


def completion_chart(progress: PlanProgress) -> bytes:
    """Completion per item of ``progress`` as a PNG: green 100%, blue below, red overdue, grey unknown."""
    bars = []
    for ip in progress.items:
        if ip.completion is None:
            bars.append(Bar(ip.code, None, UNKNOWN))
            continue
        color = DONE if ip.completion >= 100 else LATE if ip.overdue or not ip.reported else PARTIAL
        bars.append(Bar(ip.code, ip.completion, color))
    return bar_chart(bars)
