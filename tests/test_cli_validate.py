"""`cchc validate` and `cchc status` as a user runs them: output, JSON shapes, exit codes, unreadable files."""

from __future__ import annotations

import json
import shutil
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest

from toolkit.cli import main
from toolkit.core.resources import example_workbook
from toolkit.create import create_workbook

EXAMPLE = str(example_workbook())
ISSUE_KEYS = {"code", "severity", "sheet", "cell", "row", "column", "message"}
ITEM_KEYS = {"code", "target", "kind", "row", "reported", "carried_from", "usable", "bad_cells", "ratio", "completion",
             "status", "done", "overdue", "due_soon", "missing", "owner", "owners"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_example_text(capsys):
    code, out, err = run(capsys, "validate", EXAMPLE, "--as-of", "2023-12-20")
    assert code == 1
    assert "Tiến độ   C23  Lỗi       «10/13/2023» không phải ngày hợp lệ" in out
    assert "không có dòng báo cáo" not in out  # quarters I and II ended before the plan (10/8/2023)
    assert out.rstrip().endswith("Có 2 lỗi và 12 cảnh báo cần xem lại trong theo_doi_cchc_2023.xlsx.")
    assert err == ""


def test_validate_example_json(capsys):
    code, out, err = run(capsys, "validate", EXAMPLE, "--json", "--as-of", "2023-12-20")
    data = json.loads(out)
    assert code == 1
    assert set(data) == {"workbook", "valid", "errors", "warnings", "issues"}
    assert (data["valid"], data["errors"], data["warnings"]) == (False, 2, 12)
    assert all(set(i) == ISSUE_KEYS for i in data["issues"])
    first_error = next(i for i in data["issues"] if i["severity"] == "error")
    assert first_error == {
        "code": "result-missing", "severity": "error", "sheet": "Tiến độ", "cell": "I12", "row": 12,
        "column": "Kết quả thực hiện",
        "message": "Tình trạng «Đang thực hiện» nhưng chưa ghi Kết quả thực hiện.",
    }
    assert err.count("\n") == 1  # the one-line reason


def test_validate_warnings_only_exits_0(build, capsys):
    code, out, _ = run(capsys, "validate", str(build()), "--as-of", "2023-03-01")
    assert code == 0
    assert out.rstrip().endswith("Không có lỗi; có 3 cảnh báo cần xem lại trong wb1.xlsx.")


def test_new_workbook_asks_for_the_names(tmp_path: Path, capsys):
    """`cchc init` lists positions only; until the Office types the names, each roster row is an error."""
    path = create_workbook(tmp_path / "moi.xlsx")
    code, out, _ = run(capsys, "validate", str(path), "--as-of", "2023-03-01")
    assert code == 1
    assert "Cán bộ    A2  Lỗi       Cột «Họ và tên» bắt buộc nhập nhưng ô đang để trống." in out


def _not_a_workbook(p: Path) -> None:
    p.write_text("Họ và tên,Email\n", encoding="utf-8")


def _garbage(p: Path) -> None:
    p.write_bytes(bytes(range(256)) * 40)


def _truncated(p: Path) -> None:
    p.write_bytes(Path(EXAMPLE).read_bytes()[:20000])


def _encrypted(p: Path) -> None:
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    with open(EXAMPLE, "rb") as src, p.open("wb") as out:
        ooxml.OOXMLFile(src).encrypt("matkhau", out)


def _load_example() -> openpyxl.Workbook:
    with warnings.catch_warnings():  # openpyxl cannot keep the dynamic print area; irrelevant here
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(EXAMPLE)


def _without_sheet(p: Path) -> None:
    wb = _load_example()
    del wb["Cán bộ"]
    wb.save(p)


def _renamed_column(p: Path) -> None:
    wb = _load_example()
    wb["Tiến độ"]["E1"] = "Số lượng đạt"
    wb.save(p)


def _empty_zip(p: Path) -> None:
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("readme.txt", "không phải Excel")


@pytest.mark.parametrize(("make", "reason"), [
    (_not_a_workbook, "không phải tệp Excel"),
    (_garbage, "không phải tệp Excel"),
    (_truncated, "tệp bị hỏng hoặc chưa lưu xong"),
    (_empty_zip, "Không đọc được tệp"),
    (_encrypted, "được đặt mật khẩu"),
    (_without_sheet, "Thiếu sheet «Cán bộ»"),
    (_renamed_column, "Sheet «Tiến độ» thiếu cột «Số đạt»"),
    (None, "Không tìm thấy tệp"),
])
@pytest.mark.parametrize("command", ["validate", "status"])
def test_unreadable_exits_2_with_one_line(tmp_path: Path, capsys, make, reason, command):
    path = tmp_path / "so.xlsx"
    if make is not None:
        make(path)
    code, out, err = run(capsys, command, str(path))
    assert code == 2
    assert out == ""
    assert err.startswith("Lỗi: ") and err.count("\n") == 1 and reason in err
    assert "Traceback" not in err


def test_unreadable_json_is_still_a_report(tmp_path: Path, capsys):
    path = tmp_path / "so.xlsx"
    _truncated(path)
    code, out, err = run(capsys, "validate", str(path), "--json")
    data = json.loads(out)
    assert code == 2 and data["valid"] is False and data["errors"] == 1
    assert [i["code"] for i in data["issues"]] == ["file-unreadable"]
    assert err.startswith("Lỗi: ")


def test_xls_and_ods_copies_validate_like_the_xlsx(tmp_path: Path, capsys):
    from .conftest import soffice_convert

    ods = soffice_convert(Path(shutil.copy(EXAMPLE, tmp_path / "so.xlsx")), "ods", tmp_path)
    code, out, _ = run(capsys, "validate", str(ods), "--json", "--as-of", "2023-12-20")
    data = json.loads(out)
    assert code == 1
    cells = {(i["code"], i["cell"]) for i in data["issues"]}
    assert {("not-a-date", "C23"), ("result-missing", "I12"), ("duplicate-snapshot", "A30")} <= cells


def test_status_json(capsys):
    code, out, _ = run(capsys, "status", EXAMPLE, "--json", "--as-of", "2024-01-08")
    data = json.loads(out)
    assert code == 0
    assert set(data) == {"period", "report_kind", "as_of", "overdue_on", "cutoff", "reportable", "counts", "done",
                         "overdue", "not_reported", "unknown", "mean_completion", "mean_covers", "items"}
    assert (data["period"], data["report_kind"], data["as_of"], data["mean_completion"], data["mean_covers"]) == \
        ("Quý IV/2023", "năm", "2024-01-08", 99.07, 6)
    assert data["counts"] == {"items": 8, "done": 4, "not_done": 4, "overdue": 4, "not_reported": 0, "unknown": 2}
    assert (data["done"], data["overdue"], data["unknown"]) == (["1.2", "1.3", "1.5", "1.8"],
                                                                 ["1.1", "1.4", "1.6", "1.7"], ["1.4", "1.7"])
    items = {i["code"]: i for i in data["items"]}
    assert all(set(i) == ITEM_KEYS for i in data["items"])
    assert items["1.1"] | {} == {"code": "1.1", "target": 100.0, "kind": "Tối thiểu", "row": 25, "reported": True,
                                 "carried_from": None, "usable": True, "bad_cells": [], "ratio": 95.24,
                                 "completion": 95.24, "status": "Đang thực hiện", "done": False, "overdue": True,
                                 "due_soon": False, "missing": [], "owner": "Văn phòng – Thống kê",
                                 "owners": ["Nguyễn Thị Hồng Nhung"]}
    assert (items["1.3"]["ratio"], items["1.3"]["completion"]) == (66.67, 100.0)
    assert items["1.4"]["completion"] is None and items["1.7"]["completion"] is None


def test_status_period_and_text(capsys):
    code, out, _ = run(capsys, "status", EXAMPLE, "--period", "Quý III/2023", "--as-of", "2023-10-10")
    assert code == 0
    assert out.startswith("Tiến độ thực hiện kế hoạch Quý III/2023 (tính đến ngày 10/10/2023; quá hạn xét tại ngày "
                          "chốt số liệu 14/9/2023)")
    assert "1.8  hoàn thành (100%)  75%    75%" in out
    assert ("Đã hoàn thành 02/08 nội dung; 06 nội dung chưa hoàn thành. Mức hoàn thành bình quân 93,7% (tính trên "
            "06/08 nội dung xác định được mức hoàn thành).") in out
    assert "Đinh Văn Tú            1.2, 1.4, 1.7  00/03       -        -             98,7%" in out  # per official


def test_status_of_a_period_before_the_plan(capsys):
    code, out, _ = run(capsys, "status", EXAMPLE, "--period", "Quý I/2023", "--as-of", "2023-10-10")
    assert code == 0
    assert "Quý I/2023 kết thúc trước ngày ban hành kế hoạch (10/8/2023)" in out


def test_status_rejects_a_bad_period(capsys):
    with pytest.raises(SystemExit) as done:
        main(["status", EXAMPLE, "--period", "Quý 5/2023"])
    assert done.value.code == 2
    assert "không phải kỳ báo cáo" in capsys.readouterr().err


def test_demo_step_writes_the_report_and_the_status(example_copy: Path):
    from toolkit.demo import DEMO_AS_OF, DEMO_PERIOD, DemoContext, step_validate

    said: list[str] = []
    ctx = DemoContext(out=example_copy.parent, workbook=example_copy, as_of=DEMO_AS_OF, period=DEMO_PERIOD,
                      echo=said.append)
    files = {p.name: label for label, p in step_validate(ctx)}
    assert set(files) == {"kiem-tra.txt", "kiem-tra.json", "tien-do.txt", "tien-do.json"}
    # Quý IV/2023 named: deadlines judged at its data cut-off (14/12/2023), when none had passed
    assert said == ["Có 2 lỗi và 12 cảnh báo cần xem lại trong theo_doi_cchc_2023.xlsx."]
    report = json.loads((ctx.out / "kiem-tra.json").read_text(encoding="utf-8"))
    assert (report["errors"], report["warnings"]) == (2, 12)
    status = json.loads((ctx.out / "tien-do.json").read_text(encoding="utf-8"))
    assert (status["period"], status["mean_completion"], status["unknown"]) == ("Quý IV/2023", 99.07, ["1.4", "1.7"])
    text = (ctx.out / "tien-do.txt").read_text(encoding="utf-8")
    assert ("Đã hoàn thành 04/08 nội dung; 04 nội dung chưa hoàn thành. Mức hoàn thành bình quân 99,1% (tính trên "
            "06/08 nội dung xác định được mức hoàn thành).") in text
