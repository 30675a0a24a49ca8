"""Matching the plan's owners and typed names to the roster, as loosely as plans are written."""

from __future__ import annotations

import unicodedata

import pytest

from toolkit.core.model import Official
from toolkit.rules.owners import find_official, owners_of

ROSTER = [
    Official(name="Nguyễn Thị Hồng Nhung", position="Văn phòng - Thống kê"),
    Official(name="Rơ Mah H'Lim", position="Tư pháp - Hộ tịch"),
    Official(name="Lê Văn Thành", position="Văn hóa - Xã hội"),
    Official(name="Siu Thị Nguyệt", position="Văn hóa - Thông tin"),
    Official(name="Đinh Văn Tú", position="Các công chức chuyên môn của UBND xã"),
]


@pytest.mark.parametrize(("owner", "names"), [
    ("Văn phòng – Thống kê", ["Nguyễn Thị Hồng Nhung"]),  # en dash
    ("Công chức Văn phòng- Thống kê", ["Nguyễn Thị Hồng Nhung"]),
    ("Công chức Văn hoá- Xã hội", ["Lê Văn Thành"]),  # old-style tone mark, odd spacing
    ("Công chức Văn hoá- thông tin xã", ["Siu Thị Nguyệt"]),
    ("Văn phòng", ["Nguyễn Thị Hồng Nhung"]),  # a shorter form of the position
    ("Các công chức chuyên môn của UBND xã", ["Đinh Văn Tú"]),
    ("Tư pháp - Hộ tịch; Văn hóa - Xã hội", ["Rơ Mah H'Lim", "Lê Văn Thành"]),  # joint owners, roster order
    ("Đ/c Lê Văn Thành", ["Lê Văn Thành"]),  # by name
    ("Địa chính - Xây dựng", []),
    ("", []),
    (None, []),
])
def test_owners_of(owner, names):
    assert [p.name for p in owners_of(owner, ROSTER)] == names


def test_longer_position_wins():
    roster = [Official(name="A", position="Văn phòng"), Official(name="B", position="Văn phòng - Thống kê")]
    assert [p.name for p in owners_of("Công chức Văn phòng - Thống kê", roster)] == ["B"]


@pytest.mark.parametrize(("typed", "found"), [
    ("Lê Văn Thành", "Lê Văn Thành"),
    (unicodedata.normalize("NFD", "Lê Văn Thành"), "Lê Văn Thành"),
    ("  nguyễn thị hồng\u00a0nhung ", "Nguyễn Thị Hồng Nhung"),
    ("Nguyễn Văn An", None),
    ("", None),
    (None, None),
])
def test_find_official(typed, found):
    person = find_official(typed, ROSTER)
    assert (person.name if person else None) == found
