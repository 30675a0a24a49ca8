"""Text folding: the comparison key treats spellings of one Vietnamese phrase as equal, and only those."""

from __future__ import annotations

import unicodedata

import pytest

from toolkit.core.text import clean, contains_phrase, fold


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Công chức Văn hoá- Xã hội.", "công chức văn hóa - xã hội"),
        ("Thuỷ lợi", "thủy lợi"),
        (unicodedata.normalize("NFD", "Đăktover"), "đăktover"),
        ("Văn phòng – Thống kê", "văn phòng-thống kê"),
        ("a\u00a0 b", "a b"),
    ],
)
def test_same_phrase_folds_equal(a: str, b: str) -> None:
    assert fold(a) == fold(b)


@pytest.mark.parametrize("word", ["hoàn thành", "kế hoạch", "quý", "khoảng", "thuyết"])
def test_tone_marks_inside_a_word_are_left_alone(word: str) -> None:
    assert fold(word) == word


def test_clean_keeps_line_breaks_and_folds_spaces() -> None:
    assert clean("  - một\u00a0 ý \n- hai  ") == "- một ý\n- hai"


def test_contains_phrase_on_word_boundaries() -> None:
    assert contains_phrase("Công chức Văn hoá- thông tin xã", "Văn hóa - Thông tin")
    assert not contains_phrase("Văn phòng", "Văn phòng - Thống kê")
    assert not contains_phrase("Văn phòngX", "Văn phòng")
