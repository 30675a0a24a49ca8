"""Email that can be trusted: the Office's mailbox shared with an official gets both messages, a lost state file
never doubles a message, only what validation accepts is mailed, "sent" means accepted; and the emails say
what the report says (its counts line in the subject, tables with headers, the plan's own issues to the Office).
Real SMTP server (aiosmtpd on 127.0.0.1), real workbooks, the real CLI."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from tests.mailserver import ServerFn, make_servers
from tests.test_nightly import EVERYONE, OFFICE, D, at, recipients, settings_for
from toolkit.api import check_file
from toolkit.cli import main
from toolkit.core.words import upper_first
from toolkit.mail.draft import text_table
from toolkit.night.run import run_once
from toolkit.rules.phrases import counts_line

NHUNG = f"nhung.vp@{D}"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerFn]:
    yield from make_servers(tmp_path)


def subjects_to(srv, address: str) -> list[str]:
    return sorted(d.message["Subject"].split(":")[0] for d in srv.received if address in d.rcpt_tos)


def test_the_office_sharing_an_officials_mailbox_gets_both_messages_once(tmp_path: Path, server: ServerFn) -> None:
    srv = server()
    s = settings_for(tmp_path, srv, notify={"office": [NHUNG]})  # Nhung is also the Office's clerk
    first = run_once(s, now=at(8, 22))
    assert first.exit_code == 0 and first.sent.count(NHUNG) == 2
    assert subjects_to(srv, NHUNG) == ["Nhắc việc CCHC xã Đăktover ngày 08/01/2024",
                                       "Tổng hợp CCHC xã Đăktover ngày 08/01/2024"]
    again = run_once(s, now=at(8, 23))
    assert again.sent == [] and again.skipped.count(NHUNG) == 2 and len(srv.received) == 5


@pytest.mark.parametrize("damage", ["missing", "garbage"])
def test_a_lost_state_file_never_sends_a_second_copy(tmp_path: Path, server: ServerFn, damage: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    srv = server()
    s = settings_for(tmp_path, srv)
    assert main(["notify", "--config", str(s.source), "--as-of", "2024-01-08"]) == 0
    state = s.paths.state / "nightly.json"
    if damage == "missing":
        state.unlink()
    else:
        state.write_bytes(b"\x00\x00{ half written")
    capsys.readouterr()
    assert main(["notify", "--config", str(s.source), "--as-of", "2024-01-08"]) == 0
    out = capsys.readouterr().out
    assert recipients(srv) == EVERYONE  # one each, from the first run only
    assert "Máy chủ thư đã nhận thư hôm nay, không gửi lại" in out and "Đã gửi" not in out


def test_queued_is_said_as_queued_and_sent_only_when_accepted(tmp_path: Path, server: ServerFn,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    srv = server(start=False)
    s = settings_for(tmp_path, srv)
    args = ["notify", "--config", str(s.source), "--as-of", "2024-01-08"]
    assert main(args) == 1
    down = capsys.readouterr()
    assert "Đã gửi" not in down.out and "5 thư đang chờ trong hộp thư đi (chưa gửi)" in down.err
    assert "Đã gửi" not in s.paths.log.read_text(encoding="utf-8")
    assert main(args) == 1  # still down: today's messages wait, nothing is queued twice
    still = capsys.readouterr()
    assert "đang chờ gửi" in still.out and "Đã gửi" not in still.out
    srv.start()
    assert main(args) == 0
    back = capsys.readouterr().out
    assert back.count("Đã gửi (máy chủ thư đã nhận): ") == 5 and recipients(srv) == EVERYONE


def test_an_address_validation_rejects_is_never_mailed_and_the_office_is_told(tmp_path: Path,
                                                                              server: ServerFn) -> None:
    srv = server()
    s = settings_for(tmp_path, srv)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(s.workbook)
    book["Cán bộ"]["C2"] = "nhung.vp@daktover"  # no top-level domain: validation rejects it
    book.save(s.workbook)
    run_once(s, now=at(8, 22))
    assert NHUNG not in recipients(srv) and not any("daktover" == r.rsplit(".", 1)[-1] for r in recipients(srv))
    (digest,) = [d for d in srv.received if d.rcpt_tos == [OFFICE]]
    assert "Cán bộ!C2" in digest.text and "nhung.vp@daktover" in digest.text
    assert "Nguyễn Thị Hồng Nhung:" in digest.text and "chưa có email hợp lệ" in digest.text


def test_emails_say_counts_not_an_average_and_tables_have_headers(tmp_path: Path, server: ServerFn) -> None:
    srv = server()
    s = settings_for(tmp_path, srv)
    run_once(s, now=at(8, 22))
    (digest,) = [d for d in srv.received if d.rcpt_tos == [OFFICE]]
    report, a = check_file(s.workbook, as_of=date(2024, 1, 8))
    assert a is not None and report.errors
    headline = counts_line(a)  # the words the report, `cchc status` and the button lead with
    assert digest.message["Subject"] == f"Tổng hợp CCHC xã Đăktover ngày 08/01/2024: {headline}; {report.errors} lỗi"
    assert "%" not in digest.message["Subject"] and f"{upper_first(headline)}; mức hoàn thành bình quân" in digest.text
    lines = digest.text.splitlines()
    head = next(i for i, line in enumerate(lines) if line.strip().startswith("Mã "))
    assert [c.strip() for c in lines[head].split("|")] == ["Mã", "Nội dung", "Phụ trách", "Chỉ tiêu", "Tỷ lệ",
                                                           "Hoàn thành", "Tình trạng", "Thời hạn", "Ghi chú"]
    assert set(lines[head + 1].strip()) <= {"-", "+"}
    rows = lines[head + 2: head + 10]
    assert [r.split("|")[0].strip() for r in rows] == [f"1.{n}" for n in range(1, 9)]
    assert all(r.count("|") == 8 for r in rows)  # a blank cell keeps its column
    tu = next(d for d in srv.received if d.rcpt_tos == [f"tu.dcxd@{D}"])
    assert re.search(r"^\s*Ô\s+\| Cột\s+\| Mức\s+\| Cần sửa\s+\| Vì sao anh/chị nhận\r?$", tu.text, re.M)


def test_the_plans_own_issues_go_to_the_office_not_to_the_owner(tmp_path: Path, server: ServerFn) -> None:
    srv = server()
    run_once(settings_for(tmp_path, srv), now=at(8, 22))
    plan_refs = {d.rcpt_tos[0]: set(re.findall(r"Kế hoạch![A-Z]+\d+", d.text)) for d in srv.received}
    assert plan_refs[OFFICE]  # e.g. a target that is not a number, a deadline missing
    assert all(not refs for who, refs in plan_refs.items() if who != OFFICE)


def test_text_table_aligns_columns_under_their_headers() -> None:
    lines = text_table(("Ô", "Mức", "Cần sửa"), [("Tiến độ!E2", "", "Số đạt lớn hơn tổng số"), ("A1", "Lỗi", "x")])
    assert lines[0] == "  Ô          | Mức | Cần sửa"
    assert lines[2] == "  Tiến độ!E2 |     | Số đạt lớn hơn tổng số"
    assert [line.index("|") for line in (lines[0], lines[2], lines[3])] == [13, 13, 13]
