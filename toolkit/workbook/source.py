"""Opening a workbook file as a source of sheets for ``reader.read_sheets``, whatever its format.

Values come from python-calamine. Before calamine sees an .xlsx/.xlsm/.ods, the zip's parts are checked
against the size limits and each contract sheet's markup is scanned once (``markup``): what calamine does not
tell (hidden and filtered rows, error cells, uncalculated formulas, percent formats, merged ranges in .ods)
and whether a dense read would cost far more than the cells hold. A sheet with cells far outside any table is
copied without them into a temporary file first, so reading costs what the cells cost; the cells left out are
reported where they were.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.core.issues import Issue, issue
from toolkit.core.schema import INFO_SHEET, PLAN, PROGRESS, ROSTER, TableSheet
from toolkit.core.text import fold
from toolkit.workbook import markup
from toolkit.workbook.markup import SheetScan

TABLES: tuple[TableSheet, ...] = (PLAN, PROGRESS, ROSTER)


def loose(name: str) -> str:
    """A sheet name without case, tone marks, spaces or punctuation: ``Tien do`` and ``Tiến độ`` agree."""
    text = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return re.sub(r"[\W_]+", "", "".join(c for c in text if not unicodedata.combining(c))).lower()


@dataclass
class FileSource:
    """An opened workbook file: calamine's book, the scans of the contract sheets and notes about the file."""

    path: Path
    book: Any = None
    scans: dict[str, SheetScan] = field(default_factory=dict)  # by actual name
    notes: list[Issue] = field(default_factory=list)
    formats_known: bool = True
    temp: Path | None = None
    background: _Scans | None = None

    def scan(self, name: str) -> SheetScan | None:
        """The scan of sheet ``name`` (waiting for it when it runs in the background)."""
        if self.background is None or name not in self.background.done:
            return self.scans.get(name)
        try:
            return self.background.result(name)
        except markup.Refused:
            raise
        except Exception:  # what calamine could read is read; the scan's own failure costs only its checks
            return None

    def close(self) -> None:
        if self.background is not None:
            self.background.stop = True
            self.background.join()
        if self.book is not None:
            self.book.close()
        if self.temp is not None:
            shutil.rmtree(self.temp, ignore_errors=True)


def sheet_lookup(names: list[str], wanted: str, notes: list[Issue]) -> str | None:
    """The actual name of contract sheet ``wanted``: exact up to case and spacing, else an almost-equal name
    (tone marks, spaces) accepted with a warning that says to rename it."""
    for n in names:
        if fold(n) == fold(wanted):
            return n
    close = [n for n in names if loose(n) == loose(wanted)]
    if len(close) == 1:
        notes.append(issue("sheet-name-close", sheet=wanted, value=close[0]))
        return close[0]
    return None


def contract_sheets(names: list[str], notes: list[Issue]) -> dict[str, str]:
    """Contract table name -> actual sheet name, for the table sheets present."""
    out = {}
    for wanted in (*(t.name for t in TABLES), INFO_SHEET):
        actual = sheet_lookup(names, wanted, notes)
        if actual is not None:
            out[wanted] = actual
    return out


def open_source(path: Path, open_book: Any, *, beside: bool = True) -> FileSource:
    """Scan and open ``path``; ``open_book(path)`` opens a calamine book. Raises ``markup.Refused``.

    ``beside``: the scans of sheets with a plausible declared range run in a thread while calamine parses
    the same parts, which saves 12% of ``cchc validate``'s wall time on the 100,000-row log (1.84 s -> 1.61 s);
    False scans them first, the plain way (also taken when no thread can be had)."""
    src = FileSource(path)
    suffix = path.suffix.lower()
    zf = _zip(path)
    try:
        if zf is not None:
            markup.check_zip(zf)
            if "xl/workbook.xml" in zf.namelist():
                far = _scan_xlsx(zf, src, beside)
                if far:
                    src.temp = Path(tempfile.mkdtemp(prefix="cchc-"))
                    path = _without_far_cells(zf, far, src.scans, src.temp / ("book" + suffix))
            elif "content.xml" in zf.namelist():
                src.scans = _scan_ods(zf)
        else:
            src.formats_known = False
    finally:
        if zf is not None:
            zf.close()
    src.book = open_book(path)
    return src


def _zip(path: Path) -> zipfile.ZipFile | None:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return None  # not a zip (.xls) or damaged: calamine says which


def _scan_xlsx(zf: zipfile.ZipFile, src: FileSource, beside: bool) -> dict[str, str]:
    """Scan the contract sheets: now when the declared range is implausible (its real shape decides whether
    its far cells are left out), else (``beside``) in a thread while calamine parses the same part. Returns the
    parts of the sheets whose far cells must be left out."""
    try:
        targets = sheet_targets(zf)
    except (KeyError, zipfile.BadZipFile):
        return {}
    names = set(zf.namelist())
    actual = {w: n for w, n in contract_sheets(list(targets), []).items() if targets[n] in names}
    pct = markup.percent_styles(zf)
    pending = markup.calc_on_load(zf)
    far, later = {}, []
    for wanted, name in actual.items():
        options = {"calc_pending": pending, "percent_xfs": pct if wanted == PLAN.name else None}
        if markup.plausible_shape(zf, targets[name]):
            later.append((name, targets[name], options))
            continue
        scan = _scan_part(zf, targets[name], options, shape=True)
        if scan is not None:
            src.scans[name] = scan
            if scan.absurd:
                far[name] = targets[name]
    if later and beside:
        background = _Scans(Path(zf.filename or ""), later)
        try:
            background.start()
        except RuntimeError:  # no thread to be had (a memory cap, a limit on threads): the scans run now
            pass
        else:
            src.background, later = background, []
    for name, part, options in later:
        scan = _scan_part(zf, part, options, shape=False)
        if scan is not None:
            src.scans[name] = scan
    return far


class _Scans(threading.Thread):
    """The scans of the sheets whose declared range is plausible, one after another, while calamine parses
    the same parts (calamine leaves Python's lock while it parses)."""

    def __init__(self, path: Path, jobs: list[tuple[str, str, dict[str, Any]]]) -> None:
        super().__init__(name="cchc-scan", daemon=True)
        self.path, self.jobs, self.stop = path, jobs, False
        self.done = {name: threading.Event() for name, _part, _options in jobs}
        self.out: dict[str, tuple[SheetScan | None, BaseException | None]] = {}

    def run(self) -> None:
        for name, part, options in self.jobs:
            try:
                if not self.stop:
                    self.out[name] = (_scan_file_part(self.path, part, options), None)
            except BaseException as exc:  # handed to the reader, which decides (``FileSource.scan``)
                self.out[name] = (None, exc)
            finally:
                self.done[name].set()

    def result(self, name: str) -> SheetScan | None:
        self.done[name].wait()
        value, exc = self.out.get(name, (None, None))
        if exc is not None:
            raise exc
        return value


def _scan_file_part(path: Path, part: str, options: dict[str, Any]) -> SheetScan | None:
    with zipfile.ZipFile(path) as zf:
        return _scan_part(zf, part, options, shape=False)


def _scan_part(zf: zipfile.ZipFile, part: str, options: dict[str, Any], *, shape: bool) -> SheetScan | None:
    try:
        return markup.scan_xlsx_sheet(markup.stream(zf, part), shape=shape, **options)
    except markup.Refused:
        raise
    except Exception as exc:  # a damaged part: calamine reports the file itself
        if not markup.decompress_ok(exc):
            raise
        return None


def _without_far_cells(zf: zipfile.ZipFile, far: dict[str, str], scans: dict[str, SheetScan], out: Path) -> Path:
    """Copy the workbook with the far cells of ``far`` sheets left out; the scans learn where they were."""
    parts = {part: name for name, part in far.items()}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in zf.infolist():
            if info.filename in parts:
                scan = scans[parts[info.filename]]
                with dst.open(info.filename, "w", force_zip64=True) as sink:
                    scan.far_cells = markup.filter_far_cells(markup.stream(zf, info.filename), scan.row_cap(),
                                                              sink)
            else:
                with zf.open(info) as src, dst.open(info.filename, "w", force_zip64=True) as sink:
                    shutil.copyfileobj(src, sink, markup.CHUNK)
    return out


def _scan_ods(zf: zipfile.ZipFile) -> dict[str, SheetScan]:
    try:
        return markup.scan_ods(zf, {t.name for t in TABLES} | {INFO_SHEET} | _loose_names(zf))
    except markup.Refused:
        raise
    except Exception:  # damaged content: calamine reports the file itself
        return {}


def _loose_names(zf: zipfile.ZipFile) -> set[str]:
    """Sheet names of an .ods that stand for a contract sheet (also almost-equal names)."""
    head = b""
    for chunk in markup.stream(zf, "content.xml"):
        head += chunk
        break
    names = {markup._unxml(m) for m in re.findall(rb'<table:table [^>]*?table:name="([^"]*)"', head)}
    return {n for n in names for t in (*(t.name for t in TABLES), INFO_SHEET) if loose(n) == loose(t)}


def sheet_targets(zf: zipfile.ZipFile) -> dict[str, str]:
    """Map sheet name -> XML part path, from workbook.xml and its relationships."""
    wb = b"".join(markup.stream(zf, "xl/workbook.xml")).decode("utf-8")
    rels = b"".join(markup.stream(zf, "xl/_rels/workbook.xml.rels")).decode("utf-8")
    targets = {}
    for m in re.finditer(r"<Relationship\b[^>]*>", rels):
        tag = m.group(0)
        rid = re.search(r'\bId="([^"]+)"', tag)
        tgt = re.search(r'\bTarget="([^"]+)"', tag)
        if rid and tgt:
            t = tgt.group(1)
            targets[rid.group(1)] = t.lstrip("/") if t.startswith("/") else "xl/" + t
    out = {}
    for m in re.finditer(r"<sheet\b[^>]*>", wb):
        tag = m.group(0)
        name = re.search(r'\bname="([^"]+)"', tag)
        rid = re.search(r'\br:id="([^"]+)"', tag) or re.search(r'\bid="([^"]+)"', tag)
        if name and rid and rid.group(1) in targets:
            out[markup._unxml(name.group(1).encode())] = os.path.normpath(targets[rid.group(1)]).replace("\\", "/")
    return out
