"""Writing the nightly emails: an official's reminder, the Office's digest, the alert, and their MIME form.

Each message is written once into two bodies (plain text with aligned tables, and HTML) as a ``Draft``;
``to_message`` makes the MIME message. Every fact is written by ``toolkit.fmt``, so the digest's subject and
headline say exactly ``fmt.counts_line`` (the words of the report, ``cchc status`` and the Excel button).
Who hears what is decided before, in ``notify``; nothing here routes, and nothing here sends (``mailer``
does). Names and texts from the workbook never reach a header unchecked: line breaks are folded into spaces
and a recipient must be a plain ``name@host`` (``rules.plain_address``).
"""

from __future__ import annotations

import binascii
import html
import random
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email.contentmanager import ContentManager
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .fmt import (
    SEVERITY_LABELS,
    codes,
    completion_text,
    counts_line,
    day,
    mean_line,
    percent,
    target_phrase,
    upper_first,
)
from .issues import Issue
from .rules import plain_address

if TYPE_CHECKING:
    from .assess import Assessment, ItemState
    from .notify import Notice, Notices

LIST_LIMIT = 200  # problems listed in one email; the rest are counted (the workbook check lists them all)
TEXT_COLUMN = 40  # widest a plain-text column is padded to; longer cells run on (the last column never pads)


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


# ---------------------------------------------------------------- writing helpers


def one_line(text: str) -> str:
    """``text`` safe for a header: every line break and control character folded into one space."""
    return " ".join(re.sub(r"[\x00-\x1f\x7f\u0085\u2028\u2029]", " ", text).split())


def _short(text: str | None, limit: int = 90) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_HTML_SPECIAL = re.compile("[&<>\"']")


def _e(text: object) -> str:
    """``html.escape(text, quote=True)``, skipped for the many cells with nothing to escape."""
    shown = str(text)
    return html.escape(shown, quote=True) if _HTML_SPECIAL.search(shown) else shown


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A plain-text table: a header row, a rule, and one line per row, columns aligned and separated by
    `` | `` (a blank cell stays a blank column, so every value stays under its header)."""
    widths = [min(TEXT_COLUMN, max(len(str(r[i])) for r in [headers, *rows])) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        padded = [str(c).ljust(w) for c, w in zip(cells[:-1], widths[:-1], strict=True)] + [str(cells[-1])]
        return ("  " + " | ".join(padded)).rstrip()

    rule = "  " + "-+-".join("-" * w for w in widths)
    return [line(headers), rule, *(line(r) for r in rows)]


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
        self.text += text_table(headers, rows)
        if more:
            self.text.append(f"  ... và {more} vấn đề khác.")
        self.text.append("")
        cell = 'style="border:1px solid #bbb;padding:3px 6px;vertical-align:top"'
        head = "".join(f"<th {cell}>{_e(h)}</th>" for h in headers)
        between = f"</td><td {cell}>"
        body = "".join(f"<tr><td {cell}>{between.join(map(_e, row))}</td></tr>" if row else "<tr></tr>" for row in rows)
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
    return [i.ref or (i.sheet or "Toàn tệp"), i.column or "", SEVERITY_LABELS[i.severity], i.message]


def _deadline(s: ItemState) -> str:
    return day(s.item.deadline) or (s.item.deadline_note or "")


def _item_line(s: ItemState) -> str:
    return (f"{s.code} {_short(s.item.content, 70)}: thời hạn {_deadline(s) or 'không ghi'}, "
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


def _items_section(doc: _Doc, title: str, states: Sequence[ItemState]) -> None:
    """``title (N)`` and one line per item (code, content, deadline, completion); nothing when there is none."""
    if states:
        doc.heading(f"{title} ({len(states)})")
        doc.bullets([_item_line(s) for s in states])


def compose_official(n: Notice, notices: Notices) -> Draft:
    """The email to one address: the notice of one official, or of several sharing the address (``n.names``)."""
    doc = _Doc()
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
        doc.bullets([f"{s.code} {_short(s.item.content, 70)}: chưa có dòng {a.period.label} trong sheet Tiến độ"
                     for s in n.to_update])
    doc.para(_FOOTER)
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
    return [s.code, _short(s.item.content, 60), owners, target_phrase(s.kind, s.target), percent(s.ratio),
            completion_text(s), s.status or "Chưa báo cáo", _deadline(s), ", ".join(f for f in flags if f)]


def _progress_section(doc: _Doc, a: Assessment) -> None:
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


def _office_sections(doc: _Doc, notices: Notices, waiting: Sequence[str], notes: Sequence[str]) -> None:
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

    The subject and the headline say ``fmt.counts_line`` (then the errors, when any). ``waiting`` lists
    messages still in the outbox from earlier runs (one line each), so the Office knows who has not been
    reached; ``notes`` are lines about the runs themselves (a run that was stopped).
    """
    a, report = notices.assessment, notices.report
    doc = _Doc()
    doc.para("Kính gửi Văn phòng,")
    doc.para(f"Tổng hợp {_intro(notices)}, kỳ {a.period.label}.")
    doc.heading("Kiểm tra số liệu")
    doc.para(f"{report.errors} lỗi, {report.warnings} cảnh báo trong sổ theo dõi.")
    _progress_section(doc, a)
    if a.to_update:
        doc.para(f"Hạn cập nhật số liệu {a.period.label}: {day(a.report_due)}; {len(a.to_update)} nội dung chưa có "
                 f"dòng kỳ này ({codes(a.to_update)}); các cán bộ phụ trách đã được nhắc.")
    _office_sections(doc, notices, waiting, notes)
    doc.para(_FOOTER)
    text, page = doc.bodies()
    summary = counts_line(a) + (f"; {report.errors} lỗi" if report.errors else "")
    return Draft("office", "Văn phòng", tuple(office), _subject("Tổng hợp CCHC", notices.unit, notices.as_of, summary),
                 text, page)


def compose_alert(office: Sequence[str], *, unit: str, as_of: date, what: str, detail: Sequence[str] = ()) -> Draft:
    """A short message to the Office that the night's check could not be done, and why (``what``)."""
    doc = _Doc()
    doc.para("Kính gửi Văn phòng,")
    doc.para(f"Lần kiểm tra sổ theo dõi kế hoạch khắc phục Chỉ số CCHC ngày {day(as_of)} chưa thực hiện được: "
             f"{what}")
    if detail:
        doc.bullets(list(detail))
    doc.para("Các cán bộ chưa nhận được thư nhắc việc đêm nay. Sau khi khắc phục, lần chạy sau sẽ tự kiểm tra lại; "
             "có thể chạy ngay bằng lệnh: cchc nightly --once")
    doc.para(_FOOTER)
    text, page = doc.bodies()
    return Draft("alert", "Văn phòng", tuple(office),
                 _subject("Lỗi kiểm tra CCHC", one_line(unit), as_of, "chưa gửi được nhắc việc"), text, page)


# ---------------------------------------------------------------- the MIME message


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
    """The MIME message of ``draft``: UTF-8 plain text with an HTML alternative (both base64, 7-bit clean),
    headers free of injection.

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
        if not plain_address(addr):
            raise ValueError(f"not a plain address: {addr!r}")
        local, domain = addr.rsplit("@", 1)
        to.append(Address(display_name=name if len(draft.addresses) == 1 else "", username=local, domain=domain))
    msg["To"] = to
    msg["Date"] = format_datetime(now if now.tzinfo else now.astimezone())
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    msg["Message-ID"] = make_msgid(domain=domain)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(draft.text, subtype="plain", content_manager=BASE64_TEXT)
    msg.add_alternative(draft.html, subtype="html", content_manager=BASE64_TEXT)
    # No base64 line contains "-": a boundary of the generator's own form needs no search through the bodies.
    msg.set_boundary("=" * 15 + f"{random.randrange(sys.maxsize):019d}==")
    return msg


def _set_base64_text(part: EmailMessage, text: str, subtype: str = "plain") -> None:
    """``part`` as ``text/<subtype>; charset="utf-8"`` in base64: what ``set_content`` writes when it picks
    base64 (lines joined by the policy's line separator, 76 characters a line, RFC 2045), without its loop per
    line and without trying quoted-printable first (pure Python: a tenth of a second on a 1,000-item digest).
    Base64 is 7-bit clean, so any server takes it (no 8BITMIME needed); a mail client shows the same text."""
    linesep = part.policy.linesep.encode("ascii")
    data = text.encode("utf-8").replace(b"\r\n", b"\n").replace(b"\r", b"\n").replace(b"\n", linesep)
    if not data.endswith(linesep):  # as ``splitlines`` then joining and ending each line with ``linesep``
        data += linesep
    encoded = binascii.b2a_base64(data, newline=False).decode("ascii")
    part["Content-Type"] = f"text/{subtype}"
    part.set_param("charset", "utf-8", replace=True)
    part["Content-Transfer-Encoding"] = "base64"
    part.set_payload("".join(encoded[i:i + 76] + "\n" for i in range(0, len(encoded), 76)))


BASE64_TEXT = ContentManager()  # ``to_message``'s bodies: UTF-8 text in base64 (``_set_base64_text``)
BASE64_TEXT.add_set_handler(str, _set_base64_text)


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
