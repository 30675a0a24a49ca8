"""Word plans for the importer's tests, built the way offices build them: headings, bullets and numbering in
Word styles (the number lives in the list definition, not in the text), header and signer blocks in tables."""

from __future__ import annotations

import re
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

_ITEM_OR_SECTION = re.compile(r"^(?:[IVX]+\.|\d+\.\d+\.)\s")


def docx_from_markdown(text: str, path: Path) -> Path:
    """The plan text as Word: ``I.``/``1.1.`` lines in Heading styles, ``- `` lines as List Bullet paragraphs
    (the dash comes from the style's numbering), ``**bold**`` lines as bold runs."""
    document = docx.Document()
    for raw in text.splitlines():
        line = re.sub(r"^#+\s*", "", raw.strip())
        if not line:
            continue
        bold = line.startswith("**") and line.endswith("**")
        line = line.replace("**", "").strip()
        if _ITEM_OR_SECTION.match(line):
            document.add_paragraph(line, style="Heading 2" if line[0] in "IVX" else "Heading 3")
        elif line.startswith("- "):
            document.add_paragraph(line[2:], style="List Bullet")
        else:
            document.add_paragraph().add_run(line).bold = bold
    document.save(str(path))
    return path


def _abstract(aid: int, fmt: str, text: str) -> str:
    return (f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{aid}"><w:multiLevelType w:val="singleLevel"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
            f'<w:lvlJc w:val="left"/></w:lvl></w:abstractNum>')


def _num(num_id: int, aid: int, restart: bool = False) -> str:
    override = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>' if restart else ""
    return (f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{aid}"/>{override}</w:num>')


# The items of the Word-numbered plan: (heading, [a)-d) part texts], task bullets after b)).
STYLE_NUMBERED_ITEMS = [
    ("Tỷ lệ thủ tục hành chính có phát sinh hồ sơ trực tuyến", [
        "Mục tiêu, yêu cầu: Đạt 60% trở lên.",
        "Nhiệm vụ, giải pháp:",
        "Phân công trách nhiệm:",
        "Thời gian thực hiện: Quý II/2024.",
    ], ["Hướng dẫn người dân nộp hồ sơ trực tuyến tại Bộ phận Một cửa.", "Niêm yết mã QR từng thủ tục."],
     ["Phụ trách: Công chức Tư pháp - Hộ tịch.", "Phối hợp: Công an xã."]),
    ("Tỷ lệ văn bản được ký số", [
        "Mục tiêu, yêu cầu: 100% văn bản đi được ký số.",
        "Nhiệm vụ, giải pháp:",
        "Phân công trách nhiệm:",
        "Thời gian thực hiện: 30/6/2024.",
    ], ["Cấp chứng thư số cho lãnh đạo và công chức."], ["Phụ trách: Công chức Văn phòng - Thống kê."]),
]


def style_numbered_plan(path: Path) -> Path:
    """Another commune's plan whose item numbers (``2.1.``), part letters (``a)``) and bullets all live in
    Word's list definitions: the paragraphs' text has none of them. Header and signer sit in tables."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    first_num = numbering.find(f"{{{numbering.nsmap['w']}}}num")
    for xml in (_abstract(90, "decimal", "2.%1."), _abstract(91, "lowerLetter", "%1)")):
        first_num.addprevious(parse_xml(xml))
    numbering.append(parse_xml(_num(90, 90)))
    item_style = document.styles["Heading 3"]
    num_pr = item_style.element.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_numId().val = 90
    num_pr.get_or_add_ilvl().val = 0

    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.paragraphs[0].add_run("UBND HUYỆN CHƯ PĂH").bold = True
    left.add_paragraph().add_run("ỦY BAN NHÂN DÂN XÃ NGHĨA HƯNG").bold = True
    left.add_paragraph("Số: 15/KH-UBND")
    right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").bold = True
    right.add_paragraph("Độc lập - Tự do - Hạnh phúc")
    right.add_paragraph("Nghĩa Hưng, ngày 20 tháng 3 năm 2024")
    document.add_paragraph().add_run("KẾ HOẠCH").bold = True
    document.add_paragraph().add_run("Khắc phục hạn chế Chỉ số CCHC năm 2023 của xã Nghĩa Hưng").bold = True
    document.add_paragraph("Căn cứ Quyết định số 120/QĐ-UBND ngày 01/3/2024 của UBND tỉnh.")
    document.add_paragraph("II. NHIỆM VỤ, GIẢI PHÁP", style="Heading 2")
    for n, (heading, parts, bullets, assignment) in enumerate(STYLE_NUMBERED_ITEMS):
        document.add_paragraph(heading, style="Heading 3")
        num_id = 100 + n
        numbering.append(parse_xml(_num(num_id, 91, restart=True)))
        for letter, text in enumerate(parts):
            p = document.add_paragraph(text)
            pr = p._p.get_or_add_pPr().get_or_add_numPr()
            pr.get_or_add_numId().val = num_id
            pr.get_or_add_ilvl().val = 0
            if letter == 1:
                for bullet in bullets:
                    document.add_paragraph(bullet, style="List Bullet")
            if letter == 2:
                for line in assignment:
                    document.add_paragraph(line, style="List Bullet")
    document.add_paragraph("III. TỔ CHỨC THỰC HIỆN", style="Heading 2")
    document.add_paragraph("Văn phòng theo dõi, tổng hợp kết quả hằng quý.")
    footer = document.add_table(rows=1, cols=2)
    left, right = footer.rows[0].cells
    left.paragraphs[0].add_run("Nơi nhận:").bold = True
    for line in ("- Phòng Nội vụ huyện;", "- Lưu: VT."):
        left.add_paragraph(line)
    right.paragraphs[0].add_run("TM. ỦY BAN NHÂN DÂN").bold = True
    right.add_paragraph().add_run("CHỦ TỊCH").bold = True
    right.add_paragraph().add_run("Đinh Văn Hùng").bold = True
    document.save(str(path))
    return path


TABLE_HEADER = ("TT", "Tồn tại, hạn chế", "Mục tiêu", "Nhiệm vụ, giải pháp", "Đơn vị chủ trì", "Đơn vị phối hợp",
                "Thời gian hoàn thành")
TABLE_ROWS = (
    ("I", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", None, None, None, None, None),  # a title row, merged across
    ("1", "Hồ sơ trễ hạn còn nhiều", "Không quá 5% hồ sơ trễ hạn", "- Nhắc hạn hằng tuần\n- Công khai hồ sơ trễ",
     "Công chức Văn phòng - Thống kê", "Công an xã", "Quý III/2023"),
    ("2", "Chưa số hóa kết quả giải quyết", "100% kết quả được số hóa", "Bố trí máy quét",
     "Công chức Tư pháp - Hộ tịch", "", "31/12/2023"),
    ("", "Chưa mở hộp thư góp ý định kỳ", "Mở hằng tháng", "Lập lịch mở hộp thư", "Văn phòng", "",
     "Thường xuyên"),
)


def table_plan(path: Path) -> Path:
    """A plan whose items are rows of a table (TT, Tồn tại, Mục tiêu, Giải pháp, Chủ trì, Phối hợp, Thời gian),
    with a merged title row and a row without a number."""
    document = docx.Document()
    document.add_paragraph().add_run("KẾ HOẠCH").bold = True
    document.add_paragraph().add_run("Khắc phục hạn chế Chỉ số CCHC năm 2022 của xã Ia Nhin").bold = True
    document.add_paragraph("II. NHIỆM VỤ VÀ GIẢI PHÁP", style="Heading 2")
    table = document.add_table(rows=1 + len(TABLE_ROWS), cols=len(TABLE_HEADER))
    for cell, text in zip(table.rows[0].cells, TABLE_HEADER, strict=True):
        cell.text = text
    for row, values in zip(table.rows[1:], TABLE_ROWS, strict=True):
        if values[2] is None:
            row.cells[0].text = values[0]
            merged = row.cells[1].merge(row.cells[-1])
            merged.text = values[1]
            continue
        for cell, text in zip(row.cells, values, strict=True):
            lines = text.split("\n")
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    document.add_paragraph("III. TỔ CHỨC THỰC HIỆN", style="Heading 2")
    document.add_paragraph("Văn phòng theo dõi, tổng hợp.")
    document.save(str(path))
    return path
