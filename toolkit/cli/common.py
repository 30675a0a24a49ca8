"""Argument types shared by subcommands: dates, periods, paths, in the forms officials type them."""

from __future__ import annotations

import argparse
from datetime import date

from toolkit.period import Period


def iso_date(text: str) -> date:
    """``YYYY-MM-DD`` (also ``DD/MM/YYYY``) for --as-of and --date."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    parts = text.replace("-", "/").split("/")
    if len(parts) == 3 and len(parts[2]) == 4:
        try:
            return date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            pass
    raise argparse.ArgumentTypeError(f"«{text}» không phải ngày; hãy nhập dạng YYYY-MM-DD, ví dụ 2023-10-15")


def period(text: str) -> Period:
    """``Quý III/2023`` (also ``Q3/2023``, ``quý 3/2023``) for --period."""
    p = Period.parse(text)
    if p is None:
        raise argparse.ArgumentTypeError(f"«{text}» không phải kỳ báo cáo; hãy nhập dạng \"Quý III/2023\"")
    return p
