"""Finding the structure of an issued plan in its paragraphs: header, sections, items and their a)-d) parts.

The plan format (Nghị định 30/2020 and the province's model plan) is: a header (issuing body, number, place and
date), the title ``KẾ HOẠCH`` and subject, ``Căn cứ``/``Thực hiện`` lines, then Roman sections: purposes and
requirements, tasks (numbered items with a) target, b) tasks, c) who, d) when), organisation; then ``Nơi nhận``
and the signer block. Real plans bend every part of that, so each step looks at what a paragraph says rather
than where it is, and every paragraph ends up either placed or reported (``Problem``), never dropped silently.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from toolkit.core.model import Official, PlanInfo, PlanItem
from toolkit.core.text import clean, fold
from toolkit.planparse import fields
from toolkit.planparse.fields import key
from toolkit.planparse.sources import Paragraph

# --- what one paragraph looks like -------------------------------------------------------------------------

_SECTION = re.compile(r"^(?:PHẦN\s+)?([IVX]{1,4})\s*[.):]\s*(?!\d)(\S.*)$")
_NUMBERED = re.compile(r"^((?:[IVX]{1,4}|\d{1,2})(?:\.\d{1,2})*)([.)]?)\s+(\S.*)$")
_PART = re.compile(r"^([a-eđ])\s*[).:/]\s*(.*)$")
_BULLET = re.compile(r"^[-–—+•·*▪◦○●]\s*")
_TERMINAL = ".;:!?"

TARGET, TASKS, ASSIGN, DEADLINE = "target", "tasks", "assign", "deadline"
_PART_BY_LETTER = {"a": TARGET, "b": TASKS, "c": ASSIGN, "d": DEADLINE}
_PART_LABELS = (
    (TARGET, ("mục tiêu", "chỉ tiêu", "yêu cầu")),
    (TASKS, ("nhiệm vụ", "giải pháp", "biện pháp", "nội dung thực hiện")),
    (ASSIGN, ("phân công", "trách nhiệm thực hiện", "tổ chức thực hiện", "đơn vị thực hiện")),
    (DEADLINE, ("thời gian", "thời hạn", "tiến độ")),
)
PART_NAMES = {TARGET: "a) Mục tiêu, yêu cầu", TASKS: "b) Nhiệm vụ, giải pháp", ASSIGN: "c) Phân công trách nhiệm",
              DEADLINE: "d) Thời gian thực hiện/hoàn thành"}

AIMS, ITEMS, ORGANIZATION, OTHER = "aims", "tasks", "organization", "other"


def _section_kind(title: str) -> str:
    f = key(title)
    if "tổ chức thực hiện" in f:
        return ORGANIZATION
    if any(w in f for w in ("nhiệm vụ", "giải pháp", "nội dung", "khắc phục")):
        return ITEMS
    if "mục đích" in f or "yêu cầu" in f:
        return AIMS
    return OTHER


def _split_label(text: str) -> tuple[str, str]:
    """(label, value) of ``Label: value``; ("", text) when the text has no short label before a colon."""
    head, sep, tail = text.partition(":")
    if sep and 0 < len(head) <= 60:
        return head.strip(), tail.strip()
    return "", text


def _label_part(label: str) -> str | None:
    f = key(label)
    for part, words in _PART_LABELS:
        if any(f.startswith(w) for w in words):
            return part
    return None


@dataclass(frozen=True, slots=True)
class Token:
    """What a paragraph is: a section title, a numbered line, an item part, a bullet, or plain text."""

    kind: str  # "section", "numbered", "part", "bullet", "text"
    para: Paragraph
    number: str = ""  # section roman numeral or item code
    rest: str = ""  # the text after the number / part letter / bullet
    part: str | None = None  # for parts: TARGET ... DEADLINE, or None for a part this tool has no column for
    label: str = ""


def tokenize(para: Paragraph) -> Token:
    text = para.text
    m = _SECTION.match(text)
    if m:
        return Token("section", para, m.group(1), m.group(2))
    m = _NUMBERED.match(text)
    if m:
        number, mark, rest = m.groups()
        if "." in number or mark:
            return Token("numbered", para, number, rest)
    m = _PART.match(text)
    if m:
        letter, body = m.groups()
        label, value = _split_label(body)
        part = _label_part(label) if label else None
        if part is None:
            if len(body) < 45 and _label_part(body):  # "c) Phân công trách nhiệm"
                label, value, part = body, "", _label_part(body)
            else:
                label, value = "", body
        return Token("part", para, letter, value, part or _PART_BY_LETTER.get(letter), label)
    if _BULLET.match(text) and not text.startswith("--"):
        return Token("bullet", para, rest=_BULLET.sub("", text, count=1))
    if text.isupper() and len(text) < 120 and (para.bold or para.heading is not None):
        if _section_kind(text) != OTHER:
            return Token("section", para, "", text)
    label, value = _split_label(text)
    part = _label_part(label) if label else (_label_part(text) if len(text) < 45 else None)
    if part is not None:
        return Token("part", para, "", value if label else "", part, label or text)
    return Token("text", para, rest=text)


# --- problems found while reading ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """Something the plan said that could not be placed as written.

    ``item`` is the index of the item it concerns (None for the plan as a whole), ``cell_field`` the PlanItem or
    PlanInfo field whose cell it affects (None when no cell is affected), ``para`` the paragraph it came from.
    """

    code: str
    para: Paragraph | None = None
    item: int | None = None
    cell_field: str | None = None
    info: bool = False  # cell_field is a PlanInfo field (Thông tin chung) rather than a PlanItem field
    params: dict[str, object] = field(default_factory=dict)


@dataclass
class Parsed:
    """What the walk found: the workbook's content and the problems, in document order."""

    info: PlanInfo
    items: list[PlanItem]
    officials: list[Official]
    problems: list[Problem]


# --- items under construction ------------------------------------------------------------------------------


@dataclass
class _Draft:
    """An item while its paragraphs are read; ``part`` is the a)-d) part the next paragraph belongs to.

    A part's list is None when the plan never opened that part (reported as missing), empty when it did.
    """

    code: str
    heading: Paragraph
    index: int
    content: list[str]
    part: str = "heading"
    target: list[str] | None = None
    tasks: list[str] | None = None
    owners: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    doers: list[str] = field(default_factory=list)
    deadline: str | None = None
    deadline_para: Paragraph | None = None
    heading_bold: bool = False


def _next_code(code: str) -> str:
    head, _, last = code.rpartition(".")
    if last.isdigit():
        return f"{head}.{int(last) + 1}" if head else str(int(last) + 1)
    return ""


# What ``cchc plan`` writes where the workbook had nothing: read back as nothing.
_PLACEHOLDERS = ("chưa xác định", "chưa phân công", "chưa có")


def _strip_end(text: str) -> str:
    text = clean(text).rstrip(" .;,")
    return "" if key(text) in _PLACEHOLDERS else text


def _append_line(lines: list[str], text: str, *, bullet: bool) -> None:
    """Add a line to a multi-line cell: bullets start a line, text continues an unfinished one."""
    if bullet:
        lines.append(f"- {text}")
    elif lines and lines[-1] and lines[-1][-1] not in _TERMINAL and text[:1].islower():
        lines[-1] = f"{lines[-1]} {text}"
    else:
        lines.append(text)


class _Parser:
    """One walk over the paragraphs, remembering which section and which item's part it is in."""

    def __init__(self, paras: list[Paragraph]) -> None:
        self.tokens = [tokenize(p) for p in paras]
        self.info = PlanInfo()
        self.drafts: list[_Draft] = []
        self.problems: list[Problem] = []
        self.subject: list[str] = []
        self._in_subject = False
        self._issuer_line = False
        self._groups: set[int] = set()
        self.plan_recipients: list[str] = []

    # -- reporting --
    def report(self, code: str, para: Paragraph | None = None, *, item: int | None = None,
               field_name: str | None = None, info: bool = False, **params: object) -> None:
        self.problems.append(Problem(code, para, item, field_name, info, params))

    def unplaced(self, tok: Token, draft: _Draft | None = None) -> None:
        if draft is None:
            self.report("plan-paragraph-unplaced", tok.para)
        else:
            self.report("plan-item-paragraph-unplaced", tok.para, item=draft.index, field_name="code",
                        item_code=draft.code)

    # -- the walk --
    def run(self) -> Parsed:
        item_starts = self._item_starts()
        has_items_section = any(t.kind == "section" and _section_kind(t.rest) == ITEMS for t in self.tokens)
        section = "front"
        aims_list = "purposes"
        draft: _Draft | None = None
        org: list[str] = self.info.organization
        closing_seen = False
        mode = ""  # "", "recipients", "signer"
        for i, tok in enumerate(self.tokens):
            f = key(tok.para.text)
            if not any(ch.isalnum() for ch in f):
                continue  # separator lines (____, ***)
            # Blocks that end a plan, wherever they appear after the front matter.
            if section != "front" or f.startswith("nơi nhận"):
                if f.startswith("nơi nhận"):
                    mode, draft = "recipients", None
                    rest = _BULLET.sub("", clean(tok.para.text.partition(":")[2]))
                    if rest:
                        self.plan_recipients.append(_strip_end(rest))
                    section = "end"
                    continue
                if self._signer_line(tok, mode):
                    mode, draft, section = "signer", None, "end"
                    continue
                if mode == "recipients":
                    self.plan_recipients.append(_strip_end(_BULLET.sub("", tok.para.text)))
                    continue
                if mode == "signer":
                    self.unplaced(tok)
                    continue
                if f.startswith("trên đây là") and not closing_seen:
                    closing_seen, section, draft = True, "closing", None
                    continue
            if tok.kind == "section":
                section, draft = _section_kind(tok.rest), None
                aims_list = "requirements" if section == AIMS and "mục đích" not in key(tok.rest) else "purposes"
                if section == OTHER:
                    self.unplaced(tok)
                continue
            if section == "front":
                self._front(tok)
                continue
            if section == "closing" or section == "end":
                self.unplaced(tok)
                continue
            if i in item_starts and (section == ITEMS or not has_items_section):
                draft = self._start_item(tok)
                continue
            title = tok.kind == "text" and tok.para.bold and tok.para.text.isupper()
            if (i in self._groups or (title and (draft is None or draft.part != "heading"))) and (
                    section == ITEMS or not has_items_section):
                draft = None  # "1. CẢI CÁCH THỦ TỤC HÀNH CHÍNH" over items 1.1, 1.2 ...
                self.report("plan-group-heading", tok.para)
                continue
            if draft is not None:
                self._item_line(draft, tok)
                continue
            if section == ITEMS or (not has_items_section and section != ORGANIZATION):
                if tok.para.text.endswith(":") or "như sau" in f:
                    pass  # the section's introduction ("... cụ thể như sau:"): regenerated, not data
                else:
                    self.unplaced(tok)
            elif section == AIMS:
                aims_list = self._aims(tok, aims_list)
            elif section == ORGANIZATION:
                self._organization(tok, org)
            else:
                self.unplaced(tok)
        return self._finish()

    def _item_starts(self) -> set[int]:
        """Indexes of the numbered paragraphs that start an item.

        A numbered paragraph is an item when parts (a) ... d), or labelled ``Mục tiêu:`` ...) follow it before
        the next numbered paragraph, or when it continues the numbering of the items before it (1.3 after
        1.2). A number that the next one extends (``1.`` before ``1.1.``) is a group heading, not an item.
        """
        numbered = [i for i, t in enumerate(self.tokens) if t.kind == "numbered"]
        bounds = [i for i, t in enumerate(self.tokens) if t.kind in ("numbered", "section")] + [len(self.tokens)]
        starts: set[int] = set()
        last_code = ""
        for n, i in enumerate(numbered):
            code = self.tokens[i].number
            nxt = numbered[n + 1] if n + 1 < len(numbered) else None
            if nxt is not None and self.tokens[nxt].number.startswith(code + "."):
                self._groups.add(i)
                continue
            end = next(b for b in bounds if b > i)
            has_parts = any(t.kind == "part" and t.part is not None for t in self.tokens[i + 1:end])
            para = self.tokens[i].para
            continues = last_code and code == _next_code(last_code) and (para.bold or para.heading is not None)
            if has_parts or continues:
                starts.add(i)
                last_code = code
        return starts

    # -- front matter --
    def _front(self, tok: Token) -> None:
        text, f, info = tok.para.text, key(tok.para.text), self.info
        caps = fields.unit_from_caps(text)
        if caps is None and self._issuer_line and text.isupper():  # "ỦY BAN NHÂN DÂN" / "XÃ ĐĂKTOVER"
            caps = fields.unit_from_caps(f"ỦY BAN NHÂN DÂN {text}")
        self._issuer_line = False
        m_date = re.match(r"^(.+?),\s*ngày\s*(\d{1,2})?[\s.…]*tháng\s*(\d{1,2})?[\s.…]*năm\s*(\d{4})?", text,
                          re.IGNORECASE)
        m_number = re.match(r"^số\s*[:.]?\s*(\S*)", text, re.IGNORECASE) if "/" in text[:30] else None
        if f.startswith("cộng hòa xã hội") or f.startswith("cộng hoà xã hội") or f.startswith("độc lập"):
            return
        if text.isupper() and f in ("ủy ban nhân dân", "uỷ ban nhân dân", "ubnd"):
            info.issuer, self._issuer_line = "Ủy ban nhân dân", True
        elif caps is not None and info.unit is None:
            info.issuer, info.unit = caps
        elif text.isupper() and re.search(r"\b(HUYỆN|THỊ XÃ|THÀNH PHỐ|TỈNH|QUẬN)\b", text) and not self.subject:
            info.parent_body = text
        elif m_number:
            number = m_number.group(1).rstrip(".,;")
            info.plan_number = number if number and not number.startswith("/") else info.plan_number
        elif m_date:
            info.place = clean(m_date.group(1))
            if all(m_date.group(n) for n in (2, 3, 4)):
                try:
                    info.plan_date = date(int(m_date.group(4)), int(m_date.group(3)), int(m_date.group(2)))
                except ValueError:
                    self.report("plan-date-unclear", tok.para, field_name="plan_date", info=True)
        elif f.startswith("kế hoạch") and text[:8].isupper() and not self.subject:
            rest = clean(text[len("KẾ HOẠCH"):]).lstrip(":")
            self.subject.append(rest[:1].upper() + rest[1:].lower() if rest.isupper() else rest)
            if not rest:
                self.subject.clear()
            self._in_subject = True
            return
        elif f.startswith("căn cứ"):
            info.legal_basis.extend(_documents(text, "căn cứ"))
        elif f.startswith("thực hiện"):
            info.implementing.extend(_documents(text, "thực hiện"))
        elif self._in_subject and tok.kind == "text" and (tok.para.bold or len(text) < 160) \
                and "như sau" not in f:
            self.subject.append(text)
            return
        elif "như sau" in f or text.endswith(":"):
            unit = fields.unit_in(text)
            if unit and info.unit is None:
                info.issuer, info.unit = "Ủy ban nhân dân", unit
        else:
            self.unplaced(tok)
        self._in_subject = False

    # -- purposes and requirements --
    def _aims(self, tok: Token, current: str) -> str:
        head = tok.para.text if tok.kind == "text" else (tok.label or tok.rest)
        f = key(_split_label(head)[0] or head)
        if tok.kind != "bullet" and len(f) < 40 and (f.startswith("mục đích") or f.startswith("yêu cầu")):
            current = "purposes" if f.startswith("mục đích") else "requirements"
            value = tok.rest if tok.kind == "part" else _split_label(head)[1]
            if value and key(value) != f:
                getattr(self.info, current).append(value)
            return current
        entries: list[str] = getattr(self.info, current)
        text = tok.rest if tok.kind in ("bullet", "numbered") else tok.para.text
        if tok.kind == "text" and entries and entries[-1][-1:] not in _TERMINAL:
            entries[-1] = f"{entries[-1]} {text}"
        else:
            entries.append(text)
        return current

    # -- organisation --
    def _organization(self, tok: Token, org: list[str]) -> None:
        if tok.kind in ("numbered", "bullet") or not org:
            org.append(tok.rest if tok.kind in ("numbered", "bullet") else tok.para.text)
        else:
            org[-1] = f"{org[-1]} {tok.para.text}"

    # -- recipients and signer --
    def _signer_line(self, tok: Token, mode: str) -> bool:
        text, f, info = tok.para.text, key(tok.para.text), self.info
        if re.match(r"^(tm|t\.m)[.\s]", f):
            info.signer_authority = text
            return True
        if re.match(r"^(kt|q|tl|tuq)\.\s*\S", f):
            info.signer_deputy = text
            return True
        if mode in ("recipients", "signer") and text.isupper() and len(text) < 60 and \
                re.search(r"CHỦ TỊCH|TRƯỞNG|GIÁM ĐỐC|BÍ THƯ", text) and not _BULLET.match(text):
            info.signer_position = text
            return True
        if mode == "signer":
            if text.startswith("(") or text.startswith("["):
                return True  # "(Đã ký)", "(Ký, đóng dấu)"
            words = text.split()
            if info.signer_name is None and 1 < len(words) <= 6 and all(w[:1].isupper() for w in words):
                info.signer_name = text
                return True
        return False

    # -- items --
    def _start_item(self, tok: Token) -> _Draft:
        if any(d.code == tok.number for d in self.drafts):
            self.report("plan-duplicate-code", tok.para, item=len(self.drafts), field_name="code",
                        item_code=tok.number)
        draft = _Draft(tok.number, tok.para, len(self.drafts), [tok.rest], heading_bold=tok.para.bold)
        if tok.para.code_assumed:
            self.report("plan-code-assumed", tok.para, item=draft.index, field_name="code", item_code=tok.number)
        self.drafts.append(draft)
        return draft

    def _item_line(self, d: _Draft, tok: Token) -> None:
        text = tok.para.text
        if tok.kind == "part" and tok.part is None:
            self.unplaced(tok, d)
            return
        if tok.kind == "part":
            d.part = tok.part or d.part
            value = tok.rest if _strip_end(tok.rest) else ""
            if d.part == TARGET:
                d.target = (d.target or []) + ([value] if value else [])
            elif d.part == TASKS:
                d.tasks = (d.tasks or []) + ([value] if value else [])
            elif d.part == ASSIGN:
                if value:
                    self._assignment(d, tok, value)
            elif d.part == DEADLINE:
                if value:
                    d.deadline, d.deadline_para = value, tok.para
            return
        bullet = tok.kind == "bullet"
        line = tok.rest if bullet else text
        if not _strip_end(line):
            return  # a placeholder ("- Chưa xác định.") written for an empty cell
        label, _ = _split_label(line)
        if tok.kind == "text" and label and fields.assignment_role(label) in (fields.OWNER, fields.PARTNERS):
            d.part = ASSIGN  # "Phụ trách: ..." without a c) heading
            self._assignment(d, tok, line)
            return
        if d.part == "heading":
            if not bullet and tok.kind == "text" and len(text) < 200 and (
                    d.content[-1][-1:] not in _TERMINAL or (d.heading_bold and tok.para.bold)):
                d.content[-1] = f"{d.content[-1]} {text}"
            else:
                d.content.append(text)
                self.report("plan-heading-extra", tok.para, item=d.index, field_name="content", item_code=d.code)
        elif d.part == TARGET:
            _append_line(d.target if d.target is not None else [], line, bullet=bullet)
        elif d.part == TASKS:
            if d.tasks is None:
                d.tasks = []
            _append_line(d.tasks, line, bullet=bullet or tok.kind == "numbered")
        elif d.part == ASSIGN:
            self._assignment(d, tok, line)
        elif d.part == DEADLINE and d.deadline is None:
            d.deadline, d.deadline_para = line, tok.para
        else:
            self.unplaced(tok, d)

    def _assignment(self, d: _Draft, tok: Token, line: str) -> None:
        label, value = _split_label(line)
        role = fields.assignment_role(label) if label else None
        if role is None:
            m = re.match(r"^(.+?)\s+chủ trì(?:\s*,?\s*phối hợp(?: với)?\s+(.+))?$", _strip_end(line),
                         re.IGNORECASE)
            if m:
                d.owners.append(_strip_end(m.group(1)))
                if m.group(2):
                    d.partners.append(_strip_end(m.group(2)))
                return
            if d.tasks is None:
                d.tasks = []
            d.tasks.append(f"- {line}")
            self.report("plan-task-in-assignment", tok.para, item=d.index, field_name="tasks", item_code=d.code)
            return
        value = _strip_end(value)
        if not value:
            return
        {fields.OWNER: d.owners, fields.PARTNERS: d.partners, fields.DOER: d.doers}[role].append(value)

    # -- assembling the result --
    def _finish(self) -> Parsed:
        items = [self._item(d) for d in self.drafts]
        info = self.info
        if self.subject:
            info.plan_subject = _strip_end(" ".join(self.subject))
        if info.unit is None:
            for text in [info.plan_subject or ""] + [t.para.text for t in self.tokens]:
                unit = fields.unit_in(text)
                if unit:
                    info.issuer, info.unit = info.issuer or "Ủy ban nhân dân", unit
                    break
        if info.issuer and key(info.issuer) == "ủy ban nhân dân":
            info.issuer_abbr = "UBND"
        if info.place is None and info.unit:
            words = info.unit.split()
            info.place = " ".join(words[2:] if key(" ".join(words[:2])) == "thị trấn" else words[1:]) or None
        years = Counter(it.deadline.year for it in items if it.deadline)
        if years:
            info.year = years.most_common(1)[0][0]
        elif info.plan_date:
            info.year = info.plan_date.year
        info.plan_recipients = [r for r in self.plan_recipients if r]
        if info.plan_recipients:
            info.report_recipients = list(info.plan_recipients)
            self.report("plan-info-assumed", field_name="report_recipients", info=True,
                        source="Nơi nhận kế hoạch")
        info.next_report_number = 1
        for name in ("unit", "plan_number", "plan_date", "plan_subject", "year", "signer_authority",
                     "signer_position", "signer_name", "plan_recipients"):
            value = getattr(info, name)
            if value is None or value == []:
                self.report("plan-info-missing", field_name=name, info=True)
        return Parsed(info, items, self._officials(items), self.problems)

    def _item(self, d: _Draft) -> PlanItem:
        content = clean("\n".join(d.content)).rstrip(" :")
        target_text = clean("\n".join(d.target)) if d.target else None
        target = fields.understand_target(target_text)
        owners, partners = d.owners, d.partners
        if not owners and d.doers:
            owners = d.doers[:1]
            partners = partners + d.doers[1:]
        elif d.doers:
            partners = partners + d.doers
        deadline = fields.understand_deadline(d.deadline)
        item = PlanItem(
            code=d.code,
            content=content or None,
            target_text=target_text,
            target=target.value,
            kind=target.kind,
            tasks=clean("\n".join(d.tasks)) if d.tasks else None,
            owner="; ".join(owners) or None,
            partners="; ".join(partners) or None,
            deadline=deadline.day,
            deadline_note=deadline.note,
        )
        at = {"item": d.index, "item_code": d.code}
        if not content:
            self.report("plan-part-missing", d.heading, field_name="content", part="tên nội dung", **at)
        if d.target is None:
            self.report("plan-part-missing", d.heading, field_name="target_text", part=PART_NAMES[TARGET], **at)
        elif target.value is None:
            self.report("plan-target-unquantified", d.heading, field_name="target", value=target_text, **at)
        elif target.others:
            self.report("plan-target-ambiguous", d.heading, field_name="target", value=target_text,
                        normalised=target.value, **at)
        if d.tasks is None:
            self.report("plan-part-missing", d.heading, field_name="tasks", part=PART_NAMES[TASKS], **at)
        if item.owner is None:
            self.report("plan-owner-missing", d.heading, field_name="owner", **at)
        if deadline.invalid:
            self.report("plan-deadline-unclear", d.deadline_para, field_name="deadline", value=d.deadline, **at)
        elif d.deadline is None:
            self.report("plan-part-missing", d.heading, field_name="deadline", part=PART_NAMES[DEADLINE], **at)
        return item

    def _officials(self, items: list[PlanItem]) -> list[Official]:
        """The positions named in c) parts (single positions first, collective ones after), then the signer."""
        found: dict[str, str] = {}
        for it in items:
            for name in fields.named_positions(it.owner, it.partners):
                found.setdefault(fold(name), name)
        keys = list(found)
        kept = [k for k in keys if not any(o != k and o.startswith(k) and o[len(k)] in " -" for o in keys)]
        kept.sort(key=lambda k: k.startswith("các "))
        officials = [Official(name=None, position=found[k]) for k in kept]
        info = self.info
        if info.signer_name:
            position = None
            if info.signer_position:
                position = info.signer_position.lower().replace("chủ tịch", "Chủ tịch")
                position = position[:1].upper() + position[1:]
                if info.issuer_abbr and info.unit:
                    position = f"{position} {info.issuer_abbr} {info.unit.split()[0]}"
            officials.append(Official(name=info.signer_name, position=position))
        return officials


def _documents(text: str, lead: str) -> list[str]:
    """The documents one ``Căn cứ``/``Thực hiện`` paragraph names, one per ``;``-separated part."""
    out = []
    for part in text.split(";"):
        part = clean(part)
        if key(part).startswith(lead):
            part = clean(part[len(lead):])
        part = part.rstrip(" .;,")
        if part:
            out.append(part[:1].upper() + part[1:])
    return out


def parse(paras: list[Paragraph]) -> Parsed:
    """The plan's header, items, positions and everything that could not be placed."""
    return _Parser(paras).run()
