"""The shipped example workbook is exactly what its generator makes (so it can be rebuilt and reviewed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from toolkit.core.resources import example_workbook

ROOT = Path(__file__).resolve().parent.parent


def test_example_is_reproducible(tmp_path: Path) -> None:
    out = tmp_path / "ex.xlsx"
    subprocess.run([sys.executable, str(ROOT / "workbooks" / "make_example.py"), str(out)], check=True,
                   capture_output=True)
    assert out.read_bytes() == example_workbook().read_bytes(), (
        "workbooks/theo_doi_cchc_2023.xlsx is stale: run python workbooks/make_example.py and commit it")
