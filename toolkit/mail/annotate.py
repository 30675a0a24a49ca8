"""Tonight's memory in tonight's emails: the copy that failed, figures changed after a report, and the changes.

``annotate`` runs in ``night.run.run_once`` on the composed drafts with what ``history.gather`` found in the
child: the Office digest gets the backup problem, the drifts and every change; each official the changes in
their own rows (an official whose only news is such a change gets an email of their own).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from toolkit.core import words
from toolkit.mail.draft import FOOTER, LIST_LIMIT, Draft, MailDoc, escape, html_page, one_line
from toolkit.mail.notices import address_of
from toolkit.memory.changes import ACTION_LABELS, Change, concerns
from toolkit.memory.history import Night, night_changes, report_drifts

if TYPE_CHECKING:
    from toolkit.core.model import TrackingWorkbook

log = logging.getLogger("cchc.history")


def _changes_section(doc: MailDoc, changes: Sequence[Change], since: date) -> None:
    doc.heading(f"Thay đổi từ bản sao ngày {words.day(since)} ({len(changes)})")
    shown = changes[:LIST_LIMIT]
    rows = [[ACTION_LABELS[c.action], c.ref, "; ".join(p for p in (c.column, c.what) if p), c.old, c.new,
             c.updater] for c in shown]
    doc.table(("Thay đổi", "Ô", "Nội dung", "Giá trị cũ", "Giá trị mới", "Người cập nhật"), rows)
    if len(changes) > len(shown):
        doc.para(f"... và {len(changes) - len(shown)} thay đổi khác: so sánh sổ với bản sao ngày {words.day(since)} "
                 "trong thư mục sao lưu (xem bằng lệnh cchc backups).")


def _fragment(build: Callable[[MailDoc], None]) -> tuple[str, str]:
    doc = MailDoc()
    build(doc)
    return doc.fragment()


def _insert(draft: Draft, fragment: tuple[str, str]) -> Draft:
    """``draft`` with the fragment placed before its footer (at the end when it has none)."""
    text, html = fragment
    foot_text, foot_html = FOOTER, f"<p>{escape(FOOTER)}</p>"
    new_text = (draft.text.replace(foot_text, text + "\n" + foot_text, 1) if foot_text in draft.text
                else draft.text + "\n" + text)
    new_html = (draft.html.replace(foot_html, html + "\n" + foot_html, 1) if foot_html in draft.html
                else draft.html.replace("</body>", html + "\n</body>", 1))
    return replace(draft, text=new_text, html=new_html)


def office_fragment(night: Night, changes: Sequence[Change], drifts: Sequence[str]) -> tuple[str, str] | None:
    """The digest's sections: the copy that failed, figures changed after a report, then the change list."""
    if not (night.problem or night.notes or drifts or changes):
        return None

    def build(doc: MailDoc) -> None:
        if night.problem or night.notes:
            doc.heading("Sao lưu sổ theo dõi")
            if night.problem:
                doc.bullets([f"Chưa sao lưu được sổ theo dõi ngày {words.day(night.day)}: {night.problem}"])
            if night.notes:
                doc.bullets(night.notes)
        if drifts:
            doc.heading(f"Số liệu đã thay đổi sau khi báo cáo ({len(drifts)})")
            doc.bullets(list(drifts))
        if changes and night.previous is not None:
            _changes_section(doc, changes, night.previous.day)

    return _fragment(build)


def _official_draft(name: str, address: str, unit: str, day: date, fragment: tuple[str, str],
                    count: int) -> Draft:
    def build(doc: MailDoc) -> None:
        doc.para(f"Kính gửi {name},")
        doc.para(f"Sổ theo dõi kế hoạch khắc phục Chỉ số CCHC {unit} có thay đổi trong các dòng anh/chị nhập "
                 "hoặc phụ trách:")

    head_text, head_html = _fragment(build)
    where = f" {unit}" if unit else ""
    foot_text, foot_html = _fragment(lambda doc: doc.para(FOOTER))
    text = "\n".join((head_text, fragment[0], foot_text)).rstrip() + "\n"
    html = html_page(f"{head_html}\n{fragment[1]}\n{foot_html}")
    subject = one_line(f"Nhắc việc CCHC{where} ngày {words.day(day)}: {count} thay đổi trong dòng anh/chị phụ trách")
    return Draft("official", name, (address,), subject, text, html)


def annotate(drafts: list[Draft], night: Night, wb: TrackingWorkbook | None, *,
             drifts: Sequence[str] = ()) -> list[Draft]:
    """The drafts with tonight's memory added: the Office digest gets the copy problem, ``drifts`` (figures
    changed after a report) and every change; each official the changes in their own rows. Never raises: on
    an unexpected failure the drafts go out as they were."""
    try:
        return _annotate(drafts, night, wb, drifts=drifts)
    except Exception:
        log.exception("Không thêm được mục thay đổi vào thư đêm %s.", night.day.isoformat())
        return drafts


def _annotate(drafts: list[Draft], night: Night, wb: TrackingWorkbook | None, *,
              drifts: Sequence[str] = ()) -> list[Draft]:
    changes = night.changes if night.changes is not None else night_changes(night, wb)
    current = night.kept.wb if night.kept is not None else wb
    if not drifts and night.drifts is not None:
        drifts = night.drifts
    elif not drifts and current is not None:
        drifts = report_drifts(night.workbook, current)
    out = list(drafts)
    office = office_fragment(night, changes, drifts)
    if office is not None:
        out = [_insert(d, office) if d.kind in ("office", "alert") else d for d in out]
    if not changes or current is None or night.previous is None:
        return out
    officials = [p for p in current.officials if p.name]

    def owners(code: str) -> list[str]:
        return [it.owner for it in current.items if it.code == code and it.owner]

    by_address: dict[str, tuple[str, list[str], list[Change]]] = {}
    for person in officials:
        address = address_of(person)
        mine = [c for c in changes if concerns(c, person, officials, owners)]
        if address and mine:
            _, names, seen = by_address.setdefault(address.lower(), (address, [], []))
            names.append(one_line(person.name or ""))
            seen += [c for c in mine if c not in seen]
    since = night.previous.day
    unit = one_line(current.info.unit or current.info.body_name or "")
    for key, (address, names, mine) in by_address.items():
        fragment = _fragment(lambda doc, mine=mine: _changes_section(doc, mine, since))
        index = next((i for i, d in enumerate(out) if d.kind == "official"
                      and [a.lower() for a in d.addresses] == [key]), None)
        if index is not None:
            out[index] = _insert(out[index], fragment)
        else:
            out.insert(len(out) - 1 if out and out[-1].kind == "office" else len(out),
                       _official_draft(", ".join(names), address, unit, night.day, fragment, len(mine)))
    return out
