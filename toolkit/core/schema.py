"""The tracking workbook, declared once: sheets, columns, types, rules and the help shown in Excel.

The builder, the reader and the per-cell validation rules all derive from this module. Sheet names and column
headers are a contract with the users and with checks outside the project: add, never rename.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What a column holds; decides how a cell is parsed, validated and formatted."""

    TEXT = "text"  # free text, kept as typed (normalised to NFC)
    CODE = "code"  # an item code such as 1.1 or 1.10: always text
    ITEM_REF = "item_ref"  # an item code that must exist on Kế hoạch
    PERSON = "person"  # a name that must be on Cán bộ
    NUMBER = "number"
    PERCENT = "percent"  # a number 0..100; "85%" typed as text is understood
    DATE = "date"
    CHOICE = "choice"  # one of Column.choices
    PERIOD = "period"  # a quarter, Quý I/2023
    FORMULA = "formula"  # computed in Excel for the user; never read back as data
    EMAIL = "email"


# Allowed values, spelled exactly as they appear in the workbook and in documents.
STATUS_NOT_STARTED = "Chưa thực hiện"
STATUS_IN_PROGRESS = "Đang thực hiện"
STATUS_DONE = "Hoàn thành"
STATUSES = (STATUS_NOT_STARTED, STATUS_IN_PROGRESS, STATUS_DONE)

KIND_MIN = "Tối thiểu"  # higher is better: completion = min(R / T, 1)
KIND_MAX = "Tối đa"  # lower is better: completion = 100 if R <= T else T / R
KIND_DONE = "Hoàn thành"  # done or not, with a ratio as partial credit
TARGET_KINDS = (KIND_MIN, KIND_MAX, KIND_DONE)


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a table sheet.

    ``field`` is the attribute name on the domain record; ``header`` is the contract text in row 1.
    ``minimum``/``maximum`` bound numbers (``exclusive_minimum`` makes the minimum strict). ``help`` is the
    Excel input message (at most 255 characters). ``optional_header`` columns may be missing from a
    workbook without making it unreadable (the toolkit never needs their values).
    """

    field: str
    header: str
    kind: Kind
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    help: str = ""
    width: float = 14
    optional_header: bool = False


@dataclass(frozen=True, slots=True)
class TableSheet:
    """A sheet with a header in row 1 and one record per row from row 2."""

    name: str
    columns: tuple[Column, ...]
    data_rows: int  # how many rows the builder prepares (validation lists, formulas, formats)

    def column(self, field: str) -> Column:
        for col in self.columns:
            if col.field == field:
                return col
        raise KeyError(f"{self.name} has no column for field {field!r}")

    def letter(self, field: str) -> str:
        """The column letter a field has in a workbook built by the toolkit (A, B, ...)."""
        return column_letter(self.columns.index(self.column(field)))


@dataclass(frozen=True, slots=True)
class InfoField:
    """One key of the key/value sheet ``Thông tin chung``; ``many`` keys may appear on several rows."""

    field: str
    label: str
    kind: Kind = Kind.TEXT
    required: bool = False
    many: bool = False
    help: str = ""


ROW_SLACK = 10_000  # rows beyond (2 x rows present + slack) are outside the table


def row_cap(rows_present: int) -> int:
    """The last row a table may reach given how many rows hold something: a value far below is a stray."""
    return 2 * rows_present + ROW_SLACK


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (``valuerules.column_letters``)."""
    from toolkit.core.valuerules import column_letters

    return column_letters(index)


PLAN = TableSheet(
    name="Kế hoạch",
    data_rows=200,
    columns=(
        Column("code", "Mã", Kind.CODE, required=True, width=7,
               help="Mã nội dung theo kế hoạch, ví dụ 1.1. Nhập dạng văn bản; không trùng nhau."),
        Column("content", "Nội dung", Kind.TEXT, required=True, width=40,
               help="Tồn tại, hạn chế hoặc tiêu chí cần khắc phục."),
        Column("target_text", "Mục tiêu, yêu cầu", Kind.TEXT, width=40,
               help="Mục tiêu, yêu cầu ghi đúng như trong kế hoạch."),
        Column("target", "Chỉ tiêu (%)", Kind.PERCENT, minimum=0, maximum=100, width=10,
               help="Chỉ tiêu bằng số, từ 0 đến 100 (ví dụ 100 hoặc 50). Để trống nếu kế hoạch chưa lượng hóa."),
        Column("kind", "Loại chỉ tiêu", Kind.CHOICE, choices=TARGET_KINDS, width=13,
               help="Tối thiểu: càng cao càng tốt. Tối đa: càng thấp càng tốt (ví dụ hồ sơ trễ hạn). "
                    "Hoàn thành: tính theo tình trạng hoàn thành."),
        Column("tasks", "Nhiệm vụ, giải pháp", Kind.TEXT, width=60,
               help="Các nhiệm vụ, giải pháp; mỗi ý một dòng bắt đầu bằng dấu gạch ngang."),
        Column("owner", "Phụ trách", Kind.TEXT, required=True, width=24,
               help="Người hoặc chức danh phụ trách; phải có trong sheet Cán bộ."),
        Column("partners", "Phối hợp", Kind.TEXT, width=30, help="Cơ quan, bộ phận phối hợp thực hiện."),
        Column("deadline", "Thời hạn", Kind.DATE, width=12,
               help="Ngày hoàn thành, dạng ngày/tháng/năm. Nếu thời hạn theo sự kiện, để trống và ghi ở cột "
                    "Ghi chú thời hạn."),
        Column("deadline_note", "Ghi chú thời hạn", Kind.TEXT, width=24,
               help="Thời hạn như ghi trong kế hoạch, ví dụ: Trong năm 2023; Sau khi kết thúc đợt kiểm tra."),
        Column("unit", "Đơn vị tính", Kind.TEXT, width=14, optional_header=True,
               help="Không bắt buộc: đơn vị của Số đạt và Tổng số, in kèm số liệu trong báo cáo, ví dụ: hồ sơ; "
                    "văn bản; cán bộ, công chức."),
    ),
)

PROGRESS = TableSheet(
    name="Tiến độ",
    data_rows=1000,
    columns=(
        Column("code", "Mã nhiệm vụ", Kind.ITEM_REF, required=True, width=9,
               help="Chọn mã nội dung trong danh sách (lấy từ sheet Kế hoạch)."),
        Column("period", "Kỳ báo cáo", Kind.PERIOD, required=True, width=13,
               help="Chọn quý báo cáo, ví dụ Quý III/2023."),
        Column("updated", "Ngày cập nhật", Kind.DATE, required=True, width=12,
               help="Ngày nhập số liệu, dạng ngày/tháng/năm (ví dụ 15/10/2023). Không nhập ngày trong tương lai."),
        Column("updater", "Người cập nhật", Kind.PERSON, required=True, width=20,
               help="Chọn họ tên người cập nhật (lấy từ sheet Cán bộ)."),
        Column("achieved", "Số đạt", Kind.NUMBER, minimum=0, width=9,
               help="Số đạt được (tử số), ví dụ số hồ sơ xử lý trực tuyến. Số không âm."),
        Column("total", "Tổng số", Kind.NUMBER, minimum=0, exclusive_minimum=True, width=9,
               help="Tổng số (mẫu số), lớn hơn 0 và không nhỏ hơn Số đạt."),
        Column("ratio", "Tỷ lệ (%)", Kind.FORMULA, width=9, optional_header=True,
               help="Tự tính = Số đạt / Tổng số x 100. Không cần nhập."),
        Column("status", "Tình trạng", Kind.CHOICE, required=True, choices=STATUSES, width=15,
               help="Chọn: Chưa thực hiện, Đang thực hiện hoặc Hoàn thành."),
        Column("result", "Kết quả thực hiện", Kind.TEXT, width=40,
               help="Kết quả đã làm được trong kỳ. Bắt buộc, trừ khi Chưa thực hiện."),
        Column("difficulties", "Khó khăn, vướng mắc", Kind.TEXT, width=30),
        Column("proposals", "Đề xuất, kiến nghị", Kind.TEXT, width=30,
               help="Đề xuất, kiến nghị sẽ được tổng hợp vào báo cáo quý."),
        Column("evidence", "Minh chứng", Kind.TEXT, width=24,
               help="Số, ký hiệu văn bản hoặc đường dẫn minh chứng."),
    ),
)

ROSTER = TableSheet(
    name="Cán bộ",
    data_rows=100,
    columns=(
        Column("name", "Họ và tên", Kind.TEXT, required=True, width=24,
               help="Họ và tên đầy đủ, không kèm chức danh."),
        Column("position", "Chức danh", Kind.TEXT, width=30,
               help="Chức danh, ví dụ Văn phòng - Thống kê."),
        Column("email", "Email", Kind.EMAIL, width=30, help="Địa chỉ thư điện tử để nhận nhắc việc hằng đêm."),
        Column("phone", "Điện thoại", Kind.TEXT, width=14),
    ),
)

TABLES = (PLAN, PROGRESS, ROSTER)

INFO_SHEET = "Thông tin chung"
INFO_HEADERS = ("Mục", "Giá trị", "Hướng dẫn")
GUIDE_SHEET = "Hướng dẫn"

INFO_FIELDS = (
    InfoField("parent_body", "Cơ quan cấp trên",
              help="Không bắt buộc; chỉ ghi khi văn bản cần dòng cơ quan chủ quản (ví dụ UBND HUYỆN CHƯ PĂH)."),
    InfoField("issuer", "Cơ quan ban hành", required=True, help="Ví dụ: Ủy ban nhân dân"),
    InfoField("unit", "Tên đơn vị", required=True, help="Ví dụ: xã Đăktover"),
    InfoField("issuer_abbr", "Viết tắt cơ quan", required=True, help="Dùng trong số, ký hiệu văn bản: UBND"),
    InfoField("place", "Địa danh", required=True, help="Dùng ở dòng địa danh, ngày tháng: Đăktover"),
    InfoField("plan_number", "Số kế hoạch", help="Số, ký hiệu kế hoạch đã ban hành, ví dụ 95/KH-UBND"),
    InfoField("plan_date", "Ngày ban hành kế hoạch", kind=Kind.DATE, help="Dạng ngày/tháng/năm"),
    InfoField("plan_subject", "Trích yếu kế hoạch", required=True),
    InfoField("year", "Năm thực hiện", kind=Kind.NUMBER, required=True, help="Năm theo dõi, ví dụ 2023"),
    InfoField("legal_basis", "Căn cứ", many=True, help="Mỗi căn cứ một dòng"),
    InfoField("implementing", "Thực hiện", many=True,
              help="Văn bản cấp trên mà kế hoạch thực hiện; mỗi văn bản một dòng"),
    InfoField("purposes", "Mục đích", many=True, help="Mỗi ý một dòng"),
    InfoField("requirements", "Yêu cầu", many=True, help="Mỗi ý một dòng"),
    InfoField("organization", "Tổ chức thực hiện", many=True, help="Mỗi đoạn một dòng"),
    InfoField("signer_authority", "Thẩm quyền ký", required=True, help="TM. ỦY BAN NHÂN DÂN"),
    InfoField("signer_deputy", "Ký thay", help="KT. CHỦ TỊCH khi cấp phó ký thay; để trống nếu Chủ tịch ký"),
    InfoField("signer_position", "Chức vụ người ký", required=True, help="PHÓ CHỦ TỊCH hoặc CHỦ TỊCH"),
    InfoField("signer_name", "Người ký", required=True, help="Họ và tên, không kèm học hàm, học vị"),
    InfoField("plan_recipients", "Nơi nhận kế hoạch", many=True, help="Mỗi nơi nhận một dòng"),
    InfoField("report_recipients", "Nơi nhận báo cáo", many=True, help="Mỗi nơi nhận một dòng"),
    InfoField("addressees", "Kính gửi", many=True,
              help="Không bắt buộc; khi báo cáo gửi cấp trên. Mỗi nơi một dòng"),
    InfoField("next_report_number", "Số báo cáo tiếp theo", kind=Kind.NUMBER,
              help="Số thứ tự báo cáo tiếp theo trong năm (đánh số lại từ 01 mỗi năm)"),
    InfoField("office_email", "Email Văn phòng", kind=Kind.EMAIL, help="Nhận bản tổng hợp hằng đêm"),
    InfoField("cutoff_day", "Ngày chốt số liệu", kind=Kind.NUMBER,
              help="Ngày chốt số liệu trong tháng cuối kỳ báo cáo; để trống: ngày 14 theo Nghị định 09/2019/NĐ-CP, "
                   "hoặc ghi ngày do tỉnh quy định"),
    InfoField("due_day", "Hạn gửi báo cáo", kind=Kind.NUMBER,
              help="Không bắt buộc: ngày trong tháng cuối quý phải gửi báo cáo lên cấp trên, ví dụ 10"),
    InfoField("office_assessment", "Đánh giá của Văn phòng", many=True,
              help="Không bắt buộc: nếu ghi, phần II. Đánh giá của báo cáo dùng nguyên văn các đoạn này "
                   "(mỗi đoạn một dòng); để trống để bộ công cụ tự tổng hợp"),
    InfoField("resolved_proposals", "Đề xuất đã giải quyết", many=True,
              help="Mỗi dòng một đề xuất đã được giải quyết: mã nội dung và quý đề xuất, ví dụ: 1.3 Quý III/2023. "
                   "Đề xuất chưa ghi ở đây được nhắc lại trong báo cáo các quý sau"),
)


def info_field(field: str) -> InfoField:
    for f in INFO_FIELDS:
        if f.field == field:
            return f
    raise KeyError(f"no Thông tin chung key for field {field!r}")
