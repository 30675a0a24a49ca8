"""Installed as an IT department installs it: the built wheel, in a new venv, runs the demo and the plan import.

The wheel is built from a copy holding only the repository's tracked files (as a clean checkout has them), so a
package or data file missing from the build fails here, not in an office.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.test_docs import _tracked_copy

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git to list the repository's files")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH"))}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _run(args: list[str | Path], cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=_env(), capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("repo")
    _tracked_copy(copy)
    out = tmp_path_factory.mktemp("dist")
    done = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, copy], cwd=copy)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (built,) = out.glob("cchc_toolkit-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new venv with the wheel installed (not editable); returns its ``bin`` (``Scripts`` on Windows)."""
    venv = tmp_path_factory.mktemp("venv")
    assert _run([sys.executable, "-m", "venv", venv], cwd=venv).returncode == 0
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    done = _run([bin_dir / "python", "-m", "pip", "install", "-q", wheel], cwd=venv)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return bin_dir


def _packages_in_tree() -> set[str]:
    return {".".join(p.relative_to(ROOT).parts[:-1]) for p in (ROOT / "toolkit").rglob("__init__.py")}


def test_the_wheel_holds_every_package_and_the_shipped_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = {n.rsplit("/", 1)[0].replace("/", ".") for n in names if n.endswith("/__init__.py")}
    assert _packages_in_tree() | {"toolkit.workbooks", "toolkit.templates"} <= packages
    shipped = {"toolkit/workbooks/theo_doi_cchc_2023.xlsx", "toolkit/templates/bao_cao_quy.docx",
               "toolkit/templates/ke_hoach.docx"}
    assert shipped <= names, shipped - names
    assert any(n.endswith("ke-hoach-khac-phuc-cchc-2022.txt") for n in names), "the shipped plan text"
    assert not [n for n in names if n.startswith(("tests/", "bench/"))], "tests and benchmarks stay out"


def test_the_installed_wheel_runs_the_demo_and_the_plan_import(installed: Path, tmp_path: Path) -> None:
    where = _run([installed / "python", "-c", "import toolkit; print(toolkit.__file__)"], cwd=tmp_path)
    assert where.returncode == 0 and "site-packages" in where.stdout, where.stdout + where.stderr

    demo = _run([installed / "cchc", "demo", "--out", tmp_path / "demo"], cwd=tmp_path)
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
    for name in ("bao-cao-cchc-quy-IV-2023.docx", "ke-hoach-khac-phuc-cchc-2023.docx",
                 "so-tu-ke-hoach/theo_doi_cchc_2023.xlsx", "so-theo-doi-moi/theo_doi_cchc_2023.xlsm",
                 "thu-nhac-viec/vanphong@daktover.example.vn.eml"):
        assert (tmp_path / "demo" / name).stat().st_size > 0, name

    plan = _run([installed / "python", "-c", "from toolkit.core.resources import plan_text; print(plan_text())"],
                cwd=tmp_path).stdout.strip()
    imported = _run([installed / "cchc", "init", "--plan", plan, tmp_path / "so" / "so.xlsx", "--year", "2023"],
                    cwd=tmp_path)
    # The shipped plan gives item 1.8 no deadline: one error flagged in its cell, so the command exits 1.
    assert imported.returncode == 1, imported.stdout[-3000:] + imported.stderr[-3000:]
    assert "8 nội dung" in imported.stdout and "Lỗi [Kế hoạch!I9]" in imported.stdout
    assert (tmp_path / "so" / "so.xlsx").stat().st_size > 0
