"""The outbox and smtplib against a real SMTP server (aiosmtpd on 127.0.0.1): nothing lost, nothing twice."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.mailserver import PASSWORD, USER, MailServer, ServerFn, make_servers
from toolkit.core.settings import SmtpSettings, default_settings
from toolkit.mail.draft import Draft
from toolkit.mail.mime import to_message
from toolkit.mail.outbox import MailError, Outbox, flush, recipient_key

NOW = datetime(2024, 1, 8, 15, 0, tzinfo=UTC)
ENV = {"CCHC_TEST_SMTP_PASSWORD": PASSWORD}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerFn]:
    yield from make_servers(tmp_path)


def smtp_of(tmp_path: Path, srv: MailServer, **changes: object) -> SmtpSettings:
    return default_settings(tmp_path, smtp={**srv.smtp_settings(), **changes}).smtp


def queue(outbox: Outbox, *people: tuple[str, str], now: datetime = NOW) -> None:
    for name, address in people:
        draft = Draft("official", name, (address,), f"Nhắc việc CCHC cho {name}", f"Kính gửi {name},\n",
                      f"<p>Kính gửi {name},</p>")
        outbox.put(to_message(draft, sender=f"Văn phòng UBND xã <{USER}>", now=now), recipient_key(address), now=now)


PEOPLE = [("Nguyễn Thị Hồng Nhung", "nhung.vp@xa.gov.vn"), ("Rơ Mah H'Lim", "hlim.tp@xa.gov.vn")]


@pytest.mark.parametrize(("security", "auth"), [("none", False), ("none", True), ("starttls", False),
                                                ("starttls", True), ("ssl", True)])
def test_delivers_over_each_security_with_and_without_auth(tmp_path: Path, server: ServerFn, security: str,
                                                           auth: bool) -> None:
    srv = server(security=security, auth=auth)
    outbox = Outbox(tmp_path / "outbox")
    queue(outbox, *PEOPLE)
    result = flush(outbox, smtp_of(tmp_path, srv), environ=ENV)
    assert result.ok and sorted(w.recipients for w in result.sent) == [("hlim.tp@xa.gov.vn",), ("nhung.vp@xa.gov.vn",)]
    assert sorted(d.rcpt_tos[0] for d in srv.received) == ["hlim.tp@xa.gov.vn", "nhung.vp@xa.gov.vn"]
    assert {d.message["Subject"] for d in srv.received} == {f"Nhắc việc CCHC cho {n}" for n, _ in PEOPLE}
    assert outbox.waiting() == [] and len(list((outbox.folder / "sent").glob("*.eml"))) == 2


def test_starttls_needs_the_certificate_to_be_trusted(tmp_path: Path, server: ServerFn) -> None:
    srv = server(security="starttls")
    outbox = Outbox(tmp_path / "outbox")
    queue(outbox, PEOPLE[0])
    result = flush(outbox, smtp_of(tmp_path, srv, cafile=None), environ=ENV)
    assert result.error and "chứng chỉ" in result.error and "smtp.cafile" in result.error
    assert srv.received == [] and len(outbox.waiting()) == 1


@pytest.mark.parametrize("security", ["none", "starttls"])
def test_wrong_password_is_a_clear_message_and_nothing_is_lost(tmp_path: Path, server: ServerFn,
                                                               security: str) -> None:
    srv = server(security=security, auth=True)
    outbox = Outbox(tmp_path / "outbox")
    queue(outbox, *PEOPLE)
    with pytest.raises(MailError) as err:
        flush(outbox, smtp_of(tmp_path, srv), environ={"CCHC_TEST_SMTP_PASSWORD": "sai-mat-khau"})
    message = str(err.value)
    assert f"từ chối đăng nhập tài khoản «{USER}»" in message and "sai tên đăng nhập hoặc mật khẩu" in message
    assert "CCHC_TEST_SMTP_PASSWORD" in message and "sai-mat-khau" not in message
    assert srv.received == [] and len(outbox.waiting()) == 2


def test_server_down_keeps_messages_and_server_back_delivers_each_once(tmp_path: Path, server: ServerFn) -> None:
    srv = server(start=False)
    smtp = smtp_of(tmp_path, srv)
    outbox = Outbox(tmp_path / "outbox")
    queue(outbox, *PEOPLE)
    down = flush(outbox, smtp)
    assert down.error and "không kết nối được máy chủ thư" in down.error and len(outbox.waiting()) == 2
    srv.start()
    back = flush(outbox, smtp)
    again = flush(outbox, smtp)
    assert len(back.sent) == 2 and again.sent == [] and outbox.waiting() == []
    assert sorted(d.rcpt_tos[0] for d in srv.received) == ["hlim.tp@xa.gov.vn", "nhung.vp@xa.gov.vn"]


def test_a_refused_recipient_waits_while_the_others_go(tmp_path: Path, server: ServerFn) -> None:
    srv = server()
    srv.handler.refuse.add("hlim.tp@xa.gov.vn")
    smtp = smtp_of(tmp_path, srv)
    outbox = Outbox(tmp_path / "outbox")
    queue(outbox, *PEOPLE)
    first = flush(outbox, smtp)
    assert [w.recipients for w in first.sent] == [("nhung.vp@xa.gov.vn",)]
    assert len(first.failed) == 1 and "550" in first.failed[0][1] and "từ chối người nhận" in first.failed[0][1]
    assert [w.recipients for w in outbox.waiting()] == [("hlim.tp@xa.gov.vn",)]
    srv.handler.refuse.clear()
    flush(outbox, smtp)
    flush(outbox, smtp)
    assert [d.rcpt_tos for d in srv.received] == [["nhung.vp@xa.gov.vn"], ["hlim.tp@xa.gov.vn"]]


def test_a_newer_message_replaces_the_waiting_one_for_the_same_person(tmp_path: Path, server: ServerFn) -> None:
    srv = server(start=False)
    outbox = Outbox(tmp_path / "outbox")
    queue(outbox, PEOPLE[0], now=NOW)
    queue(outbox, PEOPLE[0], PEOPLE[1], now=NOW.replace(day=9))
    assert [w.queued for w in outbox.waiting()] == [NOW.replace(day=9)] * 2
    srv.start()
    flush(outbox, smtp_of(tmp_path, srv))
    assert sorted(d.rcpt_tos[0] for d in srv.received) == ["hlim.tp@xa.gov.vn", "nhung.vp@xa.gov.vn"]


def test_the_password_is_never_logged_or_written(tmp_path: Path, server: ServerFn,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    srv = server(security="starttls", auth=True)
    outbox = Outbox(tmp_path / "outbox")
    queue(outbox, *PEOPLE)
    with caplog.at_level(logging.DEBUG):
        flush(outbox, smtp_of(tmp_path, srv), environ=ENV)
        with pytest.raises(MailError):
            queue(outbox, PEOPLE[0])
            flush(outbox, smtp_of(tmp_path, srv), environ={"CCHC_TEST_SMTP_PASSWORD": PASSWORD + "x"})
    assert caplog.records and PASSWORD not in caplog.text
    written = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert PASSWORD.encode() not in written


def test_no_host_is_a_message_naming_the_setting(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox")
    queue(outbox, PEOPLE[0])
    with pytest.raises(MailError, match=r"smtp\.host"):
        flush(outbox, default_settings(tmp_path).smtp)
    assert len(outbox.waiting()) == 1
