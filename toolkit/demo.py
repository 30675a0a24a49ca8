"""``cchc demo``: the main job on the built-in example, every output in one folder.

Each step takes the ``DemoContext`` and returns the files it wrote (label, path). New capabilities add a step
to ``STEPS``; the demo stays one call so the README's first command shows everything the toolkit does.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.core.period import Period
from toolkit.core.words import day

if TYPE_CHECKING:
    from toolkit.core.issues import Report
    from toolkit.core.model import TrackingWorkbook
    from toolkit.rules.assess import Assessment

# The example is looked at as the Office would early in January 2024: the quarter IV report is due.
DEMO_AS_OF = date(2024, 1, 8)
DEMO_PERIOD = Period(2023, 4)


@dataclass
class DemoContext:
    out: Path
    workbook: Path  # the example workbook, copied into ``out`` (the shipped one is never written)
    as_of: date
    period: Period
    echo: Callable[[str], None]
    files: list[tuple[str, Path]] = field(default_factory=list)
    _checked: tuple[Report, Assessment | None] | None = None

    def checked(self) -> tuple[Report, TrackingWorkbook | None]:
        """The example validated as of ``as_of`` for ``period`` (read, checked and assessed once for every step)."""
        report, a = self._assessed()
        return report, a.wb if a is not None else None

    def _assessed(self) -> tuple[Report, Assessment | None]:
        if self._checked is None:
            from toolkit.api import check_file

            self._checked = check_file(self.workbook, as_of=self.as_of, period=self.period)
        return self._checked

    def progress(self) -> Assessment | None:
        """The assessment for ``period``; None when the example could not be read."""
        return self._assessed()[1]


def step_read(ctx: DemoContext) -> list[tuple[str, Path]]:
    from toolkit.workbook.reader import read_workbook

    wb = read_workbook(ctx.workbook)  # read alone here to show the reader's own view (notes only)
    ctx.echo(f"Đọc sổ ví dụ: {len(wb.items)} nội dung, {len(wb.officials)} cán bộ, {len(wb.progress)} dòng tiến "
             f"độ; {len(wb.notes)} ô cần xem lại khi đọc.")
    return [("Sổ theo dõi ví dụ (bản sao)", ctx.workbook)]


def step_validate(ctx: DemoContext) -> list[tuple[str, Path]]:
    """``cchc validate`` and ``cchc status`` on the example: the report and the completion, as text and JSON."""
    import json

    from toolkit.core.files import atomic_output
    from toolkit.rules.status_view import as_dict, as_text
    from toolkit.rules.validate import report_text, summary

    report, wb = ctx.checked()
    outputs = [("Kết quả kiểm tra sổ theo dõi (cchc validate)", "kiem-tra.txt", report_text(report)),
               ("Kết quả kiểm tra, dạng JSON", "kiem-tra.json",
                json.dumps(report.as_dict(), ensure_ascii=False, indent=2))]
    ctx.echo(summary(report))
    progress = ctx.progress()
    if wb is not None and progress is not None:
        outputs += [(f"Tiến độ {ctx.period.label} (cchc status)", "tien-do.txt", as_text(progress)),
                    ("Tiến độ, dạng JSON", "tien-do.json", json.dumps(as_dict(progress), ensure_ascii=False, indent=2))]
    written = []
    for label, name, text in outputs:
        with atomic_output(ctx.out / name) as tmp:
            tmp.write_text(text + "\n", encoding="utf-8")
        written.append((label, ctx.out / name))
    return written


def step_documents(ctx: DemoContext) -> list[tuple[str, Path]]:
    """``cchc report`` and ``cchc plan`` on the example: the quarterly report and the plan, in Word."""
    from toolkit.report.write import write_plan, write_report

    _, wb = ctx.checked()
    progress = ctx.progress()
    if wb is None or progress is None:
        return []
    report = write_report(progress, ctx.out, date=ctx.as_of).path
    plan = write_plan(wb, ctx.out)
    return [(f"Báo cáo {ctx.period.label}, Word (cchc report)", report), ("Kế hoạch, Word (cchc plan)", plan)]


def step_emails(ctx: DemoContext) -> list[tuple[str, Path]]:
    """``cchc notify --dry-run`` on the example: tonight's emails as .eml, .txt and .html (nothing is sent)."""
    from datetime import datetime

    from toolkit.core.settings import default_settings
    from toolkit.mail.compose import compose_night
    from toolkit.mail.mime import write_previews

    settings = default_settings(ctx.out)
    report, wb = ctx.checked()
    drafts = compose_night(report, ctx.progress(), as_of=ctx.as_of, office=settings.notify.office)
    office = (wb.info.office_email if wb is not None else None) or "vanphong@example.gov.vn"
    now = datetime.combine(ctx.as_of, settings.schedule.at, tzinfo=settings.schedule.tz)
    written = write_previews(drafts, ctx.out / "thu-nhac-viec", sender=f"Văn phòng UBND <{office}>", now=now)
    ctx.echo(f"Thư nhắc việc đêm {day(ctx.as_of)}: {len(drafts) - 1} cán bộ có việc cần xem và bản tổng hợp "
             "cho Văn phòng (xem trước, không gửi).")
    kinds = {".eml": "thư", ".txt": "văn bản", ".html": "trang HTML"}
    return [(f"Thư nhắc việc gửi {d.name} ({kinds[p.suffix]})", p) for d, p in written]


def step_import_plan(ctx: DemoContext) -> list[tuple[str, Path]]:
    from toolkit.core.resources import plan_text
    from toolkit.create import create_workbook
    from toolkit.planparse import import_plan

    plan = import_plan(plan_text())
    path = create_workbook(ctx.out / "so-tu-ke-hoach" / "theo_doi_cchc_2023.xlsx", force=True, plan=plan)
    ctx.echo(f"Đọc kế hoạch đã ban hành ({plan_text().name}): {len(plan.items)} nội dung; {len(plan.problems)} "
             "điểm cần xem lại đã được tô vàng, ghi chú trong sổ (cchc init --plan).")
    return [("Sổ theo dõi tạo từ văn bản kế hoạch đã ban hành (cchc init --plan)", path)]


def step_init(ctx: DemoContext) -> list[tuple[str, Path]]:
    """``cchc init`` with its default: the .xlsm whose button checks the open workbook and writes the report."""
    from toolkit.create import create_workbook

    path = create_workbook(ctx.out / "so-theo-doi-moi" / "theo_doi_cchc_2023.xlsm", force=True)
    ctx.echo("Sổ mới có nút «Kiểm tra & tạo báo cáo» (mở bằng Excel trên Windows; xem README, Hướng dẫn trên "
             "Windows).")
    return [("Sổ theo dõi mới tạo từ kế hoạch, có nút bấm (cchc init)", path)]


STEPS: list[Callable[[DemoContext], list[tuple[str, Path]]]] = [
    step_init, step_read, step_validate, step_documents, step_emails, step_import_plan,
]


def run_demo(out: str | Path, *, as_of: date = DEMO_AS_OF, period: Period = DEMO_PERIOD,
             echo: Callable[[str], None] = print) -> DemoContext:
    """Run every demo step into folder ``out`` and return the context listing the files written."""
    from toolkit.core.resources import example_workbook

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    source = example_workbook()
    copy = out / source.name
    shutil.copyfile(source, copy)
    ctx = DemoContext(out=out, workbook=copy, as_of=as_of, period=period, echo=echo)
    for step in STEPS:
        ctx.files.extend(step(ctx))
    return ctx
