"""Outputs are written atomically, with normal permissions, and a locked target never loses the result."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from toolkit.core.files import atomic_output, free_name


def test_output_has_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        with atomic_output(tmp_path / "bao-cao.docx") as tmp:
            tmp.write_bytes(b"x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "bao-cao.docx").stat().st_mode) == 0o644


def test_failure_leaves_the_target_untouched_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "a.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_output(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("boom")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx"]


def test_free_name_counts_up(tmp_path: Path) -> None:
    (tmp_path / "a.docx").write_bytes(b"")
    (tmp_path / "a (2).docx").write_bytes(b"")
    assert free_name(tmp_path / "a.docx").name == "a (3).docx"
    assert free_name(tmp_path / "b.docx").name == "b.docx"
