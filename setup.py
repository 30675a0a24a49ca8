"""Which packages the wheel holds: every package under ``toolkit/``, found (a new stage folder is never left out),
and the two data folders kept at the top of the repository, installed as ``toolkit.workbooks`` (the example
workbook) and ``toolkit.templates`` (the Word templates). Everything else is in ``pyproject.toml``; the data files
of each package are its ``[tool.setuptools.package-data]``. ``tests/test_wheel.py`` installs the built wheel."""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["toolkit", "toolkit.*"]), "toolkit.workbooks", "toolkit.templates"],
      package_dir={"toolkit.workbooks": "workbooks", "toolkit.templates": "templates"})
