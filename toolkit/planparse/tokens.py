"""What one paragraph of a plan looks like: a section title, a numbered line, an item part, a bullet or text.

``tokenize`` looks at a paragraph alone; which section or item it belongs to is the walk's business
(``structure``). The shared wording helpers of the later stages (labels, placeholders, end punctuation) live
here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.core.text import clean
from toolkit.planparse.fields import key
from toolkit.planparse.sources import Paragraph

_SECTION = re.compile(r"^(?:PHẦN\s+)?([IVX]{1,4})\s*[.):]\s*(?!\d)(\S.*)$")
_NUMBERED = re.compile(r"^((?:[IVX]{1,4}|\d{1,2})(?:\.\d{1,2})*)([.)]?)\s+(\S.*)$")
_PART = re.compile(r"^([a-eđ])\s*[).:/]\s*(.*)$")
BULLET = re.compile(r"^[-–—+•·*▪◦○●]\s*")
TERMINAL = ".;:!?"

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


def section_kind(title: str) -> str:
    f = key(title)
    if "tổ chức thực hiện" in f:
        return ORGANIZATION
    if any(w in f for w in ("nhiệm vụ", "giải pháp", "nội dung", "khắc phục")):
        return ITEMS
    if "mục đích" in f or "yêu cầu" in f:
        return AIMS
    return OTHER


def split_label(text: str) -> tuple[str, str]:
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


# What ``cchc plan`` writes where the workbook had nothing: read back as nothing.
_PLACEHOLDERS = ("chưa xác định", "chưa phân công", "chưa có")


def strip_end(text: str) -> str:
    text = clean(text).rstrip(" .;,")
    return "" if key(text) in _PLACEHOLDERS else text


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
        label, value = split_label(body)
        part = _label_part(label) if label else None
        if part is None:
            if len(body) < 45 and _label_part(body):  # "c) Phân công trách nhiệm"
                label, value, part = body, "", _label_part(body)
            else:
                label, value = "", body
        return Token("part", para, letter, value, part or _PART_BY_LETTER.get(letter), label)
    if BULLET.match(text) and not text.startswith("--"):
        return Token("bullet", para, rest=BULLET.sub("", text, count=1))
    if text.isupper() and len(text) < 120 and (para.bold or para.heading is not None):
        if section_kind(text) != OTHER:
            return Token("section", para, "", text)
    label, value = split_label(text)
    part = _label_part(label) if label else (_label_part(text) if len(text) < 45 else None)
    if part is not None:
        return Token("part", para, "", value if label else "", part, label or text)
    return Token("text", para, rest=text)
