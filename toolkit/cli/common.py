"""Argument types shared by subcommands: dates, periods, paths, in the forms officials type them."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date

    from toolkit.core.period import Period


def iso_date(text: str) -> date:
    """``YYYY-MM-DD`` (also ``DD/MM/YYYY``) for --as-of and --date."""
    from toolkit.core.valuerules import day_from_text

    day = day_from_text(text)
    if day is not None:
        return day
    raise argparse.ArgumentTypeError(f"«{text}» không phải ngày; hãy nhập dạng YYYY-MM-DD, ví dụ 2023-10-15")


def period(text: str) -> Period:
    """``Quý III/2023`` (also ``Q3/2023``, ``quý 3/2023``) for --period."""
    from toolkit.core.period import Period

    p = Period.parse(text)
    if p is None:
        raise argparse.ArgumentTypeError(f"«{text}» không phải kỳ báo cáo; hãy nhập dạng \"Quý III/2023\"")
    return p


def deliver(write: Callable[[], Path], done: str, *, pdf: bool) -> tuple[Path, int]:
    """Run a document writer and say where the file went, then make the PDF when asked.

    A target open in Word gets the result under a free name (``OutputLocked``), said on stderr. Returns the
    path written and the exit code: 1 when the PDF could not be made (the Word file is kept), else 0.
    """
    from toolkit.core.files import OutputLocked

    try:
        path = write()
    except OutputLocked as locked:
        print(f"Chú ý: {locked}", file=sys.stderr)
        path = locked.free
    print(f"{done}: {path}")
    if pdf:
        from toolkit.report.pdf import PdfUnavailable, to_pdf  # only when asked: it starts LibreOffice

        try:
            print(f"Bản PDF: {to_pdf(path)}")
        except (PdfUnavailable, OutputLocked) as exc:
            print(f"Lỗi: {exc}", file=sys.stderr)
            return path, 1
    return path, 0

