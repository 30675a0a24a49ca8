"""Shared fixtures: the example workbook, fresh workbooks built by the toolkit, LibreOffice when installed."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from toolkit.core.example_plan import plan_info, plan_items
from toolkit.core.model import Official, PlanInfo, PlanItem, ProgressRow
from toolkit.core.resources import example_workbook
from toolkit.workbook.builder import build_workbook

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True, scope="session")
def _template_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Prepared templates (``toolkit.report.prepared``) are kept in a folder of this test run, not the user's cache."""
    os.environ["CCHC_CACHE_DIR"] = str(tmp_path_factory.mktemp("template-cache"))


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped example workbook (tests may change it)."""
    dest = tmp_path / "theo_doi_cchc_2023.xlsx"
    shutil.copyfile(example_workbook(), dest)
    return dest


BuildFn = Callable[..., Path]


@pytest.fixture
def build(tmp_path: Path) -> BuildFn:
    """Build a real workbook with the toolkit's builder; defaults are the example's plan and roster."""
    import sys

    sys.path.insert(0, str(ROOT / "workbooks"))
    import make_example

    counter = iter(range(1, 1000))

    def _build(progress: Sequence[ProgressRow] = (), *, items: Sequence[PlanItem] | None = None,
               officials: Sequence[Official] | None = None, info: PlanInfo | None = None,
               name: str | None = None, customize=None) -> Path:
        if info is None:
            info = plan_info()
            info.plan_number, info.office_email = "52/KH-UBND", "vanphong@daktover.example.vn"
        path = tmp_path / (name or f"wb{next(counter)}.xlsx")
        return build_workbook(path, info, items if items is not None else plan_items(),
                              officials if officials is not None else make_example.OFFICIALS, progress,
                              customize=customize)

    return _build


def soffice_or_skip() -> str:
    """The LibreOffice binary; a skip where it is not installed, but a failure on CI, which installs it."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is required on CI (.ci/run installs libreoffice-writer-nogui)")
        pytest.skip("LibreOffice is not installed")
    return exe


def soffice_convert(src: Path, fmt: str, outdir: Path) -> Path:
    """Convert ``src`` with LibreOffice headless (own profile, so parallel runs do not collide)."""
    exe = soffice_or_skip()
    profile = outdir / "lo-profile"
    subprocess.run(
        [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt, "--outdir",
         str(outdir), str(src)],
        check=True, capture_output=True, timeout=180,
    )
    out = outdir / (src.stem + "." + fmt.split(":")[0])
    assert out.is_file(), f"LibreOffice did not write {out}"
    return out
