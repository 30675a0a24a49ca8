"""Every goal of issue 19 in one run: each command against its baseline, in fresh processes, side by side.

Usage: ``python bench/run.py [--runs 5] [--quick] [--rows 100000]``.

It writes the big workbook once (``bench_validate.make_log``: 1,000 plan items, ``--rows`` progress rows), a
``cchc.toml`` for ``notify --dry-run`` and the click's xlwings payload (``bench_click``), runs every command once
to warm the caches, then ``--runs`` rounds; each round runs every command once, in an order rotated from round
to round, so the baselines and the toolkit share the machine's load. Each figure is a whole process measured
from the outside: wall time, CPU (user + system) and peak resident memory (``ru_maxrss`` of that child, from
``os.wait4``). The table gives, per goal, the best and median of both sides and the ratios of the bests and of
the medians; the verdict is on the medians. ``--quick`` is two rounds (about a minute and a half here).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

PERIOD, DAY = "Quý IV/2023", "2024-01-08"

CALAMINE = r"""
import sys, python_calamine
book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
for name in book.sheet_names:
    book.get_sheet_by_name(name).to_python()
"""

NOTIFY_SETTINGS = """workbook = "{workbook}"

[smtp]
host = "127.0.0.1"
port = 2525
security = "none"
sender = "Văn phòng UBND xã <vanphong@xa.example.vn>"

[notify]
office = "vanphong@xa.example.vn"
"""


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # seconds, user + system
    rss: float  # MB, peak resident set
    out: str  # the last line of stdout (the click prints its phases there)


@dataclass(frozen=True)
class Command:
    name: str
    argv: list[str]
    ok: tuple[int, ...] = (0,)  # exit codes that mean it ran (validate exits 1 when the workbook has errors)


# Children are forked by this small runner, not by the benchmark itself: a child's ``ru_maxrss`` counts the
# memory of the process it was forked from, so forking from a parent that holds openpyxl and the test
# workbook would show every command at that parent's size.
RUNNER = r"""
import json, os, sys, time
for line in sys.stdin:
    job = json.loads(line)
    out = os.open(job["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    err = os.open(job["err"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.chdir(job["cwd"])
            os.dup2(out, 1)
            os.dup2(err, 2)
            os.execv(job["argv"][0], job["argv"])
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    os.close(out)
    os.close(err)
    print(json.dumps({"code": os.waitstatus_to_exitcode(status), "wall": wall,
                      "cpu": usage.ru_utime + usage.ru_stime, "rss_kb": usage.ru_maxrss}), flush=True)
"""


class Runner:
    """A small Python that forks, runs and times one command at a time for the benchmark."""

    def __init__(self, env: dict[str, str], work: Path) -> None:
        self.work = work
        self.proc = subprocess.Popen([sys.executable, "-c", RUNNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     env=env, text=True)

    def measure(self, cmd: Command) -> Sample:
        """Run ``cmd`` once in a fresh process and return what it cost, failing loudly when it failed."""
        out, err = self.work / "stdout.txt", self.work / "stderr.txt"
        job = {"argv": cmd.argv, "cwd": str(self.work), "out": str(out), "err": str(err)}
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        got = json.loads(self.proc.stdout.readline())
        if got["code"] not in cmd.ok:
            raise SystemExit(f"{cmd.name} exited {got['code']}:\n{err.read_text('utf-8', 'replace')[-2000:]}")
        lines = out.read_text("utf-8", "replace").strip().splitlines()
        return Sample(got["wall"], got["cpu"], got["rss_kb"] / 1024, lines[-1] if lines else "")

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait()


def commands(work: Path, big: Path, payload: Path) -> list[Command]:
    """Every process the goals compare, baselines included."""
    from toolkit.core.resources import example_workbook

    py = sys.executable
    script = Path(py).parent / "cchc"
    cchc = [str(script)] if script.is_file() else [py, "-m", "toolkit"]  # what an official types: ``cchc ...``
    from bench_click import CLICK

    return [
        Command("python -c pass", [py, "-c", "pass"]),
        Command("cchc --help", [*cchc, "--help"]),
        Command("import docx, docxtpl, calamine", [py, "-c", "import docx, docxtpl, python_calamine"]),
        Command("calamine reads every sheet", [py, "-c", CALAMINE, str(big)]),
        Command("validate (big)", [*cchc, "validate", str(big), "--as-of", DAY], ok=(0, 1)),
        # Both workbooks have errors on purpose: the report is a draft (exit 1), which costs the same to write.
        Command("report (big)", [*cchc, "report", str(big), "--period", PERIOD, "--date", DAY, "--out",
                                 str(work / "big")], ok=(0, 1)),
        Command("report (example)", [*cchc, "report", str(example_workbook()), "--period", PERIOD, "--date", DAY,
                                     "--out", str(work / "example")], ok=(0, 1)),
        Command("status (big)", [*cchc, "status", str(big), "--period", PERIOD, "--as-of", DAY]),
        Command("notify --dry-run (big)", [*cchc, "notify", "--config", str(work / "cchc.toml"), "--dry-run",
                                           "--as-of", DAY], ok=(0, 1)),
        Command("click (example)", [py, "-c", CLICK, str(payload), str(work / "click")]),
    ]


@dataclass(frozen=True)
class Goal:
    what: str
    ours: str
    base: str | None  # None: an absolute goal in seconds
    metric: str  # "wall", "cpu" or "rss"
    limit: float


GOALS = (  # issue 19 ("speed with fewer tricks"); status and notify --dry-run are measured, with no goal
    Goal("validate vs calamine, wall", "validate (big)", "calamine reads every sheet", "wall", 1.35),
    Goal("validate vs calamine, CPU", "validate (big)", "calamine reads every sheet", "cpu", 1.5),
    Goal("validate vs calamine, memory", "validate (big)", "calamine reads every sheet", "rss", 1.3),
    Goal("report vs validate (big), wall", "report (big)", "validate (big)", "wall", 1.6),
    Goal("report vs validate (big), memory", "report (big)", "validate (big)", "rss", 1.5),
    Goal("report (example) vs its imports", "report (example)", "import docx, docxtpl, calamine", "wall", 1.4),
    Goal("click, seconds", "click (example)", None, "wall", 0.45),
    Goal("cchc --help vs python -c pass", "cchc --help", "python -c pass", "wall", 2.0),
)


def prepare(work: Path, rows: int) -> tuple[Path, Path]:
    """The big workbook, the settings for notify and the click's payload, written into ``work``."""
    from bench_click import example_payload
    from bench_validate import make_log

    big = make_log(work / "tien_do_lon.xlsx", rows)
    (work / "cchc.toml").write_text(NOTIFY_SETTINGS.format(workbook=big.as_posix()), encoding="utf-8")
    payload = work / "payload.json"
    payload.write_text(json.dumps(example_payload(), ensure_ascii=False), encoding="utf-8")
    for sub in ("big", "example", "click"):
        (work / sub).mkdir()
    return big, payload


def child_env(work: Path) -> dict[str, str]:
    """The children's environment: this checkout first on the path, xlwings' remote engine enabled, and
    bytecode caches on (in ``work``), as an installed toolkit has them: with ``PYTHONDONTWRITEBYTECODE`` set
    (as on this machine) every start would compile the toolkit's modules again."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XLWINGS_LICENSE_KEY": "noncommercial",
           "PYTHONPYCACHEPREFIX": str(work / "pycache"), "CCHC_CACHE_DIR": str(work / "cache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_rounds(cmds: list[Command], runs: int, runner: Runner) -> dict[str, list[Sample]]:
    """One warm-up of every command, then ``runs`` rounds of all of them, each round in a rotated order."""
    for cmd in cmds:
        runner.measure(cmd)
    samples: dict[str, list[Sample]] = {c.name: [] for c in cmds}
    for r in range(runs):
        k = r % len(cmds)
        for cmd in cmds[k:] + cmds[:k]:
            samples[cmd.name].append(runner.measure(cmd))
        print(f"  round {r + 1}/{runs} done", file=sys.stderr)
    return samples


def _figure(samples: list[Sample], metric: str) -> tuple[float, float]:
    values = [getattr(s, metric) for s in samples]
    return min(values), statistics.median(values)


def _fmt(value: float, metric: str) -> str:
    return f"{value:.0f} MB" if metric == "rss" else f"{value:.3f} s"


def goal_rows(samples: dict[str, list[Sample]]) -> list[str]:
    """The markdown table of the goals: both sides' best / median, the ratios, the goal and the verdict.

    The verdict is on the ratio of the medians; the CPU ratio of the medians is shown beside every wall-time
    goal, as on a loaded machine wall time is partly waiting for a core.
    """
    rows = ["| goal | baseline best / median | ours best / median | ratio best | ratio median | CPU ratio | goal "
            "| met |", "|---|---|---|---|---|---|---|---|"]
    for g in GOALS:
        ob, om = _figure(samples[g.ours], g.metric)
        ours = f"{_fmt(ob, g.metric)} / {_fmt(om, g.metric)}"
        if g.base is None:
            cpu = _figure(samples[g.ours], "cpu")[1]
            rows.append(f"| {g.what} | - | {ours} | - | - | {cpu:.3f} s | <= {g.limit} s | "
                        f"{'yes' if om <= g.limit else '**no**'} |")
            continue
        bb, bm = _figure(samples[g.base], g.metric)
        cpu = _figure(samples[g.ours], "cpu")[1] / _figure(samples[g.base], "cpu")[1]
        rows.append(f"| {g.what} | {_fmt(bb, g.metric)} / {_fmt(bm, g.metric)} | {ours} | {ob / bb:.2f}x | "
                    f"{om / bm:.2f}x | {'-' if g.metric == 'rss' else f'{cpu:.2f}x'} | <= {g.limit}x | "
                    f"{'yes' if om / bm <= g.limit else '**no**'} |")
    return rows


def click_phases(samples: list[Sample]) -> str:
    """The click's own phases (medians, ms), as ``bench_click`` reports them."""
    phases = [json.loads(s.out) for s in samples if s.out.startswith("{")]
    if not phases:
        return ""
    names = list(phases[0])
    return ", ".join(f"{n} {statistics.median(p[n] for p in phases) * 1000:.0f} ms" for n in names)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="rounds after the warm-up (default 5)")
    ap.add_argument("--quick", action="store_true", help="two rounds")
    ap.add_argument("--rows", type=int, default=100_000, help="progress rows of the big workbook (default 100,000)")
    args = ap.parse_args()
    runs = 2 if args.quick else args.runs
    load_before = os.getloadavg()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as tmp:
        work = Path(tmp)
        env = child_env(work)
        big, payload = prepare(work, args.rows)
        cmds = commands(work, big, payload)
        runner = Runner(env, work)
        try:
            samples = run_rounds(cmds, runs, runner)
        finally:
            runner.close()
    from importlib.metadata import version

    print(f"{dt.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} CPUs, load average {load_before[0]:.2f} before / "
          f"{os.getloadavg()[0]:.2f} after, Python {sys.version.split()[0]}, python-calamine "
          f"{version('python-calamine')}; {runs} rounds after a warm-up, {time.perf_counter() - started:.0f} s; "
          f"big workbook: 1,000 items, {args.rows:,} progress rows\n")
    print("\n".join(goal_rows(samples)))
    print("\n| command | wall best / median | CPU median | peak RSS median |\n|---|---|---|---|")
    for name, got in samples.items():
        wb, wm = _figure(got, "wall")
        print(f"| {name} | {wb:.3f} / {wm:.3f} s | {_figure(got, 'cpu')[1]:.3f} s | {_figure(got, 'rss')[1]:.0f} MB |")
    print(f"\nclick phases (medians): {click_phases(samples['click (example)'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
