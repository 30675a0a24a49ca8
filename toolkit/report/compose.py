"""What the report says, section by section, composed from the one assessment of the workbook.

Each section of the BÁO CÁO is one small function of an ``assess.Assessment``: ``opening``, ``headline``,
``results``, ``assessment``, ``next_period``, ``proposals``, ``appendix`` (and ``closing``). Each returns plain
text (lines, or ``Block``s of a heading and its lines), so a rule of ``nd30-format.md`` lives in one place a
test can call, and the same words feed the Word template, the button's summary and the emails. The template
only lays them out. No derived fact (reported, carried, done, overdue, the figure used) is decided here: it
is read from the assessment.

Quotes from the issued plan (item names, targets, deadline words) are printed as issued; the newer words of
Nghị định 42/2022 appear only in the report's own note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.core.period import Period
from toolkit.core.schema import STATUS_DONE
from toolkit.core.words import day, lower_first, number, percent, target_phrase, upper_first
from toolkit.report.wording import bare, sentence
from toolkit.rules.assess import Assessment, ItemState
from toolkit.rules.phrases import codes, completion_text, counts_line, mean_line

# Nghị định 42/2022/NĐ-CP renamed the levels of online public services; the plan's text keeps the old words.
OLD_LEVELS = re.compile(r"mức\s+độ\s*[34]", re.IGNORECASE)
DECREE_42_NOTE = ("Ghi chú: theo Nghị định số 42/2022/NĐ-CP ngày 24/6/2022 của Chính phủ, dịch vụ công trực tuyến "
                  "«mức độ 3», «mức độ 4» nêu trong Kế hoạch nay là dịch vụ công trực tuyến «một phần», «toàn trình».")
APPENDIX_POINTER = "(Chi tiết tại Phụ lục kèm theo)"
ROMAN = ("I", "II", "III", "IV", "V", "VI")
_RECURRING = ("thường xuyên", "hằng năm", "hàng năm", "những năm tiếp theo", "hằng quý", "hàng quý")
_ASKS = ("kính đề nghị", "đề nghị", "kiến nghị", "đề xuất")
# Words that start an addressee right after "Đề nghị" (``Đề nghị UBND huyện ...``, ``Đề nghị huyện ...``).
_BODIES = ("ubnd", "ủy ban", "uỷ ban", "huyện", "tỉnh", "phòng", "sở", "văn phòng", "chủ tịch", "cấp trên",
           "cấp có thẩm quyền", "cấp huyện", "cấp tỉnh", "trung tâm", "bộ ", "ban ", "hđnd", "thường trực",
           "đảng ủy", "xã ")


@dataclass(frozen=True, slots=True)
class Block:
    """A numbered subsection (``heading`` may be empty) and its paragraphs."""

    heading: str
    lines: list[str]


@dataclass(frozen=True, slots=True)
class Section:
    """A Roman-numbered part of the body (``I. KẾT QUẢ THỰC HIỆN``) and its blocks."""

    title: str
    blocks: list[Block]


@dataclass(frozen=True, slots=True)
class Proposal:
    """One proposal still open: its text with its addressee, the item and the quarter it was first made in."""

    text: str
    addressee: str
    code: str
    since: Period


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the appendix table."""

    stt: str
    content: str
    result: str
    figure: str
    completion: str
    status: str
    evidence: str


# --- the period and the plan ----------------------------------------------------------------------------------

def period_phrase(period: Period) -> str:
    """``quý I năm 2023``, ``6 tháng đầu năm 2023``, ``quý III năm 2023``, ``năm 2023`` (Nghị định 09/2019)."""
    return period.report_phrase


def next_phrase(period: Period) -> str:
    """What section III plans for: ``quý II năm 2023``, ``6 tháng cuối năm 2023``, ``quý IV năm 2023``,
    ``năm 2024``."""
    return {1: f"quý II năm {period.year}", 2: f"6 tháng cuối năm {period.year}",
            3: f"quý IV năm {period.year}", 4: f"năm {period.year + 1}"}[period.quarter]


def cutoff_phrase(a: Assessment) -> str:
    """``số liệu tính từ ngày 15/3/2023 đến ngày 14/6/2023``: the data cut-off the report states."""
    return f"số liệu tính từ ngày {day(a.window.start)} đến ngày {day(a.window.end)}"


def plan_subject(a: Assessment) -> str:
    return lower_first(bare(a.wb.info.plan_subject) or "khắc phục tồn tại, hạn chế Chỉ số cải cách hành chính")


def plan_citation(a: Assessment) -> str:
    """The plan's first citation in full: type, number, date, issuer and subject."""
    info = a.wb.info
    numbered = f" số {info.plan_number}" if info.plan_number else ""
    dated = f" ngày {day(info.plan_date)}" if info.plan_date else ""
    return f"Kế hoạch{numbered}{dated} của {info.body_name or 'Ủy ban nhân dân'} về {plan_subject(a)}"


def plan_short(a: Assessment) -> str:
    """Later citations: type and number."""
    return f"Kế hoạch số {a.wb.info.plan_number}" if a.wb.info.plan_number else "Kế hoạch"


def subject(a: Assessment) -> str:
    return f"Kết quả thực hiện Kế hoạch {plan_subject(a)} {period_phrase(a.period)}"


# --- the sections ---------------------------------------------------------------------------------------------

def opening(a: Assessment) -> list[str]:
    """``Thực hiện Kế hoạch số ... (thực hiện ...); Ủy ban nhân dân xã ... báo cáo ... cụ thể như sau:``."""
    info = a.wb.info
    higher = "; ".join(bare(x) for x in info.implementing if bare(x))
    carries_out = f" (thực hiện {higher})" if higher else ""
    return [f"Thực hiện {plan_citation(a)}{carries_out}; {info.body_name or 'Ủy ban nhân dân'} báo cáo kết quả "
            f"thực hiện {period_phrase(a.period)} ({cutoff_phrase(a)}), cụ thể như sau:"]


def headline(a: Assessment) -> list[str]:
    """The counts first, then the average saying what it covers, then the pointer to the appendix."""
    return [f"Kế hoạch có {len(a.items):02d} nội dung; đến ngày chốt số liệu {day(a.window.end)}, "
            f"{counts_line(a)}.",
            f"{upper_first(mean_line(a))}. {APPENDIX_POINTER}."]


def figure_text(s: ItemState, *, short: bool = False) -> str:
    """``20/21 cán bộ, công chức (95,2%)``, labelled with its quarter when carried; ``""`` without figures."""
    row = s.row
    if row is None or s.ratio is None or row.achieved is None or not row.total:
        return ""
    unit = f" {bare(s.item.unit)}" if s.item.unit and bare(s.item.unit) else ""
    text = f"{number(row.achieved)}/{number(row.total)}{unit} ({percent(s.ratio)})"
    if s.carried_from is not None:
        text += (f" - số liệu {s.carried_from.label}" if short
                 else f" (số liệu {s.carried_from.label}; kỳ này chưa cập nhật)")
    return text


def status_text(s: ItemState, period: Period) -> str:
    """``Hoàn thành``; ``Chưa hoàn thành, quá hạn (31/12/2023)`` (the word the headline and e-mails use);
    ``Chưa hoàn thành, chưa báo cáo Quý II/2023``."""
    if s.done:
        return "Hoàn thành"
    parts = ["Chưa hoàn thành"]
    if s.row is not None and s.row.status and s.row.status != STATUS_DONE:
        parts[0] += f" ({lower_first(s.row.status)})"
    if s.overdue:
        parts.append(f"quá hạn ({day(s.item.deadline)})" if s.item.deadline else "quá hạn")
    if not s.reported:
        parts.append(f"chưa báo cáo {period.label}")
    return ", ".join(parts)


def item_heading(s: ItemState) -> str:
    """``1.1. Tỷ lệ đạt chuẩn ...``: the plan's code and the item exactly as issued (without a final stop)."""
    content = (s.item.content or "").strip().rstrip(".")
    return f"{s.code}. {content}" if s.code else content


def _item_lines(s: ItemState, a: Assessment) -> list[str]:
    lines = []
    if s.item.target_text and s.item.target_text.strip():
        lines.append(f"- Mục tiêu, yêu cầu: {s.item.target_text.strip()}")
    if s.row is not None and s.row.result and s.row.result.strip():
        lines.append(f"- Kết quả thực hiện: {sentence(s.row.result)}")
    figure = figure_text(s)
    target = target_phrase(s.item.kind, s.item.target)
    lines.append(f"- Số liệu đạt được: {figure}; chỉ tiêu: {target}." if figure else f"- Chỉ tiêu: {target}.")
    lines.append(f"- Mức độ hoàn thành: {completion_text(s)}.")
    lines.append(f"- Tình trạng: {status_text(s, a.period)}.")
    if s.row is not None and s.row.evidence and s.row.evidence.strip():
        lines.append(f"- Minh chứng: {s.row.evidence.strip()}")
    return lines


def quotes_old_levels(s: ItemState) -> bool:
    """The item's quoted plan text uses the online-service levels renamed by Nghị định 42/2022."""
    return any(OLD_LEVELS.search(t or "") for t in (s.item.content, s.item.target_text))


def results(a: Assessment) -> list[Block]:
    """Part I item by item, as the plan words each item; the Nghị định 42/2022 note once, where first needed."""
    blocks = [Block("", headline(a))]
    noted = False
    for s in a.items:
        lines = _item_lines(s, a)
        if not noted and quotes_old_levels(s):
            lines.append(DECREE_42_NOTE)
            noted = True
        blocks.append(Block(item_heading(s), lines))
    return blocks


def _numbered(blocks: list[Block]) -> list[Block]:
    """Leave out empty blocks, then number the rest ``1.``, ``2.``, ..."""
    kept = [b for b in blocks if b.lines]
    return [Block(f"{i}. {b.heading}", b.lines) for i, b in enumerate(kept, 1)]


def strengths(a: Assessment) -> list[str]:
    """Only what was achieved: the items done, each with its figure or result."""
    lines = []
    for s in a.done:
        figure = figure_text(s)
        what = (f"{figure}, đạt chỉ tiêu {target_phrase(s.item.kind, s.item.target)}" if figure
                else lower_first(bare(s.row.result if s.row else "")) or "đạt chỉ tiêu")
        lines.append(f"- Nội dung {s.code} đã hoàn thành: {what}.")
    return lines


def shortcomings(a: Assessment) -> list[str]:
    """Every item not completed, with its cause from ``Khó khăn, vướng mắc`` where the official gave one."""
    lines = []
    for s in a.not_done:
        words = status_text(s, a.period)
        causes = [lower_first(bare(s.row.difficulties))] if s.row is not None and bare(s.row.difficulties) else []
        if s.completion is None and s.item.target is None and s.usable and s.row is not None:
            causes.append("Kế hoạch chưa lượng hóa chỉ tiêu")
        tail = f"; nguyên nhân: {'; '.join(causes)}" if causes else ""
        lines.append(f"- Nội dung {s.code}: {lower_first(words)}{tail}.")
    return lines


def missing_causes(a: Assessment) -> list[ItemState]:
    """Items not completed whose official gave no cause (listed to the Office, never printed as a gap)."""
    return [s for s in a.items if s.needs_cause]


def assessment(a: Assessment) -> list[Block]:
    """Part II: the Office's own text verbatim when ``Đánh giá của Văn phòng`` is filled, else composed."""
    own = [line.strip() for line in a.wb.info.office_assessment if line.strip()]
    if own:
        return [Block("", own)]
    return _numbered([Block("Ưu điểm", strengths(a)), Block("Tồn tại, hạn chế và nguyên nhân", shortcomings(a))])


def _task_line(s: ItemState) -> str:
    when = s.item.deadline_note or (day(s.item.deadline) if s.item.deadline else "")
    parts = [f"- {item_heading(s)}"]
    if when:
        parts.append(f"thời hạn: {bare(when)}")  # the plan's words as issued ("Trong năm 2023")
    if s.owner:
        parts.append(f"phụ trách: {bare(s.owner)}")
    return "; ".join(parts) + "."


def recurring(a: Assessment) -> bool:
    """The plan runs beyond its year (``... và những năm tiếp theo``): completed items are kept up."""
    return any(w in (a.wb.info.plan_subject or "").lower() for w in _RECURRING)


def continuing(a: Assessment) -> list[str]:
    """Unfinished items not yet overdue, then items done that recur or that the plan keeps up."""
    lines = [_task_line(s) for s in a.not_done if not s.overdue]
    kept = [s for s in a.done if recurring(a) or any(w in (s.item.deadline_note or "").lower() for w in _RECURRING)]
    if kept:
        lines.append(f"- Duy trì kết quả các nội dung đã hoàn thành: {codes(kept)}.")
    return lines


def next_period(a: Assessment) -> list[Block]:
    """Part III: what is overdue first, then what continues; a subsection with nothing is left out."""
    return _numbered([Block("Nhiệm vụ đã quá hạn, cần tập trung hoàn thành", [_task_line(s) for s in a.overdue]),
                      Block("Nhiệm vụ tiếp tục thực hiện", continuing(a))])


def resolved_marks(lines: list[str]) -> set[tuple[str, Period | None]]:
    """``Đề xuất đã giải quyết`` lines: ``1.3 Quý III/2023`` (one quarter's proposal) or ``1.3`` (all of them)."""
    marks: set[tuple[str, Period | None]] = set()
    for line in lines:
        text = line.strip()
        if not text:
            continue
        code, _, rest = text.partition(" ")
        marks.add((code.strip(" .,;:"), Period.parse(rest.strip(" .,;:")) if rest.strip() else None))
    return marks


def default_addressee(a: Assessment) -> str:
    """Whom a proposal goes to when the official names nobody: the report's first addressee or recipient."""
    info = a.wb.info
    for name in (*info.addressees, *info.report_recipients):
        name = bare(name.lstrip("-+• "))
        if name and not name.lower().startswith(("lưu", "như trên", "tt", "lãnh đạo")):
            return name
    return "cấp có thẩm quyền"


def _addressed(text: str, fallback: str) -> tuple[str, str]:
    """(sentence, addressee): ``Đề nghị X ...`` keeps its own words; ``X: ...`` names X; else the fallback."""
    text = bare(text)
    head, colon, rest = text.partition(":")
    if colon and 0 < len(head) <= 60 and rest.strip():
        return f"Đề nghị {head.strip()} {lower_first(bare(rest))}.", head.strip()
    ask = next((w for w in _ASKS if text.lower().startswith(w)), "")
    rest = text[len(ask):].strip()
    if ask and rest.lower().startswith(_BODIES):
        return sentence(text), ""
    return f"Đề nghị {fallback} {lower_first(rest)}.", fallback


def proposals(a: Assessment) -> list[Proposal]:
    """Proposals of this period and earlier ones not marked resolved, oldest first, each once."""
    marks = resolved_marks(a.wb.info.resolved_proposals)
    fallback = default_addressee(a)
    seen: dict[tuple[str, str], Proposal] = {}
    rows = sorted((r for r in a.wb.progress if r.code and r.period and r.period <= a.period and bare(r.proposals)),
                  key=lambda r: (r.period, r.updated or a.as_of, r.row))
    for r in rows:
        if (r.code, r.period) in marks or (r.code, None) in marks:
            continue
        text, addressee = _addressed(r.proposals or "", fallback)
        seen.setdefault((r.code, text.lower()), Proposal(text, addressee, r.code, r.period))
    return list(seen.values())


def proposal_lines(a: Assessment) -> list[str]:
    """Part IV's lines: each proposal, its item, and since when it stands."""
    out = []
    for p in proposals(a):
        since = "" if p.since == a.period else f", đề xuất từ {p.since.label}"
        out.append(f"- {p.text[:-1]} (nội dung {p.code}{since}).")
    return out


def closing(a: Assessment) -> str:
    """``Trên đây là báo cáo ...; kính báo cáo ... theo dõi, tổng hợp./.``"""
    info = a.wb.info
    names = [bare(x.lstrip("-+• ")) for x in info.addressees if bare(x.lstrip("-+• "))]
    receiver = ", ".join(names) or default_addressee(a)
    return (f"Trên đây là báo cáo kết quả thực hiện {plan_short(a)} {period_phrase(a.period)} của "
            f"{info.body_name or 'Ủy ban nhân dân'}; kính báo cáo {receiver} theo dõi, tổng hợp./.")


def body(a: Assessment) -> list[Section]:
    """Parts I to IV, Roman-numbered; IV only when a proposal stands."""
    parts = [("KẾT QUẢ THỰC HIỆN", results(a)), ("ĐÁNH GIÁ CHUNG", assessment(a)),
             (f"NHIỆM VỤ TRỌNG TÂM {next_phrase(a.period).upper()}", next_period(a)),
             ("ĐỀ XUẤT, KIẾN NGHỊ", [Block("", proposal_lines(a))])]
    kept = [(title, blocks) for title, blocks in parts if any(b.lines for b in blocks)]
    return [Section(f"{ROMAN[i]}. {title}", blocks) for i, (title, blocks) in enumerate(kept)]


def _keep(text: str) -> str:
    """A quarter's name never breaks across lines in a narrow cell: ``Quý`` and its numeral are tied."""
    return text.replace("Quý ", "Quý\u00a0")


def appendix(a: Assessment) -> list[Row]:
    """The appendix table, one row per item, numbered once (by the plan's own codes)."""
    rows = []
    for s in a.items:
        target = target_phrase(s.item.kind, s.item.target)
        figure = figure_text(s, short=True)
        rows.append(Row(
            stt=s.code,
            content=(s.item.content or "").strip(),
            result=(s.row.result or "").strip() if s.row is not None else "",
            figure=_keep(f"{figure}\nChỉ tiêu: {target}" if figure else f"Chỉ tiêu: {target}"),
            completion=completion_text(s),
            status=_keep(status_text(s, a.period)),
            evidence=(s.row.evidence or "").strip() if s.row is not None else "",
        ))
    return rows


def appendix_title(a: Assessment) -> str:
    return f"KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG CỦA KẾ HOẠCH {period_phrase(a.period).upper()}"
