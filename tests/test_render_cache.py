"""The prepared-template cache (toolkit.prepared): the filled report is the one docxtpl writes, an edited
template is prepared again, and a cache that cannot be read or written changes nothing but speed."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from toolkit.api import check_file
from toolkit.core.period import Period
from toolkit.core.resources import example_workbook, template
from toolkit.report import prepared, render
from toolkit.report.write import report_fields

DAY = dt.date(2024, 1, 8)


@pytest.fixture()
def fields() -> dict:
    _, a = check_file(example_workbook(), as_of=DAY, period=Period.parse("Quý IV/2023"), chosen=True)
    return render.clean_value(report_fields(a, number=7, day=DAY))


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CCHC_CACHE_DIR", str(folder))
    monkeypatch.setattr(prepared, "_memo", {})
    return folder


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_the_filled_report_is_byte_for_byte_the_one_docxtpl_writes(tmp_path: Path, cache: Path, fields: dict) -> None:
    fast = render.render_docx(render.REPORT_TEMPLATE, dict(fields), tmp_path / "fast.docx")
    env = render._jinja_env()
    styles = prepared.prepared(template(render.REPORT_TEMPLATE), env).styles
    slow = tmp_path / "docxtpl.docx"
    render._with_docxtpl(template(render.REPORT_TEMPLATE), dict(fields), env, styles, slow)
    assert list(parts(fast)) == list(parts(slow))
    assert parts(fast) == parts(slow)


def test_a_template_is_prepared_once_and_again_when_its_content_changes(tmp_path: Path, cache: Path,
                                                                         fields: dict) -> None:
    render.render_docx(render.REPORT_TEMPLATE, dict(fields), tmp_path / "a.docx")
    assert len(list(cache.glob("template-*.bin"))) == 1
    prepared._memo.clear()
    render.render_docx(render.REPORT_TEMPLATE, dict(fields), tmp_path / "b.docx")
    assert len(list(cache.glob("template-*.bin"))) == 1
    edited = tmp_path / "edited.docx"
    with zipfile.ZipFile(template(render.REPORT_TEMPLATE)) as src, zipfile.ZipFile(edited, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, data.replace(b"{{ subject }}", b"{{ subject }} ({{ place_date }})")
                         if name == "word/document.xml" else data)
    render.render_docx(render.REPORT_TEMPLATE, dict(fields), tmp_path / "c.docx", template_path=edited)
    assert len(list(cache.glob("template-*.bin"))) == 2
    text = parts(tmp_path / "c.docx")["word/document.xml"].decode()
    assert f"({fields['place_date']})" in text


def test_a_broken_or_unwritable_cache_changes_nothing_but_speed(tmp_path: Path, cache: Path, fields: dict,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    good = render.render_docx(render.REPORT_TEMPLATE, dict(fields), tmp_path / "good.docx")
    for entry in cache.glob("template-*.bin"):
        entry.write_bytes(b"not an entry")
    prepared._memo.clear()
    broken = render.render_docx(render.REPORT_TEMPLATE, dict(fields), tmp_path / "broken.docx")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    monkeypatch.setenv("CCHC_CACHE_DIR", str(tmp_path / "file" / "cache"))  # cannot be a folder
    prepared._memo.clear()
    unwritable = render.render_docx(render.REPORT_TEMPLATE, dict(fields), tmp_path / "unwritable.docx")
    assert parts(good) == parts(broken) == parts(unwritable)
    assert not list(tmp_path.glob("file*/**/*.tmp"))
