"""What calamine does not tell, read from the file's own markup in one streaming pass per sheet.

For .xlsx/.xlsm: hidden rows (and which of them an active AutoFilter hid), error cells (``#N/A``), formulas
whose value was never calculated, cells formatted as a percentage, and the sheet's real shape: cells far
outside any table (a stray key press at ``XFD1048576``) that would make a dense read allocate the whole
declared range. For .ods: hidden and filtered rows, merged ranges, error cells and percentage cells from
``content.xml``. Every part is checked against size limits before it is unpacked, and read in chunks.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from toolkit.core.schema import row_cap

# Limits (documented in README, "Đọc sổ theo dõi"): a part that unpacks beyond these is refused unread.
PART_LIMIT = 1 << 30  # bytes one part of the zip may unpack to (a 100,000-row sheet is about 75 MB)
TOTAL_LIMIT = 2 << 30  # bytes all parts together may unpack to
RATIO_LIMIT = 200  # unpacked/packed ratio allowed for parts over RATIO_FLOOR (sheet XML is about 10:1)
RATIO_FLOOR = 8 << 20
COLUMN_LIMIT = 64  # columns A..BL are a table's area; a value further right is outside any table
CHUNK = 1 << 16  # bytes of a part read at a time: the 100,000-row sheet scans with 10-15% less CPU than at 256 KB


class Refused(Exception):
    """A part of the file is absurdly large or packed; ``params`` feed the ``file-too-large`` issue."""

    def __init__(self, part: str, size: int, ratio: float) -> None:
        super().__init__(part)
        self.params = {"part": part, "size": f"{size / (1 << 20):,.0f} MB", "ratio": f"{ratio:,.0f}"}


def check_zip(zf: zipfile.ZipFile) -> None:
    """Refuse the file when a part's declared unpacked size or packing ratio is absurd (before unpacking)."""
    total = 0
    for info in zf.infolist():
        size, packed = info.file_size, max(info.compress_size, 1)
        total += size
        ratio = size / packed
        if size > PART_LIMIT or (size > RATIO_FLOOR and ratio > RATIO_LIMIT):
            raise Refused(info.filename, size, ratio)
        if total > TOTAL_LIMIT:
            raise Refused(info.filename, total, ratio)


def stream(zf: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    """A part's bytes in chunks; never more than PART_LIMIT whatever its header claims."""
    seen = 0
    with zf.open(name) as f:
        while chunk := f.read(CHUNK):
            seen += len(chunk)
            if seen > PART_LIMIT:
                raise Refused(name, seen, 0)
            yield chunk


def column_index(letters: str | bytes) -> int:
    n = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


@dataclass
class SheetScan:
    """What one pass over a sheet's markup found (rows 1-based, columns 0-based)."""

    hidden: set[int] = field(default_factory=set)
    filtered: set[int] = field(default_factory=set)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    uncalculated: dict[tuple[int, int], str] = field(default_factory=dict)
    percent: set[tuple[int, int]] | None = None
    merged: list[tuple[tuple[int, int], tuple[int, int]]] | None = None
    far_cells: list[tuple[int, int]] = field(default_factory=list)  # outside COLUMN_LIMIT or ROW cap
    rows: int = 0
    last_row: int = 0

    def row_cap(self) -> int:
        return row_cap(self.rows)

    @property
    def absurd(self) -> bool:
        """Would a dense read of this sheet cost far more than its cells?"""
        return bool(self.far_cells) or self.last_row > self.row_cap()


# --- .xlsx / .xlsm -------------------------------------------------------------------------------------------

_ROW_HIDDEN = re.compile(rb'<row\b[^>]*?\br="(\d+)"[^>]*?\bhidden="(?:1|true)"|'
                         rb'<row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="(\d+)"')
_ERROR_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*?\bt="e"[^>]*>(?:(?!</c>).)*?<v>([^<]*)</v>', re.S)
_WIDE_CELL = re.compile(rb'<c r="([A-Z]{2,3})(\d+)"')
_CELL_REF = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"')
_STYLED_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>]*?\bs="(\d+)"')
_AUTOFILTER = re.compile(rb'<autoFilter\b[^>]*\bref="[A-Z]+(\d+):[A-Z]+(\d+)"[^>]*>(.*?)</autoFilter>', re.S)
_FILTER_MODE = re.compile(rb'<sheetPr\b[^>]*\bfilterMode="(?:1|true)"')


def percent_styles(zf: zipfile.ZipFile) -> frozenset[int]:
    """Indexes of cellXfs whose number format shows a percentage (built-in 9, 10 or a code with a bare %)."""
    try:
        xml = b"".join(stream(zf, "xl/styles.xml"))
    except KeyError:
        return frozenset()
    codes = {int(m.group(1)): _unxml(m.group(2)) for m in
             re.finditer(rb'<numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"', xml)}
    block = re.search(rb"<cellXfs\b.*?</cellXfs>", xml, re.S)
    if block is None:
        return frozenset()
    out = set()
    for i, m in enumerate(re.finditer(rb"<xf\b([^>]*)>", block.group(0))):
        fid = re.search(rb'numFmtId="(\d+)"', m.group(1))
        n = int(fid.group(1)) if fid else 0
        if n in (9, 10) or (n in codes and is_percent_code(codes[n])):
            out.add(i)
    return frozenset(out)


def is_percent_code(code: str) -> bool:
    """Does a number format scale by 100? A % inside quotes or escaped by a backslash is just a character."""
    plain = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    return "%" in plain


_ENTITY = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _unxml(raw: bytes) -> str:
    """An attribute's text with XML's references resolved (the five named ones and numeric ones)."""
    text = raw.decode("utf-8", "replace")
    if "&" not in text:
        return text
    return _ENTITY.sub(lambda m: _NAMED[m.group(1)] if m.group(1) else chr(int(m.group(2) or m.group(3),
                                                                             10 if m.group(2) else 16)), text)


def calc_on_load(zf: zipfile.ZipFile) -> bool:
    """Was the file written by a program that left formula values to be calculated when Excel opens it?"""
    try:
        xml = b"".join(stream(zf, "xl/workbook.xml"))
    except KeyError:
        return False
    return re.search(rb'<calcPr\b[^>]*\bfullCalcOnLoad="(?:1|true)"', xml) is not None


def plausible_shape(zf: zipfile.ZipFile, part: str) -> bool:
    """Does the sheet declare (``<dimension>``) a range a dense read can afford for a part of its size?

    Every writer (Excel, LibreOffice, openpyxl, XlsxWriter) declares the range its cells span; a stray cell
    at XFD1048576 makes it billions of cells for a part of a few kilobytes. Without a declaration the sheet
    is scanned for its real shape first.
    """
    with zf.open(part) as f:
        head = f.read(1 << 16)
    m = re.search(rb'<dimension\b[^>]*\bref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"', head)
    if m is None:
        return False
    if m.group(3) is None:
        return True
    rows = int(m.group(4)) - int(m.group(2)) + 1
    cols = column_index(m.group(3)) - column_index(m.group(1)) + 1
    return cols <= COLUMN_LIMIT and rows * cols <= max(DENSE_CELLS, zf.getinfo(part).file_size // 4)


DENSE_CELLS = 2_000_000  # a declared range this small is read densely whatever the part's size


def scan_xlsx_sheet(chunks: Iterator[bytes], *, percent_xfs: frozenset[int] | None,
                    calc_pending: bool, shape: bool = True) -> SheetScan:
    """One streaming pass over a worksheet part; blocks are cut after a ``</row>`` so no cell is split.

    ``shape`` also finds the rows and the cells far outside any table (not needed when the declared range
    is plausible: then the scan can run while calamine reads the same part).
    """
    out = SheetScan(percent=set() if percent_xfs is not None else None)
    for block, tail in row_blocks(chunks):
        if block:
            _scan_block(block, out, percent_xfs, calc_pending, shape)
            if tail:
                _scan_tail(block, out)
    return out


def row_blocks(chunks: Iterator[bytes]) -> Iterator[tuple[bytes, bool]]:
    """A streamed worksheet part in blocks cut after a ``</row>``, so no row is split; the last block (True) is
    what follows the last cut, the sheet's tail, given even when empty."""
    carry = b""
    for chunk in chunks:
        cut = chunk.rfind(b"</row>")
        if cut < 0:
            carry += chunk
            continue
        cut += 6
        yield (b"".join((carry, memoryview(chunk)[:cut])) if carry or cut < len(chunk) else chunk), False
        carry = chunk[cut:]  # the start of a row: a small copy
    yield carry, True


def _scan_block(block: bytes, out: SheetScan, percent_xfs: frozenset[int] | None, calc_pending: bool,
                shape: bool) -> None:
    if shape:
        numbers = _ROW_R.findall(block)
        if numbers:
            out.rows += len(numbers)
            out.last_row = max(out.last_row, max(map(int, numbers)))
        for m in _WIDE_CELL.finditer(block):
            col = column_index(m.group(1))
            if col >= COLUMN_LIMIT:
                out.far_cells.append((int(m.group(2)), col))
    if b'hidden="' in block:
        for m in _ROW_HIDDEN.finditer(block):
            out.hidden.add(int(m.group(1) or m.group(2)))
    if b't="e"' in block:
        for m in _ERROR_CELL.finditer(block):
            out.errors[(int(m.group(2)), column_index(m.group(1)))] = m.group(3).decode("utf-8", "replace")
    for m in (_PENDING if calc_pending else _NO_VALUE).finditer(block):
        _formula_cell(block, m, out)
    if percent_xfs and out.percent is not None:
        for m in _STYLED_CELL.finditer(block):
            if int(m.group(3)) in percent_xfs:
                out.percent.add((int(m.group(2)), column_index(m.group(1))))


# A formula cell's end when its value is missing (openpyxl writes none) or, in a file left for Excel to
# calculate (fullCalcOnLoad), XlsxWriter's placeholder 0.
# One pattern, searched from its literal start "<f" (formula text cannot hold a "<": it is written &lt;).
# The formula's text is taken whole (``*+``): nothing but its end can follow it, so nothing is tried again.
_NO_VALUE = re.compile(rb"<f\b[^>]*(?:/>|>[^<]*+</f>)(?:<v></v>|<v/>)?</c>")
_PENDING = re.compile(rb"<f\b[^>]*(?:/>|>[^<]*+</f>)(?:<v></v>|<v/>|<v>0</v>)?</c>")
_ROW_R = re.compile(rb'<row r="(\d+)"')


def _formula_cell(block: bytes, m: re.Match[bytes], out: SheetScan) -> None:
    """Record the formula cell whose end ``m`` found (a placeholder 0 only in a cell without a type)."""
    start = block.rfind(b"<c ", 0, m.start())
    ref = _CELL_REF.match(block, start) if start >= 0 else None
    if ref is None:
        return
    if m.group(0).endswith(b"<v>0</v></c>") and b' t="' in block[start:block.find(b">", start)]:
        return
    out.uncalculated[(int(ref.group(2)), column_index(ref.group(1)))] = "công thức"


def _scan_tail(tail: bytes, out: SheetScan) -> None:
    """After the rows: an AutoFilter with criteria hides rows by filter, not by hand."""
    m = _AUTOFILTER.search(tail)
    active = m is not None and b"<filterColumn" in m.group(3)
    if not active or not out.hidden:
        return
    first, last = int(m.group(1)), int(m.group(2))
    out.filtered = {r for r in out.hidden if first < r <= last}
    out.hidden -= out.filtered


def filter_far_cells(chunks: Iterator[bytes], row_cap: int, sink: IO[bytes]) -> list[tuple[int, int]]:
    """Copy a worksheet part without the cells outside the table area; return where they were."""
    dropped: list[tuple[int, int]] = []
    cell = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"(?:[^>]*/>|[^>]*>.*?</c>)', re.S)
    row_el = re.compile(rb'<row\b[^>]*?\br="(\d+)"[^>]*?(?:/>|>.*?</row>)', re.S)

    def drop_cell(m: re.Match[bytes]) -> bytes:
        col, row = column_index(m.group(1)), int(m.group(2))
        if col >= COLUMN_LIMIT or row > row_cap:
            dropped.append((row, col))
            return b""
        return m.group(0)

    def drop_row(m: re.Match[bytes]) -> bytes:
        body = cell.sub(drop_cell, m.group(0))
        return b"" if int(m.group(1)) > row_cap else body

    for block, tail in row_blocks(chunks):
        kept = row_el.sub(drop_row, block)
        sink.write(re.sub(rb'<dimension\b[^>]*/>', b"", kept) if tail else kept)
    return dropped


# --- .ods ----------------------------------------------------------------------------------------------------

_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"


def scan_ods(zf: zipfile.ZipFile, wanted: set[str]) -> dict[str, SheetScan]:
    """One streaming pass over content.xml for the sheets named in ``wanted``."""
    import xml.etree.ElementTree as ET

    out: dict[str, SheetScan] = {}
    parser = ET.XMLPullParser(events=("start", "end"))
    state: dict[str, Any] = {"sheet": None, "row": 0, "col": 0, "reps": 1, "active": set()}
    for chunk in stream(zf, "content.xml"):
        parser.feed(chunk)
        for event, el in parser.read_events():
            _ods_event(event, el, state, out, wanted)
    parser.close()
    for name, scan in out.items():  # LibreOffice marks rows hidden by hand inside a filter range "filter" too
        if name not in state["active"]:
            scan.hidden |= scan.filtered
            scan.filtered = set()
    return out


def _ods_event(event: str, el: Any, state: dict[str, Any], out: dict[str, SheetScan], wanted: set[str]) -> None:
    tag = el.tag
    if tag == _T + "table":
        if event == "start":
            name = el.get(_T + "name")
            state.update(sheet=out.setdefault(name, SheetScan(percent=set(), merged=[])) if name in wanted else None,
                         row=0)
        else:
            state["sheet"] = None
        return
    if tag == _T + "database-range" and event == "end" and el.find(_T + "filter") is not None:
        m = re.match(r"^\$?'?(.*?)'?\.\$?[A-Z]", el.get(_T + "target-range-address", ""))
        if m:
            state["active"].add(m.group(1).replace("''", "'"))
    scan: SheetScan | None = state["sheet"]
    if scan is None:
        if event == "end" and tag != _O + "spreadsheet":
            el.clear()
        return
    if tag == _T + "table-row":
        if event == "start":
            state["reps"] = int(el.get(_T + "number-rows-repeated", "1"))
            state["col"] = 0
            visibility = el.get(_T + "visibility")
            if visibility in ("collapse", "filter"):
                rows = range(state["row"] + 1, state["row"] + 1 + min(state["reps"], 1 << 20))
                (scan.filtered if visibility == "filter" else scan.hidden).update(rows)
        else:
            state["row"] += state["reps"]
            el.clear()
    elif tag in (_T + "table-cell", _T + "covered-table-cell") and event == "end":
        _ods_cell(el, state, scan)
        state["col"] += int(el.get(_T + "number-columns-repeated", "1"))
        el.clear()


def _ods_cell(el: Any, state: dict[str, Any], scan: SheetScan) -> None:
    row, col = state["row"] + 1, state["col"]
    kind = el.get(_O + "value-type")
    if kind is None and el.get(_CALCEXT + "value-type") is None:
        return
    if kind == "percentage" and scan.percent is not None:
        scan.percent.add((row, col))
    if el.get(_CALCEXT + "value-type") == "error":
        scan.errors[(row, col)] = "".join(el.itertext()).strip() or "#VALUE!"
    spans = (int(el.get(_T + "number-rows-spanned", "1")), int(el.get(_T + "number-columns-spanned", "1")))
    if spans != (1, 1) and scan.merged is not None:
        scan.merged.append(((row - 1, col), (row - 2 + spans[0], col + spans[1] - 1)))


def decompress_ok(exc: BaseException) -> bool:
    """Is ``exc`` a damaged-part error (the file is reported by calamine as damaged)?"""
    return isinstance(exc, (zlib.error, zipfile.BadZipFile, EOFError, OSError))
