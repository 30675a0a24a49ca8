"""Reading the shared workbook for the nightly run: a whole copy, checked in a child process.

The shared workbook is copied and the copy is read (the shared file is never locked or written); a copy
caught half-saved (a truncated zip) is retried, then reported, never misread.

A workbook can stop the process that reads it in ways no ``except`` catches: a native library aborting on an
allocation failure, the operating system killing a process that took all the memory, a read that never
ends. The nightly run therefore reads in a child process with a memory cap (POSIX) and a time limit; when the
child does not finish, the parent is still alive to log it and tell the Office the same night.

The child is ``python -m toolkit.night.child COPY AS_OF DUE_SOON_DAYS OUT MEMORY PERIOD KEEPING``: it caps its
own memory and does everything that needs the whole workbook (``work.work``): read, validate and assess
(``api.check_file``), then, with ``KEEPING``, keep the night's backup copy, read it back, list the changes
since the copy before it and the figures changed after a report (``history.gather``). It hands back only
small results, pickled into files in the run's own temporary folder: the report and a slim assessment, then
the night's history. The parent never reads a whole workbook. ``cchc notify`` starts its child first of all
(``spare_child``: ``python -m toolkit.night.child`` with no arguments loads the reader, then reads the same
arguments as one JSON line on its standard input), so the child's start overlaps the parent's own.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import sys
import time as _time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.core.process import tune_gc
from toolkit.memory.wholecopy import is_whole, snapshot

# The parent imports this module before its child starts, and the child starts with it: each imports here only
# what both need, the rest where it is used (the child never starts a process; the parent never assesses).
if TYPE_CHECKING:
    import subprocess

    from toolkit.core.issues import Report
    from toolkit.core.period import Period
    from toolkit.memory.backups import Keeping
    from toolkit.memory.history import Night
    from toolkit.rules.assess import Assessment


@dataclass(frozen=True, slots=True)
class Limits:
    """What one check may take: ``memory`` bytes of address space (POSIX only; None no cap), ``seconds``."""

    memory: int | None = 4 * 1024**3
    seconds: float = 1800.0


DEFAULT_LIMITS = Limits()
log = logging.getLogger("cchc.nightly")


def _cap_memory(limit: int | None) -> None:
    """Cap this process's address space (POSIX); called by the child itself, first thing."""
    if limit is None or os.name == "nt":
        return
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _stopped(copy: Path, why: str) -> tuple[Report, None]:
    from toolkit.core.issues import Report, issue

    problem = issue("file-unreadable", path=copy.name, reason=why)
    return Report(workbook=str(copy), issues=[problem], fatal=True), None


@dataclass(slots=True)
class NightCheck:
    """What the child handed back: the report, the slim assessment (``work.slim``; None when the workbook
    could not be read), the night's backup and history (``history.Night``; None when not asked for or when the
    child stopped before it: ``stopped`` says how)."""

    report: Report
    assessment: Assessment | None
    night: Night | None = None
    stopped: str | None = None


def _start(cmd: list[str], *, waiting: bool = False) -> subprocess.Popen[bytes]:
    import subprocess

    return subprocess.Popen(cmd, stdin=subprocess.PIPE if waiting else None, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE,
                            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))


def _wait(proc: subprocess.Popen[bytes], seconds: float) -> str | None:
    """Wait for the child; None when it ended well, else how it ended, in words."""
    import subprocess

    try:
        _, err = proc.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        shown = f"{seconds:g}".replace(".", ",")
        return (f"việc đọc và kiểm tra sổ quá {shown} giây nên đã bị dừng; sổ có thể quá lớn hoặc có vùng dữ liệu "
                "thừa rất xa")
    if proc.returncode == 0:
        return None
    return _how_it_ended(proc.returncode, err.decode("utf-8", "replace"))


def _command(copy: Path, *, as_of: date, due_soon_days: int | None, period: Period | None, limits: Limits,
             keeping: Keeping | None) -> list[str]:
    from toolkit.night.work import keeping_arg

    if due_soon_days is None:
        from toolkit.rules.assess import DUE_SOON_DAYS

        due_soon_days = DUE_SOON_DAYS
    return [sys.executable, *_CHILD, str(copy), as_of.isoformat(), str(due_soon_days),
            str(_out(copy)), str(limits.memory or 0), period.label if period is not None else "", keeping_arg(keeping)]


def _out(copy: Path) -> Path:
    return copy.with_name(copy.name + ".ket-qua")


def check_in_child(copy: Path, *, as_of: date, due_soon_days: int | None = None, period: Period | None = None,
                   limits: Limits = DEFAULT_LIMITS, keeping: Keeping | None = None) -> NightCheck:
    """Read, validate and assess ``copy`` in a child process (``work.work``), and with ``keeping`` keep it
    as the night's backup and gather the night's history there too; a fatal report says how a child that
    stopped before the check ended. ``due_soon_days`` None is the assessment's own (``assess.DUE_SOON_DAYS``).

    Never raises for what the workbook does to the child (crash, memory, time).
    """
    cmd = _command(copy, as_of=as_of, due_soon_days=due_soon_days, period=period, limits=limits, keeping=keeping)
    return _collect(copy, _wait(_start(cmd), limits.seconds), keeping)


def _collect(copy: Path, why: str | None, keeping: Keeping | None) -> NightCheck:
    """What the child wrote (``why``: how it ended when it did not end well)."""
    from toolkit.night.work import Checked, Remembered, history_file, load, replay

    out = _out(copy)
    checked = load(out)
    if not isinstance(checked, Checked):
        return NightCheck(*_stopped(copy, why or "việc đọc sổ không trả về kết quả"))
    replay(checked.logs)
    result = NightCheck(checked.report, checked.assessment)
    remembered = load(history_file(out)) if keeping is not None and checked.assessment is not None else None
    if isinstance(remembered, Remembered):
        replay(remembered.logs)
        result.night = remembered.night
    elif keeping is not None and checked.assessment is not None:
        result.stopped = why or "không có kết quả"
    return result


class _EarlyChild:
    """Starts the child on each copy as soon as it is taken, and checks the copy is whole (``is_whole``) while
    the child reads it: the child is stopped when it is not (``snapshot`` then takes another copy)."""

    def __init__(self, command: Callable[[Path], list[str]]) -> None:
        self.command = command
        self.proc: subprocess.Popen[bytes] | None = None

    def __call__(self, copy: Path) -> bool:
        cmd = self.command(copy)
        self.proc = _hand_over(cmd) or _start(cmd)
        if is_whole(copy):
            return True
        self.proc.kill()
        self.proc.communicate()
        self.proc = None
        return False


_CHILD = ["-m", "toolkit.night.child"]  # after sys.executable; the arguments follow
_spare: subprocess.Popen[bytes] | None = None  # a child started early (``spare_child``), waiting for its command


@contextlib.contextmanager
def spare_child() -> Iterator[None]:
    """Start a child now, before this process has its settings, lock and copy: the child loads the reader
    meanwhile (a tenth of a second) and the first copy ``read_night`` takes is handed to it on its standard
    input instead of starting a child then. A child still waiting at the end is stopped."""
    global _spare
    _spare = _start([sys.executable, *_CHILD], waiting=True)
    try:
        yield
    finally:
        proc, _spare = _spare, None
        if proc is not None:
            proc.kill()
            proc.communicate()


def _hand_over(cmd: list[str]) -> subprocess.Popen[bytes] | None:
    """The spare child, given ``cmd``'s arguments; None when there is none or it is gone."""
    global _spare
    proc, _spare = _spare, None
    if proc is None or proc.stdin is None:
        return None
    try:
        if proc.poll() is None:
            proc.stdin.write(json.dumps(cmd[1 + len(_CHILD):]).encode("ascii") + b"\n")
            proc.stdin.flush()
            return proc
    except OSError:  # it ended meanwhile: a child is started as usual
        pass
    proc.kill()
    proc.communicate()
    return None


def _load_checking() -> None:
    """Load what checking needs, before the memory cap: the cap is for the workbook (an import refused under it
    would end the child as a crash, not as the memory it ran out of)."""
    import python_calamine  # noqa: F401 (the reader's own, loaded where it reads)

    import toolkit.api
    import toolkit.night.work  # noqa: F401


def _waiting_for_command() -> list[str]:
    """The spare child's arguments: loads what checking needs, then reads them (none when its parent let it go)."""
    _load_checking()  # while the parent takes its copy
    line = sys.stdin.buffer.readline()
    return [str(arg) for arg in json.loads(line)] if line.strip() else []


def _how_it_ended(code: int, stderr: str) -> str:
    """The child's end in words: out of memory or a crash, with the line that says most (no backtrace)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    markers = ("memory allocation", "MemoryError", "Cannot allocate memory", "failed to map segment", "panicked",
               "Error")  # the fourth: the loader refused a library under the memory cap
    detail = next((line for m in markers for line in lines if m in line), lines[-1] if lines else "")
    memory = any(m in stderr for m in markers[:4]) or code in (-9, 137)
    why = ("việc đọc sổ cần nhiều bộ nhớ hơn máy cho phép nên đã bị dừng; sổ có thể quá lớn hoặc có vùng dữ liệu "
           "thừa rất xa" if memory else "việc đọc sổ bị dừng đột ngột")
    return f"{why} (mã thoát {code}{': ' + detail[:200] if detail else ''})"


def read_shared(source: Path, *, as_of: date, due_soon_days: int | None = None, period: Period | None = None,
                attempts: int = 3, wait: float = 20.0, sleep: Callable[[float], None] = _time.sleep,
                limits: Limits = DEFAULT_LIMITS) -> tuple[Report, Assessment | None]:
    """Read, validate and assess a copy of the shared workbook as of ``as_of`` in a child process: (report,
    slim assessment or None), as ``read_night`` without the night's history."""
    done = read_night(source, as_of=as_of, due_soon_days=due_soon_days, period=period, attempts=attempts, wait=wait,
                      sleep=sleep, limits=limits)
    return done.report, done.assessment


def read_night(source: Path, *, as_of: date, due_soon_days: int | None = None, period: Period | None = None,
               attempts: int = 3, wait: float = 20.0, sleep: Callable[[float], None] = _time.sleep,
               limits: Limits = DEFAULT_LIMITS, keeping: Keeping | None = None,
               meanwhile: Callable[[], None] | None = None) -> NightCheck:
    """Copy the shared workbook (``snapshot``) and check the copy as of ``as_of`` in a child process
    (``check_in_child``; with ``keeping``, the copy is also the night's backup). The report names ``source``;
    a child that crashed, ran out of memory or time gives a fatal report. ``meanwhile()`` is called while the
    child works (once it has a whole copy), for what this process can prepare on another core."""
    import tempfile

    from toolkit.core.issues import Report

    def command(copy: Path) -> list[str]:
        return _command(copy, as_of=as_of, due_soon_days=due_soon_days, period=period, limits=limits, keeping=keeping)

    child = _EarlyChild(command)  # the child reads the copy while this process checks it is whole
    with tempfile.TemporaryDirectory(prefix="cchc-") as tmp:
        copy, problem = snapshot(source, Path(tmp), attempts=attempts, wait=wait, sleep=sleep, whole=child)
        if problem is not None or copy is None or child.proc is None:
            return NightCheck(Report(workbook=str(source), issues=[problem] if problem else [], fatal=True), None)
        if meanwhile is not None:
            meanwhile()
        done = _collect(copy, _wait(child.proc, limits.seconds), keeping)
    report, a = done.report, done.assessment
    report.workbook = str(source)
    if a is not None:
        a.wb.path = str(source)
    if report.fatal:
        report.issues = [dataclasses.replace(i, text=i.message.replace(str(copy), str(source)))
                         for i in report.issues]
    return done


def _main(argv: list[str]) -> int:
    _load_checking()
    _cap_memory(int(argv[4]) or None)
    tune_gc()
    from toolkit.core.period import Period
    from toolkit.night.work import parse_keeping, work

    period = Period.parse(argv[5]) if len(argv) > 5 and argv[5] else None
    keeping = parse_keeping(argv[6]) if len(argv) > 6 else None
    return work(Path(argv[0]), Path(argv[3]), as_of=date.fromisoformat(argv[1]), due_soon_days=int(argv[2]),
                period=period, keeping=keeping)


if __name__ == "__main__":
    arguments = sys.argv[1:] or _waiting_for_command()
    code = _main(arguments) if arguments else 0
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # the results are written and closed: skip freeing the whole workbook object by object
