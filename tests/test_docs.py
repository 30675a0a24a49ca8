"""The README's first two commands are the truth: CI runs the second, this test runs the first for real."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", text, re.S)
    assert block, "README must start with a bash block holding the two commands"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_starts_with_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = text.index("```bash")
    assert first_block < 200, "the two commands come first in the README"
    demo, tests = readme_commands()[:2]
    assert demo.startswith("python3 -m venv") and demo.endswith("cchc demo")
    assert tests.startswith("python3 -m venv") and "-m pytest" in tests


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    pattern = re.search(r"grep -m1 -E '([^']+)' README.md", ci)
    assert pattern, ".ci/run must take its test command from the README"
    _, tests = readme_commands()[:2]
    matches = [line for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
               if re.search(pattern.group(1), line)]
    assert matches and matches[0] == tests


def _tracked_copy(dest: Path) -> None:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in files.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git to list the repository's files")
def test_readme_demo_command_works_on_a_clean_copy(tmp_path: Path) -> None:
    """Runs the README's first command in a copy holding only committed-tracked files, with a new venv."""
    copy = tmp_path / "repo"
    copy.mkdir()
    _tracked_copy(copy)
    demo, _ = readme_commands()[:2]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH"))}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    done = subprocess.run(["bash", "-c", demo], cwd=copy, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out_dir = (copy / "cchc-demo").resolve()
    assert done.stdout.rstrip().endswith(str(out_dir)), "the demo names its output folder at the end"
    listed = [Path(line.rsplit(": ", 1)[1]) for line in done.stdout.splitlines() if line.startswith("  - ")]
    names = {p.relative_to("cchc-demo").as_posix() for p in listed}
    expected = {
        "theo_doi_cchc_2023.xlsx",  # the example, copied
        "so-theo-doi-moi/theo_doi_cchc_2023.xlsm",  # cchc init (no Python file travels with it)
        "kiem-tra.txt", "kiem-tra.json", "tien-do.txt", "tien-do.json",  # cchc validate, cchc status
        "bao-cao-cchc-quy-IV-2023.docx", "ke-hoach-khac-phuc-cchc-2023.docx",  # cchc report, cchc plan
        "thu-nhac-viec/vanphong@daktover.example.vn.eml",  # cchc notify --dry-run: the Office's digest
        "so-tu-ke-hoach/theo_doi_cchc_2023.xlsx",  # cchc init --plan
    }
    assert expected <= names, expected - names
    for path in listed:
        assert (copy / path).is_file() and (copy / path).stat().st_size > 0, path
