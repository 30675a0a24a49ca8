"""Composing the nightly emails: who hears what, nobody with nothing to hear, no header injection."""

from __future__ import annotations

from datetime import UTC, date, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from tests.conftest import BuildFn
from toolkit.api import check_file
from toolkit.core.model import Official, ProgressRow
from toolkit.core.period import Period
from toolkit.mail.compose import compose_night
from toolkit.mail.draft import Draft
from toolkit.mail.mime import to_message

D = "daktover.example.vn"
NHUNG, HLIM, THANH, NGUYET, TU, TRUNG = ("Nguyễn Thị Hồng Nhung", "Rơ Mah H'Lim", "Lê Văn Thành", "Siu Thị Nguyệt",
                                         "Đinh Văn Tú", "Trần Thành Trung")
SENDER = f"Văn phòng UBND xã Đăktover <vanphong@{D}>"
NOW = datetime(2023, 12, 20, 22, 0, tzinfo=UTC)


def officials(**changes: tuple[str, str | None]) -> list[Official]:
    """The example's roster; ``changes`` maps a key (nhung, hlim, ...) to a new (name, email)."""
    rows = {
        "nhung": (NHUNG, "Văn phòng - Thống kê", f"nhung.vp@{D}"),
        "hlim": (HLIM, "Tư pháp - Hộ tịch", f"hlim.tp@{D}"),
        "thanh": (THANH, "Văn hóa - Xã hội", f"thanh.vhxh@{D}"),
        "nguyet": (NGUYET, "Văn hóa - Thông tin", f"nguyet.vhtt@{D}"),
        "tu": (TU, "Các công chức chuyên môn của UBND xã", f"tu.dcxd@{D}"),
        "trung": (TRUNG, "Phó Chủ tịch UBND xã", f"trung.pct@{D}"),
    }
    out = []
    for key, (name, position, email) in rows.items():
        if key in changes:
            name, email = changes[key]
        out.append(Official(name=name, position=position, email=email))
    return out


def row(code: str, quarter: int, updater: str, achieved: object, total: object, **more: object) -> ProgressRow:
    fields = dict(code=code, period=Period(2023, quarter), updated=date(2023, 3 * quarter, 15), updater=updater,
                  achieved=achieved, total=total, status="Đang thực hiện", result="Đã triển khai.")
    fields.update(more)
    return ProgressRow(**fields)  # type: ignore[arg-type]


# Each row's problem, by the sheet row it lands on (rows are written from row 2 in this order):
ROWS = [
    row("1.5", 3, HLIM, 12, 10),  # row 2: Số đạt > Tổng số (E2); entered by H'Lim, 1.5 is owned by Thành
    row("1.1", 3, NHUNG, 19, 21, updated="13/10/2023x"),  # row 3: not a date (C3); Nhung entered and owns 1.1
    row("1.2", 3, "Người Lạ", 5, 10),  # row 4: unknown updater (D4); 1.2 is owned by Tú
    row("9.9", 3, NGUYET, 1, 2),  # row 5: unknown item (A5); entered by Nguyệt, no owner
]


def night(build: BuildFn, *, rows=ROWS, roster=None, as_of=date(2023, 12, 20), days=14, office=()) -> list[Draft]:
    path = build(rows, officials=roster if roster is not None else officials())
    report, a = check_file(path, as_of=as_of, due_soon_days=days)
    assert a is not None
    return compose_night(report, a, as_of=as_of, office=office)


def by_address(drafts: list[Draft]) -> dict[str, Draft]:
    return {a: d for d in drafts for a in d.addresses}


@pytest.mark.parametrize(
    ("who", "has", "has_not"),
    [
        (f"hlim.tp@{D}", ["Tiến độ!E2"], ["Tiến độ!C3", "Tiến độ!D4", "Tiến độ!A5"]),  # the row she entered
        (f"thanh.vhxh@{D}", ["Tiến độ!E2"], ["Tiến độ!C3", "Tiến độ!D4"]),  # the owner of 1.5
        (f"nhung.vp@{D}", ["Tiến độ!C3"], ["Tiến độ!E2", "Tiến độ!D4"]),
        # owns 1.2; 1.4's missing target (Kế hoạch!D5) is the plan's, for the Office that issued it
        (f"tu.dcxd@{D}", ["Tiến độ!D4"], ["Tiến độ!E2", "Tiến độ!C3", "Kế hoạch!D5"]),
        (f"nguyet.vhtt@{D}", ["Tiến độ!A5"], ["Tiến độ!E2"]),
    ],
)
def test_each_official_hears_the_problems_of_rows_they_entered_or_own(build: BuildFn, who: str, has: list[str],
                                                                     has_not: list[str]) -> None:
    draft = by_address(night(build))[who]
    for ref in has:
        assert ref in draft.text and ref in draft.html
    for ref in has_not:
        assert ref not in draft.text


def test_a_row_entered_by_one_and_owned_by_another_names_why(build: BuildFn) -> None:
    drafts = by_address(night(build))
    assert "dòng anh/chị nhập (nội dung 1.5, Quý III/2023)" in drafts[f"hlim.tp@{D}"].text
    assert "nội dung anh/chị phụ trách (nội dung 1.5, Quý III/2023)" in drafts[f"thanh.vhxh@{D}"].text
    assert "Số đạt (12) lớn hơn Tổng số (10)" in drafts[f"thanh.vhxh@{D}"].text


def test_nobody_with_nothing_to_hear_gets_mail(build: BuildFn) -> None:
    drafts = night(build)
    assert f"trung.pct@{D}" not in by_address(drafts)  # the vice-chairman owns and entered nothing
    assert [d.kind for d in drafts].count("office") == 1
    assert len({a for d in drafts for a in d.addresses}) == len(drafts)  # one email per address


def test_problems_of_someone_without_an_address_reach_the_office(build: BuildFn) -> None:
    drafts = by_address(night(build, roster=officials(hlim=(HLIM, None), thanh=(THANH, "không có"))))
    office = drafts[f"vanphong@{D}"]
    assert f"hlim.tp@{D}" not in drafts and "Tiến độ!E2" in office.text  # neither H'Lim nor Thành can be told
    assert "chưa có email hợp lệ" in office.text
    assert "Cán bộ!C4" in office.text  # the malformed address itself is the Office's to fix


@pytest.mark.parametrize(("days", "expect"), [(14, True), (7, False)])
def test_due_soon_counts_days_ahead(build: BuildFn, days: int, expect: bool) -> None:
    # As of 20/12/2023, the items due 31/12/2023 that are not complete are 11 days away; 1.4 is Tú's.
    draft = by_address(night(build, days=days))[f"tu.dcxd@{D}"]
    assert ("Nội dung sắp đến hạn" in draft.text) is expect
    assert ("1.4 Tỷ lệ hồ sơ TTHC được tiếp nhận, xử lý trực tuyến mức độ 3, mức độ 4: thời hạn 31/12/2023, "
            "mức hoàn thành 0%" in draft.text) is expect


def test_overdue_and_unreported_quarters_go_to_the_owner(build: BuildFn) -> None:
    drafts = by_address(night(build, as_of=date(2024, 1, 8)))
    tu = drafts[f"tu.dcxd@{D}"]
    assert "Nội dung đã quá hạn" in tu.text and "1.4 Tỷ lệ hồ sơ TTHC" in tu.text
    assert "1.4: Quý I/2023, Quý II/2023, Quý III/2023, Quý IV/2023" in tu.text
    office = drafts[f"vanphong@{D}"]
    # 1.1, 1.3, 1.4, 1.6, 1.7, and 1.5: its only row has Số đạt > Tổng số, so it gives no figure and is not done
    assert "Quá hạn (6)" in office.text
    assert "Đã hoàn thành 00/08 nội dung; 08 nội dung chưa hoàn thành, trong đó 06 nội dung quá hạn" in office.text
    assert "Mức hoàn thành chung" not in office.text
    assert "1.8: Quý I/2023, Quý II/2023, Quý III/2023, Quý IV/2023" in office.text


def test_digest_has_counts_completion_per_item_and_who_has_problems(build: BuildFn) -> None:
    office = by_address(night(build))[f"vanphong@{D}"]
    assert office.kind == "office" and office.subject.startswith("Tổng hợp CCHC xã Đăktover ngày 20/12/2023: ")
    for code in ("1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8"):
        assert f"<td style=\"border:1px solid #bbb;padding:3px 6px;vertical-align:top\">{code}</td>" in office.html
    assert f"{HLIM}: 1 lỗi" in office.text and f"gửi thư tới hlim.tp@{D}" in office.text


def test_settings_office_address_overrides_the_workbook(build: BuildFn) -> None:
    drafts = night(build, office=("a@xa.gov.vn", "b@xa.gov.vn"))
    assert [d.addresses for d in drafts if d.kind == "office"] == [("a@xa.gov.vn", "b@xa.gov.vn")]


def test_texts_from_the_workbook_are_escaped_in_html(build: BuildFn) -> None:
    rows = [row("1.1", 3, "<script>alert('x')</script> & Co", 1, 2)]  # an unknown updater: told to 1.1's owner
    nhung = by_address(night(build, rows=rows))[f"nhung.vp@{D}"]
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co" in nhung.html
    assert "<script>" not in nhung.html and "<script>alert('x')</script> & Co" in nhung.text


def test_names_and_addresses_cannot_inject_headers(build: BuildFn) -> None:
    roster = officials(hlim=("Rơ Mah H'Lim\r\nBcc: spy@evil.example", f"hlim.tp@{D}"),
                       nhung=(NHUNG, f"nhung.vp@{D}\nBcc: spy@evil.example"))
    rows = [row("1.5", 3, "Rơ Mah H'Lim\r\nBcc: spy@evil.example", 12, 10), row("1.1", 3, NHUNG, 19, 21)]
    drafts = night(build, rows=rows, roster=roster)
    assert all("evil" not in a for d in drafts for a in d.addresses)
    assert f"nhung.vp@{D}" not in by_address(drafts)  # a multi-line address cell is not an address
    for draft in drafts:
        raw = to_message(draft, sender=SENDER, now=NOW).as_bytes(policy=policy.SMTP)
        msg = BytesParser(policy=policy.default).parsebytes(raw)
        assert set(msg.keys()) == {"Subject", "From", "To", "Date", "Message-ID", "Auto-Submitted", "MIME-Version",
                                   "Content-Type"}
        assert [a.addr_spec for a in msg["To"].addresses] == list(draft.addresses)
        headers = raw.split(b"\r\n\r\n", 1)[0]
        assert not any(line.lower().startswith(b"bcc") for line in headers.split(b"\r\n"))


def test_an_unreadable_workbook_is_one_alert_to_the_office(tmp_path: Path) -> None:
    broken = tmp_path / "so.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really")
    report, _ = check_file(broken, as_of=date(2024, 1, 8))
    drafts = compose_night(report, None, as_of=date(2024, 1, 8), office=("vp@xa.gov.vn",))
    assert [(d.kind, d.addresses) for d in drafts] == [("alert", ("vp@xa.gov.vn",))]
    assert "chưa thực hiện được" in drafts[0].text and str(broken) in drafts[0].text


def test_message_is_utf8_text_and_html_with_a_vietnamese_subject(build: BuildFn) -> None:
    draft = by_address(night(build))[f"hlim.tp@{D}"]
    msg = BytesParser(policy=policy.default).parsebytes(to_message(draft, sender=SENDER, now=NOW).as_bytes())
    assert msg["Subject"] == draft.subject and msg["Subject"].startswith("Nhắc việc CCHC xã Đăktover ngày 20/12/2023")
    assert str(msg["To"]) == f"Rơ Mah H'Lim <hlim.tp@{D}>"
    plain, html = msg.get_body(("plain",)), msg.get_body(("html",))
    assert plain.get_content_charset() == "utf-8" and html.get_content_charset() == "utf-8"
    assert "Kính gửi Rơ Mah H'Lim," in plain.get_content() and "Kính gửi Rơ Mah H&#x27;Lim," in html.get_content()


@pytest.mark.parametrize("subject", [
    "Lỗi kiểm tra CCHC ngày 08/01/2024: chưa gửi được nhắc việc",
    "Nhắc việc CCHC xã Ia Khươl ngày 08/01/2024: 12 ô cần sửa, 3 nội dung quá hạn, 2 nội dung sắp đến hạn, "
    "4 quý chưa báo cáo",
])
def test_long_vietnamese_subjects_keep_every_space(subject: str) -> None:
    draft = Draft("official", "Đinh Văn Tú", (f"tu.dcxd@{D}",), subject, "x", "<p>x</p>")
    raw = to_message(draft, sender=SENDER, now=NOW).as_bytes()
    assert all(len(line) <= 78 for line in raw.split(b"\r\n\r\n")[0].split(b"\r\n"))
    assert BytesParser(policy=policy.default).parsebytes(raw)["Subject"] == subject
