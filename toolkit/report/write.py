"""The report (BÁO CÁO) and the plan (KẾ HOẠCH) as Word documents.

The report's content is composed section by section in ``toolkit.report.compose`` from the one assessment of the
workbook (``toolkit.rules.assess``); ``report_fields`` only lays it out for ``bao_cao_quy.docx``. A workbook with
errors gives a draft (``DỰ THẢO``, no number); a period that ended before the plan cannot be reported.

The plan is either a faithful copy of the issued plan in the copy format (``SAO Y``, Nghị định 30/2020 Điều
25-27), its wording quoted as issued with its own number and date, or, with ``new``, a new plan whose number
and day are blank: never an issued number with another text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from toolkit.core import words
from toolkit.core.errors import CchcError
from toolkit.core.issues import ERROR
from toolkit.core.model import PlanItem, TrackingWorkbook
from toolkit.core.period import Period
from toolkit.core.words import lower_first, upper_first
from toolkit.report import compose
from toolkit.report.render import PLAN_TEMPLATE, REPORT_TEMPLATE, Picture, render_docx
from toolkit.report.wording import bare, common_context, number_symbol, place_date_line, sentence
from toolkit.rules.assess import Assessment

# --- the plan -----------------------------------------------------------------------------------------------

def _deadline(item: PlanItem) -> str:
    """The deadline words as issued (``Trong năm 2023``), else the date."""
    if item.deadline_note:
        return item.deadline_note.strip()
    if item.deadline:
        return words.day(item.deadline)
    return ""


def _plan_item(item: PlanItem) -> dict[str, Any]:
    """One item of part II, quoted as issued."""
    tasks = [t.strip() for t in (item.tasks or "").split("\n") if t.strip()]
    content = (item.content or "").strip().rstrip(".")
    return {
        "heading": f"{item.code}. {content}" if item.code else content,
        "target_text": (item.target_text or "").strip(),
        "tasks": [t if t.startswith(("-", "+")) else f"- {t}" for t in tasks],
        "owner": sentence(item.owner),
        "partners": sentence(item.partners),
        "deadline": sentence(_deadline(item)),
    }


def plan_context(wb: TrackingWorkbook, *, new: bool = False) -> dict[str, Any]:
    """Everything ``ke_hoach.docx`` asks for, from the workbook's ``Kế hoạch`` and ``Thông tin chung``.

    By default a copy of the issued plan: its own number and date, the copy block (``SAO Y``) after it, with
    the copy's number and day blank for the văn thư. With ``new``, a new plan: number and day blank, no copy
    block.
    """
    info = wb.info
    ctx = common_context(info, "KH", None, None if new else info.plan_date,
                         info.plan_recipients)
    if new:
        ctx["place_date"] = place_date_line(info.place, None, (wb.year or dt.date.today().year) + 1)
    elif info.plan_number:
        ctx["number"] = info.plan_number
    subject = bare(info.plan_subject) or "Khắc phục tồn tại, hạn chế Chỉ số cải cách hành chính"
    basis = [b if bare(b).lower().startswith("căn cứ") else f"Căn cứ {bare(b)}" for b in info.legal_basis]
    ctx.update({
        "subject": upper_first(subject),
        "subject_phrase": lower_first(subject),
        "legal_basis": [bare(b) + ("." if i == len(basis) - 1 else ";") for i, b in enumerate(basis)],
        "implementing": "; ".join(bare(x) for x in info.implementing) + "." if info.implementing else "",
        "purposes": [sentence(p) for p in info.purposes],
        "requirements": [sentence(r) for r in info.requirements],
        "items": [_plan_item(item) for item in wb.items],
        "organization": [f"{i}. {sentence(o)}" for i, o in enumerate(info.organization, 1)],
        "copy": not new,
        "copy_number": number_symbol(None, "SY", info.issuer_abbr),
        "copy_place_date": place_date_line(info.place, None, None),
        "copy_recipients": ["- .......;", "- Lưu: VT."],
    })
    return ctx


# --- the quarterly report -----------------------------------------------------------------------------------

class NotReportable(CchcError):
    """The period cannot be reported: it ended before the plan was issued, or the report would be dated before
    the plan. The message names the plan's date."""


def check_reportable(a: Assessment, day: dt.date) -> None:
    """Raise ``NotReportable`` for a period that ended before the plan, or a report dated before the plan."""
    plan_day = a.wb.info.plan_date
    if plan_day is None:
        return
    issued = f"Kế hoạch được ban hành ngày {words.day(plan_day)}"
    if not a.reportable:
        raise NotReportable(f"Không lập được báo cáo {a.period.label}: kỳ này kết thúc ngày "
                            f"{words.day(a.period.end)}, trước khi {issued[0].lower()}{issued[1:]}.")
    if day < plan_day:
        raise NotReportable(f"Không lập được báo cáo ngày {words.day(day)}: {issued}; báo cáo không được ghi ngày "
                            f"trước ngày ban hành kế hoạch.")


def is_draft(a: Assessment, *, force: bool = False) -> bool:
    """A report from a workbook with errors (or asked for as ``--draft``) is a draft: ``DỰ THẢO``, no number."""
    return force or a.report.errors > 0


def draft_gaps(a: Assessment) -> list[str]:
    """What keeps the report a draft, one line per error (``Tiến độ!E7: ...``), for the terminal and the button."""
    return [f"{i.ref}: {i.message}" if i.ref else i.message for i in a.report.issues if i.severity == ERROR]


def _chart_of(a: Assessment) -> Picture:
    from toolkit.report.chart import Bar, chart_size_cm, completion_chart

    png = completion_chart([Bar(s.code, s.completion, s.overdue) for s in a.items])
    return Picture(png, chart_size_cm(len(a.items))[0])


def report_fields(a: Assessment, *, number: int | None = None, day: dt.date | None = None, chart: bool = False,
                  draft: bool = False) -> dict[str, Any]:
    """The composed report (``toolkit.report.compose``) laid out as the fields ``bao_cao_quy.docx`` asks for.

    ``draft`` leaves the number blank and puts ``DỰ THẢO`` at the top; an issued report is numbered with
    ``number``, else ``Số báo cáo tiếp theo`` of ``Thông tin chung``, else left blank for the văn thư.
    ``chart`` adds the completion chart to the appendix.
    """
    info = a.wb.info
    day = day or a.as_of
    if number is None:
        number = info.next_report_number  # the Office's «Số báo cáo tiếp theo»; blank for the văn thư when empty
    fields = common_context(info, "BC", None if draft else number, day, info.report_recipients)
    fields.update({
        "draft": draft,
        "subject": compose.subject(a),
        "opening": compose.opening(a),
        "sections": [asdict(s) for s in compose.body(a)],
        "closing": compose.closing(a),
        "appendix_title": compose.appendix_title(a),
        "appendix_ref": f"(Kèm theo Báo cáo số {fields['number']} ngày {words.day(day)} của {info.body_name})",
        "rows": [asdict(r) for r in compose.appendix(a)],
        "appendix_note": (f"Ghi chú: {compose.cutoff_phrase(a)}. Mức độ hoàn thành tính từ Số đạt/Tổng số so với "
                          "chỉ tiêu của Kế hoạch; «chưa xác định»: Kế hoạch chưa lượng hóa chỉ tiêu hoặc thiếu số "
                          "liệu; «chưa báo cáo»: chưa có báo cáo tiến độ trong kỳ."),
        "chart": _chart_of(a) if chart and a.items else None,
        "chart_caption": (f"Biểu đồ: mức độ hoàn thành từng nội dung {compose.period_phrase(a.period)} (%). Cột "
                          "gạch chéo: quá hạn chưa hoàn thành; không có cột: chưa xác định được mức độ hoàn thành."),
    })
    return fields


@dataclass(frozen=True, slots=True)
class WrittenReport:
    """What ``write_report`` wrote: the file, whether it is a draft, and the gaps that made it one."""

    path: Path
    draft: bool
    gaps: list[str]


# --- files --------------------------------------------------------------------------------------------------

def report_filename(period: Period) -> str:
    """``bao-cao-cchc-quy-IV-2023.docx`` (a draft too: its first line says DỰ THẢO): ASCII, so it survives
    e-mail and zip tools."""
    roman = period.label.split()[1].split("/")[0]
    return f"bao-cao-cchc-quy-{roman}-{period.year}.docx"


def plan_filename(wb: TrackingWorkbook) -> str:
    return f"ke-hoach-khac-phuc-cchc-{wb.year or ''}.docx".replace("-.docx", ".docx")


def write_report(a: Assessment, out_dir: str | Path, *, number: int | None = None, date: dt.date | None = None,
                 pdf: bool = False, chart: bool = False, draft: bool = False) -> WrittenReport:
    """Write the report on assessment ``a`` into folder ``out_dir``.

    A workbook with errors (or ``draft``) gives a draft (see ``is_draft``); raises ``NotReportable`` for a
    period that ended before the plan or a report dated before it, ``render.TemplateError`` for a broken
    template, ``chart.ChartUnavailable`` when a chart is asked without matplotlib, and ``files.OutputLocked``
    when the target is open in Word (the file then goes to a free name). With ``pdf`` a PDF is written next to
    it through LibreOffice.
    """
    day = date or a.as_of
    check_reportable(a, day)
    as_draft = is_draft(a, force=draft)
    fields = report_fields(a, number=number, day=day, chart=chart, draft=as_draft)
    target = render_docx(REPORT_TEMPLATE, fields, Path(out_dir) / report_filename(a.period))
    if pdf:
        from toolkit.report.pdf import to_pdf

        to_pdf(target)
    return WrittenReport(target, as_draft, draft_gaps(a) if as_draft else [])


def write_plan(wb: TrackingWorkbook, out_dir: str | Path, *, new: bool = False, pdf: bool = False) -> Path:
    """Write the plan into folder ``out_dir``: a ``SAO Y`` copy of the issued plan, or with ``new`` a new plan
    with number and day blank. Returns the .docx path."""
    name = plan_filename(wb).replace(".docx", "-moi.docx") if new else plan_filename(wb)
    target = render_docx(PLAN_TEMPLATE, plan_context(wb, new=new), Path(out_dir) / name)
    if pdf:
        from toolkit.report.pdf import to_pdf

        to_pdf(target)
    return target
