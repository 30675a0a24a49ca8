"""Fitting the short lines of a filled document to its text, on the document's XML alone.

``fit_short_lines(root, styles)`` sets the indents of the line paragraphs (a ``Đường kẻ`` style) so each line has
the length the format asks for. It reads and writes the ``w:document`` element directly (lxml), with the
paragraph styles resolved once into a ``StyleTable``, so a filled report needs neither python-docx nor a
scan of the styles per paragraph. Every reading follows python-docx's own (a paragraph's style, text, first
run's font, a section's text width; the ``w:ind`` it writes), so the result is the same as through its API.
"""

from __future__ import annotations

from dataclasses import dataclass

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TWIPS_PER_PT = 20
_ON = ("1", "true", "on")
# python-docx shows these built-in styles by their UI names.
_UI_NAMES = {"caption": "Caption", "footer": "Footer", "header": "Header",
             **{f"heading {i}": f"Heading {i}" for i in range(1, 10)}}
# What may follow ``w:ind`` in ``w:pPr`` (the schema's order, as python-docx inserts it).
_AFTER_IND = tuple(f"{W}{t}" for t in (
    "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
    "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"))


@dataclass(frozen=True, slots=True)
class StyleTable:
    """A document's paragraph styles: name and inherited font (size in pt, bold; None when unset) by id.

    ``default`` is the id of the style of paragraphs without one of their own (the last paragraph style
    marked default, as python-docx picks it), else None.
    """

    names: dict[str, str]
    fonts: dict[str, tuple[float | None, bool | None]]
    default: str | None

    @classmethod
    def of(cls, styles_root) -> StyleTable:
        """Read the ``w:styles`` element (``word/styles.xml``) once."""
        first: dict[str, object] = {}
        default = None
        for st in styles_root.iterchildren(f"{W}style"):
            sid = st.get(f"{W}styleId")
            first.setdefault(sid, st)
            if st.get(f"{W}type", "paragraph") == "paragraph" and st.get(f"{W}default") in _ON:
                default = sid
        paragraph = {sid: st for sid, st in first.items() if st.get(f"{W}type", "paragraph") == "paragraph"}
        names = {sid: _name(st) for sid, st in paragraph.items()}
        fonts = {sid: _chain_font(st, first) for sid, st in paragraph.items()}
        return cls(names, fonts, default)

    def name_of(self, p) -> str:
        """The style name of paragraph ``p`` (None: any paragraph without a style of its own); "" when the
        paragraph has none and the document has no default paragraph style."""
        sid = _style_id(p)
        name = self.names.get(sid or "")
        if name is None:
            name = self.names.get(self.default or "", "") if self.default else ""
        return name or ""

    def font_of(self, p) -> tuple[float | None, bool | None]:
        sid = _style_id(p)
        if sid in self.fonts:
            return self.fonts[sid]
        return self.fonts.get(self.default or "", (None, None))


def _style_id(p) -> str | None:
    el = p.find(f"{W}pPr/{W}pStyle") if p is not None else None
    return el.get(f"{W}val") if el is not None else None


def _name(st) -> str:
    el = st.find(f"{W}name")
    name = el.get(f"{W}val") if el is not None else None
    return _UI_NAMES.get(name, name) if name is not None else ""


def _rpr_font(rpr) -> tuple[float | None, bool | None]:
    """(size, bold) set directly in a ``w:rPr`` (None where unset)."""
    if rpr is None:
        return None, None
    sz, b = rpr.find(f"{W}sz"), rpr.find(f"{W}b")
    size = int(sz.get(f"{W}val")) / 2.0 if sz is not None else None
    bold = (b.get(f"{W}val", "true") in _ON) if b is not None else None
    return size, bold


def _chain_font(st, by_id: dict) -> tuple[float | None, bool | None]:
    """The first size and bold set along the style's ``basedOn`` chain."""
    size = bold = None
    seen = set()
    while st is not None and id(st) not in seen:
        seen.add(id(st))
        s, b = _rpr_font(st.find(f"{W}rPr"))
        size = s if size is None else size
        bold = b if bold is None else bold
        based = st.find(f"{W}basedOn")
        st = by_id.get(based.get(f"{W}val")) if based is not None else None
    return size, bold


def _run_text(r) -> str:
    out = []
    for el in r:
        tag = el.tag
        if tag == f"{W}t":
            out.append(el.text or "")
        elif tag in (f"{W}tab", f"{W}ptab"):
            out.append("\t")
        elif tag == f"{W}br":
            out.append("\n" if el.get(f"{W}type", "textWrapping") == "textWrapping" else "")
        elif tag == f"{W}cr":
            out.append("\n")
        elif tag == f"{W}noBreakHyphen":
            out.append("-")
    return "".join(out)


def paragraph_text(p) -> str:
    """A paragraph's text as python-docx gives it (runs and hyperlinks' runs; tabs and breaks as characters)."""
    parts = []
    for el in p:
        if el.tag == f"{W}r":
            parts.append(_run_text(el))
        elif el.tag == f"{W}hyperlink":
            parts.extend(_run_text(r) for r in el.iterchildren(f"{W}r"))
    return "".join(parts)


def effective_font(p, styles: StyleTable) -> tuple[float, bool]:
    """(size in pt, bold) of a paragraph's text: its first run's direct formatting, else its styles, else 14."""
    r = p.find(f"{W}r")
    size, bold = _rpr_font(r.find(f"{W}rPr")) if r is not None else (None, None)
    style_size, style_bold = styles.font_of(p)
    size = style_size if size is None else size
    bold = style_bold if bold is None else bold
    return (size or 14.0, bool(bold))


def _cell_margins_twips(tbl) -> int:
    """Left + right default cell margins of a table (Word's default 108 twips each when unset)."""
    total = 0
    mar = tbl.find(f"{W}tblPr/{W}tblCellMar")
    for side in ("left", "right"):
        el = mar.find(f"{W}{side}") if mar is not None else None
        total += int(el.get(f"{W}w")) if el is not None and el.get(f"{W}w") else 108
    return total


def available_twips(p, sections: list[tuple[int, int]]) -> int:
    """The width a paragraph element's text can use: its table cell's width, else its section's text width."""
    tc = next((a for a in p.iterancestors(f"{W}tc")), None)
    if tc is not None:
        tcw = tc.find(f"{W}tcPr/{W}tcW")
        if tcw is not None and tcw.get(f"{W}type") == "dxa":
            tbl = next(tc.iterancestors(f"{W}tbl"))
            return int(tcw.get(f"{W}w")) - _cell_margins_twips(tbl)
    top = p
    while top.getparent() is not None and top.getparent().tag != f"{W}body":
        top = top.getparent()
    if not sections:
        return 9355
    if top.tag not in (f"{W}p", f"{W}tbl"):
        return sections[0][1]
    at = top.getparent().index(top)
    return next((w for end, w in sections if at <= end), sections[-1][1])


def _twips(value: str | None, signed: bool) -> int:
    if value is None:
        raise ValueError("section without page size or margins")
    return round(float(value)) if signed else int(value)


def _text_width(sect_pr) -> int:
    """A section's page width less its left and right margins, in twips."""
    size, margins = sect_pr.find(f"{W}pgSz"), sect_pr.find(f"{W}pgMar")
    width = _twips(size.get(f"{W}w") if size is not None else None, False)
    left = _twips(margins.get(f"{W}left") if margins is not None else None, True)
    right = _twips(margins.get(f"{W}right") if margins is not None else None, True)
    return width - left - right


def section_ends(body) -> list[tuple[int, int]]:
    """(position in the body of the paragraph ending the section, text width in twips) of every section; the
    last section, ended by the body's own properties, has the position of the body's last child."""
    out = []
    for sect_pr in body.iter(f"{W}sectPr"):  # in document order, the body's own last
        parent = sect_pr.getparent()
        if parent is body:
            out.append((len(body), _text_width(sect_pr)))
        elif parent.tag == f"{W}pPr" and parent.getparent().tag == f"{W}p" and parent.getparent().getparent() is body:
            out.append((body.index(parent.getparent()), _text_width(sect_pr)))
    return out


def _fitted(p, body) -> bool:
    """Whether ``fit_short_lines`` fits paragraph element ``p``: one of the body's paragraphs, or one of a cell's in a
    table of the body (the first cell of a vertical merge, which holds the merged cell's text)."""
    parent = p.getparent()
    if parent is body:
        return True
    if parent is None or parent.tag != f"{W}tc" or _continues_merge(parent):
        return False
    tr = parent.getparent()
    tbl = tr.getparent() if tr is not None and tr.tag == f"{W}tr" else None
    return tbl is not None and tbl.tag == f"{W}tbl" and tbl.getparent() is body


def _continues_merge(tc) -> bool:
    merge = tc.find(f"{W}tcPr/{W}vMerge")
    return merge is not None and merge.get(f"{W}val", "continue") == "continue"


def line_paragraphs(body, styles: StyleTable, rules: tuple[str, ...]):
    """The line paragraphs (a ``Đường kẻ`` style) among the body's and its tables' cells' paragraphs.

    Only the paragraphs naming a style are looked at, unless the document's default paragraph style is itself
    a line style (then every paragraph is).
    """
    if styles.name_of(None) in rules:
        candidates = (p for p in body.iter(f"{W}p") if styles.name_of(p) in rules)
    else:
        ids = {sid for sid, name in styles.names.items() if name in rules}
        candidates = (s.getparent().getparent() for s in body.iter(f"{W}pStyle") if s.get(f"{W}val") in ids)
    for p in candidates:
        if p is not None and p.tag == f"{W}p" and _fitted(p, body):
            yield p


def set_indents(p, side: int) -> None:
    """Left and right indents ``side`` twips, first line 0, written as python-docx writes them."""
    ppr = p.find(f"{W}pPr")
    if ppr is None:
        ppr = p.makeelement(f"{W}pPr")
        p.insert(0, ppr)
    ind = ppr.find(f"{W}ind")
    if ind is None:
        ind = ppr.makeelement(f"{W}ind")
        after = next((el for el in ppr if el.tag in _AFTER_IND), None)
        if after is None:
            ppr.append(ind)
        else:
            after.addprevious(ind)
    ind.set(f"{W}left", str(side))
    ind.set(f"{W}right", str(side))
    ind.attrib.pop(f"{W}firstLine", None)
    ind.attrib.pop(f"{W}hanging", None)
    ind.set(f"{W}firstLine", "0")
