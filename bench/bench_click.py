"""How long Python works for one click of the button on the example workbook, against two baselines.

Each measurement starts a fresh Python, as the macro does on every click:

- ``bare``: ``python -c pass``;
- ``libraries``: Python importing only the libraries the click needs (xlwings to talk to Excel, docxtpl and
  python-docx for the report);
- ``click``: start, import the companion's hand-over (``toolkit.button``), read the workbook through xlwings,
  validate, compute, write the results and summary, write the Word report.

Excel is not here, so the click runs against xlwings' remote engine with the example's values as an xlwings
client would send them (prepared once, outside the timing; the licence key the remote engine needs is set for
the child processes only). Results are medians of ``--runs`` runs, with the click's ratio to each baseline and
the click's own phases. Usage: ``python bench/bench_click.py [--runs 7]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LIBRARIES = "import xlwings, docx, docxtpl"

CLICK = r"""
import json, sys, time
t0 = time.perf_counter()
import xlwings as xw
from toolkit import button
t1 = time.perf_counter()
from datetime import date, datetime
data = json.load(open(sys.argv[1], encoding="utf-8"))
book = xw.Book(json=data)
phases = {}
t = time.perf_counter()
wb = button.read_book(book)
phases["read"] = time.perf_counter() - t
from toolkit.validate import validate
from toolkit.progress import compute_progress
t = time.perf_counter()
report = validate(wb, as_of=date(2024, 1, 8))
progress = compute_progress(wb, button.chosen_period(book, wb, date(2024, 1, 8)), as_of=date(2024, 1, 8))
phases["validate"] = time.perf_counter() - t
t = time.perf_counter()
button.write_results(book, report, datetime(2024, 1, 8, 9, 30))
button.write_summary(book, wb, progress, None, datetime(2024, 1, 8, 9, 30))
phases["write back"] = time.perf_counter() - t
t = time.perf_counter()
path, _ = button.write_quarter_report(wb, progress, sys.argv[2], as_of=date(2024, 1, 8))
phases["report"] = time.perf_counter() - t
phases["imports"] = t1 - t0
assert path.is_file()
print(json.dumps(phases))
"""


def example_payload() -> dict:
    """The example workbook's values as an xlwings client sends them (dates as ISO text, blanks as "")."""
    import datetime as dt
    import warnings

    import openpyxl
    import xlwings

    from toolkit.resources import example_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(example_workbook(), data_only=True)

    def value(v: object) -> object:
        if v is None:
            return ""
        if isinstance(v, dt.datetime):
            return v.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        return v

    sheets = [{"name": ws.title, "pictures": [], "tables": [],
               "values": [[value(v) for v in row] for row in ws.iter_rows(values_only=True)]}
              for ws in wb.worksheets]
    return {"client": "Microsoft Office Scripts", "version": xlwings.__version__,
            "book": {"name": "theo_doi_cchc_2023.xlsx", "active_sheet_index": 0, "selection": "A1"},
            "names": [], "sheets": sheets}


def timed(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args[:3])} failed:\n{done.stderr[-2000:]}")
    return elapsed, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial", "PYTHONPATH": str(ROOT)}
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        payload = Path(tmp) / "payload.json"
        payload.write_text(json.dumps(example_payload(), ensure_ascii=False), encoding="utf-8")
        timed([py, "-c", CLICK, str(payload), tmp], env)  # warm the bytecode caches once
        bare, libs, click, phases = [], [], [], []
        for _ in range(args.runs):
            bare.append(timed([py, "-c", "pass"], env)[0])
            libs.append(timed([py, "-c", LIBRARIES], env)[0])
            seconds, out = timed([py, "-c", CLICK, str(payload), tmp], env)
            click.append(seconds)
            phases.append(json.loads(out.strip().splitlines()[-1]))
    b, lib, c = statistics.median(bare), statistics.median(libs), statistics.median(click)
    print(f"runs: {args.runs} (medians)")
    print(f"bare python -c pass:            {b * 1000:7.0f} ms")
    print(f"import the click's libraries:   {lib * 1000:7.0f} ms")
    print(f"one click (start to report):    {c * 1000:7.0f} ms   = {c / b:.1f} x bare, {c / lib:.2f} x libraries")
    for name in ("imports", "read", "validate", "write back", "report"):
        print(f"  {name:<12} {statistics.median(p[name] for p in phases) * 1000:7.0f} ms")
    print("goal: under 1 s:", "met" if c < 1.0 else "NOT met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
