"""The wording of one plan item: targets, deadlines, c) labels and positions, read the way an Office reads them."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from toolkit.core.schema import KIND_DONE, KIND_MAX, KIND_MIN
from toolkit.planparse.fields import (
    DOER,
    OWNER,
    PARTNERS,
    assignment_role,
    position_name,
    understand_deadline,
    understand_target,
    unit_from_caps,
    unit_in,
)


@pytest.mark.parametrize(("text", "value", "kind"), [
    ("100% cán bộ, công chức đáp ứng các tiêu chuẩn", 100.0, KIND_MIN),
    ("Phần đầu tỷ lệ hồ sơ ... dưới dạng hồ sơ điện tử đúng quy định hiện hành đạt 50% trở lên.", 50.0, KIND_MIN),
    ("Tất cả các văn bản đều phát hành qua hệ thống QLVBĐH theo quy định.", 100.0, KIND_MIN),
    ("Toàn bộ kết quả giải quyết được số hóa", 100.0, KIND_MIN),
    ("Hoàn thành 100% đề ra theo kế hoạch", 100.0, KIND_DONE),
    ("Phấn đấu hoàn thành 100% nhiệm vụ đề ra theo kế hoạch.", 100.0, KIND_DONE),
    ("Tỷ lệ hồ sơ trễ hạn không quá 5% tổng số hồ sơ.", 5.0, KIND_MAX),
    ("Tỷ lệ hồ sơ trễ hạn dưới 2,5%", 2.5, KIND_MAX),
    ("Tăng cường nhập hồ sơ dịch vụ công mức độ 3, mức độ 4 đảm bảo theo quy định.", None, KIND_MIN),
    (unicodedata.normalize("NFD", "Hoàn thành 100% đề ra theo kế hoạch"), 100.0, KIND_DONE),
    ("Đạt\u00a080\u00a0% số hồ sơ", 80.0, KIND_MIN),
    (None, None, KIND_MIN),
])
def test_targets(text: str | None, value: float | None, kind: str) -> None:
    target = understand_target(text)
    assert (target.value, target.kind) == (value, kind)


def test_a_target_with_several_numbers_says_which_others_it_held() -> None:
    target = understand_target("Văn bản đi được ký số đạt 90%, văn bản đến được số hóa đạt 100%.")
    assert (target.value, target.others) == (90.0, (100.0,))


@pytest.mark.parametrize(("text", "day", "note", "invalid"), [
    ("Trong năm 2023.", date(2023, 12, 31), "Trong năm 2023", False),
    ("Trong năm 2023", date(2023, 12, 31), "Trong năm 2023", False),
    ("Sau khi kết thúc đợt kiểm tra.", None, "Sau khi kết thúc đợt kiểm tra", False),
    ("Thường xuyên", None, "Thường xuyên", False),
    ("Quý III/2023", date(2023, 9, 30), "Quý III/2023", False),
    ("Quý IV năm 2023.", date(2023, 12, 31), "Quý IV năm 2023", False),
    ("trong quý 2/2024", date(2024, 6, 30), "trong quý 2/2024", False),
    ("30/9/2023", date(2023, 9, 30), None, False),
    ("31/12/2023.", date(2023, 12, 31), None, False),
    ("Trước ngày 15/10/2023", date(2023, 10, 15), "Trước ngày 15/10/2023", False),
    ("ngày 15 tháng 10 năm 2023", date(2023, 10, 15), None, False),
    ("tháng 10/2023", date(2023, 10, 31), "tháng 10/2023", False),
    ("Tháng 2 năm 2024", date(2024, 2, 29), "Tháng 2 năm 2024", False),
    ("6 tháng đầu năm 2023", date(2023, 6, 30), "6 tháng đầu năm 2023", False),
    ("Năm 2023 và những năm tiếp theo", date(2023, 12, 31), "Năm 2023 và những năm tiếp theo", False),
    ("31/02/2023", None, "31/02/2023", True),
    ("Quý\u00a0III/2023", date(2023, 9, 30), "Quý III/2023", False),
    (None, None, None, False),
])
def test_deadlines(text: str | None, day: date | None, note: str | None, invalid: bool) -> None:
    deadline = understand_deadline(text)
    assert (deadline.day, deadline.note, deadline.invalid) == (day, note, invalid)


@pytest.mark.parametrize(("label", "role"), [
    ("Phụ trách", OWNER),
    ("Bộ phận phụ trách", OWNER),
    ("Công chức phụ trách", OWNER),
    ("Chủ trì", OWNER),
    ("Đơn vị chủ trì", OWNER),
    ("Phối hợp/Thực hiện", PARTNERS),
    ("Bộ phận phối hợp/thực hiện", PARTNERS),
    ("Cơ quan phối hợp/thực hiện", PARTNERS),
    ("Phối hợp", PARTNERS),
    ("Đơn vị thực hiện", DOER),
    ("Kinh phí", None),
    ("- Tăng cường công tác kiểm tra", None),
])
def test_assignment_labels(label: str, role: str | None) -> None:
    assert assignment_role(label) == role


@pytest.mark.parametrize(("text", "position"), [
    ("Văn phòng – Thống kê.", "Văn phòng - Thống kê"),
    ("Công chức Văn phòng- Thống kê", "Văn phòng - Thống kê"),
    ("Công chức Văn hoá- thông tin xã", "Văn hóa - Thông tin"),
    ("Công chức Văn hoá- Xã hội", "Văn hóa - Xã hội"),
    ("Các công chức chuyên môn của UBND xã", "Các công chức chuyên môn của UBND xã"),
    ("Công chức Địa chính - Xây dựng", "Địa chính - Xây dựng"),
    ("công chức xã", ""),
])
def test_position_names(text: str, position: str) -> None:
    assert position_name(text) == position


@pytest.mark.parametrize(("text", "unit"), [
    ("Ủy ban nhân dân xã Đăktover xây dựng Kế hoạch khắc phục", "xã Đăktover"),
    ("trên địa bàn xã Đăktover.", "xã Đăktover"),
    ("Ủy ban nhân dân thị trấn Phú Hòa xây dựng Kế hoạch như sau:", "thị trấn Phú Hòa"),
    ("UBND phường Hoa Lư ban hành", "phường Hoa Lư"),
    ("Khắc phục hạn chế Chỉ số CCHC năm 2022 của xã Ia Nhin", "xã Ia Nhin"),
    ("các công chức của xã tham gia", None),
    ("UBND xã tập trung phối hợp triển khai", None),
])
def test_unit_in_sentences(text: str, unit: str | None) -> None:
    assert unit_in(text) == unit


@pytest.mark.parametrize(("line", "found"), [
    ("ỦY BAN NHÂN DÂN XÃ ĐĂKTOVER", ("Ủy ban nhân dân", "xã Đăktover")),
    ("UBND XÃ IA KHƯƠL", ("Ủy ban nhân dân", "xã Ia Khươl")),
    ("Ủy ban nhân dân xã Đăktover xây dựng", None),
])
def test_unit_in_header_lines(line: str, found: tuple[str, str] | None) -> None:
    assert unit_from_caps(line) == found
