"""The quarterly report (BÁO CÁO) and the plan (KẾ HOẠCH) as Word documents, filled from the workbook.

``report_context`` and ``plan_context`` turn a ``TrackingWorkbook`` (and, for the report, a ``PlanProgress``
from ``toolkit.progress``) into the plain strings and lists the templates ask for; all wording a reader sees
is built here or in the templates, all figures come from ``progress``. ``write_report`` and ``write_plan``
render them into files (and optionally PDF). No completion arithmetic lives here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .assess import Assessment as PlanProgress
from .assess import ItemState as ItemProgress
from .fmt import completion_text, counts_line, mean_line
from .model import PlanInfo, PlanItem, TrackingWorkbook
from .period import Period
from .render import PLAN_TEMPLATE, REPORT_TEMPLATE, Picture, render_docx
from .schema import KIND_DONE, KIND_MAX, KIND_MIN, STATUS_DONE, STATUS_IN_PROGRESS, STATUS_NOT_STARTED

NOT_REPORTED = "chưa báo cáo"
# Nghị định 42/2022/NĐ-CP (in force 15/8/2022) renamed the levels of online public services.
DECREE_42_IN_FORCE = dt.date(2022, 8, 15)
_LEVELS_BOTH = re.compile(r"(m)ức độ\s*3\s*(?:,|và|hoặc|/)\s*(?:mức độ\s*)?4", re.IGNORECASE)
_LEVEL_4 = re.compile(r"(m)ức độ\s*4", re.IGNORECASE)
_LEVEL_3 = re.compile(r"(m)ức độ\s*3", re.IGNORECASE)


# --- wording helpers ----------------------------------------------------------------------------------------

def service_levels(text: str, on: dt.date) -> str:
    """Use the words of Nghị định 42/2022 for online services in a document dated ``on`` or later.

    "mức độ 3, mức độ 4" becomes "một phần, toàn trình"; "mức độ 4" "toàn trình"; "mức độ 3" "một phần". A
    capital M stays capital. Text of documents dated before 15/8/2022 is returned unchanged.
    """
    if on < DECREE_42_IN_FORCE:
        return text

    def cap(word: str, m: re.Match[str]) -> str:
        return word[0].upper() + word[1:] if m.group(1) == "M" else word

    text = _LEVELS_BOTH.sub(lambda m: cap("một phần, toàn trình", m), text)
    text = _LEVEL_4.sub(lambda m: cap("toàn trình", m), text)
    return _LEVEL_3.sub(lambda m: cap("một phần", m), text)


def pct(value: float) -> str:
    """``95,2%``, ``100%``: one decimal with a decimal comma, none when whole."""
    text = f"{value:.1f}".replace(".", ",")
    return (text[:-2] if text.endswith(",0") else text) + "%"


def number_text(value: float) -> str:
    """``20``, ``1.190``, ``12,5``: Vietnamese thousands dot and decimal comma."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def short_date(day: dt.date) -> str:
    """``08/01/2024``, ``10/8/2023``: day below 10 and months 1, 2 with a leading zero (Nghị định 30)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{day.day:02d}/{month}/{day.year}"


def place_date_line(place: str | None, day: dt.date | None, year: int | None = None) -> str:
    """``Đăktover, ngày 05 tháng 02 năm 2024``; without a day, blanks for the Office to write in."""
    where = place or "......."
    if day is None:
        return f"{where}, ngày      tháng      năm {year or ''}".rstrip()
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{where}, ngày {day.day:02d} tháng {month} năm {day.year}"


def number_symbol(number: int | None, type_abbr: str, issuer_abbr: str | None) -> str:
    """``05/BC-UBND``: below 10 with a leading zero; without a number, a blank to write in."""
    symbol = f"{type_abbr}-{issuer_abbr or 'UBND'}"
    if number is None:
        return f"     /{symbol}"
    return f"{number:02d}/{symbol}"


def lower_first(text: str) -> str:
    """``Khắc phục ...`` -> ``khắc phục ...``; an acronym at the start (``CCHC ...``) is kept."""
    if len(text) >= 2 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _bare(text: str | None) -> str:
    """Text without surrounding space and trailing ``.``, ``;``, ``:``."""
    return (text or "").strip().rstrip(".;:, ").strip()


def _sentence(text: str | None) -> str:
    """Text ending with a full stop (or its own ``!``/``?``)."""
    bare = (text or "").strip().rstrip(";:, ")
    if not bare:
        return ""
    return bare if bare[-1] in ".!?" else bare + "."


def dash_lines(lines: list[str], *, prefix: str = "- ") -> list[str]:
    """Each line starting with ``- ``, ending ``;``, the last ending ``.`` (Nơi nhận, Kính gửi)."""
    out = []
    for i, line in enumerate(lines):
        bare = _bare(line.lstrip("-+• ").strip())
        out.append(f"{prefix}{bare}{'.' if i == len(lines) - 1 else ';'}")
    return out


def recipient_lines(recipients: list[str], *, as_above: bool = False) -> list[str]:
    """Nơi nhận lines: ``- Như trên;`` first when there are addressees, ``- Lưu: ...`` last, ``.`` at the end."""
    names = [_bare(r.lstrip("-+• ")) for r in recipients if _bare(r.lstrip("-+• "))]
    archive = [n for n in names if n.lower().startswith("lưu")]
    names = [n for n in names if not n.lower().startswith("lưu")]
    if as_above:
        names.insert(0, "Như trên")
    names.extend(archive or ["Lưu: VT"])
    return dash_lines(names)


def signer_lines(info: PlanInfo) -> list[str]:
    return [line.upper() for line in (info.signer_authority, info.signer_deputy, info.signer_position) if line]


def addressee_parts(addressees: list[str]) -> tuple[str, list[str]]:
    """(single line, list lines) for ``Kính gửi``: one addressee on the same line, several one per line."""
    names = [_bare(a.lstrip("-+• ")) for a in addressees if _bare(a.lstrip("-+• "))]
    if len(names) == 1:
        return names[0] + ".", []
    return "", dash_lines(names)


def _heading(item: PlanItem, on: dt.date) -> str:
    content = service_levels(_bare(item.content), on)
    return f"{item.code}. {content}" if item.code else content


def _deadline(item: PlanItem) -> str:
    if item.deadline_note and not item.deadline:
        return item.deadline_note
    if item.deadline:
        return short_date(item.deadline)
    return "Chưa xác định"


def _common(info: PlanInfo, type_abbr: str, number: int | None, day: dt.date | None,
            recipients: list[str]) -> dict[str, Any]:
    single, many = addressee_parts(info.addressees)
    return {
        "parent_body": (info.parent_body or "").upper(),
        "issuer": (info.issuer or "Ủy ban nhân dân").upper(),
        "unit": (info.unit or "").upper(),
        "number": number_symbol(number, type_abbr, info.issuer_abbr),
        "place_date": place_date_line(info.place, day, info.year),
        "body_name": info.body_name or "Ủy ban nhân dân",
        "addressee_single": single,
        "addressee_list": many,
        "recipients": recipient_lines(recipients, as_above=bool(info.addressees)),
        "signer_lines": signer_lines(info),
        "signer_name": info.signer_name or "",
    }


# --- the plan -----------------------------------------------------------------------------------------------

def plan_context(wb: TrackingWorkbook, *, date: dt.date | None = None) -> dict[str, Any]:
    """Everything ``ke_hoach.docx`` asks for, from the workbook's ``Kế hoạch`` and ``Thông tin chung``.

    ``date`` is the plan's date; None means the workbook's ``Ngày ban hành kế hoạch`` (blank if that is empty
    too). The plan's own number is reused when the workbook has one, else left blank to write in.
    """
    info = wb.info
    day = date or info.plan_date
    wording_day = day or dt.date.today()
    ctx = _common(info, "KH", None, day, info.plan_recipients)
    if info.plan_number:
        ctx["number"] = info.plan_number
    subject = _bare(info.plan_subject) or "Khắc phục tồn tại, hạn chế Chỉ số cải cách hành chính"
    basis = [b if _bare(b).lower().startswith("căn cứ") else f"Căn cứ {_bare(b)}" for b in info.legal_basis]
    items = []
    for item in wb.items:
        tasks = [t.strip() for t in service_levels(item.tasks or "", wording_day).split("\n") if t.strip()]
        items.append({
            "heading": _heading(item, wording_day),
            "target_text": _sentence(service_levels(item.target_text or "", wording_day)) or "Chưa xác định.",
            "tasks": [t if t.startswith(("-", "+")) else f"- {t}" for t in tasks] or ["- Chưa xác định."],
            "owner": _sentence(item.owner) or "Chưa phân công.",
            "partners": _sentence(item.partners),
            "deadline": _sentence(_deadline(item)),
        })
    ctx.update({
        "subject": upper_first(subject),
        "subject_phrase": lower_first(subject),
        "legal_basis": [
            _bare(b) + ("." if i == len(basis) - 1 else ";") for i, b in enumerate(basis)
        ],
        "implementing": "; ".join(_bare(x) for x in info.implementing) + "." if info.implementing else "",
        "purposes": [_sentence(p) for p in info.purposes] or ["Chưa xác định."],
        "requirements": [_sentence(r) for r in info.requirements] or ["Chưa xác định."],
        "items": items,
        "organization": [f"{i}. {_sentence(o)}" for i, o in enumerate(info.organization, 1)],
    })
    return ctx


# --- the quarterly report -----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Shown:
    """How one item's figures read in the report."""

    figure: str
    figure_short: str
    completion: str
    status: str


def _target_phrase(ip: ItemProgress) -> str:
    if ip.kind == KIND_DONE:
        return "hoàn thành 100%"
    if ip.target is None:
        return "chưa lượng hóa"
    word = {KIND_MIN: "tối thiểu", KIND_MAX: "tối đa"}.get(ip.kind, "tối thiểu")
    return f"{word} {pct(ip.target)}"


def _shown(ip: ItemProgress) -> _Shown:
    row = ip.row
    target = _target_phrase(ip)
    if row is None:
        reached = reached_short = "chưa có số liệu"
    elif ip.ratio is not None and row.achieved is not None and row.total:
        reached_short = f"{number_text(row.achieved)}/{number_text(row.total)} ({pct(ip.ratio)})"
        reached = f"đạt {reached_short}"
    else:
        reached = reached_short = "chưa có số liệu"
    completion = completion_text(ip)
    status = ip.status or NOT_REPORTED
    if ip.overdue:
        status += f" (quá hạn {short_date(ip.item.deadline)})" if ip.item.deadline else " (quá hạn)"
    return _Shown(f"{reached}; chỉ tiêu: {target}", f"{reached_short}\nChỉ tiêu: {target}", completion, status)


def _codes(items: list[ItemProgress], *, with_completion: bool = False) -> str:
    if with_completion:
        return ", ".join(f"{ip.code} ({pct(ip.completion)})" for ip in items if ip.completion is not None)
    return ", ".join(ip.code for ip in items)


def _task_line(ip: ItemProgress, on: dt.date) -> str:
    done = pct(ip.completion) if ip.completion is not None else "chưa xác định"
    if not ip.reported:
        done = f"0% ({NOT_REPORTED})"
    return (f"{_heading(ip.item, on)}: mức độ hoàn thành {done}; thời hạn: {lower_first(_deadline(ip.item))}; "
            f"phụ trách: {_bare(ip.owner) or 'chưa phân công'}.")


def _with_code(text: str, code: str) -> str:
    return f"{_bare(text)} (nội dung {code})."


def report_context(wb: TrackingWorkbook, progress: PlanProgress, *, number: int | None = None,
                   date: dt.date | None = None, chart: bool = True) -> dict[str, Any]:
    """Everything ``bao_cao_quy.docx`` asks for: the workbook's texts and ``progress``'s figures.

    ``number`` None means ``Số báo cáo tiếp theo`` from ``Thông tin chung`` (blank when that is empty too);
    ``date`` None means ``progress.as_of``. ``chart`` False (or a plan without items) leaves the bar chart out.
    """
    info = wb.info
    day = date or progress.as_of
    period = progress.period
    if number is None:
        number = info.next_report_number
    ctx = _common(info, "BC", number, day, info.report_recipients)
    subject = _bare(info.plan_subject) or "khắc phục tồn tại, hạn chế Chỉ số cải cách hành chính"
    plan_no = f" số {info.plan_number}" if info.plan_number else ""
    plan_day = f" ngày {short_date(info.plan_date)}" if info.plan_date else ""
    body = ctx["body_name"]
    items = progress.items

    shown = {ip.code: _shown(ip) for ip in items}
    item_ctx = []
    rows = []
    for n, ip in enumerate(items, 1):
        s = shown[ip.code]
        row = ip.row
        result = (row.result if row is not None and row.result else
                  ("chưa ghi kết quả thực hiện" if row is not None else NOT_REPORTED))
        evidence = row.evidence if row is not None and row.evidence else "chưa có"
        target_text = service_levels(_bare(ip.item.target_text) or _target_phrase(ip), day)
        item_ctx.append({
            "heading": _heading(ip.item, day),
            "target_text": _sentence(target_text),
            "result": _sentence(result) if result != NOT_REPORTED else result,
            "figure": s.figure,
            "completion": s.completion,
            "status": s.status,
            "evidence": evidence,
        })
        rows.append({
            "stt": str(n),
            "content": _heading(ip.item, day),
            "tasks": service_levels(ip.item.tasks or "", day),
            "owner": ip.owner,
            "deadline": _deadline(ip.item),
            "figure": s.figure_short,
            "completion": s.completion,
            "status": s.status,
            "evidence": evidence,
        })

    known = [ip for ip in items if ip.completion is not None]
    unknown = [ip for ip in items if ip.completion is None]
    overall = f"Kết quả {period.phrase}: {counts_line(progress)}; {mean_line(progress)}."
    counts = {s: sum(1 for ip in items if ip.status == s) for s in (STATUS_DONE, STATUS_IN_PROGRESS,
                                                                       STATUS_NOT_STARTED)}
    not_reported = [ip for ip in items if not ip.reported]
    overdue = [ip for ip in items if ip.overdue]
    tally = (f"Tình trạng thực hiện: {counts[STATUS_DONE]} nội dung hoàn thành, {counts[STATUS_IN_PROGRESS]} nội "
             f"dung đang thực hiện, {counts[STATUS_NOT_STARTED]} nội dung chưa thực hiện, {len(not_reported)} nội "
             f"dung {NOT_REPORTED}; {len(overdue)} nội dung quá hạn chưa hoàn thành.")

    full = [ip for ip in known if ip.completion is not None and ip.completion >= 100]
    partial = [ip for ip in known if ip.completion is not None and ip.completion < 100 and ip.reported]
    this_quarter = {r.code for r in wb.progress if r.period == period and r.code}
    strengths = []
    if full:
        strengths.append(f"Có {len(full)}/{len(items)} nội dung đạt 100% chỉ tiêu: {_codes(full)}.")
    near = [ip for ip in partial if ip.completion is not None and ip.completion >= 90]
    if near:
        strengths.append(f"{len(near)} nội dung đạt từ 90% chỉ tiêu trở lên: {_codes(near, with_completion=True)}.")
    reported_now = sum(1 for ip in items if ip.code in this_quarter)
    strengths.append(f"Các công chức được giao nhiệm vụ đã cập nhật tiến độ {reported_now}/{len(items)} nội dung "
                     f"trong {period.phrase}.")
    shortcomings = []
    if partial:
        shortcomings.append(f"{len(partial)} nội dung chưa đạt chỉ tiêu: {_codes(partial, with_completion=True)}.")
    if overdue:
        shortcomings.append(f"{len(overdue)} nội dung đã quá thời hạn nhưng chưa hoàn thành: {_codes(overdue)}.")
    unquantified = [ip for ip in unknown if ip.target is None]
    if unquantified:
        shortcomings.append(f"{len(unquantified)} nội dung kế hoạch chưa lượng hóa chỉ tiêu nên chưa đánh giá được "
                            f"mức độ hoàn thành: {_codes(unquantified)}; cần bổ sung chỉ tiêu bằng số.")
    lacking = [ip for ip in unknown if ip.target is not None]
    if lacking:
        shortcomings.append(f"{len(lacking)} nội dung thiếu số liệu nên chưa đánh giá được mức độ hoàn thành: "
                            f"{_codes(lacking)}.")
    if not_reported:
        shortcomings.append(f"{len(not_reported)} nội dung {NOT_REPORTED} tiến độ: {_codes(not_reported)}.")
    if not shortcomings:
        shortcomings.append("Không có.")
    causes: list[str] = []
    for ip in items:
        if ip.row is not None and ip.row.difficulties and _bare(ip.row.difficulties):
            line = _with_code(ip.row.difficulties, ip.code)
            if line not in causes:
                causes.append(line)

    nxt = period.next()
    incomplete = [ip for ip in items if ip.completion is None or ip.completion < 100]
    due_soon = [ip for ip in incomplete if not ip.overdue and ip.item.deadline is not None
                and ip.item.deadline <= nxt.end]
    continuing = [ip for ip in incomplete if not ip.overdue and ip not in due_soon]

    proposals: list[str] = []
    for r in wb.progress:
        if r.period == period and r.proposals and _bare(r.proposals) and r.code:
            line = _with_code(r.proposals, r.code)
            if line not in proposals:
                proposals.append(line)

    ctx.update({
        "subject": f"Kết quả thực hiện Kế hoạch {lower_first(subject)} {period.phrase}",
        "plan_citation": f"Kế hoạch{plan_no}{plan_day} của {body} về {lower_first(subject)}",
        "plan_short": f"Kế hoạch{plan_no}",
        "period_phrase": period.phrase,
        "next_period_upper": nxt.phrase.upper(),
        "next_period_phrase": nxt.phrase,
        "items": item_ctx,
        "overall": overall,
        "tally": tally,
        "chart": None,
        "chart_caption": "",
        "strengths": strengths,
        "shortcomings": shortcomings,
        "causes": causes,
        "overdue": [_task_line(ip, day) for ip in overdue] or ["Không có."],
        "due_soon": [_task_line(ip, day) for ip in due_soon] or ["Không có."],
        "continuing": [_task_line(ip, day) for ip in continuing] or ["Không có."],
        "proposals": proposals or ["Không có."],
        "date_short": short_date(day),
        "appendix_title": f"KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG CỦA KẾ HOẠCH {period.phrase.upper()}",
        "rows": rows,
        "appendix_note": (
            "Ghi chú: Mức độ hoàn thành tính từ Số đạt/Tổng số so với chỉ tiêu (loại Tối thiểu: tỷ lệ đạt chia "
            "chỉ tiêu, tối đa 100%; loại Tối đa: 100% khi không vượt chỉ tiêu; loại Hoàn thành: 100% khi đã hoàn "
            f"thành). «Chưa xác định»: chưa lượng hóa chỉ tiêu hoặc thiếu số liệu; «{NOT_REPORTED}»: chưa có báo "
            f"cáo tiến độ đến {period.phrase}, tính 0%."
        ),
    })
    if chart and items:
        from .chart import completion_chart

        ctx["chart"] = Picture(completion_chart(progress), 14.0)
        ctx["chart_caption"] = (
            f"Mức độ hoàn thành từng nội dung {period.phrase} (%). Cột xanh lá: đạt 100%; xanh dương: chưa đạt; "
            f"đỏ: quá hạn chưa hoàn thành; xám có dấu ?: chưa xác định được."
        )
    return ctx


# --- files --------------------------------------------------------------------------------------------------

def report_filename(period: Period) -> str:
    """``bao-cao-cchc-quy-IV-2023.docx``: ASCII, so it survives e-mail and zip tools."""
    roman = period.label.split()[1].split("/")[0]
    return f"bao-cao-cchc-quy-{roman}-{period.year}.docx"


def plan_filename(wb: TrackingWorkbook) -> str:
    return f"ke-hoach-khac-phuc-cchc-{wb.year or ''}.docx".replace("-.docx", ".docx")


def write_report(wb: TrackingWorkbook, progress: PlanProgress, out_dir: str | Path, *, number: int | None = None,
                 date: dt.date | None = None, pdf: bool = False, chart: bool = True) -> Path:
    """Write the quarterly report into folder ``out_dir`` and return the .docx path.

    With ``pdf`` a PDF is written next to it through LibreOffice (``pdf.PdfUnavailable`` when LibreOffice is
    missing; the .docx is written first either way). Raises ``render.TemplateError`` for a broken template
    and ``files.OutputLocked`` when the target is open in Word (the file then goes to a free name).
    """
    ctx = report_context(wb, progress, number=number, date=date, chart=chart)
    target = render_docx(REPORT_TEMPLATE, ctx, Path(out_dir) / report_filename(progress.period))
    if pdf:
        from .pdf import to_pdf

        to_pdf(target)
    return target


def write_plan(wb: TrackingWorkbook, out_dir: str | Path, *, date: dt.date | None = None, pdf: bool = False) -> Path:
    """Write the plan (KẾ HOẠCH) regenerated from the workbook into folder ``out_dir``; return the .docx path."""
    target = render_docx(PLAN_TEMPLATE, plan_context(wb, date=date), Path(out_dir) / plan_filename(wb))
    if pdf:
        from .pdf import to_pdf

        to_pdf(target)
    return target
