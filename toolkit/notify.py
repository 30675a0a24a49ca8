"""Composing the nightly emails: what each official should hear, and the Office's digest.

``plan_notices`` routes every validation issue and every late or soon-due item to the people concerned:

- a problem in a ``Tiến độ`` row goes to the official who entered it (``Người cập nhật``) and to the owner of
  its item (``Phụ trách``, matched with ``people.owners_of``);
- a problem in a ``Kế hoạch`` row goes to the item's owner;
- everything else, and anything whose people have no usable address, goes to the Office.

``compose`` turns the notices into ``Draft`` messages (a subject, plain text and HTML), one per address, and
only for people with something to hear; ``to_message`` makes the MIME message. Composition never sends:
``mailer`` does. Names and texts from the workbook never reach a header unchecked: line breaks are folded
into spaces and an address must be a plain ``name@host`` (see ``settings.valid_address``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from typing import Literal

from .assess import Assessment
from .assess import ItemState as ItemProgress  # the facts of one item, as the emails list them
from .fmt import counts_line, mean_line, upper_first
from .issues import ERROR, Issue, Report
from .model import Official, ProgressRow, TrackingWorkbook
from .people import find_official, responsible
from .rules import email_address
from .schema import PLAN, PROGRESS
from .settings import valid_address

LIST_LIMIT = 200  # problems listed in one email; the rest are counted (the workbook check lists them all)
SECTION_CODES = {"overdue", "missing-report"}  # issues shown in their own sections, not as cells to fix
SEVERITY = {"error": "Lỗi", "warning": "Cảnh báo"}


@dataclass(frozen=True, slots=True)
class Problem:
    """One issue as one person should read it: the issue and why it is theirs (``dòng anh/chị nhập``)."""

    issue: Issue
    why: str


@dataclass(slots=True)
class Notice:
    """Everything one official should hear tonight. ``address`` is None when the roster has no usable one."""

    official: Official
    address: str | None
    problems: list[Problem] = field(default_factory=list)
    overdue: list[ItemProgress] = field(default_factory=list)
    due_soon: list[ItemProgress] = field(default_factory=list)
    unreported: dict[str, list[str]] = field(default_factory=dict)  # item code -> quarters (``Quý I/2023``)

    @property
    def empty(self) -> bool:
        return not (self.problems or self.overdue or self.due_soon or self.unreported)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.issue.severity == ERROR)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors


@dataclass(slots=True)
class Notices:
    """The whole night: one notice per official (roster order) and what only the Office can act on."""

    as_of: date
    unit: str
    workbook: str
    report: Report
    progress: Assessment | None
    officials: list[Notice]
    office: list[Issue]  # problems nobody else can be told about (other sheets, no owner, no address)
    due_soon: list[ItemProgress]
    responsible: dict[str, str]  # item code -> owners' names as shown in the digest


def address_of(official: Official) -> str | None:
    """The official's usable address from the ``Email`` cell (``rules.email_address``, the rule validation
    applies); None when blank or rejected."""
    return email_address(official.email)


def one_line(text: str) -> str:
    """``text`` safe for a header: every line break and control character folded into one space."""
    return " ".join(re.sub(r"[\x00-\x1f\x7f\u0085\u2028\u2029]", " ", text).split())


def plan_notices(a: Assessment) -> Notices:
    """Route every issue and every late, soon-due or unreported item of the assessment to the people concerned."""
    wb, report = a.wb, a.report
    officials = [p for p in wb.officials if p.name]
    notices: dict[int, Notice] = {id(p): Notice(p, address_of(p)) for p in officials}
    rows = {r.row: r for r in wb.progress}
    states = {s.item.row: s for s in a.items}
    by_code = {s.code: s for s in a.items}
    office: list[Issue] = []

    for i in report.issues:
        if i.code in SECTION_CODES:
            continue  # told in their own sections, from the assessment
        targets: list[tuple[Official, str]] = []
        if i.sheet == PROGRESS.name and i.row is not None and i.row in rows:
            row = rows[i.row]
            where = _row_label(row)
            entered = find_official(row.updater, officials)
            if entered is not None:
                targets.append((entered, f"dòng anh/chị nhập{where}"))
            owner_state = by_code.get(row.code or "")
            for person in owner_state.owners if owner_state is not None else ():
                targets.append((person, f"nội dung anh/chị phụ trách{where}"))
        elif i.sheet == PLAN.name and i.row is not None and i.row in states:
            s = states[i.row]
            for person in s.owners:
                targets.append((person, f"nội dung {s.code} anh/chị phụ trách"))
        told = False
        seen: set[int] = set()
        for person, why in targets:
            if id(person) in seen:
                continue
            seen.add(id(person))
            notice = notices[id(person)]
            notice.problems.append(Problem(i, why))
            told = told or notice.address is not None
        if not told:
            office.append(i)

    for s in a.items:
        for person in s.owners:
            notice = notices[id(person)]
            if s.overdue:
                notice.overdue.append(s)
            elif s.due_soon:
                notice.due_soon.append(s)
            if s.missing:
                notice.unreported[s.code] = [q.label for q in s.missing]
    return Notices(
        as_of=a.as_of,
        unit=one_line(wb.info.unit or wb.info.body_name or ""),
        workbook=Path(report.workbook).name,
        report=report,
        progress=a,
        officials=[notices[id(p)] for p in officials],
        office=office,
        due_soon=a.due_soon,
        responsible={s.code: responsible(s.item, officials) for s in a.items},
    )


def _row_label(row: ProgressRow) -> str:
    parts = [f"nội dung {row.code}" if row.code else "", row.period.label if row.period else ""]
    shown = ", ".join(p for p in parts if p)
    return f" ({shown})" if shown else ""


@dataclass(frozen=True, slots=True)
class Draft:
    """One email before it is a MIME message: recipients, subject, and the two bodies.

    ``kind`` is ``official``, ``office`` (the digest) or ``alert`` (the run failed or the workbook could not be
    read). ``addresses`` is empty when nobody can receive it (no Office address set anywhere).
    """

    kind: Literal["official", "office", "alert"]
    name: str
    addresses: tuple[str, ...]
    subject: str
    text: str
    html: str


# ---------------------------------------------------------------- rendering helpers


def pct(value: float | None) -> str:
    """``95,2%``; ``chưa xác định`` for None."""
    if value is None:
        return "chưa xác định"
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",") + "%"


def _day(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def _short(text: str | None, limit: int = 90) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


class _Doc:
    """A message written once into both bodies: plain text lines and HTML."""

    def __init__(self) -> None:
        self.text: list[str] = []
        self.html: list[str] = []

    def para(self, text: str) -> None:
        self.text += [text, ""]
        self.html.append(f"<p>{_e(text)}</p>")

    def heading(self, text: str) -> None:
        self.text += [text, "-" * min(len(text), 70)]
        self.html.append(f'<h3 style="margin:18px 0 6px">{_e(text)}</h3>')

    def bullets(self, lines: Sequence[str], more: int = 0) -> None:
        self.text += [f"  - {line}" for line in lines]
        items = "".join(f"<li>{_e(line)}</li>" for line in lines)
        if more:
            self.text.append(f"  ... và {more} vấn đề khác.")
            items += f"<li>... và {more} vấn đề khác.</li>"
        self.text.append("")
        self.html.append(f"<ul>{items}</ul>")

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]], more: int = 0) -> None:
        for row in rows:
            self.text.append("  - " + " | ".join(c for c in row if c))
        if more:
            self.text.append(f"  ... và {more} vấn đề khác.")
        self.text.append("")
        cell = 'style="border:1px solid #bbb;padding:3px 6px;vertical-align:top"'
        head = "".join(f"<th {cell}>{_e(h)}</th>" for h in headers)
        body = "".join("<tr>" + "".join(f"<td {cell}>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
        tail = f"<p>... và {more} vấn đề khác.</p>" if more else ""
        self.html.append(f'<table style="border-collapse:collapse;font-size:14px"><tr>{head}</tr>{body}</table>{tail}')

    def bodies(self) -> tuple[str, str]:
        text = "\n".join(self.text).rstrip() + "\n"
        body = "\n".join(self.html)
        page = ('<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"></head>\n'
                f'<body style="font-family:Arial,sans-serif;font-size:15px">\n{body}\n</body></html>\n')
        return text, page


_FOOTER = ("Thư này do máy gửi tự động từ sổ theo dõi kế hoạch khắc phục Chỉ số CCHC; xin đừng trả lời thư này. "
           "Sửa trực tiếp trong sổ theo dõi, lần kiểm tra đêm sau sẽ cập nhật.")


def _issue_row(i: Issue) -> list[str]:
    return [i.ref or (i.sheet or "Toàn tệp"), i.column or "", SEVERITY[i.severity], i.message]


def _item_line(ip: ItemProgress) -> str:
    deadline = _day(ip.item.deadline) or (ip.item.deadline_note or "không ghi")
    return f"{ip.code} {_short(ip.item.content, 70)}: thời hạn {deadline}, mức hoàn thành {pct(ip.completion)}"


def _subject(kind: str, unit: str, as_of: date, summary: str) -> str:
    where = f" {unit}" if unit else ""
    return one_line(f"{kind}{where} ngày {_day(as_of)}: {summary}")


def _count_phrase(parts: Iterable[tuple[int, str]]) -> str:
    return ", ".join(f"{n} {label}" for n, label in parts if n)


def compose_official(n: Notice, notices: Notices) -> Draft:
    """The email to one official (the caller only asks for non-empty notices with an address)."""
    name = one_line(n.official.name or "")
    doc = _Doc()
    doc.para(f"Kính gửi {name},")
    doc.para(f"Kết quả kiểm tra sổ theo dõi kế hoạch khắc phục Chỉ số CCHC {notices.unit} ({notices.workbook}) "
             f"ngày {_day(notices.as_of)} có những việc anh/chị cần xem:")
    if n.problems:
        doc.heading(f"Ô cần sửa ({len(n.problems)})")
        shown = n.problems[:LIST_LIMIT]
        doc.table(("Ô", "Cột", "Mức", "Cần sửa", "Vì sao anh/chị nhận"),
                  [[*_issue_row(p.issue), p.why] for p in shown], more=len(n.problems) - len(shown))
    if n.overdue:
        doc.heading(f"Nội dung đã quá hạn ({len(n.overdue)})")
        doc.bullets([_item_line(ip) for ip in n.overdue])
    if n.due_soon:
        doc.heading(f"Nội dung sắp đến hạn ({len(n.due_soon)})")
        doc.bullets([_item_line(ip) for ip in n.due_soon])
    if n.unreported:
        doc.heading("Quý chưa báo cáo")
        doc.bullets([f"{code}: {', '.join(periods)} (chưa có dòng trong sheet Tiến độ)"
                     for code, periods in n.unreported.items()])
    doc.para(_FOOTER)
    text, page = doc.bodies()
    summary = _count_phrase([(len(n.problems), "ô cần sửa"), (len(n.overdue), "nội dung quá hạn"),
                             (len(n.due_soon), "nội dung sắp đến hạn"),
                             (sum(len(v) for v in n.unreported.values()), "quý chưa báo cáo")])
    return Draft("official", name, (n.address,) if n.address else (),
                 _subject("Nhắc việc CCHC", notices.unit, notices.as_of, summary), text, page)


def compose_digest(notices: Notices, office: Sequence[str], *, waiting: Sequence[str] = ()) -> Draft:
    """The Office's digest: counts, completion per item, overdue, who has problems, and the rest in full.

    ``waiting`` lists messages still in the outbox from earlier runs (one line each), shown so the Office
    knows who has not been reached.
    """
    report, progress = notices.report, notices.progress
    doc = _Doc()
    doc.para("Kính gửi Văn phòng,")
    period = f", kỳ {progress.period.label}" if progress else ""
    doc.para(f"Tổng hợp sổ theo dõi kế hoạch khắc phục Chỉ số CCHC {notices.unit} ({notices.workbook}) "
             f"ngày {_day(notices.as_of)}{period}.")
    doc.heading("Kiểm tra số liệu")
    doc.para(f"{report.errors} lỗi, {report.warnings} cảnh báo trong sổ theo dõi.")
    if progress is not None:
        doc.heading("Tiến độ")
        doc.para(f"{upper_first(counts_line(progress))}; {mean_line(progress)}.")
        rows = []
        for ip in progress.items:
            flag = "Quá hạn" if ip.overdue else ("Sắp đến hạn" if ip in notices.due_soon else "")
            if not ip.reported:
                flag = ", ".join(f for f in (flag, "Chưa báo cáo") if f)
            rows.append([ip.code, _short(ip.item.content, 60), notices.responsible.get(ip.code, ""),
                         pct(ip.target) if ip.target is not None else "chưa lượng hóa", pct(ip.ratio),
                         pct(ip.completion), ip.status or "Chưa báo cáo",
                         _day(ip.item.deadline) or (ip.item.deadline_note or ""), flag])
        doc.table(("Mã", "Nội dung", "Phụ trách", "Chỉ tiêu", "Tỷ lệ", "Hoàn thành", "Tình trạng", "Thời hạn",
                   "Ghi chú"), rows)
        if progress.overdue:
            doc.heading(f"Quá hạn ({len(progress.overdue)})")
            doc.bullets([_item_line(ip) for ip in progress.overdue])
        if notices.due_soon:
            doc.heading(f"Sắp đến hạn ({len(notices.due_soon)})")
            doc.bullets([_item_line(ip) for ip in notices.due_soon])
    unreported = {s.code: [q.label for q in s.missing] for s in progress.items if s.missing} if progress else {}
    if unreported:
        doc.heading(f"Quý chưa báo cáo ({sum(len(v) for v in unreported.values())})")
        doc.bullets([f"{code}: {', '.join(periods)}" for code, periods in unreported.items()])
    people = [n for n in notices.officials if not n.empty]
    if people:
        doc.heading("Cán bộ có việc cần xem")
        lines = []
        for n in people:
            what = _count_phrase([(n.errors, "lỗi"), (n.warnings, "cảnh báo"), (len(n.overdue), "quá hạn"),
                                  (len(n.due_soon), "sắp đến hạn"),
                                  (sum(len(v) for v in n.unreported.values()), "quý chưa báo cáo")])
            how = (f"gửi thư tới {n.address}" if n.address
                   else "chưa có email hợp lệ trong sheet Cán bộ, cần báo trực tiếp")
            lines.append(f"{one_line(n.official.name or '')}: {what} ({how})")
        doc.bullets(lines)
    if notices.office:
        doc.heading(f"Vấn đề Văn phòng cần xử lý ({len(notices.office)})")
        shown = notices.office[:LIST_LIMIT]
        doc.table(("Ô", "Cột", "Mức", "Cần sửa"), [_issue_row(i) for i in shown],
                  more=len(notices.office) - len(shown))
    if waiting:
        doc.heading(f"Thư chưa gửi được ({len(waiting)})")
        doc.bullets(list(waiting))
    doc.para(_FOOTER)
    text, page = doc.bodies()
    summary = ", ".join(s for s in (counts_line(progress) if progress else "",
                                    f"{report.errors} lỗi", f"{report.warnings} cảnh báo") if s)
    return Draft("office", "Văn phòng", tuple(office), _subject("Tổng hợp CCHC", notices.unit, notices.as_of, summary),
                 text, page)


def compose_alert(office: Sequence[str], *, unit: str, as_of: date, what: str, detail: Sequence[str] = ()) -> Draft:
    """A short message to the Office that the night's check could not be done, and why (``what``)."""
    doc = _Doc()
    doc.para("Kính gửi Văn phòng,")
    doc.para(f"Lần kiểm tra sổ theo dõi kế hoạch khắc phục Chỉ số CCHC ngày {_day(as_of)} chưa thực hiện được: "
             f"{what}")
    if detail:
        doc.bullets(list(detail))
    doc.para("Các cán bộ chưa nhận được thư nhắc việc đêm nay. Sau khi khắc phục, lần chạy sau sẽ tự kiểm tra lại; "
             "có thể chạy ngay bằng lệnh: cchc nightly --once")
    doc.para(_FOOTER)
    text, page = doc.bodies()
    return Draft("alert", "Văn phòng", tuple(office),
                 _subject("Lỗi kiểm tra CCHC", one_line(unit), as_of, "chưa gửi được nhắc việc"), text, page)


def office_addresses(configured: Sequence[str], wb: TrackingWorkbook | None) -> tuple[str, ...]:
    """The digest's recipients: ``notify.office`` when set, else the workbook's valid ``Email Văn phòng``."""
    if configured:
        return tuple(configured)
    address = email_address(wb.info.office_email) if wb is not None else None
    return (address,) if address else ()


def compose(notices: Notices, office: Sequence[str], *, waiting: Sequence[str] = ()) -> list[Draft]:
    """One draft per address with something to hear (officials sharing an address get one email), then the
    digest. Officials with nothing to hear, or without an address, get nothing (the digest names the latter).
    """
    drafts: list[Draft] = []
    by_address: dict[str, list[Notice]] = {}
    for n in notices.officials:
        if not n.empty and n.address:
            by_address.setdefault(n.address.lower(), []).append(n)
    for group in by_address.values():
        if len(group) == 1:
            drafts.append(compose_official(group[0], notices))
            continue
        merged = Notice(group[0].official, group[0].address)
        for n in group:
            merged.problems += [p for p in n.problems if p not in merged.problems]
            merged.overdue += [ip for ip in n.overdue if ip not in merged.overdue]
            merged.due_soon += [ip for ip in n.due_soon if ip not in merged.due_soon]
            for code, periods in n.unreported.items():
                merged.unreported.setdefault(code, []).extend(p for p in periods if p not in merged.unreported[code])
        draft = compose_official(merged, notices)
        names = ", ".join(one_line(n.official.name or "") for n in group)
        drafts.append(Draft(draft.kind, names, draft.addresses, draft.subject,
                            draft.text.replace(f"Kính gửi {draft.name},", f"Kính gửi {names},", 1),
                            draft.html.replace(f"Kính gửi {_e(draft.name)},", f"Kính gửi {_e(names)},", 1)))
    drafts.append(compose_digest(notices, office, waiting=waiting))
    return drafts


def compose_night(report: Report, a: Assessment | None, *, as_of: date, office: Sequence[str],
                  waiting: Sequence[str] = ()) -> list[Draft]:
    """All of tonight's drafts from the night's assessment: per official and the digest, or, when the workbook
    could not be read (``a`` None or a fatal report), one alert to the Office saying why.
    """
    wb = a.wb if a is not None else None
    recipients = office_addresses(office, wb)
    if a is None or report.fatal:
        reason = report.issues[0].message if report.issues else "không đọc được sổ theo dõi."
        unit = (wb.info.unit or "") if wb is not None else ""
        return [compose_alert(recipients, unit=unit, as_of=as_of, what=reason,
                              detail=[f"Sổ theo dõi: {report.workbook}"])]
    return compose(plan_notices(a), recipients, waiting=waiting)


class _MailPolicy(EmailPolicy):
    """``policy.SMTP``, except that a non-ASCII Subject is folded by ``email.header.Header``.

    The modern folder drops the space between two encoded words when it folds a long Vietnamese subject
    (``08/01/2024: chưa`` arrives as ``08/01/2024:chưa``); the legacy encoder keeps it inside the word.
    """

    def fold(self, name: str, value: str) -> str:
        if name.lower() == "subject" and not str(value).isascii():
            encoded = Header(str(value), "utf-8", maxlinelen=self.max_line_length, header_name=name)
            return f"{name}: {encoded.encode(linesep=self.linesep)}{self.linesep}"
        return super().fold(name, value)

    def fold_binary(self, name: str, value: str) -> bytes:
        if name.lower() == "subject" and not str(value).isascii():
            return self.fold(name, value).encode("ascii")
        return super().fold_binary(name, value)


MAIL_POLICY = _MailPolicy(linesep="\r\n")


def to_message(draft: Draft, *, sender: str, now: datetime) -> EmailMessage:
    """The MIME message of ``draft``: UTF-8 plain text with an HTML alternative, headers free of injection.

    Raises ``ValueError`` when the draft has no recipient (the caller decides what that means).
    """
    if not draft.addresses:
        raise ValueError("a message needs at least one recipient")
    msg = EmailMessage(policy=MAIL_POLICY)
    msg["Subject"] = one_line(draft.subject)
    msg["From"] = one_line(sender)
    name = one_line(draft.name)
    to = []
    for addr in draft.addresses:
        if not valid_address(addr):
            raise ValueError(f"not a plain address: {addr!r}")
        local, domain = addr.rsplit("@", 1)
        to.append(Address(display_name=name if len(draft.addresses) == 1 else "", username=local, domain=domain))
    msg["To"] = to
    msg["Date"] = format_datetime(now if now.tzinfo else now.astimezone())
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    msg["Message-ID"] = make_msgid(domain=domain)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(draft.text, subtype="plain", charset="utf-8")
    msg.add_alternative(draft.html, subtype="html", charset="utf-8")
    return msg


def write_previews(drafts: Sequence[Draft], folder: str | Path, *, sender: str,
                   now: datetime) -> list[tuple[Draft, Path]]:
    """Write each draft as ``<address>.eml`` plus readable ``.txt`` and ``.html`` into ``folder``.

    Drafts without a recipient are written under their kind (``office.eml``). Returns (draft, path) pairs.
    """
    from .files import write_bytes_atomic
    from .mailer import recipient_key, write_preview

    out: list[tuple[Draft, Path]] = []
    for draft in drafts:
        name = "+".join(recipient_key(a) for a in draft.addresses) or draft.kind
        shown = draft if draft.addresses else Draft(draft.kind, draft.name, ("chua-co-dia-chi@example.invalid",),
                                                    draft.subject, draft.text, draft.html)
        out.append((draft, write_preview(to_message(shown, sender=sender, now=now), folder, name)))
        out.append((draft, write_bytes_atomic(Path(folder) / f"{name}.txt", draft.text.encode("utf-8"))))
        out.append((draft, write_bytes_atomic(Path(folder) / f"{name}.html", draft.html.encode("utf-8"))))
    return out
