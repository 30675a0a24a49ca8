"""A whole copy of a workbook someone may be saving: copied, checked that nothing changed meanwhile, read back.

The shared workbook is never read in place (Excel may be writing it). ``snapshot`` copies it and checks the copy:
the file must not change while it is copied, and a zip-based workbook (.xlsx, .xlsm, .ods) must read back whole
(``is_whole``: every part unpacks to its recorded checksum). A copy caught half-saved is retried, then reported
as an issue, never misread. The nightly check and the backups take their copies this way.
"""

from __future__ import annotations

import logging
import shutil
import time as _time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from toolkit.core.issues import Issue, issue

ZIP_SUFFIXES = (".xlsx", ".xlsm", ".ods")
log = logging.getLogger("cchc.copy")


def lock_files(path: Path) -> list[Path]:
    """The lock files Excel (``~$name``) and LibreOffice (``.~lock.name#``) keep beside an open workbook."""
    candidates = [path.with_name("~$" + path.name), path.with_name("~$" + path.name[2:]),
                  path.with_name(f".~lock.{path.name}#")]
    return [p for p in dict.fromkeys(candidates) if p.exists()]


def is_whole(copy: Path) -> bool:
    """True when a zip-based workbook copy is whole (every part's checksum right, ``ZipFile.testzip``); other
    formats pass."""
    if copy.suffix.lower() not in ZIP_SUFFIXES:
        return True
    try:
        with zipfile.ZipFile(copy) as zf:
            return zf.testzip() is None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, zlib.error):
        return False


def snapshot(source: Path, folder: Path, *, attempts: int = 3, wait: float = 20.0,
             sleep: Callable[[float], None] = _time.sleep,
             whole: Callable[[Path], bool] = is_whole) -> tuple[Path | None, Issue | None]:
    """Copy ``source`` into ``folder`` and return (the copy, None), or (None, the issue) when no whole copy
    could be taken after ``attempts`` tries ``wait`` seconds apart.

    A copy is whole when the file did not change while being copied and, for zip formats, every part reads
    back. A lock file beside a whole copy is fine (someone has the workbook open; the last saved version is
    read). ``whole(copy)`` tells whether a copy is whole (``is_whole``).
    """
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / source.name
    for attempt in range(1, attempts + 1):
        if attempt > 1:
            sleep(wait)
        if not source.is_file():
            log.warning("Không thấy sổ theo dõi %s (lần thử %d/%d).", source, attempt, attempts)
            continue
        try:
            before = source.stat()
            shutil.copyfile(source, copy)
            after = source.stat()
        except OSError as exc:
            log.warning("Không sao chép được %s (lần thử %d/%d): %s", source, attempt, attempts, exc)
            continue
        if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns):
            log.warning("Sổ theo dõi đang được ghi trong lúc sao chép (lần thử %d/%d).", attempt, attempts)
            continue
        if whole(copy):
            if lock_files(source):
                log.info("Sổ theo dõi đang được mở trên máy khác; đọc bản đã lưu gần nhất.")
            return copy, None
        log.warning("Bản sao sổ theo dõi chưa trọn vẹn, có thể đang lưu dở (lần thử %d/%d).", attempt, attempts)
    if not source.exists():
        return None, issue("file-missing", path=source.name)
    locks = lock_files(source)
    lock = f"; tệp khóa {locks[0].name} cho thấy sổ đang được mở" if locks else ""
    return None, issue("file-half-saved", path=source.name, attempts=attempts, lock=lock)
