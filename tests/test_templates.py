"""The Word templates: rebuilt reproducibly, editable in Word, checked before filling."""

from __future__ import annotations

import datetime as dt
import re
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt

from tests.conftest import ROOT
from toolkit.api import check
from toolkit.core.period import Period
from toolkit.core.resources import example_workbook, template
from toolkit.report.render import PLAN_TEMPLATE, REPORT_TEMPLATE, Styles, TemplateError, missing_variables, render_docx
from toolkit.report.write import plan_context, report_fields
from toolkit.workbook.reader import read_workbook

TEMPLATES = [REPORT_TEMPLATE, PLAN_TEMPLATE]
AS_OF = dt.date(2024, 1, 8)


@pytest.fixture(scope="module")
def contexts():
    wb = read_workbook(example_workbook())
    a = check(wb, as_of=AS_OF, period=Period(2023, 4))
    return {REPORT_TEMPLATE: report_fields(a, day=AS_OF), PLAN_TEMPLATE: plan_context(wb)}


def build_module():
    sys.path.insert(0, str(ROOT / "templates"))
    import build_templates

    return build_templates


@pytest.mark.parametrize("name", TEMPLATES)
def test_committed_templates_are_what_the_script_builds(tmp_path, name):
    builder = {REPORT_TEMPLATE: build_module().build_report, PLAN_TEMPLATE: build_module().build_plan}[name]
    fresh = builder(tmp_path / name)
    with zipfile.ZipFile(fresh) as a, zipfile.ZipFile(template(name)) as b:
        for part in ("word/document.xml", "word/styles.xml", "word/settings.xml"):
            assert a.read(part) == b.read(part), f"{part} differs: run python templates/build_templates.py"


@pytest.mark.parametrize("name", TEMPLATES)
def test_templates_ask_only_for_what_the_toolkit_provides(contexts, name):
    assert missing_variables(template(name), contexts[name]) == []


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_tag_sits_in_one_run(name):
    """A tag split over runs is what Word editing breaks; the built templates keep each tag in one run."""
    doc = Document(str(template(name)))
    paragraphs = list(doc.paragraphs) + [p for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    for p in paragraphs:
        for tag in re.findall(r"\{[{%].*?[}%]\}", p.text):
            assert any(tag in run.text for run in p.runs), (name, tag)


@pytest.mark.parametrize("name", TEMPLATES)
def test_templates_carry_the_named_styles(name):
    doc = Document(str(template(name)))
    names = {s.name for s in doc.styles}
    declared = {v for k, v in vars(Styles).items() if k.isupper()}
    assert declared <= names


def edited_copy(tmp_path: Path, name: str, edit) -> Path:
    doc = Document(str(template(name)))
    edit(doc)
    path = tmp_path / f"edited-{name}"
    doc.save(str(path))
    return path


def test_missing_variable_fails_naming_template_and_key(contexts, tmp_path):
    path = edited_copy(tmp_path, REPORT_TEMPLATE, lambda d: d.add_paragraph("Ghi chú: {{ ghi_chu_them }}"))
    with pytest.raises(TemplateError) as caught:
        render_docx(REPORT_TEMPLATE, contexts[REPORT_TEMPLATE], tmp_path / "out.docx", template_path=path)
    message = str(caught.value)
    assert path.name in message and "«ghi_chu_them»" in message
    assert not (tmp_path / "out.docx").exists()


def test_broken_tag_fails_with_the_template_name(contexts, tmp_path):
    path = edited_copy(tmp_path, PLAN_TEMPLATE, lambda d: d.add_paragraph("{% if subject %} không đóng"))
    with pytest.raises(TemplateError) as caught:
        render_docx(PLAN_TEMPLATE, contexts[PLAN_TEMPLATE], tmp_path / "out.docx", template_path=path)
    assert path.name in str(caught.value)
    assert not (tmp_path / "out.docx").exists()


def test_official_restyles_and_rewords_in_word(contexts, tmp_path):
    """Changing a style or a label in the template changes the output; the toolkit still fills it."""

    def edit(doc):
        doc.styles["Normal"].font.size = Pt(13)
        for p in doc.paragraphs:
            if p.text == "{{ closing }}":
                p.runs[0].text = "Kết luận: {{ closing }}"

    path = edited_copy(tmp_path, REPORT_TEMPLATE, edit)
    out = render_docx(REPORT_TEMPLATE, contexts[REPORT_TEMPLATE], tmp_path / "out.docx", template_path=path)
    doc = Document(str(out))
    assert doc.styles["Normal"].font.size == Pt(13)
    assert any(p.text.startswith("Kết luận: Trên đây là báo cáo") for p in doc.paragraphs)


def test_corrupt_template_fails_with_its_name(contexts, tmp_path):
    path = tmp_path / "hong.docx"
    path.write_bytes(b"this is not a Word file")
    with pytest.raises(TemplateError) as caught:
        render_docx(PLAN_TEMPLATE, contexts[PLAN_TEMPLATE], tmp_path / "out.docx", template_path=path)
    assert "hong.docx" in str(caught.value) and "bị hỏng" in str(caught.value)
