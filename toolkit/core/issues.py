"""Problems are data: each issue has a stable code, a severity, a place and a Vietnamese message.

Every stage that notices something (the reader, the validation rules, the plan importer) yields ``Issue``
objects built with ``issue()``, which renders the message from the code's template and the issue's own
fields. ``Report`` collects them for a workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from toolkit.core.text import nfc
from toolkit.core.words import day

Severity = Literal["error", "warning"]
ERROR: Severity = "error"
WARNING: Severity = "warning"
SEVERITY_LABELS: dict[Severity, str] = {ERROR: "Lỗi", WARNING: "Cảnh báo"}  # as an official reads a severity

# code -> (severity, message template). Templates are formatted with the issue's params; {value} is the
# cell's content as typed. Add a code here, in one place, when a new rule needs one.
CATALOGUE: dict[str, tuple[Severity, str]] = {
    # The file as a whole (fatal: the workbook cannot be read at all).
    "file-missing": (ERROR, "Không tìm thấy tệp {path}."),
    "file-unreadable": (ERROR, "Không đọc được tệp {path}: {reason}."),
    "file-encrypted": (ERROR, "Tệp {path} được đặt mật khẩu; hãy bỏ mật khẩu rồi chạy lại."),
    "file-half-saved": (ERROR, "Tệp {path} đang được lưu dở hoặc bị hỏng (đã thử đọc {attempts} lần){lock}; hãy "
                               "mở tệp bằng Excel, lưu lại rồi đóng, lần chạy sau sẽ kiểm tra lại."),
    "file-is-folder": (ERROR, "{path} là một thư mục, không phải tệp sổ theo dõi{found}; hãy chỉ đường dẫn tới tệp "
                              "(ví dụ {path}/theo_doi_cchc_2023.xlsx)."),
    "file-too-large": (ERROR, "Không mở tệp {path}: phần «{part}» giải nén ra {size} (tỷ lệ nén {ratio}:1), vượt "
                              "giới hạn an toàn; tệp có thể bị hỏng hoặc độc hại. Hãy mở bằng Excel, lưu thành tệp "
                              "mới rồi chạy lại."),
    "header-row-low": (ERROR, "Sheet «{sheet}»: dòng tiêu đề đang ở dòng {value} thay vì dòng 1; hãy xóa {above} "
                              "dòng phía trên để tiêu đề nằm ở dòng 1 như mẫu."),
    "sheet-name-close": (WARNING, "Sheet «{value}» được hiểu là sheet «{sheet}»; hãy đổi tên sheet thành đúng "
                                  "«{sheet}» như mẫu."),
    "sheet-missing": (ERROR, "Thiếu sheet «{sheet}»; sheet này phải có đúng tên như mẫu."),
    "column-missing": (ERROR, "Sheet «{sheet}» thiếu cột «{column}» ở dòng tiêu đề (dòng 1); không được đổi tên cột."),
    # What the reader noticed in cells.
    "optional-column-missing": (WARNING, "Sheet «{sheet}» thiếu cột «{column}»; nên thêm lại cột này như mẫu."),
    "duplicate-column": (WARNING, "Cột «{column}» xuất hiện hai lần; chỉ dùng cột đầu tiên."),
    "text-normalised": (WARNING, "Giá trị «{value}» có khoảng trắng thừa hoặc dấu tiếng Việt chưa chuẩn; "
                                 "đã hiểu là «{normalised}», nên sửa lại trong ô."),
    "date-as-text": (WARNING, "Ngày «{value}» được nhập dạng chữ; đã hiểu là {normalised}. Nên nhập dạng ngày."),
    "date-as-number": (WARNING, "Ngày được nhập dạng số ({value}); đã hiểu là {normalised}. Nên định dạng ô là ngày."),
    "not-a-date": (ERROR, "«{value}» không phải ngày hợp lệ (nhập theo ngày/tháng/năm, ví dụ 15/10/2023)."),
    "number-as-text": (WARNING, "Số «{value}» được nhập dạng chữ; đã hiểu là {normalised}. Nên nhập dạng số."),
    "not-a-number": (ERROR, "«{value}» không phải số hợp lệ."),
    "percent-as-fraction": (WARNING, "Tỷ lệ {value} được hiểu là {normalised}%; nên nhập số phần trăm từ 0 đến 100."),
    "code-as-number": (WARNING, "Mã «{value}» được nhập dạng số; đã hiểu là «{normalised}». Nếu ý là mã khác "
                                "(ví dụ 1.10) hãy nhập dạng văn bản."),
    "choice-normalised": (WARNING, "«{value}» được hiểu là «{normalised}»; nên chọn đúng giá trị trong danh sách."),
    "not-a-choice": (ERROR, "«{value}» không có trong danh sách cho phép: {allowed}."),
    "period-normalised": (WARNING, "Kỳ báo cáo «{value}» được hiểu là «{normalised}»; nên chọn trong danh sách."),
    "not-a-period": (ERROR, "«{value}» không phải kỳ báo cáo hợp lệ (ví dụ Quý III/2023)."),
    "error-value": (ERROR, "Ô có giá trị lỗi {value}; hãy sửa công thức hoặc nhập số liệu trực tiếp."),
    "hidden-row": (WARNING, "Dòng {row} đang bị ẩn nhưng vẫn được tính; bỏ ẩn để mọi người cùng thấy."),
    "merged-cells": (WARNING, "Vùng {value} đang gộp ô; giá trị ô đầu được hiểu là áp dụng cho cả vùng. Nên bỏ gộp ô "
                            "trong vùng nhập liệu."),
    "value-outside-table": (WARNING, "Ô có giá trị nằm ngoài bảng (không thuộc cột nào có tiêu đề); giá trị này "
                                     "không được đọc, hãy xóa nếu nhập nhầm."),
    "values-outside-table": (WARNING, "Còn {value} ô khác có giá trị nằm ngoài bảng, từ ô này trở đi; các giá trị "
                                      "này không được đọc, hãy xóa nếu nhập nhầm."),
    "blank-with-spaces": (WARNING, "Dòng chỉ có khoảng trắng (ô ở cột «{column}»); được coi là dòng trống, nên xóa "
                                   "khoảng trắng."),
    "formula-not-calculated": (ERROR, "Ô chứa công thức chưa được tính (tệp do chương trình khác tạo, chưa mở bằng "
                                      "Excel); hãy mở tệp bằng Excel, lưu lại rồi chạy lại, hoặc nhập số liệu trực "
                                      "tiếp."),
    "percent-ambiguous": (ERROR, "Không rõ {value} là {value}% hay {normalised}% (không đọc được định dạng ô); hãy "
                                 "nhập số phần trăm, ví dụ 50 cho 50%, hoặc lưu tệp dạng .xlsx."),
    "format-checks-unavailable": (WARNING, "Với tệp {value}, không kiểm tra được dòng ẩn, ô lỗi (#N/A...) và định "
                                           "dạng phần trăm; nên lưu tệp dạng .xlsx để kiểm tra đầy đủ."),
    "info-unknown-key": (WARNING, "Mục «{value}» không có trong danh sách mục của sheet Thông tin chung; bị bỏ qua."),
    # The plan importer (cchc init --plan): what the issued plan said that could not be placed as written.
    # {where} is "Dòng 57" (text) or "Đoạn 57" (Word); {item} the item's code; {paragraph} the text quoted.
    "plan-no-items": (ERROR, "Không tìm thấy nội dung nào đánh số (1.1., 1.2. ... kèm các phần a) Mục tiêu, "
                             "b) Nhiệm vụ, c) Phân công, d) Thời gian) trong kế hoạch; sheet Kế hoạch để trống, "
                             "hãy nhập tay."),
    "plan-paragraph-unplaced": (WARNING, "{where}: không xếp được đoạn «{paragraph}» vào mục nào của sổ; đoạn này "
                                         "không được đưa vào, hãy xem lại và nhập tay nếu cần."),
    "plan-item-paragraph-unplaced": (WARNING, "{where}: đoạn «{paragraph}» của nội dung {item} không thuộc phần a), "
                                              "b), c) hay d) nào; không được đưa vào sổ, hãy xem lại và nhập tay nếu "
                                              "cần."),
    "plan-group-heading": (WARNING, "{where}: «{paragraph}» là tiêu đề nhóm, không có mục tiêu và nhiệm vụ riêng; "
                                    "sheet Kế hoạch không có cột cho nhóm nên không đưa vào."),
    "plan-heading-extra": (WARNING, "{where}: đoạn «{paragraph}» nằm giữa tên nội dung {item} và phần a); đã ghi "
                                    "tiếp vào cột Nội dung, hãy kiểm tra lại."),
    "plan-part-missing": (WARNING, "{where}: nội dung {item} không có phần {part}; ô {column} để trống, hãy nhập "
                                   "bổ sung."),
    "plan-owner-missing": (ERROR, "{where}: nội dung {item} không ghi người hoặc bộ phận phụ trách (phần c); ô Phụ "
                                  "trách để trống, hãy nhập."),
    "plan-task-in-assignment": (WARNING, "{where}: ở nội dung {item}, dòng «{paragraph}» nằm trong phần c) Phân "
                                         "công trách nhiệm nhưng không ghi ai phụ trách hay phối hợp; đã đưa vào "
                                         "cột Nhiệm vụ, giải pháp."),
    "plan-target-unquantified": (WARNING, "{where}: mục tiêu của nội dung {item} («{value}») không có chỉ tiêu "
                                          "bằng số; ô Chỉ tiêu (%) để trống nên chưa tính được mức hoàn thành, hãy "
                                          "nhập nếu có thể."),
    "plan-target-ambiguous": (WARNING, "{where}: mục tiêu của nội dung {item} («{value}») có nhiều con số; đã lấy "
                                       "{normalised}%, hãy kiểm tra ô Chỉ tiêu (%)."),
    "plan-deadline-unclear": (ERROR, "{where}: thời hạn «{value}» của nội dung {item} không phải ngày hợp lệ; đã "
                                     "ghi vào Ghi chú thời hạn, hãy nhập Thời hạn."),
    "plan-code-assumed": (WARNING, "{where}: dòng «{paragraph}» của bảng nhiệm vụ không có số thứ tự; đã đặt mã "
                                   "{item} theo vị trí, hãy kiểm tra."),
    "plan-duplicate-code": (ERROR, "{where}: mã {item} đã dùng cho một nội dung trước đó; hãy sửa mã trong sheet "
                                   "Kế hoạch cho khỏi trùng."),
    "plan-date-unclear": (WARNING, "{where}: ngày ban hành trong «{paragraph}» không hợp lệ; hãy nhập Ngày ban hành "
                                   "kế hoạch ở sheet Thông tin chung."),
    "plan-info-missing": (WARNING, "Không tìm thấy «{column}» trong kế hoạch; hãy điền ở sheet Thông tin chung."),
    "plan-info-assumed": (WARNING, "Kế hoạch không ghi «{column}»; đã tạm lấy theo {source}, hãy sửa lại ở sheet "
                                   "Thông tin chung."),
    # Validation rules (toolkit.validate): per column, from the declaration in schema.
    "required-missing": (ERROR, "Cột «{column}» bắt buộc nhập nhưng ô đang để trống."),
    "out-of-range": (ERROR, "«{value}» nằm ngoài giới hạn của cột «{column}» ({bounds})."),
    "total-zero": (ERROR, "Tổng số bằng 0 nên không tính được tỷ lệ; Tổng số phải lớn hơn 0."),
    "duplicate-code": (ERROR, "Mã «{value}» trùng với dòng {first}; mỗi nội dung phải có một mã riêng."),
    "unknown-item": (ERROR, "Mã nhiệm vụ «{value}» không có trong sheet Kế hoạch; dòng này không được tính."),
    "unknown-person": (WARNING, "«{value}» không có trong sheet Cán bộ; hãy chọn họ tên trong danh sách."),
    "unknown-owner": (WARNING, "Phụ trách «{value}» không khớp họ tên hay chức danh nào trong sheet Cán bộ; "
                               "không xác định được người nhận nhắc việc."),
    "invalid-email": (ERROR, "«{value}» không phải một địa chỉ email hợp lệ (chỉ ghi một địa chỉ, ví dụ "
                             "ten@xa.gov.vn); thư nhắc việc không gửi tới ô này cho đến khi sửa."),
    "duplicate-email": (WARNING, "Email «{value}» trùng với dòng {first}."),
    "duplicate-official": (WARNING, "Họ và tên «{value}» trùng với dòng {first}; không phân biệt được hai người."),
    "plan-empty": (ERROR, "Sheet «Kế hoạch» chưa có nội dung nào; không thể theo dõi và báo cáo."),
    "info-missing": (ERROR, "Sheet «Thông tin chung» thiếu mục «{label}»; mục này cần để lập văn bản."),
    "info-year-invalid": (ERROR, "Năm thực hiện «{value}» không hợp lệ; nhập năm theo dõi, ví dụ 2023."),
    "target-missing": (WARNING, "Nội dung {item} chưa có chỉ tiêu bằng số (chưa lượng hóa); mức hoàn thành sẽ "
                                "là «chưa xác định»."),
    "deadline-missing": (WARNING, "Nội dung {item} chưa có Thời hạn; nhập ngày, hoặc ghi thời hạn theo sự kiện ở "
                                  "cột «Ghi chú thời hạn»."),
    # Validation rules across rows and sheets.
    "duplicate-snapshot": (WARNING, "Nội dung {item} có hai dòng {period} cùng ngày {date} (dòng {first} và dòng "
                                    "{row}); chỉ dòng dưới được tính, hãy xóa dòng thừa."),
    "achieved-over-total": (ERROR, "Số đạt ({achieved}) lớn hơn Tổng số ({total})."),
    "result-missing": (ERROR, "Tình trạng «{status}» nhưng chưa ghi Kết quả thực hiện."),
    "done-below-target": (WARNING, "Tình trạng Hoàn thành nhưng tỷ lệ {ratio}% chưa đạt chỉ tiêu {target}% "
                                   "({kind}); kiểm tra lại Tình trạng hoặc số liệu."),
    "date-in-future": (ERROR, "Ngày cập nhật {value} sau ngày kiểm tra {as_of}; không nhập ngày trong tương lai."),
    "date-before-plan-year": (ERROR, "Ngày cập nhật {value} trước năm thực hiện kế hoạch ({year})."),
    "date-before-period": (WARNING, "Ngày cập nhật {value} trước khi {period} bắt đầu ({start}); kiểm tra lại Kỳ "
                                    "báo cáo."),
    "period-outside-year": (WARNING, "Kỳ báo cáo {value} không thuộc năm thực hiện kế hoạch ({year})."),
    "figures-unusable": (WARNING, "Nội dung {item}: số liệu {period} không dùng được vì ô {cells} có lỗi; mức hoàn "
                                  "thành là «chưa xác định» cho đến khi sửa."),
    "missing-report": (WARNING, "Nội dung {item} không có dòng báo cáo {period} trong sheet Tiến độ (quý đã kết "
                                "thúc); báo cáo ghi «chưa báo cáo»."),
    "overdue": (WARNING, "Nội dung {item} đã quá thời hạn {deadline} nhưng chưa hoàn thành (mức hoàn thành "
                         "{completion})."),
    "overdue-no-cause": (WARNING, "Nội dung {item} đã quá thời hạn {deadline} mà chưa hoàn thành nhưng chưa ghi Khó "
                                  "khăn, vướng mắc; hãy ghi nguyên nhân để báo cáo nêu được lý do."),
    "issues-capped": (WARNING, "Còn {more} vấn đề khác không liệt kê (chỉ hiện {limit} vấn đề); hãy sửa các vấn đề "
                               "trên rồi kiểm tra lại."),
}


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem, pointing at a cell when it has one.

    ``sheet``/``row``/``column``/``cell`` are None when the problem concerns the whole file or sheet.
    ``column`` is the column's header text (``Số đạt``), ``cell`` its reference on the sheet (``E7``).
    ``text`` is the message once made: ``message`` makes it from the catalogue and ``params`` when first asked
    (a capped list never pays for the messages it leaves out).
    """

    code: str
    severity: Severity
    text: str | None = field(compare=False)
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    cell: str | None = None
    params: dict[str, Any] = field(default_factory=dict, hash=False)

    @property
    def message(self) -> str:
        """The Vietnamese sentence an official reads."""
        text = self.text
        if text is None:
            text = _message(self)
            object.__setattr__(self, "text", text)
        return text

    @property
    def ref(self) -> str:
        """``Tiến độ!E7``, ``Tiến độ`` or ``""``: the place as an official would type it."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or ""

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of one issue (``cchc validate --json``)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "sheet": self.sheet,
            "cell": self.cell,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


def issue(code: str, *, sheet: str | None = None, row: int | None = None, column: str | None = None,
          cell: str | None = None, severity: Severity | None = None, **params: Any) -> Issue:
    """Build an issue whose message is rendered from the catalogue template of ``code``.

    ``severity`` overrides the catalogue's default (rarely needed). Raises KeyError for an unknown code: that
    is a programmer's mistake, fixed by adding the code to ``CATALOGUE``.
    """
    default, _template = CATALOGUE[code]
    return Issue(code, severity or default, None, sheet, row, column, cell, params)


def _message(i: Issue) -> str:
    """The catalogue's sentence for ``i`` with its parameters shown the Vietnamese way."""
    shown = {k: _show(v, cut=k in _CELL_PARAMS) for k, v in i.params.items()}
    if i.row is not None:
        shown.setdefault("row", i.row)
    if i.sheet is not None:
        shown.setdefault("sheet", i.sheet)
    if i.column is not None:
        shown.setdefault("column", i.column)
    return nfc(CATALOGUE[i.code][1].format(**shown))


_CELL_PARAMS = frozenset({"value", "normalised"})  # what an official typed: shortened when very long


def _show(value: Any, *, cut: bool = False) -> str:
    """How a value appears inside a message: dates day-first, floats without a useless .0.

    ``cut`` shortens long text (an official's cell content) to 80 characters; paths and reasons stay whole.
    """
    if isinstance(value, date):
        return day(value)
    if isinstance(value, float):
        return f"{value:g}" if value == value else "NaN"
    if isinstance(value, str):
        return value if not cut or len(value) <= 80 else value[:77] + "..."
    return str(value)


@dataclass(slots=True)
class Report:
    """The outcome of validating one workbook: a flat list of issues and their counts.

    ``fatal`` is True when the workbook could not be read at all; the report then holds the reason as its
    single issue. ``capped`` counts issues left out after the cap (0 when none were).
    """

    workbook: str
    issues: list[Issue]
    fatal: bool = False
    capped: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity == WARNING)

    @property
    def valid(self) -> bool:
        return self.errors == 0

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape printed by ``cchc validate --json``."""
        return {
            "workbook": self.workbook,
            "valid": self.valid,
            "errors": self.errors,
            "warnings": self.warnings,
            "issues": [i.as_dict() for i in self.issues],
        }
