"""What the nightly emails say: an official's reminder, the Office's digest, the alert, and tonight's drafts.

Each message is written once into two bodies (``draft.MailDoc``). Every fact is written by ``words`` and
``phrases``, so the digest's subject and headline say exactly ``phrases.counts_line`` (the words of the
report, ``cchc status`` and the Excel button). Who hears what is decided before, in ``notices``; nothing here
routes, and nothing here sends (``outbox`` does).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from toolkit.core.issues import SEVERITY_LABELS, Issue, Report
from toolkit.core.words import day, percent, target_phrase, upper_first
from toolkit.mail.draft import FOOTER, LIST_LIMIT, Draft, MailDoc, one_line, short
from toolkit.mail.notices import Notice, Notices, office_addresses, plan_notices
from toolkit.rules.assess import Assessment, ItemState
from toolkit.rules.phrases import codes, completion_text, counts_line, mean_line


def _issue_row(i: Issue) -> list[str]:
    return [i.ref or (i.sheet or "Toàn tệp"), i.column or "", SEVERITY_LABELS[i.severity], i.message]


def _deadline(s: ItemState) -> str:
    return day(s.item.deadline) or (s.item.deadline_note or "")


def _item_line(s: ItemState) -> str:
    return (f"{s.code} {short(s.item.content, 70)}: thời hạn {_deadline(s) or 'không ghi'}, "
            f"mức hoàn thành {completion_text(s)}")


def _quarters(s: ItemState) -> str:
    return ", ".join(q.label for q in s.missing)


def _subject(kind: str, unit: str, as_of: date, summary: str) -> str:
    where = f" {unit}" if unit else ""
    return one_line(f"{kind}{where} ngày {day(as_of)}: {summary}")


def _count_phrase(parts: Iterable[tuple[int, str]]) -> str:
    return ", ".join(f"{n} {label}" for n, label in parts if n)


def _intro(notices: Notices) -> str:
    return (f"sổ theo dõi kế hoạch khắc phục Chỉ số CCHC {notices.unit} ({notices.workbook}) "
            f"ngày {day(notices.as_of)}")


# ---------------------------------------------------------------- an official's reminder


def _items_section(doc: MailDoc, title: str, states: Sequence[ItemState]) -> None:
    """``title (N)`` and one line per item (code, content, deadline, completion); nothing when there is none."""
    if states:
        doc.heading(f"{title} ({len(states)})")
        doc.bullets([_item_line(s) for s in states])


def compose_official(n: Notice, notices: Notices) -> Draft:
    """The email to one address: the notice of one official, or of several sharing the address (``n.names``)."""
    doc = MailDoc()
    doc.para(f"Kính gửi {n.names},")
    doc.para(f"Kết quả kiểm tra {_intro(notices)} có những việc anh/chị cần xem:")
    if n.problems:
        doc.heading(f"Ô cần sửa ({len(n.problems)})")
        shown = n.problems[:LIST_LIMIT]
        doc.table(("Ô", "Cột", "Mức", "Cần sửa", "Vì sao anh/chị nhận"),
                  [[*_issue_row(p.issue), p.why] for p in shown], more=len(n.problems) - len(shown))
    _items_section(doc, "Nội dung đã quá hạn", n.overdue)
    _items_section(doc, "Nội dung sắp đến hạn", n.due_soon)
    if n.unreported:
        doc.heading("Quý chưa báo cáo")
        doc.bullets([f"{s.code}: {_quarters(s)} (chưa có dòng trong sheet Tiến độ)" for s in n.unreported])
    if n.to_update:
        a = notices.assessment
        doc.heading(f"Cần cập nhật số liệu {a.period.label} trước ngày {day(a.report_due)} ({len(n.to_update)})")
        doc.bullets([f"{s.code} {short(s.item.content, 70)}: chưa có dòng {a.period.label} trong sheet Tiến độ"
                     for s in n.to_update])
    doc.para(FOOTER)
    text, page = doc.bodies()
    summary = _count_phrase([(len(n.problems), "ô cần sửa"), (len(n.overdue), "nội dung quá hạn"),
                             (len(n.due_soon), "nội dung sắp đến hạn"), (n.quarters_missing, "quý chưa báo cáo"),
                             (len(n.to_update), "nội dung cần cập nhật số liệu")])
    return Draft("official", n.names, (n.address,) if n.address else (),
                 _subject("Nhắc việc CCHC", notices.unit, notices.as_of, summary), text, page)


# ---------------------------------------------------------------- the Office's digest


def _item_row(s: ItemState) -> list[str]:
    flags = ["Quá hạn" if s.overdue else "Sắp đến hạn" if s.due_soon else "", "" if s.reported else "Chưa báo cáo"]
    owners = ", ".join(p.name or "" for p in s.owners) or s.owner
    return [s.code, short(s.item.content, 60), owners, target_phrase(s.kind, s.target), percent(s.ratio),
            completion_text(s), s.status or "Chưa báo cáo", _deadline(s), ", ".join(f for f in flags if f)]


def _progress_section(doc: MailDoc, a: Assessment) -> None:
    """Counts first (the headline every output leads with), the mean after them, then item by item."""
    doc.heading("Tiến độ")
    doc.para(f"{upper_first(counts_line(a))}; {mean_line(a)}.")
    doc.table(("Mã", "Nội dung", "Phụ trách", "Chỉ tiêu", "Tỷ lệ", "Hoàn thành", "Tình trạng", "Thời hạn",
               "Ghi chú"), [_item_row(s) for s in a.items])
    _items_section(doc, "Quá hạn", a.overdue)
    _items_section(doc, "Sắp đến hạn", a.due_soon)
    missing = [s for s in a.items if s.missing]
    if missing:
        doc.heading(f"Quý chưa báo cáo ({sum(len(s.missing) for s in missing)})")
        doc.bullets([f"{s.code}: {_quarters(s)}" for s in missing])


def _people_line(n: Notice) -> str:
    what = _count_phrase([(n.errors, "lỗi"), (n.warnings, "cảnh báo"), (len(n.overdue), "quá hạn"),
                          (len(n.due_soon), "sắp đến hạn"), (n.quarters_missing, "quý chưa báo cáo")])
    how = f"gửi thư tới {n.address}" if n.address else "chưa có email hợp lệ trong sheet Cán bộ, cần báo trực tiếp"
    return f"{n.names}: {what} ({how})"


def _office_sections(doc: MailDoc, notices: Notices, waiting: Sequence[str], notes: Sequence[str]) -> None:
    """Who has something to see, what only the Office can fix, what did not go out, and the runs themselves."""
    people = [n for n in notices.officials if not n.empty]
    if people:
        doc.heading("Cán bộ có việc cần xem")
        doc.bullets([_people_line(n) for n in people])
    if notices.office:
        doc.heading(f"Vấn đề Văn phòng cần xử lý ({len(notices.office)})")
        shown = notices.office[:LIST_LIMIT]
        doc.table(("Ô", "Cột", "Mức", "Cần sửa"), [_issue_row(i) for i in shown],
                  more=len(notices.office) - len(shown))
    if waiting:
        doc.heading(f"Thư chưa gửi được ({len(waiting)})")
        doc.bullets(list(waiting))
    if notes:
        doc.heading("Về các lần kiểm tra")
        doc.bullets(list(notes))


def compose_digest(notices: Notices, office: Sequence[str], *, waiting: Sequence[str] = (),
                   notes: Sequence[str] = ()) -> Draft:
    """The Office's digest: the counts, completion per item, overdue, who has problems, and the rest in full.

    The subject and the headline say ``phrases.counts_line`` (then the errors, when any). ``waiting`` lists
    messages still in the outbox from earlier runs (one line each), so the Office knows who has not been
    reached; ``notes`` are lines about the runs themselves (a run that was stopped).
    """
    a, report = notices.assessment, notices.report
    doc = MailDoc()
    doc.para("Kính gửi Văn phòng,")
    doc.para(f"Tổng hợp {_intro(notices)}, kỳ {a.period.label}.")
    doc.heading("Kiểm tra số liệu")
    doc.para(f"{report.errors} lỗi, {report.warnings} cảnh báo trong sổ theo dõi.")
    _progress_section(doc, a)
    if a.to_update:
        doc.para(f"Hạn cập nhật số liệu {a.period.label}: {day(a.report_due)}; {len(a.to_update)} nội dung chưa có "
                 f"dòng kỳ này ({codes(a.to_update)}); các cán bộ phụ trách đã được nhắc.")
    _office_sections(doc, notices, waiting, notes)
    doc.para(FOOTER)
    text, page = doc.bodies()
    summary = counts_line(a) + (f"; {report.errors} lỗi" if report.errors else "")
    return Draft("office", "Văn phòng", tuple(office), _subject("Tổng hợp CCHC", notices.unit, notices.as_of, summary),
                 text, page)


def compose_alert(office: Sequence[str], *, unit: str, as_of: date, what: str, detail: Sequence[str] = ()) -> Draft:
    """A short message to the Office that the night's check could not be done, and why (``what``)."""
    doc = MailDoc()
    doc.para("Kính gửi Văn phòng,")
    doc.para(f"Lần kiểm tra sổ theo dõi kế hoạch khắc phục Chỉ số CCHC ngày {day(as_of)} chưa thực hiện được: "
             f"{what}")
    if detail:
        doc.bullets(list(detail))
    doc.para("Các cán bộ chưa nhận được thư nhắc việc đêm nay. Sau khi khắc phục, lần chạy sau sẽ tự kiểm tra lại; "
             "có thể chạy ngay bằng lệnh: cchc nightly --once")
    doc.para(FOOTER)
    text, page = doc.bodies()
    return Draft("alert", "Văn phòng", tuple(office),
                 _subject("Lỗi kiểm tra CCHC", one_line(unit), as_of, "chưa gửi được nhắc việc"), text, page)


# ---------------------------------------------------------------- tonight's drafts


def _merge(group: Sequence[Notice]) -> Notice:
    """One notice for officials sharing an address: everything each should hear, once."""
    if len(group) == 1:
        return group[0]
    merged = Notice(group[0].official, group[0].address, others=[n.official for n in group[1:]])
    for n in group:
        merged.problems += [p for p in n.problems if p not in merged.problems]
        merged.overdue += [s for s in n.overdue if s not in merged.overdue]
        merged.due_soon += [s for s in n.due_soon if s not in merged.due_soon]
        merged.unreported += [s for s in n.unreported if s not in merged.unreported]
        merged.to_update += [s for s in n.to_update if s not in merged.to_update]
    return merged


def compose(notices: Notices, office: Sequence[str], *, waiting: Sequence[str] = (),
            notes: Sequence[str] = ()) -> list[Draft]:
    """One draft per address with something to hear (officials sharing an address get one email), then the
    digest. Officials with nothing to hear, or without an address, get nothing (the digest names the latter).
    """
    by_address: dict[str, list[Notice]] = {}
    for n in notices.officials:
        if not n.empty and n.address:
            by_address.setdefault(n.address.lower(), []).append(n)
    drafts = [compose_official(_merge(group), notices) for group in by_address.values()]
    drafts.append(compose_digest(notices, office, waiting=waiting, notes=notes))
    return drafts


def compose_night(report: Report, a: Assessment | None, *, as_of: date, office: Sequence[str],
                  waiting: Sequence[str] = (), notes: Sequence[str] = ()) -> list[Draft]:
    """All of tonight's drafts from the night's assessment: per official and the digest, or, when the workbook
    could not be read (``a`` None or a fatal report), one alert to the Office saying why.

    ``waiting`` lists messages still in the outbox from earlier runs; ``notes`` are lines about the runs
    themselves (an earlier run that was stopped), shown in the digest or the alert.
    """
    wb = a.wb if a is not None else None
    recipients = office_addresses(office, wb)
    if a is None or report.fatal:
        reason = report.issues[0].message if report.issues else "không đọc được sổ theo dõi."
        unit = (wb.info.unit or "") if wb is not None else ""
        return [compose_alert(recipients, unit=unit, as_of=as_of, what=reason,
                              detail=[f"Sổ theo dõi: {report.workbook}", *notes])]
    return compose(plan_notices(a), recipients, waiting=waiting, notes=notes)
