"""Benchmark: validating a 100,000-row progress log against python-calamine merely reading the same file.

Run ``python bench/bench_validate.py [ROWS]``. It writes the workbook once (XlsxWriter, constant memory) into a
temporary folder, then measures in fresh subprocesses, alternating, ``--repeat`` runs of each:

- the baseline: ``python_calamine`` opening the file and calling ``to_python()`` on every sheet;
- the toolkit: ``toolkit.api.validate_file`` (read, parse every cell, every rule, the report).

Time is wall-clock and CPU around the call only (imports excluded). Memory is the peak resident set of the
child process (``ru_maxrss``), which includes what Rust allocates inside calamine. It prints best and median of
each figure and the ratios validate/calamine against the goals of issue 19: wall <= 1.35x, CPU <= 1.5x,
memory <= 1.3x. About 10% of the rows carry a realistic problem, so the rules have something to report.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AS_OF = date(2024, 1, 8)
N_ITEMS = 1000  # enough items that 100,000 rows are distinct snapshots (item, quarter, date)
PEOPLE = [f"Cán bộ Số {i}" for i in range(1, 11)]
STATUSES = ("Chưa thực hiện", "Đang thực hiện", "Hoàn thành")


def make_log(path: Path, rows: int) -> Path:
    """A tracking workbook with ``rows`` progress rows (every column filled, as officials fill them)."""
    import xlsxwriter

    from toolkit.core.example_plan import plan_info
    from toolkit.core.model import PlanInfo
    from toolkit.core.schema import INFO_FIELDS, INFO_HEADERS, INFO_SHEET, PLAN, PROGRESS, ROSTER
    from toolkit.workbook.builder import ratio_formula

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                           "strings_to_formulas": False, "strings_to_urls": False})
    dfmt = book.add_format({"num_format": "dd/mm/yyyy"})
    codes = [f"{1 + i // 10}.{1 + i % 10}" for i in range(N_ITEMS)]  # 1.1 .. 100.10

    ws = book.add_worksheet(PLAN.name)
    ws.write_row(0, 0, [c.header for c in PLAN.columns])
    for r, code in enumerate(codes, start=1):
        ws.write_row(r, 0, [code, f"Nội dung {code}", "Mục tiêu", 100 if r % 7 else None,
                            ("Tối thiểu", "Tối đa", "Hoàn thành")[r % 3], "- Nhiệm vụ", f"Chức danh {1 + r % 10}",
                            "Các bộ phận"])
        ws.write_datetime(r, 8, datetime(2023, 12, 31), dfmt)
        ws.write_string(r, 9, "Trong năm 2023")

    ws = book.add_worksheet(PROGRESS.name)
    ws.write_row(0, 0, [c.header for c in PROGRESS.columns])
    for r in range(1, rows + 1):
        q = (r // N_ITEMS) % 4
        day = datetime(2023, 3 * q + 1, 1) + timedelta(days=r // (4 * N_ITEMS))
        total = 50 + r % 400
        status = STATUSES[r % 3]
        achieved = 0 if status == STATUSES[0] else total if status == STATUSES[2] else total - 1 - r % 37
        ws.write_string(r, 0, codes[r % N_ITEMS] if r % 997 else "9.9")  # a code not on the plan
        ws.write_string(r, 1, f"Quý {('I', 'II', 'III', 'IV')[q]}/2023" if r % 211 else f"Quý {q + 1}/2023")
        if r % 401:
            ws.write_datetime(r, 2, day, dfmt)
        else:
            ws.write_string(r, 2, f"{day.day:02d}/{day.month:02d}/2023")  # a date as text
        ws.write_string(r, 3, PEOPLE[r % 10] if r % 503 else "Người Lạ")
        if r % 307:
            ws.write_number(r, 4, achieved)
        else:
            ws.write_string(r, 4, str(achieved))  # a number as text
        ws.write_number(r, 5, total if r % 1009 else achieved - 1)  # Số đạt > Tổng số now and then
        ws.write_formula(r, 6, ratio_formula(r + 1), None, round(achieved / total * 100, 1))
        ws.write_string(r, 7, status)
        if r % 53:
            ws.write_string(r, 8, f"Đã thực hiện đợt {r}; kết quả tốt.")
        ws.write_string(r, 9, "Kinh phí còn hạn chế." if r % 5 == 0 else "")
        ws.write_string(r, 10, "Đề nghị hỗ trợ thêm." if r % 7 == 0 else "")
        ws.write_string(r, 11, f"Văn bản số {r}/UBND")

    ws = book.add_worksheet(ROSTER.name)
    ws.write_row(0, 0, [c.header for c in ROSTER.columns])
    for r, name in enumerate(PEOPLE, start=1):
        ws.write_row(r, 0, [name, f"Chức danh {r}", f"canbo{r}@xa.example.vn", "0905 000 000"])

    info: PlanInfo = plan_info()
    ws = book.add_worksheet(INFO_SHEET)
    ws.write_row(0, 0, list(INFO_HEADERS))
    r = 1
    for f in INFO_FIELDS:
        value = getattr(info, f.field)
        for v in (value if isinstance(value, list) else [value]):
            if v is None:
                continue
            ws.write_string(r, 0, f.label)
            if isinstance(v, date):
                ws.write_datetime(r, 1, datetime(v.year, v.month, v.day), dfmt)
            elif isinstance(v, int):
                ws.write_number(r, 1, v)
            else:
                ws.write_string(r, 1, str(v))
            r += 1
    book.close()
    return path


CHILD = r"""
import json, resource, sys, time
mode, path = sys.argv[1], sys.argv[2]
if mode == "validate":
    from datetime import date
    from toolkit.api import validate_file
    from toolkit.core.process import tune_gc
    tune_gc()  # the collector's policy, as cchc's entry sets it
else:
    import python_calamine
usage = resource.getrusage(resource.RUSAGE_SELF)
before, cpu0 = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
t0 = time.perf_counter()
extra = {}
if mode == "validate":
    report, wb = validate_file(path, as_of=date(2024, 1, 8))
    extra = {"rows": len(wb.progress), "errors": report.errors, "warnings": report.warnings,
             "capped": report.capped}
elif mode == "calamine":
    book = python_calamine.CalamineWorkbook.from_path(path)
    cells = 0
    for name in book.sheet_names:
        data = book.get_sheet_by_name(name).to_python()
        cells += sum(len(r) for r in data)
    extra = {"cells": cells}
seconds = time.perf_counter() - t0
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime - cpu0, "idle_kb": before,
                  "peak_kb": usage.ru_maxrss, **extra}))
"""


def measure(mode: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, mode, str(path)], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


def _line(name: str, runs: list[dict]) -> str:
    wall = sorted(x["seconds"] for x in runs)
    cpu = sorted(x["cpu"] for x in runs)
    mem = sorted(x["peak_kb"] / 1024 for x in runs)
    return (f"{name:<34} wall best {wall[0]:.2f} s, median {median(wall):.2f} s; CPU best {cpu[0]:.2f} s, "
            f"median {median(cpu):.2f} s; peak RSS best {mem[0]:.0f} MB, median {median(mem):.0f} MB")


def ratios(runs: dict[str, list[dict]]) -> dict[str, tuple[float, float]]:
    """(best, median) ratio validate/calamine for wall, CPU and peak memory."""
    out = {}
    for key, label in (("seconds", "wall"), ("cpu", "CPU"), ("peak_kb", "memory")):
        ours = [x[key] for x in runs["validate"]]
        base = [x[key] for x in runs["calamine"]]
        out[label] = (min(ours) / min(base), median(ours) / median(base))
    return out


GOALS = {"wall": 1.35, "CPU": 1.5, "memory": 1.3}  # issue 19


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rows", nargs="?", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = make_log(Path(tmp) / "tien_do_100k.xlsx", args.rows)
        print(f"Workbook: {args.rows:,} progress rows x 12 columns, {path.stat().st_size / 1e6:.1f} MB; "
              f"{args.repeat} alternating runs each; load average {os.getloadavg()[0]:.2f}")
        runs: dict[str, list[dict]] = {"calamine": [], "validate": []}
        for _ in range(args.repeat):
            for mode in runs:
                runs[mode].append(measure(mode, path))
    print(_line("python-calamine, every sheet:", runs["calamine"]))
    print(_line("toolkit validate_file:", runs["validate"]))
    last = runs["validate"][-1]
    print(f"  ({last['rows']:,} rows, {last['errors']} errors, {last['warnings']} warnings listed, "
          f"{last['capped']} more capped)")
    for label, (best, med) in ratios(runs).items():
        mark = "ok" if best <= GOALS[label] else "over"
        print(f"ratio {label:<6} best {best:.2f}x, median {med:.2f}x (goal <= {GOALS[label]}x: {mark})")


if __name__ == "__main__":
    main()
