"""The nightly run: at most one email per person per day across restarts, catch-up, half-saved workbooks,
failures told to the Office and never re-fired. Real SMTP server, real workbooks; "now" is a parameter."""

from __future__ import annotations

import hashlib
import logging
import shutil
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.mailserver import MailServer, ServerFn, make_servers, toml
from toolkit.core.resources import example_workbook
from toolkit.core.settings import Settings, load_settings
from toolkit.night.run import State, build_scheduler, latest_night, run_once, run_scheduled_once, tick

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
D = "daktover.example.vn"
OFFICE = f"vanphong@{D}"
EVERYONE = sorted([f"nhung.vp@{D}", f"thanh.vhxh@{D}", f"nguyet.vhtt@{D}", f"tu.dcxd@{D}", OFFICE])


def at(day: int, hour: int, minute: int = 0, month: int = 1, year: int = 2024) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerFn]:
    yield from make_servers(tmp_path)


def settings_for(tmp_path: Path, srv: MailServer, **sections: dict) -> Settings:
    folder = tmp_path / "chia-se"
    folder.mkdir(exist_ok=True)
    book = folder / "theo_doi_cchc_2023.xlsx"
    if not book.exists():
        shutil.copyfile(example_workbook(), book)
    config = folder / "cchc.toml"
    config.write_text(toml({"workbook": book.name, "smtp": srv.smtp_settings(), **sections}), encoding="utf-8")
    return load_settings(config)


def recipients(srv: MailServer) -> list[str]:
    return sorted(r for d in srv.received for r in d.rcpt_tos)


def no_wait(seconds: float) -> None:
    """Retries in tests do not wait (the waiting itself is not what is tested)."""


def test_two_runs_on_the_same_day_send_nothing_the_second_time(tmp_path: Path, server: ServerFn) -> None:
    srv = server()
    s = settings_for(tmp_path, srv)
    first = run_once(s, now=at(8, 22))
    second = run_once(s, now=at(8, 23, 30))
    assert first.exit_code == 0 and sorted(first.sent) == EVERYONE
    assert second.sent == [] and sorted(second.skipped) == EVERYONE and second.exit_code == 0
    assert recipients(srv) == EVERYONE


def test_a_restart_does_not_resend(tmp_path: Path, server: ServerFn) -> None:
    srv = server()
    run_scheduled_once(settings_for(tmp_path, srv), now=at(8, 22))
    restarted = settings_for(tmp_path, srv)  # a new process: settings and state read again from disk
    assert tick(restarted, now=at(8, 22, 5)) is None  # tonight is already done
    assert run_once(restarted, now=at(8, 23)).sent == []
    assert recipients(srv) == EVERYONE
    assert State.load(restarted.paths.state).last_night == date(2024, 1, 8)


def test_a_missed_night_catches_up_at_the_next_start(tmp_path: Path, server: ServerFn) -> None:
    srv = server()
    s = settings_for(tmp_path, srv)
    run_scheduled_once(s, now=at(6, 22))  # Saturday night ran; the computer was off on Sunday night
    assert len(srv.received) == 5
    morning = tick(s, now=at(8, 7, 30))  # Monday morning start: Sunday's night is due
    assert morning is not None and sorted(morning.sent) == EVERYONE and len(srv.received) == 10
    assert tick(s, now=at(8, 8)) is None  # and only once
    evening = tick(s, now=at(8, 22))  # Monday's own night runs, but each person already had today's email
    assert evening is not None and evening.sent == [] and len(srv.received) == 10
    assert tick(s, now=at(9, 22)) is not None and len(srv.received) == 15


def test_the_first_start_waits_for_the_scheduled_time(tmp_path: Path, server: ServerFn) -> None:
    srv = server()
    s = settings_for(tmp_path, srv, schedule={"at": "21:30"})
    assert tick(s, now=at(8, 15)) is None and tick(s, now=at(8, 21, 29)) is None
    assert srv.received == []
    assert tick(s, now=at(8, 21, 30)) is not None and recipients(srv) == EVERYONE


@pytest.mark.parametrize(
    ("now", "night"),
    [(at(8, 21, 59), date(2024, 1, 7)), (at(8, 22), date(2024, 1, 8)), (at(9, 0, 5), date(2024, 1, 8))],
)
def test_latest_night(now: datetime, night: date) -> None:
    assert latest_night(now, datetime(2024, 1, 1, 22, 0).time()) == night


def test_server_down_the_mail_waits_and_the_next_run_delivers_each_once(tmp_path: Path, server: ServerFn) -> None:
    srv = server(start=False)
    s = settings_for(tmp_path, srv)
    down = run_once(s, now=at(8, 22))
    assert down.waiting == 5 and down.exit_code == 1 and "không kết nối được" in (down.send_error or "")
    srv.start()
    back = run_once(s, now=at(8, 23))
    again = run_once(s, now=at(8, 23, 30))
    assert sorted(back.sent) == EVERYONE and back.waiting == 0 and again.sent == []
    assert recipients(srv) == EVERYONE


def test_mail_waiting_from_yesterday_is_replaced_by_tonights(tmp_path: Path, server: ServerFn) -> None:
    srv = server(start=False)
    s = settings_for(tmp_path, srv)
    run_once(s, now=at(8, 22))
    srv.start()
    run_once(s, now=at(9, 22))  # one email each, tonight's (the waiting ones are out of date)
    assert recipients(srv) == EVERYONE
    assert {d.message["Subject"].split(": ")[0] for d in srv.received} == {
        "Nhắc việc CCHC xã Đăktover ngày 09/01/2024", "Tổng hợp CCHC xã Đăktover ngày 09/01/2024"}


def half_save(book: Path) -> bytes:
    """Leave ``book`` as Excel would while saving over a slow share: truncated, with its ``~$`` lock file."""
    whole = book.read_bytes()
    book.write_bytes(whole[: len(whole) // 2])
    book.with_name("~$" + book.name).write_bytes(b"\x0bNguyen Nhung")
    return whole


def test_a_half_saved_workbook_is_retried_and_then_read(tmp_path: Path, server: ServerFn) -> None:
    srv = server()
    s = settings_for(tmp_path, srv)
    whole = half_save(s.workbook)  # type: ignore[arg-type]
    waits: list[float] = []

    def saving_finishes(seconds: float) -> None:
        waits.append(seconds)
        s.workbook.write_bytes(whole)  # type: ignore[union-attr]

    result = run_once(s, now=at(8, 22), sleep=saving_finishes, wait=7.0)
    assert waits == [7.0] and result.workbook_problem is None and recipients(srv) == EVERYONE


def test_a_workbook_still_half_saved_is_reported_to_the_office_never_misread(tmp_path: Path,
                                                                            server: ServerFn) -> None:
    srv = server()
    s = settings_for(tmp_path, srv)  # no notify.office: the Office's address is the one the workbook gave
    run_once(s, now=at(7, 22))  # last night read fine (and the Office's address was remembered)
    srv.handler.received.clear()
    half_save(s.workbook)  # type: ignore[arg-type]
    waits: list[float] = []
    result = run_once(s, now=at(8, 22), sleep=waits.append, attempts=3, wait=30.0)
    assert waits == [30.0, 30.0] and result.exit_code == 1 and result.workbook_problem
    assert recipients(srv) == [OFFICE]  # officials hear nothing from a file that could not be read
    alert = srv.received[0]
    assert alert.message["Subject"] == "Lỗi kiểm tra CCHC ngày 08/01/2024: chưa gửi được nhắc việc"
    assert "đang được lưu dở hoặc bị hỏng (đã thử đọc 3 lần)" in alert.text
    assert "tệp khóa ~$theo_doi_cchc_2023.xlsx" in alert.text and f"Sổ theo dõi: {s.workbook}" in alert.text


def test_the_shared_workbook_is_never_written(tmp_path: Path, server: ServerFn) -> None:
    srv = server()
    s = settings_for(tmp_path, srv)
    book: Path = s.workbook  # type: ignore[assignment]
    before = (hashlib.sha256(book.read_bytes()).hexdigest(), book.stat().st_mtime_ns)
    run_once(s, now=at(8, 22))
    assert (hashlib.sha256(book.read_bytes()).hexdigest(), book.stat().st_mtime_ns) == before
    # [history] sao-luu holds the nightly copies
    assert sorted(p.name for p in book.parent.iterdir()) == ["cchc.toml", "outbox", "sao-luu", "state", book.name]


def test_a_run_catches_its_own_failure_tells_the_office_and_is_not_refired(tmp_path: Path, server: ServerFn,
                                                                           caplog: pytest.LogCaptureFixture) -> None:
    srv = server()
    blocked = tmp_path / "hop-thu-di"
    blocked.write_text("một tệp, không phải thư mục", encoding="utf-8")  # the outbox cannot be created
    s = settings_for(tmp_path, srv, paths={"outbox": str(blocked)})
    with caplog.at_level(logging.INFO, logger="cchc"):
        result = run_once(s, now=at(8, 22))
    assert result.error and result.error.startswith("lỗi không mong đợi") and result.exit_code == 2
    assert "Traceback" in caplog.text and "Lượt chạy ngày 2024-01-08 bị lỗi" in caplog.text
    assert recipients(srv) == [OFFICE] and "chưa thực hiện được: lỗi không mong đợi" in srv.received[0].text

    # Through the scheduler: the failing night runs once; its job neither raises nor fires again.
    State(s.paths.state / "nightly.json", last_night=date(2024, 1, 8)).save()
    night = at(9, 22)
    scheduler = build_scheduler(s, lambda: night)
    scheduler.run_all()
    scheduler.run_all()
    assert len(scheduler.jobs) == 1 and scheduler.jobs[0].next_run > datetime.now()
    assert State.load(s.paths.state).last_night == date(2024, 1, 9)
    assert len(srv.received) == 2  # one alert for the night of the 9th, none more


def test_a_bad_state_file_is_set_aside_not_fatal(tmp_path: Path, server: ServerFn) -> None:
    srv = server()
    s = settings_for(tmp_path, srv)
    s.paths.state.mkdir(parents=True)
    (s.paths.state / "nightly.json").write_text("{ hỏng", encoding="utf-8")
    assert run_once(s, now=at(8, 22)).exit_code == 0 and recipients(srv) == EVERYONE
    assert (s.paths.state / "nightly.json.hong").is_file()


def test_the_cli_once_runs_and_the_second_time_sends_nothing(tmp_path: Path, server: ServerFn,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    from toolkit.cli import main

    srv = server()
    s = settings_for(tmp_path, srv)
    assert main(["nightly", "--once", "--config", str(s.source)]) == 0
    assert main(["nightly", "--once", "--config", str(s.source)]) == 0
    out = capsys.readouterr().out
    assert out.count("Đã gửi (máy chủ thư đã nhận): ") == 5 and "không gửi lại" in out
    assert len(srv.received) == 5
    assert "Đã gửi thư" in (s.paths.log).read_text(encoding="utf-8")


def test_catch_up_uses_the_configured_time_zone(tmp_path: Path, server: ServerFn) -> None:
    srv = server()
    s = settings_for(tmp_path, srv)
    run_scheduled_once(s, now=at(7, 22))
    utc_morning = datetime(2024, 1, 8, 14, 59, tzinfo=ZoneInfo("UTC"))  # 21:59 in Hà Nội: not yet tonight
    assert tick(s, now=utc_morning) is None
    assert tick(s, now=utc_morning + timedelta(minutes=1)) is not None
