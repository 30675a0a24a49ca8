"""The Excel copies of the rules (``toolkit.workbook.excel_forms``) evaluated by LibreOffice on the Python rules' cases.

The builder writes these formulas as data validation and conditional formats; validation and the assessment
decide with ``valuerules.email_address`` and ``assess.bad_figure_cells``. Both run here on the same cells.
"""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import openpyxl

from tests.conftest import soffice_or_skip
from toolkit.core.model import ProgressRow, Source
from toolkit.core.valuerules import email_address
from toolkit.rules.assess import bad_figure_cells
from toolkit.workbook import excel_forms

# Common mistakes, both rules must refuse them; valid forms, both must accept them.
ADDRESSES = ["vanphong@daktover.gov.vn", "nhung.vp@daktover.example.vn", "a_b-c+d@x-y.vn",
             "ten", "ten@", "@xa.gov.vn", "ten@xa", "ten@xa.", "ten@@xa.vn", "ten@xa..vn",
             ".ten@xa.vn", "ten xa@xa.vn", "a@x.vn; b@x.vn", "a@x.vn, b@x.vn", "Nguyễn Văn A <a@xa.gov.vn>",
             "ten@xa@gov.vn"]
# Where Excel's 255-character formula cannot follow the Python rule: Excel lets these through at entry, and
# validation reports them. The Excel rule is never stricter than the Python one.
EXCEL_LOOSER = {"ten@xa.v", "ten@xa.123", "tên@xa.vn", "ten@-xa.vn", "ten@.xa.vn"}
# Spaces around an address: the address is used, and the reader warns (text-normalised) as Excel does at entry.
SPACED = " tu@xa.gov.vn "
FIGURES = [(5, 10), (10, 10), (11, 10), (0, 10), (-1, 10), (5, 0), (0, 0), (5, -3), (5, None), (None, 10),
           (None, None), (12, 0)]


def evaluate(tmp_path: Path, rows: list[list[object]], formulas: list[str]) -> list[list[str]]:
    """Write ``rows`` (values from column A) with ``formulas`` after them (``{r}`` = the row), let LibreOffice
    calculate, and return each row's formula results as text."""
    exe = soffice_or_skip()
    book = openpyxl.Workbook()
    ws = book.active
    for r, values in enumerate(rows, start=1):
        for c, v in enumerate(values, start=1):
            ws.cell(r, c, v)
        for c, f in enumerate(formulas, start=len(values) + 1):
            ws.cell(r, c, "=" + f.format(r=r))
    path = tmp_path / "cases.xlsx"
    book.save(path)  # openpyxl stores no cached results: LibreOffice calculates every formula on load
    subprocess.run([exe, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    with open(tmp_path / "cases.csv", encoding="utf-8", newline="") as fh:
        return [row[len(rows[i]):] for i, row in enumerate(csv.reader(fh))]


def test_the_email_rule_excel_checks_at_entry_is_the_one_validation_applies(tmp_path: Path) -> None:
    cases = [*ADDRESSES, *sorted(EXCEL_LOOSER), SPACED]
    results = evaluate(tmp_path, [[a] for a in cases], [excel_forms.email_ok("A{r}")])
    excel = {a: r[0] == "TRUE" for a, r in zip(cases, results, strict=True)}
    python = {a: email_address(a) is not None for a in cases}
    assert {a: excel[a] for a in ADDRESSES} == {a: python[a] for a in ADDRESSES}
    assert all(excel[a] and not python[a] for a in EXCEL_LOOSER)
    assert python[SPACED] and not excel[SPACED]


def test_the_impossible_figures_excel_colours_are_the_unusable_figures(tmp_path: Path) -> None:
    results = evaluate(tmp_path, [[a, t] for a, t in FIGURES],
                       [excel_forms.achieved_bad("A{r}", "B{r}"), excel_forms.total_bad("B{r}")])
    source = Source("Tiến độ", {"achieved": "E", "total": "F"})
    for (a, t), (achieved_red, total_red) in zip(FIGURES, results, strict=True):
        bad = bad_figure_cells(ProgressRow(source=source, row=7, achieved=a, total=t))
        assert (achieved_red == "TRUE", total_red == "TRUE") == ("Tiến độ!E7" in bad, "Tiến độ!F7" in bad), (a, t)
