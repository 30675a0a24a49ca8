"""Files shipped with the toolkit: the example workbook, the Word templates and the example plan (``data/``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

EXAMPLE_WORKBOOK = "theo_doi_cchc_2023.xlsx"
PLAN_TEXT = "ke-hoach-khac-phuc-cchc-2022.txt"


def _package_file(package: str, name: str) -> Path:
    path = Path(str(resources.files(package) / name))
    if not path.is_file():
        raise FileNotFoundError(f"{name} is missing from {package}; reinstall the toolkit (pip install -e .)")
    return path


def example_workbook() -> Path:
    """The example tracking workbook for the real plan, with a year of progress rows."""
    return _package_file("toolkit.workbooks", EXAMPLE_WORKBOOK)


def template(name: str) -> Path:
    """A Word template from ``templates/``, e.g. ``bao_cao_quy.docx``."""
    return _package_file("toolkit.templates", name)


def data_file(name: str) -> Path:
    """A file from ``toolkit/data/``: the issued plan's text and its transcription ``example_plan.toml``."""
    return _package_file("toolkit", f"data/{name}")


def plan_text() -> Path:
    """The issued plan's text, as shipped: ``data/ke-hoach-khac-phuc-cchc-2022.txt``."""
    return data_file(PLAN_TEXT)
