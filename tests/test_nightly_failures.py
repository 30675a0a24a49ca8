"""A night never fails silently: whatever stops a run reaches the Office by email the same night, and a run
that was killed (kill -9, power cut) never blocks the next. Real SMTP server, real subprocesses."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.mailserver import ServerFn, make_servers
from tests.test_nightly import EVERYONE, OFFICE, at, recipients, settings_for
from toolkit.night.child import Limits
from toolkit.night.run import run_once

posix_only = pytest.mark.skipif(os.name == "nt", reason="signals and memory caps are POSIX")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerFn]:
    yield from make_servers(tmp_path)


def hold_lock(state: Path) -> subprocess.Popen[str]:
    """A real process that takes the run lock and then hangs, as a run stuck on a slow share would."""
    code = textwrap.dedent(f"""
        import sys, time
        from datetime import datetime, timezone
        from pathlib import Path
        from toolkit.night.lock import run_lock
        with run_lock(Path({str(state)!r}), datetime.now(timezone.utc)) as held:
            print("held" if held.mine else "busy", flush=True)
            time.sleep(120)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


@posix_only
def test_a_run_killed_with_sigkill_does_not_block_the_next(tmp_path: Path, server: ServerFn,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    from toolkit.cli import main

    srv = server()
    s = settings_for(tmp_path, srv)
    holder = hold_lock(s.paths.state)
    try:
        busy = run_once(s, now=at(8, 22))
        assert busy.busy and busy.exit_code == 1 and srv.received == []  # a live run is respected
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    finally:
        holder.kill()
        holder.wait()
    assert (s.paths.state / "nightly.lock").exists()  # left behind, with the dead run's PID in it
    assert main(["nightly", "--once", "--config", str(s.source)]) in (0, 1)
    err = capsys.readouterr().err
    assert f"lượt chạy trước (PID {holder.pid} trên máy" in err and "đã bị dừng giữa chừng" in err
    assert set(recipients(srv)) == set(EVERYONE)
    digest = next(d for d in srv.received if d.message["Subject"].startswith("Tổng hợp CCHC"))
    assert f"PID {holder.pid}" in digest.text and "đã bị dừng giữa chừng" in digest.text
    again = run_once(s, now=at(9, 22))  # the lock is free and clean after a normal run
    assert not again.busy and again.interrupted is None


@posix_only
def test_a_check_that_runs_out_of_memory_is_an_alert_the_same_night(tmp_path: Path, server: ServerFn) -> None:
    srv = server()
    s = settings_for(tmp_path, srv)  # the Office's address comes from the workbook, remembered last night
    run_once(s, now=at(7, 22))
    srv.handler.received.clear()
    result = run_once(s, now=at(8, 22), limits=Limits(memory=15 * 1024**2))
    assert result.exit_code == 1 and "bộ nhớ" in (result.workbook_problem or "")
    assert recipients(srv) == [OFFICE]
    alert = srv.received[0]
    assert alert.message["Subject"] == "Lỗi kiểm tra CCHC ngày 08/01/2024: chưa gửi được nhắc việc"
    assert "cần nhiều bộ nhớ hơn máy cho phép" in alert.text and "Traceback" not in alert.text


def test_a_check_that_never_ends_is_stopped_and_told(tmp_path: Path, server: ServerFn) -> None:
    srv = server()
    s = settings_for(tmp_path, srv, notify={"office": [OFFICE]})
    result = run_once(s, now=at(8, 22), limits=Limits(seconds=0.001))
    assert result.exit_code == 1 and recipients(srv) == [OFFICE]
    assert "quá 0,001 giây nên đã bị dừng" in srv.received[0].text


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 not a workbook", b"\xd0\xcf\x11\xe0garbage"])
def test_an_unreadable_workbook_is_an_alert_and_officials_hear_nothing(tmp_path: Path, server: ServerFn,
                                                                        content: bytes) -> None:
    srv = server()
    s = settings_for(tmp_path, srv)
    run_once(s, now=at(7, 22))
    srv.handler.received.clear()
    s.workbook.write_bytes(content)  # type: ignore[union-attr]
    result = run_once(s, now=at(8, 22), attempts=1)
    assert result.exit_code == 1 and result.workbook_problem
    assert recipients(srv) == [OFFICE] and "chưa thực hiện được" in srv.received[0].text


def test_a_missing_workbook_on_the_first_night_is_an_alert_to_the_configured_office(tmp_path: Path,
                                                                                   server: ServerFn) -> None:
    srv = server()
    s = settings_for(tmp_path, srv, notify={"office": [OFFICE]})
    s.workbook.unlink()  # type: ignore[union-attr]
    result = run_once(s, now=at(8, 22), attempts=1)
    assert result.exit_code == 1 and recipients(srv) == [OFFICE]
    assert "Không tìm thấy tệp theo_doi_cchc_2023.xlsx" in srv.received[0].text


def test_the_child_hands_back_the_assessment_the_parent_would_have_made(tmp_path: Path) -> None:
    from datetime import date

    from toolkit.api import check_file
    from toolkit.core.resources import example_workbook
    from toolkit.night.child import read_shared
    from toolkit.rules.phrases import counts_line, mean_line

    source = tmp_path / "theo_doi_cchc_2023.xlsx"
    source.write_bytes(example_workbook().read_bytes())
    report, a = read_shared(source, as_of=date(2024, 1, 8), due_soon_days=30)
    here_report, here = check_file(source, as_of=date(2024, 1, 8), due_soon_days=30)
    assert a is not None and here is not None and a.report is report
    assert report.workbook == a.wb.path == str(source)  # the shared file's name, not the temporary copy's
    assert [i.message for i in report.issues] == [i.message for i in here_report.issues]
    assert (counts_line(a), mean_line(a)) == (counts_line(here), mean_line(here))
    assert [(s.code, s.completion, s.overdue, s.due_soon, [p.name for p in s.owners]) for s in a.items] == \
           [(s.code, s.completion, s.overdue, s.due_soon, [p.name for p in s.owners]) for s in here.items]
