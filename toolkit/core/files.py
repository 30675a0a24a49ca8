"""Writing output files safely: atomically, next to the target, never over a file someone has open."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from toolkit.core.errors import CchcError


class OutputError(CchcError):
    """An output cannot be written at all (no rights, a full disk, a folder where the file should go); the
    message is one Vietnamese line saying what and where. No temporary file is left behind."""


class OutputLocked(Exception):
    """The target file could not be replaced (on Windows: it is open in Word or Excel)."""

    def __init__(self, target: Path, free: Path) -> None:
        super().__init__(
            f"Không ghi được tệp {target} (có thể tệp đang mở trong Word/Excel); đã ghi sang {free}."
        )
        self.target = target
        self.free = free


def free_name(path: Path) -> Path:
    """``bao-cao.docx`` if free, else ``bao-cao (2).docx``, ``bao-cao (3).docx``, ..."""
    if not path.exists():
        return path
    n = 2
    while True:
        candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
        if not candidate.exists():
            return candidate
        n += 1


@contextlib.contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success move it onto ``path`` in one step.

    If the body raises, the temporary file is removed and the target is untouched. If the target cannot be
    replaced because it is locked, the result goes to a free name and ``OutputLocked`` is raised after it is
    safely written (``.free`` says where), so nothing is lost and nothing is half-written.
    """
    target = Path(path)
    tmp = _temporary(target)
    try:
        try:
            yield tmp
            if target.is_dir():
                raise OutputError(f"Không ghi được tệp {target}: tên này đang là một thư mục; hãy chọn tên hoặc "
                                  "thư mục khác.")
            try:
                os.replace(tmp, target)
            except PermissionError:
                free = free_name(target)
                os.replace(tmp, free)
                raise OutputLocked(target, free) from None
        except OSError as exc:
            if exc.errno not in _WRITE_ERRORS:
                raise
            raise cannot_write(target, exc) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


_WRITE_ERRORS = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EROFS, errno.EACCES,
                 errno.EPERM, errno.EISDIR, errno.ENOTDIR, errno.EEXIST}


def _temporary(target: Path) -> Path:
    """A new hidden temporary file beside ``target``, with the usual permissions (OutputError if impossible)."""
    folder = target.parent
    try:
        if folder.exists() and not folder.is_dir():
            raise OutputError(f"Không ghi được tệp {target.name}: {folder} là một tệp, không phải thư mục; hãy chỉ "
                              "một thư mục để ghi (--out).")
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix + ".tmp", dir=folder)
        os.close(fd)
    except OSError as exc:
        raise cannot_write(target, exc) from None
    tmp = Path(tmp_name)
    if os.name == "nt":  # a leading dot does not hide a file on Windows
        import ctypes

        ctypes.windll.kernel32.SetFileAttributesW(str(tmp), 0x2)  # FILE_ATTRIBUTE_HIDDEN
    # mkstemp makes the file private (0600); an output on a shared folder gets the usual permissions instead.
    umask = os.umask(0)
    os.umask(umask)
    with contextlib.suppress(OSError):
        os.chmod(tmp, 0o666 & ~umask)
    return tmp


def release_quietly(exc: BaseException) -> None:
    """Free what a failed writer still holds, printing nothing: a half-written zip reports the same disk error
    again, as an "Exception ignored" traceback, when it is collected. For the edge that reports ``exc``."""
    import gc
    import sys

    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        while exc is not None:
            exc.__traceback__ = None
            exc = exc.__context__  # type: ignore[assignment]
        gc.collect()
    finally:
        sys.unraisablehook = hook


def cannot_write(target: Path, exc: OSError) -> OutputError:
    """The one line that says why ``target`` could not be written."""
    code = exc.errno
    if code in (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)):
        why = (f"không đủ chỗ trống trong thư mục {target.parent} (ổ đĩa đầy hoặc vượt hạn mức); hãy giải phóng "
               "chỗ trống hoặc ghi sang thư mục khác")
    elif code == errno.EROFS:
        why = f"thư mục {target.parent} chỉ cho đọc; hãy ghi sang thư mục khác"
    elif isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM):
        why = f"không có quyền ghi vào thư mục {target.parent}; hãy ghi sang thư mục khác hoặc xin cấp quyền"
    elif isinstance(exc, NotADirectoryError | FileExistsError):
        why = "một phần của đường dẫn là tệp, không phải thư mục; hãy chỉ một thư mục để ghi (--out)"
    elif isinstance(exc, IsADirectoryError):
        why = "tên này đang là một thư mục; hãy chọn tên hoặc thư mục khác"
    else:
        why = f"{exc.strerror or type(exc).__name__}"
    return OutputError(f"Không ghi được tệp {target}: {why}.")


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; returns the path written."""
    with atomic_output(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)
