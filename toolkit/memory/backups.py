"""Daily copies of the shared workbook: one whole, verified copy per day, kept by a simple retention rule.

``keep_copy`` is called first by every nightly run (and ``cchc notify`` without ``--dry-run``). It takes a
consistent copy of the workbook the same way the nightly run reads it (``wholecopy.snapshot``: the file must not
change while copied and every zip part must read back, else it is retried), writes it atomically into the
backups folder as ``<stem>.<YYYY-MM-DD><suffix>`` (the run's date), reads it back with the reader, and prunes
old copies: every copy of the last ``keep_days`` days stays, and the first copy of each month when
``monthly``; a month is never left without a copy. The shared workbook itself is only ever read.

Restoring is copying one of these files back over the workbook (README, «Sao lưu»).
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
import time as _time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.core.errors import CchcError
from toolkit.core.files import OutputError, atomic_output

if TYPE_CHECKING:  # types only: the nightly parent builds a ``Keeping`` before its child starts, importing little
    from toolkit.core.model import TrackingWorkbook
    from toolkit.core.settings import Settings

log = logging.getLogger("cchc.backups")

_DAY = re.compile(r"\.(\d{4}-\d{2}-\d{2})$")


class BackupFailed(CchcError):
    """No verified copy could be kept today; the message says why, in Vietnamese."""


@dataclass(frozen=True, slots=True)
class Copy:
    """One kept copy: its file and the day it was taken for."""

    path: Path
    day: date


@dataclass(slots=True)
class Kept:
    """What ``keep_copy`` did: today's copy, its content as read back, whether it was made by this call (a
    second run on the same day reuses the first copy), and the copies retention removed."""

    copy: Copy
    wb: TrackingWorkbook
    created: bool
    removed: list[Path]


@dataclass(frozen=True, slots=True)
class Keeping:
    """How tonight's copy is kept: the shared ``workbook`` (it names the copies; the ledger is beside it), the
    backups ``folder`` and its retention (``[backups]``), and ``dry_run`` (nothing is kept)."""

    workbook: Path
    folder: Path
    keep_days: int = 31
    monthly: bool = True
    dry_run: bool = False

    @classmethod
    def of(cls, settings: Settings, workbook: Path, *, dry_run: bool = False) -> Keeping:
        return cls(workbook, settings.paths.backups, settings.backups.keep_days, settings.backups.monthly, dry_run)


def copy_name(workbook: Path, day: date) -> str:
    """``theo_doi_cchc_2023.2023-10-20.xlsx``."""
    return f"{workbook.stem}.{day.isoformat()}{workbook.suffix}"


def copies(folder: Path, workbook: Path) -> list[Copy]:
    """The kept copies of ``workbook`` in ``folder``, oldest first (other files are ignored)."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        if not path.is_file() or path.suffix.lower() != workbook.suffix.lower():
            continue
        stem = path.name[: -len(path.suffix)]
        m = _DAY.search(stem)
        if m is None or stem[: m.start()] != workbook.stem:
            continue
        try:
            found.append(Copy(path, date.fromisoformat(m.group(1))))
        except ValueError:
            continue
    return sorted(found, key=lambda c: c.day)


def previous_copy(folder: Path, workbook: Path, day: date) -> Copy | None:
    """The latest copy taken before ``day``, or None."""
    earlier = [c for c in copies(folder, workbook) if c.day < day]
    return earlier[-1] if earlier else None


def to_remove(kept: list[Copy], today: date, *, keep_days: int, monthly: bool) -> list[Copy]:
    """The copies retention deletes as of ``today``.

    Kept: every copy of the last ``keep_days`` days (and any dated after today); with ``monthly`` the first
    copy of each month; without it the last copy of each month. A month is never left without a copy.
    """
    recent = today - timedelta(days=keep_days - 1)
    months: dict[tuple[int, int], list[Copy]] = {}
    for c in sorted(kept, key=lambda c: c.day):
        months.setdefault((c.day.year, c.day.month), []).append(c)
    remove = []
    for group in months.values():
        keeper = group[0] if monthly else group[-1]
        remove += [c for c in group if c.day < recent and c is not keeper]
    return remove


def _take(source: Path, target: Path, *, attempts: int, wait: float, sleep: Callable[[float], None],
          taken: Path | None = None) -> None:
    """Copy ``source`` to ``target`` whole (retrying a file caught mid-save), atomically; raise ``BackupFailed``.
    ``taken`` is a whole copy of ``source`` already taken (the one the nightly check read): it is kept as is."""
    from toolkit.memory.wholecopy import snapshot

    if taken is not None:
        with atomic_output(target) as out:
            shutil.copyfile(taken, out)
        return
    with tempfile.TemporaryDirectory(prefix="cchc-sao-luu-") as tmp:
        snap, problem = snapshot(source, Path(tmp), attempts=attempts, wait=wait, sleep=sleep)
        if problem is not None or snap is None:
            raise BackupFailed(problem.message if problem is not None else f"Không sao chép được {source}.")
        with atomic_output(target) as out:
            shutil.copyfile(snap, out)


def _read_back(path: Path) -> TrackingWorkbook:
    from toolkit.workbook.reader import read_workbook
    from toolkit.workbook.rows import UnreadableWorkbook

    try:
        return read_workbook(path)
    except UnreadableWorkbook as exc:
        raise BackupFailed(f"Bản sao {path.name} không đọc lại được: {exc.issue.message}") from None


def keep_copy(source: Path, folder: Path, *, day: date, keep_days: int = 31, monthly: bool = True,
              attempts: int = 3, wait: float = 20.0, sleep: Callable[[float], None] = _time.sleep,
              taken: Path | None = None) -> Kept:
    """Keep today's copy of ``source`` in ``folder`` (once per ``day``), verified by reading it back, then
    apply retention. Raises ``BackupFailed`` (the shared workbook is untouched either way). ``taken``: a whole
    copy of ``source`` already taken (``wholecopy.snapshot``), kept instead of taking another."""
    target = folder / copy_name(source, day)
    created = False
    if target.is_file():
        try:
            wb = _read_back(target)
        except BackupFailed:
            log.warning("Bản sao %s hỏng; sao lại.", target.name)
        else:
            return Kept(Copy(target, day), wb, False, _prune(folder, source, day, keep_days, monthly))
    try:
        _take(source, target, attempts=attempts, wait=wait, sleep=sleep, taken=taken)
    except (OSError, OutputError) as exc:
        raise BackupFailed(f"Không ghi được bản sao vào thư mục {folder}: {exc}") from None
    created = True
    try:
        wb = _read_back(target)
    except BackupFailed:
        target.unlink(missing_ok=True)
        raise
    log.info("Đã sao lưu sổ theo dõi: %s", target)
    return Kept(Copy(target, day), wb, created, _prune(folder, source, day, keep_days, monthly))


def _prune(folder: Path, source: Path, day: date, keep_days: int, monthly: bool) -> list[Path]:
    removed = []
    for c in to_remove(copies(folder, source), day, keep_days=keep_days, monthly=monthly):
        try:
            c.path.unlink()
        except OSError as exc:
            log.warning("Không xóa được bản sao cũ %s: %s", c.path, exc)
            continue
        removed.append(c.path)
        log.info("Đã xóa bản sao cũ %s (quá %d ngày).", c.path.name, keep_days)
    return removed


# ---------------------------------------------------------------- cchc backups


@dataclass(frozen=True, slots=True)
class Described:
    """One copy as ``cchc backups`` lists it: rows per sheet, or why it cannot be read."""

    copy: Copy
    size: int
    rows: dict[str, int] | None
    problem: str | None


def describe(folder: Path, workbook: Path) -> list[Described]:
    """Every kept copy of ``workbook``, oldest first, with what it holds."""
    from toolkit.core.schema import PLAN, PROGRESS, ROSTER
    from toolkit.workbook.reader import read_workbook
    from toolkit.workbook.rows import UnreadableWorkbook

    out = []
    for c in copies(folder, workbook):
        size = c.path.stat().st_size
        try:
            wb = read_workbook(c.path)
        except UnreadableWorkbook as exc:
            out.append(Described(c, size, None, exc.issue.message))
            continue
        rows = {PLAN.name: len(wb.items), PROGRESS.name: len(wb.progress), ROSTER.name: len(wb.officials)}
        out.append(Described(c, size, rows, None))
    return out


def size_text(size: int) -> str:
    """``48,2 KB``; ``1,3 MB``."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")
    return f"{size / 1024:.1f} KB".replace(".", ",")
