"""Finding the structure of an issued plan in its paragraphs: header, sections, items and their a)-d) parts.

The plan format (Nghị định 30/2020 and the province's model plan) is: a header (issuing body, number, place and
date), the title ``KẾ HOẠCH`` and subject, ``Căn cứ``/``Thực hiện`` lines, then Roman sections: purposes and
requirements, tasks (numbered items with a) target, b) tasks, c) who, d) when), organisation; then ``Nơi nhận``
and the signer block. Real plans bend every part of that, so each step looks at what a paragraph says rather
than where it is, and every paragraph ends up either placed or reported (``Problem``), never dropped silently.

This module is the walk: it knows which section and which item it is in and hands each paragraph to the stage
that reads it: ``tokens`` (what a paragraph is), ``info`` (header, aims, organisation), ``items`` (the items
and their parts), ``closing`` (recipients, signer), all reporting to one ``problems.Problems``.
"""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.core.model import Official, PlanInfo, PlanItem
from toolkit.planparse.closing import ClosingReader, officials
from toolkit.planparse.fields import key
from toolkit.planparse.info import InfoReader
from toolkit.planparse.items import Draft, ItemReader, item_starts
from toolkit.planparse.problems import Problem, Problems
from toolkit.planparse.sources import Paragraph
from toolkit.planparse.tokens import AIMS, ITEMS, ORGANIZATION, OTHER, section_kind, tokenize


@dataclass
class Parsed:
    """What the walk found: the workbook's content and the problems, in document order."""

    info: PlanInfo
    items: list[PlanItem]
    officials: list[Official]
    problems: list[Problem]


class _Parser:
    """One walk over the paragraphs, remembering which section and which item's part it is in."""

    def __init__(self, paras: list[Paragraph]) -> None:
        self.tokens = [tokenize(p) for p in paras]
        self.problems = Problems()
        self.info = PlanInfo()
        self.header = InfoReader(self.info, self.problems)
        self.items = ItemReader(self.problems)
        self.closing = ClosingReader(self.info, self.problems)

    def run(self) -> Parsed:
        starts, groups = item_starts(self.tokens)
        has_items_section = any(t.kind == "section" and section_kind(t.rest) == ITEMS for t in self.tokens)
        section = "front"
        aims_list = "purposes"
        draft: Draft | None = None
        org: list[str] = self.info.organization
        unplaced = self.problems.unplaced
        for i, tok in enumerate(self.tokens):
            f = key(tok.para.text)
            if not any(ch.isalnum() for ch in f):
                continue  # separator lines (____, ***)
            # Blocks that end a plan, wherever they appear after the front matter.
            if section != "front" or f.startswith("nơi nhận"):
                ending = self.closing.take(tok, f)
                if ending is not None:
                    section, draft = ending, None
                    continue
            if tok.kind == "section":
                section, draft = section_kind(tok.rest), None
                aims_list = "requirements" if section == AIMS and "mục đích" not in key(tok.rest) else "purposes"
                if section == OTHER:
                    unplaced(tok)
                continue
            if section == "front":
                self.header.front(tok)
                continue
            if section == "closing" or section == "end":
                unplaced(tok)
                continue
            if i in starts and (section == ITEMS or not has_items_section):
                draft = self.items.start(tok)
                continue
            title = tok.kind == "text" and tok.para.bold and tok.para.text.isupper()
            if (i in groups or (title and (draft is None or draft.part != "heading"))) and (
                    section == ITEMS or not has_items_section):
                draft = None  # "1. CẢI CÁCH THỦ TỤC HÀNH CHÍNH" over items 1.1, 1.2 ...
                self.problems.report("plan-group-heading", tok.para)
                continue
            if draft is not None:
                self.items.line(draft, tok)
                continue
            if section == ITEMS or (not has_items_section and section != ORGANIZATION):
                if tok.para.text.endswith(":") or "như sau" in f:
                    pass  # the section's introduction ("... cụ thể như sau:"): regenerated, not data
                else:
                    unplaced(tok)
            elif section == AIMS:
                aims_list = self.header.aims(tok, aims_list)
            elif section == ORGANIZATION:
                self.header.organization(tok, org)
            else:
                unplaced(tok)
        return self._finish()

    def _finish(self) -> Parsed:
        items = [self.items.build(d) for d in self.items.drafts]
        self.header.finish(items, self.closing.recipients, [t.para.text for t in self.tokens])
        return Parsed(self.info, items, officials(items, self.info), self.problems.found)


def parse(paras: list[Paragraph]) -> Parsed:
    """The plan's header, items, positions and everything that could not be placed."""
    return _Parser(paras).run()
