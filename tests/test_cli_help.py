"""Every subcommand answers --help in Vietnamese, through both front doors (`cchc` and `python -m toolkit`)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from toolkit.cli import COMMANDS, main


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: cchc {command}")
    assert any(ch in out for ch in "ạảãàáâầấậẩẫăằắặẳẵđêềếệểễôồốộổỗơờớợởỡưừứựửữ")  # Vietnamese help text


def test_python_dash_m_lists_every_command() -> None:
    out = subprocess.run([sys.executable, "-m", "toolkit", "--help"], check=True, capture_output=True,
                         text=True, encoding="utf-8").stdout
    for command in COMMANDS:
        assert command in out


def test_unknown_workbook_is_a_message_and_exit_2(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.xlsx"
    assert main(["init", str(path)]) == 0
    assert main(["init", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Lỗi: ") and "--force" in err and "Traceback" not in err
