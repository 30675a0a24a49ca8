"""``cchc init --plan``: the user always gets a workbook, what was not understood is printed and flagged in the
cells it affects, and a plan written by ``cchc plan`` reads back to the same items."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from toolkit.cli import main
from toolkit.core.resources import plan_text
from toolkit.core.schema import INFO_SHEET, PLAN
from toolkit.planparse.flags import FLAG_FILL
from toolkit.workbook.reader import read_workbook

# The builder's dynamic print areas are beyond what openpyxl reads; it says so for every workbook it opens.
pytestmark = pytest.mark.filterwarnings("ignore:Print area cannot be set")

PLANS = Path(__file__).parent / "plans"
FIELDS = ("code", "content", "target_text", "target", "kind", "tasks", "owner", "partners", "deadline",
          "deadline_note")


@pytest.fixture(scope="module")
def example_init(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, Path]:
    """``cchc init --plan`` on the example's text: exit code, what it printed, the workbook."""
    import contextlib
    import io

    out = tmp_path_factory.mktemp("init") / "so.xlsx"
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(["init", "--plan", str(plan_text()), str(out)])
    return code, buffer.getvalue(), out


def test_init_from_the_example_prints_what_needs_a_look_and_exits_1_for_the_missing_deadline(
        example_init: tuple[int, str, Path]) -> None:
    code, printed, path = example_init
    assert code == 1  # 1.8 has no deadline: a required cell is blank
    assert path.is_file()
    assert "8 nội dung" in printed
    assert "Lỗi [Kế hoạch!I9]" in printed and "1.8" in printed
    assert "Cảnh báo [Kế hoạch!F9]" in printed and "Tăng cường công tác kiểm tra" in printed


def test_the_workbook_holds_the_imported_plan(example_init: tuple[int, str, Path]) -> None:
    from toolkit.core.example_plan import plan_items

    wb = read_workbook(example_init[2])
    assert [[getattr(it, f) for f in FIELDS] for it in wb.items] == [
        [getattr(it, f) for f in FIELDS] for it in plan_items()]
    assert (wb.info.unit, wb.info.signer_name, wb.info.year) == ("xã Đăktover", "Trần Thành Trung", 2023)


@pytest.mark.parametrize(("sheet", "cell", "words"), [
    (PLAN.name, "I9", "không có phần d)"),
    (PLAN.name, "F9", "Tăng cường công tác kiểm tra"),
    (PLAN.name, "D5", "không có chỉ tiêu bằng số"),
    (PLAN.name, "D8", "không có chỉ tiêu bằng số"),
    (INFO_SHEET, "B7", "Số kế hoạch"),
    (INFO_SHEET, "B8", "Ngày ban hành kế hoạch"),
    (INFO_SHEET, "B35", "Nơi nhận báo cáo"),
])
def test_cells_of_what_was_not_understood_are_flagged(example_init: tuple[int, str, Path], sheet: str, cell: str,
                                                      words: str) -> None:
    ws = openpyxl.load_workbook(example_init[2])[sheet]
    assert ws[cell].comment is not None and words in ws[cell].comment.text
    assert ws[cell].fill.fgColor.rgb == "FF" + FLAG_FILL.lstrip("#")


def test_flagged_cells_keep_their_values_and_others_stay_plain(example_init: tuple[int, str, Path]) -> None:
    book = openpyxl.load_workbook(example_init[2])
    plan, info = book[PLAN.name], book[INFO_SHEET]
    assert plan["F9"].value.startswith("- Đẩy mạnh công tác tuyên truyền về CCHC")
    assert info["A35"].value == "Nơi nhận báo cáo" and info["B35"].value == "Phòng Nội vụ"
    flagged = {(ws.title, c.coordinate) for ws in (plan, info) for row in ws.iter_rows() for c in row if c.comment}
    assert flagged == {(PLAN.name, c) for c in ("I9", "F9", "D5", "D8")} | {(INFO_SHEET, c) for c in
                                                                           ("B7", "B8", "B35")}


def test_a_plan_with_only_warnings_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "hoa-lu.xlsx"
    assert main(["init", "--plan", str(PLANS / "phuong-hoa-lu.md"), str(out), "--year", "2024"]) == 0
    printed = capsys.readouterr().out
    assert "«IV. KINH PHÍ THỰC HIỆN»" in printed
    wb = read_workbook(out)
    assert [it.code for it in wb.items] == ["1", "2", "3"]
    assert (wb.info.unit, wb.info.year) == ("phường Hoa Lư", 2024)
    assert [o.name for o in wb.officials if o.name] == ["Nguyễn Thị Mai"]


@pytest.mark.parametrize(("name", "content", "words"), [
    ("khong-co.docx", None, "Không tìm thấy tệp"),
    ("ke-hoach.pdf", b"%PDF-1.4", "lưu thành .docx"),
    ("hong.docx", b"PK\x03\x04 broken", "Word"),
])
def test_an_unreadable_plan_exits_2_with_one_line_and_no_workbook(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes | None, words: str) -> None:
    source = tmp_path / name
    if content is not None:
        source.write_bytes(content)
    out = tmp_path / "so.xlsx"
    assert main(["init", "--plan", str(source), str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("Lỗi: ") and words in captured.err and "Traceback" not in captured.err
    assert not out.exists()


def test_a_document_without_items_still_gives_a_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "thu-moi.txt"
    source.write_text("Kính gửi các đồng chí\nMời dự họp giao ban.\n", encoding="utf-8")
    out = tmp_path / "so.xlsx"
    assert main(["init", "--plan", str(source), str(out)]) == 1
    assert "Không tìm thấy nội dung nào đánh số" in capsys.readouterr().out
    assert read_workbook(out).items == []
    assert openpyxl.load_workbook(out)[PLAN.name]["A2"].comment is not None


def test_init_never_overwrites_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "so.xlsx"
    out.write_bytes(b"someone's workbook")
    assert main(["init", "--plan", str(plan_text()), str(out)]) == 2
    assert out.read_bytes() == b"someone's workbook"
    assert "--force" in capsys.readouterr().err


# --- round trip through `cchc plan` ---------------------------------------------------------------------------



def _bare(text: str | None) -> str | None:
    return text.rstrip(" .:;") if text else text


def _as_the_plan_writes_it(item: object) -> list[object]:
    """An item as `cchc plan` puts it on paper: quoted as issued (Nghị định 30/2020 Điều 15: one number, one
    text), sentences ending in a full stop, the deadline in the plan's own words."""
    return [item.code, _bare(item.content), _bare(item.target_text), item.target, item.kind,
            item.tasks, _bare(item.owner), _bare(item.partners), item.deadline, item.deadline_note]


def _as_read(item: object) -> list[object]:
    return [item.code, _bare(item.content), _bare(item.target_text), item.target, item.kind, item.tasks,
            _bare(item.owner), _bare(item.partners), item.deadline, item.deadline_note]


def test_a_plan_written_by_cchc_plan_reads_back_to_the_same_items(
        example_init: tuple[int, str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = example_init[2]
    assert main(["plan", str(first), "--new", "--out", str(tmp_path)]) == 0  # next year's plan starts from it
    (document,) = tmp_path.glob("*.docx")
    again = tmp_path / "lan-2.xlsx"
    assert main(["init", "--plan", str(document), str(again)]) == 1  # 1.8 still has no deadline
    printed = capsys.readouterr().out
    assert "Lỗi [Kế hoạch!I9]" in printed
    before, after = read_workbook(first), read_workbook(again)
    assert [_as_read(it) for it in after.items] == [_as_the_plan_writes_it(it) for it in before.items]
    for name in ("issuer", "unit", "place", "plan_subject", "year", "legal_basis", "implementing", "purposes",
                 "requirements", "organization", "signer_authority", "signer_deputy", "signer_position",
                 "signer_name", "plan_recipients"):
        assert getattr(after.info, name) == getattr(before.info, name), name
    assert after.info.plan_date is None, "a new plan has its day blank"
    assert [(o.name, o.position) for o in after.officials] == [(o.name, o.position) for o in before.officials]


def test_the_default_macro_workbook_is_flagged_too(tmp_path: Path) -> None:
    out = tmp_path / "theo_doi_cchc_2023.xlsm"
    assert main(["init", "--plan", str(plan_text()), str(out)]) == 1
    ws = openpyxl.load_workbook(out, keep_vba=True)[PLAN.name]
    assert ws["I9"].comment is not None


def test_a_sao_y_copy_reads_back_as_the_plan_not_the_copy(
        example_init: tuple[int, str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The copy block under a SAO Y copy (its own number, Nơi nhận and signer) is the copier's, not the plan's."""
    first = example_init[2]
    assert main(["plan", str(first), "--out", str(tmp_path)]) == 0
    (document,) = tmp_path.glob("*.docx")
    again = tmp_path / "tu-ban-sao.xlsx"
    main(["init", "--plan", str(document), str(again)])
    capsys.readouterr()
    before, after = read_workbook(first), read_workbook(again)
    assert [_as_read(it) for it in after.items] == [_as_the_plan_writes_it(it) for it in before.items]
    assert after.info.plan_recipients == before.info.plan_recipients
    assert (after.info.signer_name, after.info.signer_position) == (before.info.signer_name,
                                                                    before.info.signer_position)
