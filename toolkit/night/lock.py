"""One nightly run at a time, and a killed run never blocks the next.

The lock is ``state/nightly.lock``, held with an OS-level lock on the open file (``fcntl.flock`` on POSIX,
``msvcrt.locking`` on Windows). The operating system releases it when its process ends, however it ends
(power cut, ``kill -9``, Task Scheduler stopping the task), so a new run can always tell a live owner from a
dead one. The file also records its owner (PID, computer, start time) for the log; a record left in the file
when a new run takes the lock means the previous run was stopped before it finished.

Where the file system refuses OS locks (some network shares), the record decides: an owner on this computer
whose PID is no longer alive is gone; an owner on another computer is trusted for ``STALE`` after its start.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

log = logging.getLogger("cchc.nightly")

LOCK_FILE = "nightly.lock"
STALE = timedelta(hours=2)  # only for an owner on another computer when OS locks are not available
_BUSY = {errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK, getattr(errno, "EDEADLK", errno.EAGAIN)}


@dataclass(frozen=True, slots=True)
class Owner:
    """Who holds (or held) the lock."""

    pid: int
    host: str
    started: datetime | None

    def describe(self) -> str:
        when = f", bắt đầu {self.started:%H:%M %d/%m/%Y}" if self.started else ""
        return f"PID {self.pid} trên máy {self.host}{when}"


@dataclass(slots=True)
class Held:
    """The outcome of taking the lock: ``mine`` False when a live run holds it; ``interrupted`` is the owner
    of a run that was stopped before it finished (its record was still in the file)."""

    mine: bool
    owner: Owner | None = None
    interrupted: Owner | None = None


def pid_alive(pid: int) -> bool:
    """True when a process with ``pid`` runs on this computer."""
    if pid <= 0:
        return False
    if os.name == "nt":
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, owned by another user
    return True


def _os_lock(fd: int) -> bool | None:
    """Try the OS lock without waiting: True taken, False held by a live process, None not supported here."""
    try:
        if os.name == "nt":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in _BUSY or isinstance(exc, BlockingIOError | PermissionError):
            return False
        return None
    return True


def _os_unlock(fd: int) -> None:
    with contextlib.suppress(OSError):
        if os.name == "nt":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)


def _read_owner(fd: int) -> Owner | None:
    """The owner recorded in the file (after the lock byte), or None when there is none or it is unreadable."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = json.loads(os.read(fd, 4096).decode("utf-8").strip() or "null")
        if not isinstance(data, dict):
            return None
        started = data.get("started")
        return Owner(int(data["pid"]), str(data.get("host", "")),
                     datetime.fromisoformat(started) if started else None)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_owner(fd: int, owner: Owner | None) -> None:
    text = "" if owner is None else json.dumps(
        {"pid": owner.pid, "host": owner.host, "started": owner.started.isoformat() if owner.started else None})
    os.lseek(fd, 0, os.SEEK_SET)
    os.ftruncate(fd, 0)
    os.write(fd, text.encode("utf-8"))
    with contextlib.suppress(OSError):
        os.fsync(fd)


def _gone(owner: Owner | None, now: datetime) -> bool:
    """Without OS locks: True when the recorded owner can no longer be running."""
    if owner is None:
        return True
    if owner.host == socket.gethostname():
        return not pid_alive(owner.pid)
    return owner.started is None or owner.started.tzinfo is None or now - owner.started >= STALE


@contextlib.contextmanager
def run_lock(folder: Path, now: datetime) -> Iterator[Held]:
    """Hold ``folder/nightly.lock`` for one run; ``Held.mine`` is False when a live run holds it.

    The file is kept (emptied) after the run: removing a file another process may have open could let two
    runs hold two different files.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        taken = _os_lock(fd)
        previous = _read_owner(fd) if taken is not False else None
        if taken is None and not _gone(previous, now):
            taken = False
        if taken is False:
            yield Held(False, owner=previous)
            return
        if previous is not None:
            log.warning("Lượt chạy trước (%s) đã bị dừng giữa chừng; lượt này tiếp quản tệp khóa %s.",
                        previous.describe(), path)
        me = Owner(os.getpid(), socket.gethostname(), now)
        _write_owner(fd, me)
        try:
            yield Held(True, owner=me, interrupted=previous)
        finally:
            with contextlib.suppress(OSError):
                _write_owner(fd, None)
            if taken:
                _os_unlock(fd)
    finally:
        os.close(fd)
