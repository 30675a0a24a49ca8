"""The workbook's memory in the nightly run: today's copy, what changed since the last one, and figures
changed after a report was issued, added to the night's emails.

Two steps. ``gather`` runs in the child process that reads the workbook (``nightcheck``, under its memory and
time caps), since everything in it needs whole workbooks: it keeps today's copy (the very copy the check read;
never raises: a failure becomes a warning in the Office digest), reads it back, finds the copy before it,
lists the changes since that copy and the figures changed after a report (``ledger.drifts``). ``annotate``
runs in ``nightly.run_once`` on the composed drafts with those small results (adds the sections; an official
whose only news is a change in their rows gets an email of their own).
"""

from __future__ import annotations

import logging
import time as _time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .backups import BackupFailed, Copy, Keeping, Kept, copy_name, keep_copy, previous_copy
from .changes import ACTION_LABELS, Change, compare, concerns
from .fmt import day as day_text

if TYPE_CHECKING:  # the child (``gather``) never composes: the email modules load only where the drafts are
    from .compose_mail import Draft, _Doc
    from .model import TrackingWorkbook

__all__ = ["Keeping", "Night", "annotate", "gather", "keep", "night_changes", "office_fragment"]

log = logging.getLogger("cchc.history")


@dataclass(slots=True)
class Night:
    """Today's copy (None when it could not be kept, or in a dry run), the copy before it, and why no copy
    was kept (``problem``), for the Office."""

    day: date
    workbook: Path
    kept: Kept | None = None
    previous: Copy | None = None
    problem: str | None = None
    notes: list[str] = field(default_factory=list)
    changes: list[Change] | None = None  # set by ``gather``; None: ``annotate`` compares the copies itself
    drifts: list[str] | None = None  # likewise, ``ledger.drifts``


def keep(keeping: Keeping, *, day: date, taken: Path | None = None, attempts: int = 3, wait: float = 20.0,
         sleep: Callable[[float], None] = _time.sleep) -> Night:
    """Keep today's copy of the workbook (not in a dry run; ``taken``: a whole copy already taken) and find the
    copy before it. Never raises."""
    folder, workbook = keeping.folder, keeping.workbook
    night = Night(day, workbook)
    try:
        night.previous = previous_copy(folder, workbook, day)
        if keeping.dry_run:
            return night
        night.kept = keep_copy(workbook, folder, day=day, keep_days=keeping.keep_days, monthly=keeping.monthly,
                               attempts=attempts, wait=wait, sleep=sleep, taken=taken)
    except BackupFailed as exc:
        night.problem = str(exc)
    except OSError as exc:
        night.problem = f"không dùng được thư mục sao lưu {folder}: {exc}"
    except Exception as exc:  # a backup must never stop the emails
        night.problem = f"lỗi không mong đợi: {type(exc).__name__}: {exc}"
        log.exception("Sao lưu ngày %s bị lỗi.", day.isoformat())
    if night.problem:
        log.error("Không sao lưu được sổ theo dõi vào %s: %s", folder / copy_name(workbook, day), night.problem)
    return night


def gather(keeping: Keeping, *, day: date, taken: Path, wb: TrackingWorkbook) -> Night:
    """Everything tonight's emails say about the workbook's history, from whole workbooks (the child's part):
    today's copy kept from ``taken`` (the copy ``wb`` was read from), the changes since the copy before it and
    the figures changed after a report. Never raises."""
    night = keep(keeping, day=day, taken=taken)
    try:
        night.changes = night_changes(night, wb)
    except Exception:
        log.exception("Không so sánh được sổ với bản sao trước.")
        night.changes = []
    night.drifts = _drifts(keeping.workbook, night.kept.wb if night.kept is not None else wb)
    return night


def night_changes(night: Night, wb: TrackingWorkbook | None) -> list[Change]:
    """Changes from the previous copy to today's copy (or to ``wb`` when no copy was kept today)."""
    from .reader import UnreadableWorkbook, read_workbook

    new = night.kept.wb if night.kept is not None else wb
    if night.previous is None or new is None:
        return []
    try:
        old = read_workbook(night.previous.path)
    except UnreadableWorkbook as exc:
        night.notes.append(f"Bản sao ngày {day_text(night.previous.day)} không đọc được để so sánh: "
                           f"{exc.issue.message}")
        return []
    return compare(old, new, old_label=f"trong bản sao ngày {day_text(night.previous.day)}")


def _drifts(workbook: Path, wb: TrackingWorkbook) -> list[str]:
    """Figures changed after a report was issued (``ledger.drifts``); a broken ledger never stops the emails."""
    from .ledger import drifts

    try:
        return drifts(workbook, wb)
    except Exception:
        log.exception("Không đối chiếu được sổ cái báo cáo.")
        return []


def _changes_section(doc: _Doc, changes: Sequence[Change], since: date) -> None:
    from .compose_mail import LIST_LIMIT

    doc.heading(f"Thay đổi từ bản sao ngày {day_text(since)} ({len(changes)})")
    shown = changes[:LIST_LIMIT]
    rows = [[ACTION_LABELS[c.action], c.ref, "; ".join(p for p in (c.column, c.what) if p), c.old, c.new,
             c.updater] for c in shown]
    doc.table(("Thay đổi", "Ô", "Nội dung", "Giá trị cũ", "Giá trị mới", "Người cập nhật"), rows)
    if len(changes) > len(shown):
        doc.para(f"... và {len(changes) - len(shown)} thay đổi khác: so sánh sổ với bản sao ngày {day_text(since)} "
                 "trong thư mục sao lưu (xem bằng lệnh cchc backups).")


def _fragment(build: Callable[[_Doc], None]) -> tuple[str, str]:
    from .compose_mail import _Doc

    doc = _Doc()
    build(doc)
    return "\n".join(doc.text), "\n".join(doc.html)


def _insert(draft: Draft, fragment: tuple[str, str]) -> Draft:
    """``draft`` with the fragment placed before its footer (at the end when it has none)."""
    from .compose_mail import _FOOTER, _e

    text, html = fragment
    foot_text, foot_html = _FOOTER, f"<p>{_e(_FOOTER)}</p>"
    new_text = (draft.text.replace(foot_text, text + "\n" + foot_text, 1) if foot_text in draft.text
                else draft.text + "\n" + text)
    new_html = (draft.html.replace(foot_html, html + "\n" + foot_html, 1) if foot_html in draft.html
                else draft.html.replace("</body>", html + "\n</body>", 1))
    return replace(draft, text=new_text, html=new_html)


def office_fragment(night: Night, changes: Sequence[Change], drifts: Sequence[str]) -> tuple[str, str] | None:
    """The digest's sections: the copy that failed, figures changed after a report, then the change list."""
    if not (night.problem or night.notes or drifts or changes):
        return None

    def build(doc: _Doc) -> None:
        if night.problem or night.notes:
            doc.heading("Sao lưu sổ theo dõi")
            if night.problem:
                doc.bullets([f"Chưa sao lưu được sổ theo dõi ngày {day_text(night.day)}: {night.problem}"])
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
    from .compose_mail import _FOOTER, Draft, _Doc, one_line

    def build(doc: _Doc) -> None:
        doc.para(f"Kính gửi {name},")
        doc.para(f"Sổ theo dõi kế hoạch khắc phục Chỉ số CCHC {unit} có thay đổi trong các dòng anh/chị nhập "
                 "hoặc phụ trách:")

    head_text, head_html = _fragment(build)
    where = f" {unit}" if unit else ""
    doc = _Doc()
    doc.para(_FOOTER)
    foot_text, foot_html = "\n".join(doc.text), "\n".join(doc.html)
    text = "\n".join((head_text, fragment[0], foot_text)).rstrip() + "\n"
    html = ('<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"></head>\n'
            f'<body style="font-family:Arial,sans-serif;font-size:15px">\n{head_html}\n{fragment[1]}\n'
            f'{foot_html}\n</body></html>\n')
    subject = one_line(f"Nhắc việc CCHC{where} ngày {day_text(day)}: {count} thay đổi trong dòng anh/chị phụ trách")
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
    from .compose_mail import one_line
    from .notify import address_of

    changes = night.changes if night.changes is not None else night_changes(night, wb)
    current = night.kept.wb if night.kept is not None else wb
    if not drifts and night.drifts is not None:
        drifts = night.drifts
    elif not drifts and current is not None:
        drifts = _drifts(night.workbook, current)
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
