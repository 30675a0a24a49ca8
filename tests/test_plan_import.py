"""Importing issued plans: the real example (text and Word) matches its hand transcription field by field, and
differently written plans import with the right items and a clear report of what was not understood."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from toolkit.core.example_plan import plan_info, plan_items, plan_positions
from toolkit.core.resources import plan_text
from toolkit.core.schema import KIND_DONE, KIND_MAX, KIND_MIN
from toolkit.planparse import import_plan
from toolkit.planparse.imported import ImportedPlan

from .conftest import soffice_convert
from .plandocs import STYLE_NUMBERED_ITEMS, docx_from_markdown, style_numbered_plan, table_plan

PLANS = Path(__file__).parent / "plans"
FIELDS = ("code", "content", "target_text", "target", "kind", "tasks", "owner", "partners", "deadline",
          "deadline_note")
INFO_FIELDS = ("issuer", "unit", "issuer_abbr", "place", "plan_number", "plan_date", "plan_subject", "year",
               "legal_basis", "implementing", "purposes", "requirements", "organization", "signer_authority",
               "signer_deputy", "signer_position", "signer_name", "plan_recipients")


def fields_of(item: object, names: tuple[str, ...] = FIELDS) -> dict[str, object]:
    return {name: getattr(item, name) for name in names}


def problems_of(plan: ImportedPlan) -> set[tuple[str, str]]:
    """(code, place) of every problem; the place is the cell, or the quoted paragraph when there is no cell."""
    return {(p.code, p.ref or p.params.get("paragraph", "")) for p in plan.problems}


@pytest.fixture(scope="module", params=["txt", "docx"])
def example(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> ImportedPlan:
    """The example plan imported from its text, and from a Word file built from that text with styles."""
    source = plan_text()
    if request.param == "docx":
        source = docx_from_markdown(source.read_text(encoding="utf-8"),
                                    tmp_path_factory.mktemp("plan") / "ke-hoach.docx")
    return import_plan(source)


@pytest.mark.parametrize("index", range(8), ids=[f"item-{i.code}" for i in plan_items()])
def test_example_items_match_the_transcription_field_by_field(example: ImportedPlan, index: int) -> None:
    assert len(example.items) == 8
    assert fields_of(example.items[index]) == fields_of(plan_items()[index])


def test_example_general_information_matches_the_transcription(example: ImportedPlan) -> None:
    assert fields_of(example.info, INFO_FIELDS) == fields_of(plan_info(), INFO_FIELDS)


def test_example_roster_has_the_positions_named_in_the_c_parts_and_the_signer(example: ImportedPlan) -> None:
    assert [(o.name, o.position) for o in example.officials] == [(o.name, o.position) for o in plan_positions()]


def test_example_reports_exactly_what_the_plan_leaves_unclear(example: ImportedPlan) -> None:
    assert problems_of(example) == {
        ("plan-task-in-assignment", "Kế hoạch!F9"),  # 1.8: a task bullet inside c)
        ("plan-part-missing", "Kế hoạch!I9"),  # 1.8: no d) deadline
        ("plan-target-unquantified", "Kế hoạch!D5"),  # 1.4, 1.7: no number in the target
        ("plan-target-unquantified", "Kế hoạch!D8"),
        ("plan-info-missing", "Thông tin chung!B7"),  # the text has no number ...
        ("plan-info-missing", "Thông tin chung!B8"),  # ... and no date
        ("plan-info-assumed", "Thông tin chung!B35"),  # report recipients taken from the plan's
    }
    by_cell = {p.ref: p for p in example.problems}
    assert "Tăng cường công tác kiểm tra, đôn đốc" in by_cell["Kế hoạch!F9"].message
    assert by_cell["Kế hoạch!I9"].severity == "error"
    assert by_cell["Kế hoạch!I9"].message.startswith(("Dòng ", "Đoạn "))
    assert "1.8" in by_cell["Kế hoạch!I9"].message


def test_items_remember_their_workbook_cells(example: ImportedPlan) -> None:
    assert [it.ref("deadline") for it in example.items[:2]] == ["Kế hoạch!I2", "Kế hoạch!I3"]


# --- plans written differently ------------------------------------------------------------------------------

def _item(code: str, content: str, target_text: str | None, target: float | None, kind: str, tasks: str | None,
          owner: str | None, partners: str | None, deadline: date | None, note: str | None) -> dict[str, object]:
    return dict(zip(FIELDS, (code, content, target_text, target, kind, tasks, owner, partners, deadline, note),
                    strict=True))


OTHER_PLANS = {
    # Another commune (a phường): header block, items numbered 1. 2. 3. under section II, "Chủ trì/Phối hợp",
    # an inline c), an at-most target, a heading split over two lines, NBSP and NFD text, an extra section.
    "phuong-hoa-lu.md": (
        [
            _item("1", "Tỷ lệ hồ sơ giải quyết trễ hạn", "Tỷ lệ hồ sơ trễ hạn không quá 5% tổng số hồ sơ.", 5.0,
                  KIND_MAX, "- Rà soát quy trình nội bộ từng thủ tục hành chính.\n- Nhắc hạn hằng tuần trên phần "
                  "mềm một cửa.", "Công chức Văn phòng - Thống kê",
                  "Công chức Tư pháp - Hộ tịch, Công chức Địa chính - Xây dựng", date(2023, 9, 30), "Quý III/2023"),
            _item("2", "Tỷ lệ hồ sơ trực tuyến toàn trình",
                  "Đạt 30% trở lên số hồ sơ được nộp trực tuyến toàn trình.", 30.0, KIND_MIN,
                  "- Hướng dẫn người dân tạo tài khoản định danh điện tử.", "Công chức Văn hóa - Xã hội",
                  "Đoàn Thanh niên phường", date(2023, 9, 30), None),
            _item("3", "Số hóa kết quả giải quyết thủ tục hành chính còn chậm",
                  "Toàn bộ kết quả giải quyết còn hiệu lực được số hóa.", 100.0, KIND_MIN,
                  "- Bố trí máy quét tại Bộ phận Một cửa.\n- Số hóa theo thứ tự thời gian, mới trước cũ sau.",
                  "Công chức Tư pháp - Hộ tịch", None, None, "Thường xuyên"),
        ],
        {
            ("plan-paragraph-unplaced", "IV. KINH PHÍ THỰC HIỆN"),
            ("plan-paragraph-unplaced", "Kinh phí thực hiện từ nguồn ngân sách phường năm 2023."),
            ("plan-info-assumed", "Thông tin chung!B26"),
        },
    ),
    # Roman item numbers (I.1), parts labelled without letters, "+" bullets, a bullet wrapped over two lines,
    # a missing a) and c), an impossible date, two numbers in one target, a note after d).
    "xa-ia-ka-so-la-ma.txt": (
        [
            _item("I.1", "Công khai thủ tục hành chính tại Bộ phận Một cửa chưa đầy đủ",
                  "100% thủ tục hành chính được niêm yết công khai.", 100.0, KIND_MIN,
                  "- Rà soát, cập nhật danh mục thủ tục hành chính còn hiệu lực theo quyết định công bố của tỉnh.\n"
                  "- Niêm yết bằng mã QR tại Bộ phận Một cửa.", "Công chức Văn phòng - Thống kê", None,
                  date(2023, 10, 31), "tháng 10/2023"),
            _item("I.2", "Đánh giá mức độ hài lòng của người dân", None, None, KIND_MIN,
                  "- Đặt máy đánh giá tại Bộ phận Một cửa.", None, None, None, "31/02/2023"),
            _item("I.3", "Ứng dụng công nghệ thông tin trong quản lý văn bản",
                  "Văn bản đi được ký số đạt 90%, văn bản đến được số hóa đạt 100%.", 90.0, KIND_MIN,
                  "- Cấp chữ ký số cho công chức chuyên môn.", "Công chức Văn phòng - Thống kê", "Viettel Chư Păh",
                  date(2023, 6, 30), "6 tháng đầu năm 2023"),
        ],
        {
            ("plan-part-missing", "Kế hoạch!C3"),
            ("plan-owner-missing", "Kế hoạch!G3"),
            ("plan-deadline-unclear", "Kế hoạch!I3"),
            ("plan-target-ambiguous", "Kế hoạch!D4"),
            ("plan-item-paragraph-unplaced", "Kế hoạch!A4"),
            ("plan-info-assumed", "Thông tin chung!B22"),
        },
    ),
    # Group headings (1., 2.) over items 1.1 ..., a missing d), a missing c), a missing b), a duplicate code,
    # an unknown labelled line, no header, no recipients, no signer: the unit comes from the introduction.
    "thi-tran-nhom-thieu-phan.txt": (
        [
            _item("1.1", "Hồ sơ quá hạn chưa có văn bản xin lỗi", "100% hồ sơ quá hạn có văn bản xin lỗi.", 100.0,
                  KIND_MIN, "- Theo dõi hạn giải quyết hằng ngày.", "Công chức Tư pháp - Hộ tịch", None,
                  date(2023, 12, 31), "Quý IV năm 2023"),
            _item("1.2", "Niêm yết thủ tục hành chính chưa kịp thời", "Niêm yết kịp thời theo quy định.", None,
                  KIND_MIN, "- Cập nhật ngay khi có quyết định công bố.", "Công chức Văn phòng - Thống kê", None,
                  None, None),
            _item("2.1", "Trang thông tin điện tử chưa cập nhật thường xuyên",
                  "Cập nhật tối thiểu 4 tin bài mỗi tháng.", None, KIND_MIN,
                  "- Giao công chức Văn hóa - Xã hội biên tập tin bài.", None, None, date(2023, 12, 31),
                  "Trong năm 2023"),
            _item("2.1", "Hộp thư góp ý chưa được mở định kỳ", "Mở hộp thư mỗi tháng một lần.", None, KIND_MIN,
                  None, "Văn phòng", None, date(2023, 12, 31), "Hằng tháng trong năm 2023"),
        ],
        {
            ("plan-group-heading", "1. Cải cách thủ tục hành chính"),
            ("plan-group-heading", "2. Hiện đại hóa hành chính"),
            ("plan-item-paragraph-unplaced", "Kế hoạch!A4"),
            ("plan-duplicate-code", "Kế hoạch!A5"),
            ("plan-target-unquantified", "Kế hoạch!D3"),
            ("plan-target-unquantified", "Kế hoạch!D4"),
            ("plan-target-unquantified", "Kế hoạch!D5"),
            ("plan-part-missing", "Kế hoạch!I3"),
            ("plan-owner-missing", "Kế hoạch!G4"),
            ("plan-part-missing", "Kế hoạch!F5"),
            *{("plan-info-missing", f"Thông tin chung!B{row}") for row in (7, 8, 16, 18, 19, 20)},
        },
    ),
}


@pytest.mark.parametrize("name", sorted(OTHER_PLANS))
def test_differently_written_plans_give_their_items(name: str) -> None:
    plan = import_plan(PLANS / name)
    expected, _ = OTHER_PLANS[name]
    assert [fields_of(it) for it in plan.items] == expected


@pytest.mark.parametrize("name", sorted(OTHER_PLANS))
def test_differently_written_plans_report_what_was_not_understood(name: str) -> None:
    plan = import_plan(PLANS / name)
    _, expected = OTHER_PLANS[name]
    assert problems_of(plan) == expected
    for p in plan.problems:
        assert p.message and "{" not in p.message


@pytest.mark.parametrize(("name", "field", "value"), [
    ("phuong-hoa-lu.md", "parent_body", "UBND THÀNH PHỐ PLEIKU"),
    ("phuong-hoa-lu.md", "unit", "phường Hoa Lư"),
    ("phuong-hoa-lu.md", "plan_number", "41/KH-UBND"),
    ("phuong-hoa-lu.md", "plan_date", date(2023, 9, 5)),
    ("phuong-hoa-lu.md", "plan_subject", "Khắc phục hạn chế Chỉ số cải cách hành chính năm 2022 của phường Hoa Lư"),
    ("phuong-hoa-lu.md", "legal_basis", ["Quyết định số 677/QĐ-UBND ngày 21/6/2023 của UBND tỉnh Gia Lai",
                                         "Kế hoạch số 12/KH-UBND ngày 02/3/2023 của UBND thành phố Pleiku"]),
    ("phuong-hoa-lu.md", "signer_deputy", None),
    ("phuong-hoa-lu.md", "signer_position", "CHỦ TỊCH"),
    ("phuong-hoa-lu.md", "signer_name", "Nguyễn Thị Mai"),
    ("phuong-hoa-lu.md", "plan_recipients", ["UBND thành phố (b/c)", "Phòng Nội vụ", "Lưu: VT"]),
    ("xa-ia-ka-so-la-ma.txt", "unit", "xã Ia Ka"),
    ("xa-ia-ka-so-la-ma.txt", "purposes", ["Nâng cao Chỉ số CCHC của xã năm 2023."]),
    ("xa-ia-ka-so-la-ma.txt", "requirements", ["Phân công rõ người, rõ việc, rõ thời hạn."]),
    ("xa-ia-ka-so-la-ma.txt", "implementing", ["Công văn số 179/NV-CCHC ngày 31/7/2023 của Phòng Nội vụ huyện "
                                               "Chư Păh"]),
    ("xa-ia-ka-so-la-ma.txt", "signer_name", "Rơ Châm Ly"),
    ("thi-tran-nhom-thieu-phan.txt", "unit", "thị trấn Phú Hòa"),
    ("thi-tran-nhom-thieu-phan.txt", "place", "Phú Hòa"),
    ("thi-tran-nhom-thieu-phan.txt", "year", 2023),
    ("thi-tran-nhom-thieu-phan.txt", "signer_name", None),
])
def test_general_information_of_other_plans(name: str, field: str, value: object) -> None:
    assert getattr(import_plan(PLANS / name).info, field) == value


def test_the_signer_of_another_commune_joins_the_roster() -> None:
    plan = import_plan(PLANS / "phuong-hoa-lu.md")
    assert [(o.name, o.position) for o in plan.officials] == [
        (None, "Văn phòng - Thống kê"), (None, "Tư pháp - Hộ tịch"), (None, "Địa chính - Xây dựng"),
        (None, "Văn hóa - Xã hội"), ("Nguyễn Thị Mai", "Chủ tịch UBND phường")]


def test_word_numbering_that_lives_in_the_styles_is_read(tmp_path: Path) -> None:
    plan = import_plan(style_numbered_plan(tmp_path / "nghia-hung.docx"))
    assert [fields_of(it) for it in plan.items] == [
        _item("2.1", STYLE_NUMBERED_ITEMS[0][0], "Đạt 60% trở lên.", 60.0, KIND_MIN,
              "- Hướng dẫn người dân nộp hồ sơ trực tuyến tại Bộ phận Một cửa.\n- Niêm yết mã QR từng thủ tục.",
              "Công chức Tư pháp - Hộ tịch", "Công an xã", date(2024, 6, 30), "Quý II/2024"),
        _item("2.2", STYLE_NUMBERED_ITEMS[1][0], "100% văn bản đi được ký số.", 100.0, KIND_MIN,
              "- Cấp chứng thư số cho lãnh đạo và công chức.", "Công chức Văn phòng - Thống kê", None,
              date(2024, 6, 30), None),
    ]
    info = plan.info
    assert (info.parent_body, info.unit, info.plan_number, info.plan_date, info.year) == (
        "UBND HUYỆN CHƯ PĂH", "xã Nghĩa Hưng", "15/KH-UBND", date(2024, 3, 20), 2024)
    assert (info.signer_authority, info.signer_position, info.signer_name) == (
        "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Đinh Văn Hùng")
    assert info.plan_recipients == ["Phòng Nội vụ huyện", "Lưu: VT"]
    assert problems_of(plan) == {("plan-info-assumed", "Thông tin chung!B22")}


@pytest.mark.parametrize(("name", "content", "code"), [
    ("missing.txt", None, "file-missing"),
    ("ke-hoach.pdf", b"%PDF-1.4", "file-unreadable"),
    ("ke-hoach.doc", b"\xd0\xcf\x11\xe0", "file-unreadable"),
    ("hong.docx", b"PK\x03\x04 not really a zip", "file-unreadable"),
    ("ke-hoach.txt", b"PK\x03\x04 a Word file renamed", "file-unreadable"),
    ("tcvn3.txt", b"K\xea ho\xb9ch", "file-unreadable"),  # legacy Vietnamese encoding, not UTF-8
])
def test_unreadable_files_give_one_fatal_problem(tmp_path: Path, name: str, content: bytes | None,
                                                 code: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    plan = import_plan(path)
    assert plan.fatal and plan.items == []
    assert [p.code for p in plan.problems] == [code]
    assert name in plan.problems[0].message


def test_a_document_without_items_is_reported_not_dropped(tmp_path: Path) -> None:
    path = tmp_path / "cong-van.txt"
    path.write_text("Kính gửi: Phòng Nội vụ\nUBND xã báo cáo như sau:\nĐã triển khai đầy đủ.\n", encoding="utf-8")
    plan = import_plan(path)
    assert not plan.fatal and plan.items == []
    assert plan.problems[0].code == "plan-no-items" and plan.problems[0].severity == "error"
    assert ("plan-paragraph-unplaced", "Đã triển khai đầy đủ.") in problems_of(plan)
    assert ("plan-paragraph-unplaced", "Kính gửi: Phòng Nội vụ") in problems_of(plan)


def test_kind_done_only_for_targets_about_completing_the_plan() -> None:
    kinds = {it.code: it.kind for it in import_plan(plan_text()).items}
    assert [c for c, k in kinds.items() if k == KIND_DONE] == ["1.5", "1.8"]


# --- nothing is dropped in silence -------------------------------------------------------------------------

# Paragraphs that carry structure only: headings of parts and sections, the document's fixed lines.
_STRUCTURE = ("kế hoạch", "cộng hòa xã hội chủ nghĩa việt nam", "độc lập - tự do - hạnh phúc", "nơi nhận",
              "mục đích", "yêu cầu", "mục tiêu", "giải pháp", "phân công", "nhiệm vụ", "thời hạn", "(đã ký)",
              "tổ chức thực hiện", "mục đích, yêu cầu", "nhiệm vụ, giải pháp", "nhiệm vụ và giải pháp",
              "nội dung khắc phục", "nhiệm vụ và giải pháp khắc phục")


def _norm(text: str) -> str:
    import re

    from toolkit.core.text import clean

    return re.sub(r"\s+", " ", clean(text).lower().replace("*", "").replace("#", "")).strip()


def _core(line: str) -> str:
    """A paragraph without its numbering, bullet, part letter and label."""
    import re

    text = _norm(line)
    text = re.sub(r"^(?:[ivx]+|\d+)(?:\.\d+)*[.)]?\s+|^[a-dđ]\)\s*|^[-+*•]\s*", "", text)
    head, sep, tail = text.partition(":")
    if sep and len(head) < 60:
        text = tail
    text = re.sub(r"^(căn cứ|thực hiện)\s+", "", text.strip())
    return text.strip(" .;:")


@pytest.mark.parametrize("name", ["example", *sorted(OTHER_PLANS)])
def test_every_paragraph_is_placed_or_reported(name: str) -> None:
    import re

    source = plan_text() if name == "example" else PLANS / name
    plan = import_plan(source)
    placed = " | ".join(
        _norm(str(v)) for v in [
            *(getattr(it, f) for it in plan.items for f in FIELDS),
            *(v for v in plan.info.as_dict().values()), plan.info.body_name, *(o.position for o in plan.officials),
            *(p.params.get("paragraph", "") for p in plan.problems),
            *(f"{it.deadline.day}/{it.deadline.month}/{it.deadline.year}" for it in plan.items if it.deadline),
        ] if v)
    for raw in source.read_text(encoding="utf-8").splitlines():
        core = _core(raw)
        if not core or core in _STRUCTURE or core.endswith("như sau") or core.startswith("trên đây là"):
            continue
        if plan.info.plan_date and core.startswith(f"{_norm(plan.info.place or '')}, ngày"):
            continue  # the place and date line: Địa danh and Ngày ban hành kế hoạch
        # A Căn cứ / Thực hiện line names one document per part; "X chủ trì, phối hợp với Y" is owner and partners.
        for part in re.split(r";| chủ trì, phối hợp với ", core):
            words = _core(part).split()
            chunks = [" ".join(words[i:i + 6]) for i in range(0, max(1, len(words) - 5), 6)]
            assert all(c in placed for c in chunks), f"{raw!r} is neither in the workbook nor reported"


def test_the_imported_example_validates_like_the_built_in_one(tmp_path: Path) -> None:
    from toolkit.api import validate_file
    from toolkit.create import create_workbook

    built_in = create_workbook(tmp_path / "a.xlsx")
    imported = create_workbook(tmp_path / "b.xlsx", plan=import_plan(plan_text()))
    as_of = date(2023, 10, 15)
    reports = [validate_file(path, as_of=as_of)[0] for path in (built_in, imported)]
    built_in_issues, imported_issues = ([(i.code, i.ref) for i in r.issues] for r in reports)
    assert sorted(imported_issues) == sorted(built_in_issues)


_LINES = plan_text().read_text(encoding="utf-8").splitlines()
_FRAGMENTS = ("a)", "b)", "c)", "d)", "đ)", "1.", "1.1.", "I.", "II.", "I.1.", "- ", "+ ", "**", "### ", ":",
              "Phụ trách:", "Nơi nhận:", "TM.", "KT. CHỦ TỊCH", "CHỦ TỊCH", "Quý V/2023", "31/13/2023", "Số:",
              "ngày  tháng  năm", "200%", "\u00a0", "\t", "KẾ HOẠCH", "Trên đây là", "Căn cứ", ";;", "Chưa xác định.")


def test_any_arrangement_of_plan_lines_imports_without_raising(tmp_path: Path) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    line = st.one_of(st.sampled_from(_LINES),
                     st.tuples(st.sampled_from(_FRAGMENTS), st.sampled_from(_LINES)).map(" ".join),
                     st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=4).map("".join))
    source = tmp_path / "ke-hoach.md"

    @settings(max_examples=150, deadline=None)
    @given(st.lists(line, max_size=60))
    def check(lines: list[str]) -> None:
        source.write_text("\n".join(lines), encoding="utf-8")
        plan = import_plan(source)
        assert not plan.fatal
        assert all(it.code and it.row == n + 2 for n, it in enumerate(plan.items))
        assert all(p.message and "{" not in p.message for p in plan.problems)

    check()


def test_word_tracked_changes_read_as_word_shows_them(tmp_path: Path) -> None:
    """Insertions not yet accepted are part of the text, deletions are not (python-docx's text skips both)."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_paragraph("II. NHIỆM VỤ VÀ GIẢI PHÁP", style="Heading 2")
    heading = document.add_paragraph("1.1. Tỷ lệ hồ sơ ", style="Heading 3")
    change = f'{nsdecls("w")} w:author="Văn phòng" w:date="2023-08-01T00:00:00Z"'
    heading._p.append(parse_xml(f'<w:ins w:id="1" {change}><w:r><w:t>trễ hạn</w:t></w:r></w:ins>'))
    heading._p.append(parse_xml(f'<w:del w:id="2" {change}><w:r><w:delText> quá hạn</w:delText></w:r></w:del>'))
    for line in ("a) Mục tiêu, yêu cầu: Không quá 3%.", "b) Nhiệm vụ, giải pháp:"):
        document.add_paragraph(line)
    document.add_paragraph("Nhắc hạn hằng tuần.", style="List Bullet")
    document.add_paragraph("c) Phân công trách nhiệm: Văn phòng chủ trì.")
    document.add_paragraph("d) Thời gian thực hiện: Quý IV/2023.")
    document.save(str(tmp_path / "sua.docx"))
    plan = import_plan(tmp_path / "sua.docx")
    assert [fields_of(it) for it in plan.items] == [
        _item("1.1", "Tỷ lệ hồ sơ trễ hạn", "Không quá 3%.", 3.0, KIND_MAX, "- Nhắc hạn hằng tuần.", "Văn phòng",
              None, date(2023, 12, 31), "Quý IV/2023")]


def test_items_laid_out_as_a_table_are_read_row_by_row(tmp_path: Path) -> None:
    plan = import_plan(table_plan(tmp_path / "bang.docx"))
    assert [fields_of(it) for it in plan.items] == [
        _item("1", "Hồ sơ trễ hạn còn nhiều", "Không quá 5% hồ sơ trễ hạn", 5.0, KIND_MAX,
              "- Nhắc hạn hằng tuần\n- Công khai hồ sơ trễ", "Công chức Văn phòng - Thống kê", "Công an xã",
              date(2023, 9, 30), "Quý III/2023"),
        _item("2", "Chưa số hóa kết quả giải quyết", "100% kết quả được số hóa", 100.0, KIND_MIN,
              "- Bố trí máy quét", "Công chức Tư pháp - Hộ tịch", None, date(2023, 12, 31), None),
        _item("3", "Chưa mở hộp thư góp ý định kỳ", "Mở hằng tháng", None, KIND_MIN, "- Lập lịch mở hộp thư",
              "Văn phòng", None, None, "Thường xuyên"),
    ]
    assert plan.info.unit == "xã Ia Nhin"
    found = problems_of(plan)
    assert ("plan-group-heading", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH") in found  # the merged title row
    assert ("plan-code-assumed", "Kế hoạch!A4") in found  # the row without a number
    assert ("plan-target-unquantified", "Kế hoạch!D4") in found


def test_numbers_typed_into_a_numbered_word_paragraph_are_not_doubled(tmp_path: Path) -> None:
    import docx

    from toolkit.planparse.sources import read_paragraphs

    document = docx.Document()
    for text in ("- Rà soát quy trình", "1.1. Tỷ lệ hồ sơ", "Nhắc hạn"):
        document.add_paragraph(text, style="List Bullet")
    document.save(str(tmp_path / "so.docx"))
    assert [p.text for p in read_paragraphs(tmp_path / "so.docx")] == [
        "- Rà soát quy trình", "1.1. Tỷ lệ hồ sơ", "- Nhắc hạn"]


@pytest.mark.parametrize("build", [style_numbered_plan, table_plan], ids=["numbered-by-styles", "item-table"])
def test_word_files_saved_by_libreoffice_read_the_same(tmp_path: Path, build: object) -> None:
    """A real office suite rewrites numbering definitions and tables its own way (docx -> odt -> docx)."""
    original = build(tmp_path / "goc.docx")  # type: ignore[operator]
    odt = soffice_convert(original, "odt", tmp_path)
    saved = soffice_convert(odt, "docx:MS Word 2007 XML", tmp_path / "lo")
    before, after = import_plan(original), import_plan(saved)
    assert before.items and [fields_of(it) for it in after.items] == [fields_of(it) for it in before.items]
    assert fields_of(after.info, INFO_FIELDS) == fields_of(before.info, INFO_FIELDS)
