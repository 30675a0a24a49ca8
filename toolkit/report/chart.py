"""The completion chart for the report's appendix, drawn with matplotlib (only imported when a chart is asked).

The chart is printable in black and white: bars are grey with a black edge, an overdue item's bar is hatched,
every bar carries its value as text, and an item whose completion is unknown gets no bar at all, only the words
"chưa xác định". Labels are Times New Roman (Liberation Serif, its metric twin, where Windows fonts are
missing). One row per item at any count: the rows get thinner as the plan grows, and the picture never grows
taller than ``MAX_HEIGHT_CM`` so that it fits one page of the landscape appendix with its caption.

matplotlib is an optional dependency (``pip install "cchc-toolkit[chart]"``); ``ChartUnavailable`` says so.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from toolkit.core.errors import CchcError
from toolkit.core.words import percent

WIDTH_CM = 16.0
MAX_HEIGHT_CM = 14.0  # the landscape appendix has 17 cm of text height; the caption needs the rest
ROW_CM = 0.9  # preferred height of one row; smaller when there are many items
FONTS = ["Times New Roman", "Liberation Serif", "Nimbus Roman", "DejaVu Serif"]
UNKNOWN_TEXT = "chưa xác định"


class ChartUnavailable(CchcError):
    """matplotlib is not installed, so no chart can be drawn."""


@dataclass(frozen=True, slots=True)
class Bar:
    """One item: its label (the plan's code), completion 0..100 (None = unknown), whether it is overdue."""

    label: str
    value: float | None
    overdue: bool = False


def chart_size_cm(count: int) -> tuple[float, float]:
    """(width, height) of the picture for ``count`` items: ``ROW_CM`` a row, at most ``MAX_HEIGHT_CM``."""
    return WIDTH_CM, min(MAX_HEIGHT_CM, 2.2 + ROW_CM * max(count, 1))


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg", force=True)
        from matplotlib import pyplot
    except ImportError:
        raise ChartUnavailable(
            "Chưa cài thư viện vẽ biểu đồ matplotlib; hãy cài bằng: pip install \"cchc-toolkit[chart]\" "
            "hoặc bỏ tùy chọn --chart."
        ) from None
    return pyplot


def completion_chart(bars: Sequence[Bar]) -> bytes:
    """A horizontal black-and-white bar chart of completion per item, as a 200 dpi PNG."""
    plt = _pyplot()
    width_cm, height_cm = chart_size_cm(len(bars))
    rows = max(len(bars), 1)
    # Font size follows the row height: 11 pt for roomy rows, never below 6 pt.
    size = max(6.0, min(11.0, height_cm / rows * 12))
    with plt.rc_context({"font.family": "serif", "font.serif": FONTS, "font.size": size, "hatch.linewidth": 0.6,
                         "svg.fonttype": "none", "pdf.fonttype": 42}):
        fig, ax = plt.subplots(figsize=(width_cm / 2.54, height_cm / 2.54), dpi=200)
        positions = list(range(rows))[::-1][: len(bars)]
        for y, bar in zip(positions, bars, strict=False):
            if bar.value is None:
                ax.text(1, y, UNKNOWN_TEXT, va="center", ha="left", style="italic")
                continue
            value = max(0.0, min(100.0, bar.value))
            ax.barh(y, value, height=0.6, color="#bfbfbf" if not bar.overdue else "white", edgecolor="black",
                    linewidth=0.6, hatch="///" if bar.overdue else None)
            ax.text(value + 1, y, percent(bar.value), va="center", ha="left")
        ax.set_yticks(positions, [b.label for b in bars])
        ax.set_xlim(0, 112)
        ax.set_ylim(-0.7, rows - 0.3)
        ax.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
        ax.xaxis.grid(True, color="black", linewidth=0.3, linestyle=":")
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.set_xlabel("Mức độ hoàn thành (%)")
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=200, facecolor="white")
        plt.close(fig)
    return out.getvalue()
