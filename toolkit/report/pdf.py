"""PDF from a Word document through LibreOffice headless, with a clear message when it is not installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from toolkit.core.errors import CchcError
from toolkit.core.files import atomic_output

# Where LibreOffice installs itself when it is not on PATH (Windows, macOS).
_KNOWN_PLACES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)


class PdfUnavailable(CchcError):
    """LibreOffice is missing or failed, so no PDF was made (the Word file is there)."""


def find_soffice() -> str | None:
    """The LibreOffice program (``soffice``), or None when it is not installed."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((p for p in _KNOWN_PLACES if os.path.isfile(p)), None)


def to_pdf(docx: str | Path, target: str | Path | None = None, *, soffice: str | None = None,
           timeout: float = 180) -> Path:
    """Convert ``docx`` to PDF (default: same folder and name, ``.pdf``) and return the PDF's path.

    LibreOffice runs headless with a private profile, so an open LibreOffice window does not block it. The PDF
    is written atomically. Raises ``PdfUnavailable`` with a Vietnamese message when LibreOffice is missing,
    fails or takes longer than ``timeout`` seconds.
    """
    docx = Path(docx)
    target = Path(target) if target is not None else docx.with_suffix(".pdf")
    exe = soffice or find_soffice()
    if exe is None:
        raise PdfUnavailable(
            f"Không tạo được PDF vì máy chưa cài LibreOffice (không tìm thấy chương trình soffice). Bản Word đã "
            f"ghi tại {docx}. Hãy cài LibreOffice (https://vi.libreoffice.org) rồi chạy lại, hoặc mở tệp Word và "
            f"chọn Lưu dưới dạng PDF."
        )
    with tempfile.TemporaryDirectory(prefix="cchc-pdf-") as work:
        workdir = Path(work)
        profile = (workdir / "profile").as_uri()
        try:
            done = subprocess.run(
                [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
                 "--outdir", str(workdir), str(docx)],
                capture_output=True, timeout=timeout, check=False,
            )
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(f"LibreOffice chạy quá {int(timeout)} giây khi tạo PDF từ {docx.name}; bản Word "
                                 f"vẫn dùng được. Hãy đóng LibreOffice đang mở rồi thử lại.") from None
        except OSError as exc:
            raise PdfUnavailable(f"Không chạy được LibreOffice ({exc}); bản Word đã ghi tại {docx}.") from None
        produced = workdir / (docx.stem + ".pdf")
        if done.returncode != 0 or not produced.is_file():
            detail = (done.stderr or done.stdout or b"").decode("utf-8", "replace").strip()[:300]
            raise PdfUnavailable(f"LibreOffice không tạo được PDF từ {docx.name}{': ' + detail if detail else ''}; "
                                 f"bản Word đã ghi tại {docx}.")
        with atomic_output(target) as tmp:
            shutil.copyfile(produced, tmp)
    return target
