"""The plan's general information (sheet ``Thông tin chung``): the header (issuing body, number, place and
date), the title and subject, the ``Căn cứ``/``Thực hiện`` documents, the purposes and requirements, the
organisation; and, once the walk is over, what the plan only implies (unit, place, year) and what it lacks.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from toolkit.core.model import PlanInfo, PlanItem
from toolkit.core.text import clean
from toolkit.planparse import fields
from toolkit.planparse.fields import key
from toolkit.planparse.problems import Problems
from toolkit.planparse.tokens import TERMINAL, Token, split_label, strip_end


class InfoReader:
    """Fills one ``PlanInfo`` from the paragraphs of the front matter, the aims and the organisation sections."""

    def __init__(self, info: PlanInfo, problems: Problems) -> None:
        self.info = info
        self.problems = problems
        self.subject: list[str] = []
        self._in_subject = False
        self._issuer_line = False

    # -- front matter --
    def front(self, tok: Token) -> None:
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
                    self.problems.report("plan-date-unclear", tok.para, field_name="plan_date", info=True)
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
            self.problems.unplaced(tok)
        self._in_subject = False

    # -- purposes and requirements --
    def aims(self, tok: Token, current: str) -> str:
        head = tok.para.text if tok.kind == "text" else (tok.label or tok.rest)
        f = key(split_label(head)[0] or head)
        if tok.kind != "bullet" and len(f) < 40 and (f.startswith("mục đích") or f.startswith("yêu cầu")):
            current = "purposes" if f.startswith("mục đích") else "requirements"
            value = tok.rest if tok.kind == "part" else split_label(head)[1]
            if value and key(value) != f:
                getattr(self.info, current).append(value)
            return current
        entries: list[str] = getattr(self.info, current)
        text = tok.rest if tok.kind in ("bullet", "numbered") else tok.para.text
        if tok.kind == "text" and entries and entries[-1][-1:] not in TERMINAL:
            entries[-1] = f"{entries[-1]} {text}"
        else:
            entries.append(text)
        return current

    # -- organisation --
    def organization(self, tok: Token, org: list[str]) -> None:
        if tok.kind in ("numbered", "bullet") or not org:
            org.append(tok.rest if tok.kind in ("numbered", "bullet") else tok.para.text)
        else:
            org[-1] = f"{org[-1]} {tok.para.text}"

    # -- after the walk --
    def finish(self, items: list[PlanItem], recipients: list[str], texts: list[str]) -> None:
        """Complete the information from the whole plan (``texts``: every paragraph) and report what is missing."""
        info = self.info
        if self.subject:
            info.plan_subject = strip_end(" ".join(self.subject))
        if info.unit is None:
            for text in [info.plan_subject or "", *texts]:
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
        info.plan_recipients = [r for r in recipients if r]
        if info.plan_recipients:
            info.report_recipients = list(info.plan_recipients)
            self.problems.report("plan-info-assumed", field_name="report_recipients", info=True,
                                 source="Nơi nhận kế hoạch")
        info.next_report_number = 1
        for name in ("unit", "plan_number", "plan_date", "plan_subject", "year", "signer_authority",
                     "signer_position", "signer_name", "plan_recipients"):
            value = getattr(info, name)
            if value is None or value == []:
                self.problems.report("plan-info-missing", field_name=name, info=True)


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
