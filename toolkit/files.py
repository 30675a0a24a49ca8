"""Writing output files safely: atomically, next to the target, never over a file someone has open."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


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
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix + ".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    # mkstemp makes the file private (0600); an output on a shared folder gets the usual permissions instead.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        yield tmp
        try:
            os.replace(tmp, target)
        except PermissionError:
            free = free_name(target)
            os.replace(tmp, free)
            raise OutputLocked(target, free) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; returns the path written."""
    with atomic_output(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)
