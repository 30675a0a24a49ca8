"""A Word template prepared once for filling, kept in a cache keyed by the template's content.

docxtpl fills a template by opening it with python-docx, rewriting its XML into Jinja source (``patch_xml``),
compiling that, rendering, and saving every part back through python-docx. All of it but the rendering depends
on the template alone. ``prepare`` does that part once, through docxtpl and python-docx themselves, and keeps:
the compiled Jinja code of the body and of each header and footer, the variables the template asks for, the
paragraph styles (``short_lines.StyleTable``), and the package exactly as python-docx writes it unfilled (the
``skeleton``). ``fill`` then renders into that skeleton with Jinja and lxml only, doing each step docxtpl does
after rendering, so the parts written are byte for byte those of docxtpl; what it does not handle (pictures,
footnotes, drawings, tags in the document properties, tables whose columns a loop changed) it hands back
(``None``) for docxtpl to do.

The cache lives in ``CCHC_CACHE_DIR``, else the user's cache folder (``cchc``); an entry is named by a hash of
the template's bytes and of the versions of Python, Jinja, docxtpl and this format, written to a temporary
file and renamed (concurrent runs at worst write the same entry twice); an entry that cannot be read or
written is simply prepared again in memory.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.report.short_lines import StyleTable

FORMAT = 1  # bump when what an entry holds, or how it is made, changes
DOCUMENT = "word/document.xml"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")  # what docxtpl renders
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_memo: dict[str, Prepared] = {}


@dataclass(frozen=True, slots=True)
class Prepared:
    """What filling a template needs that depends on the template alone (see the module's docstring)."""

    undeclared: frozenset[str]  # every variable the template asks for (body, headers, footers)
    fast: bool  # False: the template uses what only docxtpl handles; fill it with docxtpl
    codes: dict[str, bytes]  # member name -> marshalled Jinja code (the body is DOCUMENT)
    encodings: dict[str, str]  # header and footer member name -> the encoding docxtpl writes it in
    styles: StyleTable
    skeleton: list[tuple[str, bytes]]  # the package as python-docx writes it unfilled, in its order


def _versions() -> str:
    """What an entry depends on besides the template: this format, Python, Jinja, lxml, and the installed
    docxtpl and python-docx (the size and time of their ``__init__.py``, which names their version; read
    without importing them, or ``importlib.metadata``, which would cost more than the cache saves)."""
    from importlib.util import find_spec

    import jinja2
    from lxml import etree

    stamps = []
    for name in ("docxtpl", "docx"):
        spec = find_spec(name)
        st = os.stat(spec.origin) if spec is not None and spec.origin else None
        stamps.append(f"{name} {st.st_size}-{st.st_mtime_ns}" if st else f"{name} -")
    return f"{FORMAT} {sys.implementation.cache_tag} jinja2 {jinja2.__version__} lxml {etree.LXML_VERSION} {stamps}"


def cache_dir() -> Path:
    """Where prepared templates are kept: ``CCHC_CACHE_DIR``, else the user's cache folder."""
    if os.environ.get("CCHC_CACHE_DIR"):
        return Path(os.environ["CCHC_CACHE_DIR"])
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "cchc" / "cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cchc"


def prepared(path: Path, env) -> Prepared:
    """The template at ``path`` prepared for ``env``: from memory, from the cache, else made and cached.

    Raises ``zipfile.BadZipFile`` (or ``KeyError``, ``OSError``) for a template that is not a readable Word
    file, and Jinja's ``TemplateError`` for broken tags.
    """
    data = path.read_bytes()
    key = hashlib.sha256(data + _versions().encode()).hexdigest()[:32]
    if key in _memo:
        return _memo[key]
    entry = cache_dir() / f"template-{key}.bin"
    result = _load(entry)
    if result is None:
        result = prepare(path, env)
        _store(entry, result)
    _memo[key] = result
    return result


def _load(entry: Path) -> Prepared | None:
    import marshal

    try:
        with open(entry, "rb") as f:
            undeclared, fast, codes, encodings, (names, fonts, default), skeleton = marshal.load(f)
        return Prepared(undeclared, fast, codes, encodings, StyleTable(names, fonts, default), skeleton)
    except Exception:  # a missing, partial or foreign entry is prepared again
        return None


def _store(entry: Path, result: Prepared) -> None:
    import marshal

    st = result.styles
    data = marshal.dumps((result.undeclared, result.fast, result.codes, result.encodings,
                          (st.names, st.fonts, st.default), result.skeleton))
    tmp = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, entry)
    except OSError:  # a read-only or full disk: the template is prepared again next time
        try:
            tmp.unlink()
        except OSError:
            pass


def _sources(tpl) -> tuple[dict[str, str], dict[str, str], str]:
    """docxtpl's Jinja source of the body and of each header and footer (as ``render_xml_part`` compiles it),
    their encodings, and the text ``get_undeclared_template_variables`` parses."""
    from docx.opc.oxml import parse_xml

    body = tpl.patch_xml(tpl.get_xml())
    sources, encodings, whole = {DOCUMENT: body}, {}, body
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for rel in tpl.docx.part.rels.values():
            if rel.reltype == uri and rel.target_part.blob:
                xml = tpl.xml_to_string(parse_xml(rel.target_part.blob))
                name = rel.target_part.partname.membername
                encodings[name] = tpl.get_headers_footers_encoding(xml)
                sources[name] = tpl.patch_xml(xml)
                whole += sources[name]
    return {k: re.sub(r"<w:p([ >])", r"\n<w:p\1", v) for k, v in sources.items()}, encodings, whole


def _fast(tpl, body_source: str) -> bool:
    """Whether ``fill`` can do all docxtpl would for this template."""
    props = tpl.docx.core_properties
    tagged = any(mark in (getattr(props, p) or "") for p in _PROPERTIES for mark in ("{{", "{%", "{#"))
    footnotes = any(part.content_type == _FOOTNOTES for part in tpl.docx.part.package.parts)
    return not tagged and not footnotes and "docPr" not in body_source


def prepare(path: Path, env) -> Prepared:
    """Read the template at ``path`` through docxtpl and python-docx (see the module's docstring)."""
    import io
    import marshal
    import zipfile

    from docx.opc.exceptions import PackageNotFoundError
    from docxtpl import DocxTemplate
    from jinja2 import meta

    tpl = DocxTemplate(str(path))
    try:
        tpl.init_docx()
    except PackageNotFoundError as exc:
        raise zipfile.BadZipFile(str(exc)) from None
    sources, encodings, whole = _sources(tpl)
    undeclared = frozenset(meta.find_undeclared_variables(env.parse(whole)))
    codes = {name: marshal.dumps(env.compile(src)) for name, src in sources.items()}
    fast = _fast(tpl, sources[DOCUMENT])
    if fast:
        tpl.render_properties({}, env)  # no tags: the properties come out as every render writes them
    styles = StyleTable.of(tpl.docx.styles.element)
    out = io.BytesIO()
    tpl.docx.save(out)
    with zipfile.ZipFile(out) as z:
        skeleton = [(name, z.read(name)) for name in z.namelist()]
    return Prepared(undeclared, fast, codes, encodings, styles, skeleton)


# --- filling ------------------------------------------------------------------------------------------------

_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)  # docxtpl's paragraph pattern
_LISTING = re.compile("[\t\a\n\f]")  # what docxtpl's resolve_listing rewrites (tab, new paragraph, break, page)
_RUN = re.compile(r"<w:r(?: [^>]*)?>.*?</w:r>", re.DOTALL)
_TEXT = re.compile(r"<w:t(?: [^>]*)?>.*?</w:t>", re.DOTALL)
_PPR = re.compile(r"<w:pPr>.*?</w:pPr>")
_RPR = re.compile(r"<w:rPr>.*?</w:rPr>")


def _listing_text(rpr: str, ppr: str, text: str) -> str:
    """docxtpl's ``resolve_text``: tab, ``\\a`` (new paragraph), ``\\n`` (line break), ``\\f`` (page break)."""
    text = text.replace("\t", f'</w:t></w:r><w:r>{rpr}<w:tab/></w:r><w:r>{rpr}<w:t xml:space="preserve">')
    text = text.replace("\a", f'</w:t></w:r></w:p><w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">')
    text = text.replace("\n", '</w:t><w:br/><w:t xml:space="preserve">')
    return text.replace("\f", f'</w:t></w:r></w:p><w:p><w:r><w:br w:type="page"/></w:r></w:p><w:p>{ppr}<w:r>{rpr}'
                              f'<w:t xml:space="preserve">')


def _listing_paragraph(xml: str) -> str:
    """docxtpl's ``resolve_listing`` on one paragraph."""
    found = _PPR.search(xml)
    ppr = found.group(0) if found else ""

    def run(m: re.Match) -> str:
        found = _RPR.search(m.group(0))
        rpr = found.group(0) if found else ""
        return _TEXT.sub(lambda t: _listing_text(rpr, ppr, t.group(0)), m.group(0))

    return _RUN.sub(run, xml)


def resolve_listing(xml: str) -> str:
    """docxtpl's ``resolve_listing``, run only on the paragraphs holding one of the characters it rewrites."""
    return _PARAGRAPH.sub(lambda m: _listing_paragraph(m.group(0)) if _LISTING.search(m.group(0)) else m.group(0),
                          xml)


def _rendered(env, code: bytes, context: dict[str, Any]) -> str:
    """docxtpl's ``render_xml_part`` from the compiled code: render, then its clean-up, then the listing."""
    import marshal

    template = env.template_class.from_code(env, marshal.loads(code), env.make_globals(None))
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", template.render(context))
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    return resolve_listing(xml)


def _regular_tables(tree) -> bool:
    """No table whose rows a loop made wider or narrower than its grid (docxtpl's ``fix_tables`` would act)."""
    for t in tree.iter(f"{_W}tbl"):
        grid = t.find(f"{_W}tblGrid")
        if grid is None:
            return False
        columns = len(grid.findall(f"{_W}gridCol"))
        widest = 0
        for r in t.iter(f"{_W}tr"):
            cells = r.findall(f"{_W}tc")
            if len(cells) > columns:
                return False
            spans = [c.find(f"{_W}tcPr/{_W}gridSpan") for c in cells]
            widest = max(widest, sum(int(s.get(f"{_W}val")) if s is not None else 1 for s in spans))
        if widest < columns:
            return False
    return True


def fill(prep: Prepared, env, context: dict[str, Any], fit) -> bytes | None:
    """The filled document as python-docx would save it after docxtpl's render and ``fit(root, styles)``;
    None when the rendered body needs what only docxtpl does (then the caller renders with docxtpl)."""
    import io
    import zipfile

    from lxml import etree

    body = _rendered(env, prep.codes[DOCUMENT], context)
    if "<wp:docPr" in body:
        return None
    tree = etree.fromstring(body, parser=etree.XMLParser(recover=True))
    if not _regular_tables(tree):
        return None
    parts = dict(prep.skeleton)
    oxml = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
    root = etree.fromstring(parts[DOCUMENT], parser=oxml)
    root.replace(root.find(f"{_W}body"), tree)
    fit(root, prep.styles)
    parts[DOCUMENT] = etree.tostring(root, encoding="UTF-8", standalone=True)
    for name, encoding in prep.encodings.items():
        xml = _rendered(env, prep.codes[name], context).encode(encoding)
        parts[name] = etree.tostring(etree.fromstring(xml, parser=oxml), encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, _ in prep.skeleton:
            z.writestr(name, parts[name])
    return out.getvalue()
