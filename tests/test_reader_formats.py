"""The same content saved as .xlsx, .xlsm, .ods and .xls gives the same issues and figures (issue 11 item 5),
and rows hidden by an active filter stay unreported in each format that can tell (issue 15 item 3)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import soffice_or_skip
from tests.test_reader_hostile import _filtered, at, edited, figures, status, validate
from toolkit.core.resources import example_workbook


def convert(exe: str, src: Path, fmt: str, out: Path) -> Path:
    subprocess.run([exe, "--headless", "--convert-to", fmt, "--outdir", str(out), str(src)], capture_output=True,
                   timeout=180, check=True)
    return out / (src.stem + "." + fmt.split(":")[0])


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> dict[str, Path]:
    """The example with an error cell (#N/A in Tổng số), saved by LibreOffice in every format."""
    exe = soffice_or_skip()
    tmp = tmp_path_factory.mktemp("formats")
    wb = openpyxl.load_workbook(example_workbook())
    wb["Tiến độ"]["F3"] = "=NA()"
    wb.save(tmp / "raw.xlsx")
    calc = tmp / "calc"
    xlsx = convert(exe, tmp / "raw.xlsx", "xlsx", calc)  # calculated: the error is a cached value now
    out = {"xlsx": xlsx, "xlsm": convert(exe, xlsx, "xlsm:Calc MS Excel 2007 VBA XML", calc)}
    for fmt in ("ods", "xls"):
        out[fmt] = convert(exe, xlsx, fmt, tmp / fmt)
    return out


def issues(data: dict) -> list[tuple]:
    return sorted((i["code"], i["sheet"] or "", i["cell"] or "") for i in data["issues"])


def test_xlsx_xlsm_and_ods_give_the_same_issues_and_figures(saved) -> None:
    results = {fmt: (validate(saved[fmt]), figures(status(saved[fmt]))) for fmt in ("xlsx", "xlsm", "ods")}
    (code, data), figs = results["xlsx"]
    assert code == 1
    assert ("error-value", "Tiến độ", "F3") in issues(data)
    assert ("hidden-row", "Tiến độ", "A8") in issues(data)
    assert ("merged-cells", "Tiến độ", "B25") in issues(data)
    for fmt in ("xlsm", "ods"):
        (other_code, other), other_figs = results[fmt]
        assert (other_code, issues(other), other_figs) == (code, issues(data), figs), fmt


def test_xls_says_which_checks_it_could_not_make(saved) -> None:
    (_, xlsx), (code, xls) = validate(saved["xlsx"]), validate(saved["xls"])
    assert code == 1
    assert any(i["code"] == "format-checks-unavailable" and ".xls" in i["message"] for i in xls["issues"])
    unseen = {"hidden-row", "error-value", "format-checks-unavailable"}
    assert [i for i in issues(xls) if i[0] not in unseen] == [i for i in issues(xlsx) if i[0] not in unseen]


def test_filtered_rows_are_not_hidden_rows_in_ods(tmp_path) -> None:
    exe = soffice_or_skip()
    ods = convert(exe, edited(tmp_path, "flt.xlsx", _filtered), "ods", tmp_path / "ods")
    assert at(validate(ods)[1], "hidden-row") == []
