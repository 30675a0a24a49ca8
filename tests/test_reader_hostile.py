"""Hostile and odd workbooks through the real CLI: stray far cells, zip bombs, percent formats, blank rows,
uncalculated formulas, misplaced headers and sheet names, filtered rows (issue 11 items 1, 3, 6, 9; issue 15)."""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.filters import FilterColumn, Filters

from toolkit.core.resources import example_workbook

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2023-12-20"
MEMORY_CAP = 1536 << 20  # the whole CLI, interpreter included, within 1.5 GB of address space


def cli(*argv: str, cap: bool = False) -> tuple[int, str, str]:
    """Run ``cchc`` as a user does, in a fresh process; ``cap`` bounds its address space."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    done = subprocess.run([sys.executable, "-m", "toolkit", *argv], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, preexec_fn=limit if cap else None)
    return done.returncode, done.stdout, done.stderr


def validate(path: Path, cap: bool = False) -> tuple[int, dict]:
    code, out, err = cli("validate", str(path), "--json", "--as-of", AS_OF, cap=cap)
    assert "Traceback" not in err and "panicked" not in err, err
    return code, json.loads(out)


def status(path: Path) -> dict:
    code, out, err = cli("status", str(path), "--json", "--as-of", AS_OF, "--period", "Quý IV/2023")
    assert code in (0, 1), err
    return json.loads(out)


def figures(data: dict) -> list[tuple]:
    return [(i["code"], i["target"], i["ratio"], i["completion"]) for i in data["items"]]


def at(data: dict, code: str) -> list[str]:
    return [f'{i["sheet"]}!{i["cell"]}' for i in data["issues"] if i["code"] == code]


def edited(tmp_path: Path, name: str, change) -> Path:
    """A copy of the example workbook changed by ``change(openpyxl workbook)`` and saved by openpyxl."""
    wb = openpyxl.load_workbook(example_workbook())
    change(wb)
    path = tmp_path / name
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> tuple[dict, dict]:
    path = edited(tmp_path_factory.mktemp("base"), "base.xlsx", lambda wb: None)
    return validate(path)[1], status(path)


# --- item 1: size is the data --------------------------------------------------------------------------------

@pytest.mark.parametrize("ref", ["XFD1048576", "ZZ40", "A1048576", "A20001"])  # A20001: a range read as it is
def test_a_stray_far_cell_is_reported_at_its_cell_and_costs_nothing(tmp_path, baseline, ref) -> None:
    def stray(wb):
        wb["Tiến độ"][ref] = "x"

    path = edited(tmp_path, "stray.xlsx", stray)
    code, data = validate(path, cap=True)
    assert code == 1  # the example's own two errors, nothing more
    assert at(data, "value-outside-table") == [f"Tiến độ!{ref}"]
    assert data["errors"] == baseline[0]["errors"]
    assert "nằm ngoài bảng" in next(i["message"] for i in data["issues"] if i["code"] == "value-outside-table")
    assert figures(status(path)) == figures(baseline[1])


def test_a_part_that_unpacks_absurdly_is_refused_before_unpacking(tmp_path) -> None:
    path = tmp_path / "bomb.xlsx"
    shutil.copyfile(example_workbook(), path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/image1.bin", b"\0" * (40 << 20))
    code, out, err = cli("validate", str(path), cap=True)
    assert code == 2
    assert "xl/media/image1.bin" in out + err and "giải nén ra 40 MB" in out + err
    assert "Traceback" not in err


# --- item 3: numbers as Excel shows them ---------------------------------------------------------------------

def _targets(wb) -> None:
    ws = wb["Kế hoạch"]
    ws["D2"] = 1.0
    ws["D2"].number_format = "0%"  # shows 100%
    ws["D3"] = 1  # shows 1: 1%
    ws["D4"] = "0,5%"  # text
    ws["D6"] = 0.5  # plain cell showing 0.5: 0.5%


def test_a_percentage_is_what_the_cell_shows(tmp_path) -> None:
    path = edited(tmp_path, "pct.xlsx", _targets)
    targets = {i["code"]: i["target"] for i in status(path)["items"]}
    assert (targets["1.1"], targets["1.2"], targets["1.3"], targets["1.5"]) == (100.0, 1.0, 0.5, 0.5)
    _, data = validate(path)
    assert [r for r in at(data, "number-as-text") if r.startswith("Kế hoạch")] == ["Kế hoạch!D4"]
    assert not at(data, "percent-ambiguous")


def test_percent_formats_read_the_same_in_ods_and_are_refused_as_unclear_in_xls(tmp_path) -> None:
    from tests.conftest import soffice_or_skip

    exe = soffice_or_skip()
    path = edited(tmp_path, "pct.xlsx", _targets)
    for fmt in ("ods", "xls"):
        subprocess.run([exe, "--headless", "--convert-to", fmt, "--outdir", str(tmp_path), str(path)],
                       capture_output=True, timeout=180, check=True)
    ods = {i["code"]: i["target"] for i in status(tmp_path / "pct.ods")["items"]}
    assert (ods["1.1"], ods["1.2"], ods["1.3"], ods["1.5"]) == (100.0, 1.0, 0.5, 0.5)
    code, data = validate(tmp_path / "pct.xls")
    assert code == 1
    assert at(data, "percent-ambiguous") == ["Kế hoạch!D2", "Kế hoạch!D3", "Kế hoạch!D6"]
    assert at(data, "format-checks-unavailable")


ROUND_TRIP = ["không quá 1%", "dưới 0,5%", "50% trở lên", "100%", "tối thiểu 85,5%", "giảm xuống còn 2%",
              "0,1% hồ sơ trễ hạn", "đạt 99,9%", "không quá 0,05%", "ít nhất 1%"]


def test_what_init_writes_the_reader_reads_back_unchanged(tmp_path) -> None:
    from toolkit.planparse.fields import understand_target

    lines = ["ỦY BAN NHÂN DÂN XÃ IA KA", "Số: 07/KH-UBND", "Ia Ka, ngày 14 tháng 8 năm 2023", "", "KẾ HOẠCH",
             "Khắc phục tồn tại, hạn chế Chỉ số CCHC năm 2022 của xã Ia Ka", "", "III. NHIỆM VỤ VÀ GIẢI PHÁP", ""]
    for n, target in enumerate(ROUND_TRIP, start=1):
        lines += [f"1.{n}. Nội dung số {n}", f"Mục tiêu: Tỷ lệ {target}.", "Giải pháp:", "+ Làm ngay.",
                  "Phụ trách: Công chức Văn phòng - Thống kê", "Thời hạn: 31/12/2023", ""]
    lines += ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Rơ Châm Ly"]
    plan = tmp_path / "plan.txt"
    plan.write_text("\n".join(lines), encoding="utf-8")
    book = tmp_path / "so.xlsx"
    code, out, err = cli("init", str(book), "--plan", str(plan), "--year", "2023")
    assert code in (0, 1), out + err
    read = {i["code"]: (i["target"], i["kind"]) for i in status(book)["items"]}
    for n, target in enumerate(ROUND_TRIP, start=1):
        want = understand_target(f"Tỷ lệ {target}")
        assert read[f"1.{n}"] == (want.value, want.kind), target


# --- item 5: formulas never calculated ---------------------------------------------------------------------

def test_a_formula_never_calculated_is_reported_at_its_cell(tmp_path, baseline) -> None:
    def formula(wb):
        wb["Tiến độ"]["E2"] = "=10+7"  # openpyxl writes no cached value

    code, data = validate(edited(tmp_path, "f.xlsx", formula))
    assert code == 1
    assert at(data, "formula-not-calculated") == ["Tiến độ!E2"]
    assert "chưa được tính" in next(i["message"] for i in data["issues"] if i["code"] == "formula-not-calculated")


# --- item 6: blank is blank ----------------------------------------------------------------------------------

def test_rows_of_spaces_are_blank_with_at_most_one_warning(tmp_path, baseline) -> None:
    def spaces(wb):
        ws = wb["Tiến độ"]
        for col in "ABCDEFHIJKL":
            ws[f"{col}40"] = "   "
        ws["C42"] = " "

    code, data = validate(edited(tmp_path, "sp.xlsx", spaces))
    assert code == 1 and data["errors"] == baseline[0]["errors"]
    assert at(data, "blank-with-spaces") == ["Tiến độ!A40", "Tiến độ!C42"]
    assert not [i for i in data["issues"] if i["row"] in (40, 42) and i["code"] != "blank-with-spaces"]


def test_a_cell_of_spaces_in_a_filled_row_is_blank_in_every_column(tmp_path, baseline) -> None:
    def spaces(wb):
        ws = wb["Tiến độ"]
        ws["A3"], ws["E3"], ws["H3"], ws["I3"] = "   ", " ", "\u00a0 ", "  "

    code, data = validate(edited(tmp_path, "cell-spaces.xlsx", spaces))
    on_row = sorted((i["code"], i["cell"]) for i in data["issues"] if i["row"] == 3)
    assert on_row == [("required-missing", "A3"), ("required-missing", "H3")]  # blank, not «» or «  »
    assert code == 1 and data["errors"] == baseline[0]["errors"] + 2
    assert "«»" not in " ".join(i["message"] for i in data["issues"])


# --- item 9: messages that help ------------------------------------------------------------------------------

def test_a_header_lower_than_row_one_is_named(tmp_path) -> None:
    def lower(wb):
        wb["Tiến độ"].insert_rows(1, 2)

    code, out, err = cli("validate", str(edited(tmp_path, "h.xlsx", lower)))
    assert code == 2
    assert "Sheet «Tiến độ»: dòng tiêu đề đang ở dòng 3 thay vì dòng 1; hãy xóa 2 dòng phía trên" in out + err


def test_a_sheet_named_almost_right_is_read_with_a_warning(tmp_path, baseline) -> None:
    def rename(wb):
        wb["Tiến độ"].title = "Tien do"

    path = edited(tmp_path, "n.xlsx", rename)
    code, data = validate(path)
    assert code == 1
    msg = next(i["message"] for i in data["issues"] if i["code"] == "sheet-name-close")
    assert msg == "Sheet «Tien do» được hiểu là sheet «Tiến độ»; hãy đổi tên sheet thành đúng «Tiến độ» như mẫu."
    assert figures(status(path)) == figures(baseline[1])


def test_a_folder_given_as_the_workbook_says_so(tmp_path) -> None:
    shutil.copyfile(example_workbook(), tmp_path / "theo_doi.xlsx")
    code, out, err = cli("validate", str(tmp_path))
    assert code == 2
    assert "là một thư mục, không phải tệp sổ theo dõi; trong thư mục có: theo_doi.xlsx" in out + err


# --- issue 15 item 3: filtered rows are not hidden rows ------------------------------------------------------

def _filtered(wb) -> None:
    ws = wb["Tiến độ"]
    ws.auto_filter.ref = "A1:L33"
    ws.auto_filter.filterColumn.append(FilterColumn(colId=3, filters=Filters(filter=["Nguyễn Văn Hùng"])))
    for r in (3, 4, 5):
        ws.row_dimensions[r].hidden = True


def test_rows_hidden_by_an_active_filter_are_not_hidden_rows(tmp_path) -> None:
    _, data = validate(edited(tmp_path, "flt.xlsx", _filtered))
    assert at(data, "hidden-row") == []

    def by_hand(wb):
        for r in (3, 4, 5):
            wb["Tiến độ"].row_dimensions[r].hidden = True

    _, data = validate(edited(tmp_path, "hid.xlsx", by_hand))
    assert {"Tiến độ!A3", "Tiến độ!A4", "Tiến độ!A5"} <= set(at(data, "hidden-row"))
