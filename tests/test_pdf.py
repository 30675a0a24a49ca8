"""The report through LibreOffice: page numbers from page 2, the appendix restarting, all the text there."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest

from tests.conftest import soffice_or_skip
from tests.reportcase import build_clean
from toolkit.api import check
from toolkit.core.period import Period
from toolkit.report.pdf import PdfUnavailable, to_pdf
from toolkit.report.write import write_report
from toolkit.workbook.reader import read_workbook

AS_OF = dt.date(2024, 1, 8)


def pdftotext(pdf, page: int | None = None) -> str:
    args = ["pdftotext", "-layout"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory):
    exe = soffice_or_skip()
    out = tmp_path_factory.mktemp("pdf")
    wb = read_workbook(build_clean(out / "so.xlsx"))
    docx = write_report(check(wb, as_of=AS_OF, period=Period(2023, 4)), out, date=AS_OF, number=5).path
    return to_pdf(docx, soffice=exe)


@pytest.fixture(scope="module")
def pages(report_pdf) -> list[str]:
    info = subprocess.run(["pdfinfo", str(report_pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return [pdftotext(report_pdf, n) for n in range(1, count + 1)]


def test_page_count_is_sane(pages):
    assert 4 <= len(pages) <= 14


def test_first_page_has_no_number_second_page_does(pages):
    assert first_line(pages[0]).startswith("ỦY BAN NHÂN DÂN")
    assert not re.fullmatch(r"\d+", first_line(pages[0]))
    assert first_line(pages[1]) == "2"


def test_body_pages_are_numbered_in_order(pages):
    appendix = next(i for i, text in enumerate(pages) if first_line(text) == "Phụ lục")
    for n in range(1, appendix):
        assert first_line(pages[n]) == str(n + 1)


def test_appendix_restarts_its_numbering(pages):
    appendix = next(i for i, text in enumerate(pages) if first_line(text) == "Phụ lục")
    assert appendix >= 2
    if appendix + 1 < len(pages):
        assert first_line(pages[appendix + 1]) == "2"
        assert "STT" in pages[appendix + 1], "the header row is repeated on the appendix's next page"


def test_all_the_text_is_there(report_pdf):
    text = re.sub(r"\s+", " ", pdftotext(report_pdf))
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: 05/BC-UBND",
        "Đăktover, ngày 08 tháng 01 năm 2024", "BÁO CÁO", "I. KẾT QUẢ THỰC HIỆN", "II. ĐÁNH GIÁ CHUNG",
        "III. NHIỆM VỤ TRỌNG TÂM NĂM 2024", "IV. ĐỀ XUẤT, KIẾN NGHỊ", "./.", "Nơi nhận:", "Lưu: VT, VP.",
        "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Thành Trung", "Phụ lục",
        "Đề nghị Phòng Nội vụ huyện sửa chữa máy quét của Văn phòng (nội dung 1.6).", "Mức độ hoàn thành: 95,2%",
        "(Chi tiết tại Phụ lục kèm theo)", "Kết quả thực hiện",
        "(Kèm theo Báo cáo số 05/BC-UBND ngày 08/01/2024 của Ủy ban nhân dân xã Đăktover)",
    ):
        assert expected in text, expected
    for code in range(1, 9):
        assert f"1.{code}. " in text and f" 1.{code} " in text, f"item 1.{code} in the body and in the appendix"


def test_missing_libreoffice_gives_a_clear_message(tmp_path, monkeypatch):
    docx = tmp_path / "bao-cao.docx"
    docx.write_bytes(b"")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(PdfUnavailable) as caught:
        to_pdf(docx)
    message = str(caught.value)
    assert "chưa cài LibreOffice" in message and str(docx) in message
    assert not (tmp_path / "bao-cao.pdf").exists()


def test_cli_report_pdf(tmp_path, capsys):
    from toolkit.cli import main

    soffice_or_skip()
    code = main(["report", str(build_clean(tmp_path / "so.xlsx")), "--period", "Quý IV/2023", "--date",
                 "2024-01-08", "--out", str(tmp_path), "--pdf"])
    assert code == 0
    assert (tmp_path / "bao-cao-cchc-quy-IV-2023.pdf").is_file()
    assert "Bản PDF:" in capsys.readouterr().out


def test_cli_report_pdf_without_libreoffice_keeps_the_word_file(tmp_path, capsys, monkeypatch):
    from toolkit.cli import main

    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    code = main(["report", str(build_clean(tmp_path / "so.xlsx")), "--period", "Quý IV/2023", "--date",
                 "2024-01-08", "--out", str(tmp_path), "--pdf"])
    assert code == 1
    assert (tmp_path / "bao-cao-cchc-quy-IV-2023.docx").is_file()
    assert "chưa cài LibreOffice" in capsys.readouterr().err
