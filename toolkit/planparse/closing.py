"""The end of a plan: the closing sentence, ``Nơi nhận`` (the recipients) and the signer block; and the people
the plan names (sheet ``Cán bộ``): the positions of the c) parts, then the signer.
"""

from __future__ import annotations

import re

from toolkit.core.model import Official, PlanInfo, PlanItem
from toolkit.core.text import clean, fold
from toolkit.planparse import fields
from toolkit.planparse.fields import key
from toolkit.planparse.problems import Problems
from toolkit.planparse.tokens import BULLET, Token, strip_end


class ClosingReader:
    """The blocks that end a plan, wherever they appear after the front matter.

    ``mode`` is "" until ``Nơi nhận`` or a signer line is met, then "recipients" or "signer": from there on
    every paragraph belongs to the end of the plan.
    """

    def __init__(self, info: PlanInfo, problems: Problems) -> None:
        self.info = info
        self.problems = problems
        self.recipients: list[str] = []
        self.mode = ""  # "", "recipients", "signer"
        self.closing_seen = False

    def take(self, tok: Token, f: str) -> str | None:
        """The section the walk is in after ``tok`` (``f``: its ``key``) when it ends the plan, else None."""
        if f.startswith("nơi nhận"):
            self.mode = "recipients"
            rest = BULLET.sub("", clean(tok.para.text.partition(":")[2]))
            if rest:
                self.recipients.append(strip_end(rest))
            return "end"
        if self._signer_line(tok):
            self.mode = "signer"
            return "end"
        if self.mode == "recipients":
            self.recipients.append(strip_end(BULLET.sub("", tok.para.text)))
            return "end"
        if self.mode == "signer":
            self.problems.unplaced(tok)
            return "end"
        if f.startswith("trên đây là") and not self.closing_seen:
            self.closing_seen = True
            return "closing"
        return None

    def _signer_line(self, tok: Token) -> bool:
        text, f, info, mode = tok.para.text, key(tok.para.text), self.info, self.mode
        if re.match(r"^(tm|t\.m)[.\s]", f):
            info.signer_authority = text
            return True
        if re.match(r"^(kt|q|tl|tuq)\.\s*\S", f):
            info.signer_deputy = text
            return True
        if mode in ("recipients", "signer") and text.isupper() and len(text) < 60 and \
                re.search(r"CHỦ TỊCH|TRƯỞNG|GIÁM ĐỐC|BÍ THƯ", text) and not BULLET.match(text):
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


def officials(items: list[PlanItem], info: PlanInfo) -> list[Official]:
    """The positions named in c) parts (single positions first, collective ones after), then the signer."""
    found: dict[str, str] = {}
    for it in items:
        for name in fields.named_positions(it.owner, it.partners):
            found.setdefault(fold(name), name)
    keys = list(found)
    kept = [k for k in keys if not any(o != k and o.startswith(k) and o[len(k)] in " -" for o in keys)]
    kept.sort(key=lambda k: k.startswith("các "))
    people = [Official(name=None, position=found[k]) for k in kept]
    if info.signer_name:
        position = None
        if info.signer_position:
            position = info.signer_position.lower().replace("chủ tịch", "Chủ tịch")
            position = position[:1].upper() + position[1:]
            if info.issuer_abbr and info.unit:
                position = f"{position} {info.issuer_abbr} {info.unit.split()[0]}"
        people.append(Official(name=info.signer_name, position=position))
    return people
