"""The plan's items (sheet ``Kế hoạch``): which numbered paragraphs start one, and how the paragraphs under it
fill its a) target, b) tasks, c) assignment and d) deadline; then each item built and checked for what it lacks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from toolkit.core.model import PlanItem
from toolkit.core.text import clean
from toolkit.planparse import fields
from toolkit.planparse.problems import Problems
from toolkit.planparse.sources import Paragraph
from toolkit.planparse.tokens import (
    ASSIGN,
    DEADLINE,
    PART_NAMES,
    TARGET,
    TASKS,
    TERMINAL,
    Token,
    split_label,
    strip_end,
)


@dataclass
class Draft:
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


def item_starts(tokens: list[Token]) -> tuple[set[int], set[int]]:
    """Indexes of the numbered paragraphs that start an item, and of those that are group headings.

    A numbered paragraph is an item when parts (a) ... d), or labelled ``Mục tiêu:`` ...) follow it before
    the next numbered paragraph, or when it continues the numbering of the items before it (1.3 after
    1.2). A number that the next one extends (``1.`` before ``1.1.``) is a group heading, not an item.
    """
    numbered = [i for i, t in enumerate(tokens) if t.kind == "numbered"]
    bounds = [i for i, t in enumerate(tokens) if t.kind in ("numbered", "section")] + [len(tokens)]
    starts: set[int] = set()
    groups: set[int] = set()
    last_code = ""
    for n, i in enumerate(numbered):
        code = tokens[i].number
        nxt = numbered[n + 1] if n + 1 < len(numbered) else None
        if nxt is not None and tokens[nxt].number.startswith(code + "."):
            groups.add(i)
            continue
        end = next(b for b in bounds if b > i)
        has_parts = any(t.kind == "part" and t.part is not None for t in tokens[i + 1:end])
        para = tokens[i].para
        continues = last_code and code == _next_code(last_code) and (para.bold or para.heading is not None)
        if has_parts or continues:
            starts.add(i)
            last_code = code
    return starts, groups


def _append_line(lines: list[str], text: str, *, bullet: bool) -> None:
    """Add a line to a multi-line cell: bullets start a line, text continues an unfinished one."""
    if bullet:
        lines.append(f"- {text}")
    elif lines and lines[-1] and lines[-1][-1] not in TERMINAL and text[:1].islower():
        lines[-1] = f"{lines[-1]} {text}"
    else:
        lines.append(text)


class ItemReader:
    """The items in plan order, each read from its heading and the paragraphs the walk gives it."""

    def __init__(self, problems: Problems) -> None:
        self.drafts: list[Draft] = []
        self.problems = problems

    def _unplaced(self, d: Draft, tok: Token) -> None:
        self.problems.report("plan-item-paragraph-unplaced", tok.para, item=d.index, field_name="code",
                             item_code=d.code)

    def start(self, tok: Token) -> Draft:
        report = self.problems.report
        if any(d.code == tok.number for d in self.drafts):
            report("plan-duplicate-code", tok.para, item=len(self.drafts), field_name="code", item_code=tok.number)
        draft = Draft(tok.number, tok.para, len(self.drafts), [tok.rest], heading_bold=tok.para.bold)
        if tok.para.code_assumed:
            report("plan-code-assumed", tok.para, item=draft.index, field_name="code", item_code=tok.number)
        self.drafts.append(draft)
        return draft

    def line(self, d: Draft, tok: Token) -> None:
        """Place one paragraph under item ``d``: a part heading, or a line of the part it is in."""
        text = tok.para.text
        if tok.kind == "part" and tok.part is None:
            self._unplaced(d, tok)
            return
        if tok.kind == "part":
            d.part = tok.part or d.part
            value = tok.rest if strip_end(tok.rest) else ""
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
        if not strip_end(line):
            return  # a placeholder ("- Chưa xác định.") written for an empty cell
        label, _ = split_label(line)
        if tok.kind == "text" and label and fields.assignment_role(label) in (fields.OWNER, fields.PARTNERS):
            d.part = ASSIGN  # "Phụ trách: ..." without a c) heading
            self._assignment(d, tok, line)
            return
        if d.part == "heading":
            if not bullet and tok.kind == "text" and len(text) < 200 and (
                    d.content[-1][-1:] not in TERMINAL or (d.heading_bold and tok.para.bold)):
                d.content[-1] = f"{d.content[-1]} {text}"
            else:
                d.content.append(text)
                self.problems.report("plan-heading-extra", tok.para, item=d.index, field_name="content",
                                     item_code=d.code)
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
            self._unplaced(d, tok)

    def _assignment(self, d: Draft, tok: Token, line: str) -> None:
        label, value = split_label(line)
        role = fields.assignment_role(label) if label else None
        if role is None:
            m = re.match(r"^(.+?)\s+chủ trì(?:\s*,?\s*phối hợp(?: với)?\s+(.+))?$", strip_end(line),
                         re.IGNORECASE)
            if m:
                d.owners.append(strip_end(m.group(1)))
                if m.group(2):
                    d.partners.append(strip_end(m.group(2)))
                return
            if d.tasks is None:
                d.tasks = []
            d.tasks.append(f"- {line}")
            self.problems.report("plan-task-in-assignment", tok.para, item=d.index, field_name="tasks",
                                 item_code=d.code)
            return
        value = strip_end(value)
        if not value:
            return
        {fields.OWNER: d.owners, fields.PARTNERS: d.partners, fields.DOER: d.doers}[role].append(value)

    # -- after the walk --
    def build(self, d: Draft) -> PlanItem:
        """The workbook row of draft ``d``, reporting each part the plan left out or left unclear."""
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
        report = self.problems.report
        at = {"item": d.index, "item_code": d.code}
        if not content:
            report("plan-part-missing", d.heading, field_name="content", part="tên nội dung", **at)
        if d.target is None:
            report("plan-part-missing", d.heading, field_name="target_text", part=PART_NAMES[TARGET], **at)
        elif target.value is None:
            report("plan-target-unquantified", d.heading, field_name="target", value=target_text, **at)
        elif target.others:
            report("plan-target-ambiguous", d.heading, field_name="target", value=target_text,
                   normalised=target.value, **at)
        if d.tasks is None:
            report("plan-part-missing", d.heading, field_name="tasks", part=PART_NAMES[TASKS], **at)
        if item.owner is None:
            report("plan-owner-missing", d.heading, field_name="owner", **at)
        if deadline.invalid:
            report("plan-deadline-unclear", d.deadline_para, field_name="deadline", value=d.deadline, **at)
        elif d.deadline is None:
            report("plan-part-missing", d.heading, field_name="deadline", part=PART_NAMES[DEADLINE], **at)
        return item
