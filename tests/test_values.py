"""Cell parsing, lenient where the meaning is clear and an error where it is not (design.md section 3)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest

from toolkit.core.period import Period
from toolkit.core.schema import STATUSES
from toolkit.workbook.cells import (
    Normalised,
    Unclear,
    choice_parser,
    parse_code,
    parse_date,
    parse_key_text,
    parse_number,
    parse_percent,
    parse_period,
    parse_text,
)

parse_status = choice_parser(STATUSES)
NFD = unicodedata.normalize("NFD", "Lê Văn Thành")


# (parser, raw cell value, value understood, warning code or None)
UNDERSTOOD = [
    (parse_number, 12.0, 12.0, None),
    (parse_number, 7, 7.0, None),
    (parse_number, "900", 900.0, "number-as-text"),
    (parse_number, " 12,5 ", 12.5, "number-as-text"),
    (parse_number, "0.125", 0.125, "number-as-text"),  # a leading 0 cannot be a thousands group
    (parse_number, "1.2345", 1.2345, "number-as-text"),  # four digits: not a thousands group
    (parse_number, "-3", -3.0, "number-as-text"),  # understood; the range rule reports it
    (parse_number, "1\u00a0200", 1200.0, "number-as-text"),  # a non-breaking space between digit groups
    (parse_percent, 85, 85.0, None),
    (parse_percent, "85%", 85.0, "number-as-text"),
    (parse_percent, "85,5 %", 85.5, "number-as-text"),
    (parse_percent, 0.5, 0.5, None),  # a plain cell showing 0.5 is 0.5% (design.md section 4)
    (parse_percent, "0,5%", 0.5, "number-as-text"),
    (parse_percent, 0, 0.0, None),
    (parse_date, date(2023, 10, 15), date(2023, 10, 15), None),
    (parse_date, datetime(2023, 10, 15, 0, 0), date(2023, 10, 15), None),
    (parse_date, "15/10/2023", date(2023, 10, 15), "date-as-text"),
    (parse_date, "5/1/2024", date(2024, 1, 5), "date-as-text"),  # day first
    (parse_date, "15-10-2023", date(2023, 10, 15), "date-as-text"),
    (parse_date, "2023-10-15", date(2023, 10, 15), "date-as-text"),
    (parse_date, 45214, date(2023, 10, 15), "date-as-number"),  # an Excel serial
    (parse_period, "Quý III/2023", Period(2023, 3), None),
    (parse_period, "Quý 3/2023", Period(2023, 3), "period-normalised"),
    (parse_period, "quý iii năm 2023", Period(2023, 3), "period-normalised"),
    (parse_period, "Q3-2023", Period(2023, 3), "period-normalised"),
    (parse_status, "Hoàn thành", "Hoàn thành", None),
    (parse_status, "hoàn thành ", "Hoàn thành", "choice-normalised"),
    (parse_status, unicodedata.normalize("NFD", "Đang thực hiện"), "Đang thực hiện", "choice-normalised"),
    (parse_code, "1.1", "1.1", None),
    (parse_code, 1.1, "1.1", "code-as-number"),
    (parse_code, " 1.2", "1.2", "text-normalised"),
    (parse_key_text, NFD, "Lê Văn Thành", "text-normalised"),
    (parse_key_text, "Lê Văn  Thành\u00a0", "Lê Văn Thành", "text-normalised"),
    (parse_key_text, "Lê Văn Thành", "Lê Văn Thành", None),
    (parse_text, "  Đã  làm\u00a0xong ", "Đã làm xong", None),  # free text is cleaned silently
    (parse_text, "dòng 1\ndòng  2", "dòng 1\ndòng 2", None),  # line breaks kept
    (parse_text, 12.0, "12", None),
]


@pytest.mark.parametrize(("parse", "raw", "value", "warning"), UNDERSTOOD)
def test_understood(parse, raw, value, warning):
    got = parse(raw)
    if warning is None:
        assert not isinstance(got, Normalised)
        assert got == value and type(got) is type(value)
    else:
        assert isinstance(got, Normalised)
        assert (got.value, got.code) == (value, warning)
    if isinstance(value, str):
        text = got.value if isinstance(got, Normalised) else got
        assert unicodedata.is_normalized("NFC", text)


# (parser, raw cell value, error code): the meaning is not clear, so it is an error, never a guess.
UNCLEAR = [
    (parse_number, "1.234", "not-a-number"),  # one thousand two hundred, or 1.234?
    (parse_number, "1,234", "not-a-number"),
    (parse_number, "12.500.000", "not-a-number"),
    (parse_number, "mười", "not-a-number"),
    (parse_number, "12abc", "not-a-number"),
    (parse_number, True, "not-a-number"),
    (parse_number, date(2023, 1, 1), "not-a-number"),
    (parse_percent, "nhiều", "not-a-number"),
    (parse_date, "10/13/2023", "not-a-date"),  # month first
    (parse_date, "31/02/2023", "not-a-date"),
    (parse_date, "15/10/23", "not-a-date"),  # a two-digit year
    (parse_date, "hôm qua", "not-a-date"),
    (parse_date, 12.5, "not-a-date"),
    (parse_date, 3, "not-a-date"),
    (parse_period, "Quý 5/2023", "not-a-period"),
    (parse_period, "Quý III", "not-a-period"),
    (parse_period, 3, "not-a-period"),
    (parse_status, "Xong", "not-a-choice"),
    (parse_code, True, "not-a-choice"),
]


@pytest.mark.parametrize(("parse", "raw", "code"), UNCLEAR)
def test_unclear(parse, raw, code):
    with pytest.raises(Unclear) as bad:
        parse(raw)
    assert bad.value.code == code
