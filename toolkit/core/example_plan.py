"""The real plan (KẾ HOẠCH khắc phục Chỉ số CCHC năm 2022, xã Đăktover) as structured data.

Transcribed from ``toolkit/data/ke-hoach-khac-phuc-cchc-2022.txt`` (a copy of the issued plan). Every a)-d) part
of every item is kept as written; the notes below say where the plan itself is irregular:

- the plan gives no number and date of its own (its header is not in the text): ``Số kế hoạch`` and
  ``Ngày ban hành kế hoạch`` are left blank for the Office to fill in;
- item 1.2's target "Tất cả các văn bản" is 100%; items 1.4 and 1.7 have no numeric target (``Chỉ tiêu (%)``
  blank, their completion is unknown until the Office sets one);
- item 1.8 has no d) deadline, and its c) part carries a third bullet that is a task; that bullet is kept
  with the item's tasks and the deadline is left blank for the Office to decide;
- "Trong năm 2023" is 31/12/2023, and the plan's wording is kept in ``Ghi chú thời hạn``.
"""

from __future__ import annotations

from datetime import date

from toolkit.core.model import Official, PlanInfo, PlanItem
from toolkit.core.schema import KIND_DONE, KIND_MIN

_END_2023 = date(2023, 12, 31)
_IN_2023 = "Trong năm 2023"
_CHECK_TASK = (
    "- Kiểm tra khắc phục những hạn chế, thiếu sót trong công tác CCHC, đảm bảo tất cả các vấn đề phát hiện qua "
    "kiểm tra phải được xử lý; báo cáo cụ thể kết quả xử lý gửi về văn phòng để tổng hợp, báo cáo UBND xã."
)
_SPECIALISTS = "Các công chức chuyên môn của UBND xã"
_OFFICE_AND_CHECKED = "Văn phòng HĐND-UBND và bộ phận chuyên môn được kiểm tra"


def plan_items() -> list[PlanItem]:
    """The eight items 1.1 to 1.8, in plan order."""
    return [
        PlanItem(
            code="1.1",
            content="Tỷ lệ đạt chuẩn của cán bộ cấp xã, công chức cấp xã.",
            target_text="100% cán bộ, công chức đáp ứng các tiêu chuẩn về tuổi, trình độ lý luận chính trị, trình độ "
            "học vấn và chuyên môn nghiệp vụ theo các quy định của Đảng, Chính phủ, Bộ Nội vụ và các tiêu chuẩn "
            "do các tổ chức đoàn thể, chính trị - xã hội quy định đối với từng chức danh cụ thể.",
            target=100.0,
            kind=KIND_MIN,
            tasks="- Rà soát lại tổng thể đội ngũ cán bộ, công chức về số lượng, chất lượng theo từng chức danh và "
            "đăng ký học các lớp do cấp trên tổ chức để nâng cao trình độ các mặt đồng thời tiếp tục khuyến khích "
            "cán bộ, công chức tự học tập, bồi dưỡng.\n"
            "- Lập thủ tục đề nghị tinh giảm biên chế đối với các cán bộ, công chức lớn tuổi không đáp ứng về "
            "trình độ văn hoá, chuyên môn nghiệp vụ để giải quyết chế độ theo đúng quy định.",
            owner="Văn phòng – Thống kê",
            partners="Toàn thể cán bộ, công chức xã, công đoàn xã",
            deadline=_END_2023,
            deadline_note=_IN_2023,
        ),
        PlanItem(
            code="1.2",
            content="Tỷ lệ văn bản, hồ sơ công việc đi được luân chuyển, xử lý hoàn toàn nội bộ trên phần mềm ở cấp "
            "huyện, cấp xã (trừ văn bản mật) chưa đảm bảo.",
            target_text="Tất cả các văn bản đều phát hành qua hệ thống QLVBĐH theo quy định.",
            target=100.0,
            kind=KIND_MIN,
            tasks=_CHECK_TASK,
            owner=_SPECIALISTS,
            partners=_OFFICE_AND_CHECKED,
            deadline=None,
            deadline_note="Sau khi kết thúc đợt kiểm tra",
        ),
        PlanItem(
            code="1.3",
            content="Tỷ lệ TTHC cung cấp trực tuyến mức độ 3, mức độ 4 có phát sinh hồ sơ trực tuyến trong năm",
            target_text="Phần đầu tỷ lệ hồ sơ công việc phát sinh trong năm được lưu trữ, quản lý dưới dạng hồ sơ "
            "điện tử đúng quy định hiện hành đạt 50% trở lên.",
            target=50.0,
            kind=KIND_MIN,
            tasks="- Đẩy mạnh công tác tuyên truyền, chủ động xác định đối tượng sử dụng, tích cực hướng dẫn, "
            "khuyến khích người dân, tổ chức, doanh nghiệp sử dụng dịch vụ công trực tuyến mức độ 3, mức độ 4 và "
            "thực hiện tiếp nhận hồ sơ, trả kết quả giải quyết TTHC đúng và sớm hạn so với thời gian quy định.\n"
            "- Tăng cường, phối hợp giữa Bộ phận Tiếp nhận và Trả kết quả của xã đẩy nhanh thời gian chuyển hồ sơ, "
            "giải quyết và trả kết quả TTHC cho tổ chức, cá nhân đảm bảo đúng thời gian trong giấy hẹn trả kết TTHC.",
            owner="Công chức Văn phòng- Thống kê",
            partners="Công chức Tư pháp- Hộ tịch, Công chức Văn hóa- Xã hội, bí thư chi bộ, thôn trưởng các thôn "
            "làng đẩy mạnh tuyên truyền cho người dân sử dụng dịch vụ công trực tuyến",
            deadline=_END_2023,
            deadline_note=_IN_2023,
        ),
        PlanItem(
            code="1.4",
            content="Tỷ lệ hồ sơ TTHC được tiếp nhận, xử lý trực tuyến mức độ 3, mức độ 4",
            target_text="Tăng cường cung cấp trực tuyến mức độ 3, mức độ 4 có có phát sinh hồ sơ trực tuyến theo "
            "đúng quy định.",
            target=None,
            kind=KIND_MIN,
            tasks=_CHECK_TASK,
            owner=_SPECIALISTS,
            partners=_OFFICE_AND_CHECKED,
            deadline=_END_2023,
            deadline_note=_IN_2023,
        ),
        PlanItem(
            code="1.5",
            content="Trang thông tin điện tử UBND cấp xã trực thuộc chưa cung cấp đầy đủ chuyên mục thông tin theo "
            "quy định",
            target_text="Hoàn thành 100% đề ra theo kế hoạch",
            target=100.0,
            kind=KIND_DONE,
            tasks="- Đơn đốc cán bộ chuyên môn thực hiện cung cấp đầy đủ các chuyên mục thông tin theo quy định. "
            "Tiếp nhận, đăng tải các tài liệu, văn bản quy phạm pháp luật, chỉ thị, chương trình, kế hoạch và các "
            "văn bản chỉ đạo, điều hành của Đảng ủy, Hội đồng nhân dân và Ủy ban nhân dân xã chính xác, đầy đủ và "
            "kịp thời.\n"
            "- Tăng cường thực hiện nhiệm vụ truyền tải các thông tin, tin tức, dịch vụ công, trả lời câu hỏi của "
            "công dân,... trên Trang thông tin điện tử xã.",
            owner="Công chức Văn hoá- Xã hội",
            partners="Các cán bộ, công chức chuyên môn, ban, ngành, đoàn thể trong xã; các thôn làng cung cấp thông "
            "tin cần thiết liên quan đưa lên Trang thông tin điện tử xã",
            deadline=_END_2023,
            deadline_note=_IN_2023,
        ),
        PlanItem(
            code="1.6",
            content="Công văn đến từ bên ngoài chưa được sao y và số hóa theo quy định.",
            target_text="100% văn bản đến từ bên ngoài được sao y và số hóa theo quy định.",
            target=100.0,
            kind=KIND_MIN,
            tasks=_CHECK_TASK,
            owner="Văn phòng",
            partners=_OFFICE_AND_CHECKED,
            deadline=_END_2023,
            deadline_note=_IN_2023,
        ),
        PlanItem(
            code="1.7",
            content="Kết quả cung cấp dịch vụ công trực tuyến mức độ 3, mức độ 4 đạt thấp",
            target_text="Tăng cường nhập hồ sơ dịch vụ công mức độ 3, mức độ 4 đảm bảo theo quy định.",
            target=None,
            kind=KIND_MIN,
            tasks=_CHECK_TASK,
            owner=_SPECIALISTS,
            partners=_OFFICE_AND_CHECKED,
            deadline=_END_2023,
            deadline_note=_IN_2023,
        ),
        PlanItem(
            code="1.8",
            content="Hình thức tuyên truyền CCHC.",
            target_text="Phấn đấu hoàn thành 100% nhiệm vụ đề ra theo kế hoạch.",
            target=100.0,
            kind=KIND_DONE,
            tasks="- Đẩy mạnh công tác tuyên truyền về CCHC bằng nhiều hình thức: thường xuyên cập nhật, đăng tin bài "
            "tuyên truyền CCHC trên trang thông tin điện tử xã và trên các nền tảng Facebook, Zalo, treo băng rôn "
            "tuyên truyền,... nhằm nâng cao nhận thức, trách nhiệm của người dân và tổ chức về CCHC.\n"
            "- Tăng cường công tác kiểm tra, đôn đốc việc thực hiện các nhiệm vụ về CCHC của các bộ phận chuyên môn "
            "UBND xã; thực hiện tự kiểm tra và kiểm tra CCHC. Đôn đốc, yêu cầu các bộ phận chuyên môn xử lý, khắc "
            "phục kịp thời 100% các vấn đề phát hiện qua kiểm tra.",
            owner="Công chức Văn hoá- thông tin xã",
            partners="Văn phòng- Thống kê phối hợp với Ban ngành đoàn thể, bí thư chi bộ, thôn trưởng các thôn làng",
            deadline=None,
            deadline_note=None,
        ),
    ]


def plan_positions() -> list[Official]:
    """The positions the plan names as responsible or coordinating (names, e-mails to be filled in)."""
    return [
        Official(name=None, position="Văn phòng - Thống kê"),
        Official(name=None, position="Tư pháp - Hộ tịch"),
        Official(name=None, position="Văn hóa - Xã hội"),
        Official(name=None, position="Văn hóa - Thông tin"),
        Official(name=None, position=_SPECIALISTS),
        Official(name="Trần Thành Trung", position="Phó Chủ tịch UBND xã"),
    ]


def plan_info(year: int = 2023) -> PlanInfo:
    """The unit, the plan's subject, legal basis, purposes, organisation, signer and recipients."""
    return PlanInfo(
        issuer="Ủy ban nhân dân",
        unit="xã Đăktover",
        issuer_abbr="UBND",
        place="Đăktover",
        plan_number=None,
        plan_date=None,
        plan_subject="Khắc phục tồn tại, hạn chế Chỉ số cải cách hành chính năm 2022 và những năm tiếp theo trên "
        "địa bàn xã Đăktover",
        year=year,
        legal_basis=[
            "Quyết định số 677/QĐ-UBND ngày 21/6/2023 của UBND tỉnh về việc phê duyệt và công bố Chỉ số Cải cách "
            "hành chính năm 2022 của các sở, ban, ngành của tỉnh và UBND các huyện, thị xã thành phố trên địa bàn "
            "tỉnh Gia Lai",
        ],
        implementing=[
            "Kế hoạch số 84/KH-UBND ngày 01/8/2023 của Ủy ban nhân dân huyện kế hoạch triển khai góp phần khắc phục "
            "tồn tại, hạn chế và cải thiện, nâng cao Chỉ số cải cách hành chính, Chỉ số hài lòng của người dân đối "
            "với sự phục vụ của cơ quan hành chính nhà nước tỉnh Gia Lai năm 2023 trên địa bàn huyện Chư Păh",
            "Công văn số 179/NV-CCHC ngày 31/7/2023 của Phòng Nội vụ về việc xây dựng Kế hoạch khắc phục Chỉ số "
            "CCHC năm 2022 và những năm tiếp theo",
        ],
        purposes=[
            "Tăng cường nhận thức và nâng cao trách nhiệm của người đứng đầu và cán bộ công chức trong triển khai "
            "thực hiện công tác CCHC trên địa bàn xã Đăktover.",
            "Duy trì kết quả các tiêu chí, tiêu chí thành phần chỉ số đạt điểm và khắc phục những nội dung tiêu "
            "chí, tiêu chí thành phần bị mất điểm trong năm 2022, nâng cao chỉ số năm 2023 và những năm tiếp theo.",
            "Nâng cao hiệu quả CCHC trên địa bàn xã Đăktover; khắc phục những tồn tại, hạn chế trong kết quả đánh "
            "giá Chỉ số CCHC năm 2022. Phấn đấu Chỉ số CCHC; Chỉ số hài lòng của người dân đối với sự phục vụ của "
            "cơ quan hành chính nhà nước của huyện năm 2023 tăng điểm và tăng tỷ lệ hài lòng so với năm 2022.",
        ],
        requirements=[
            "Việc thực hiện kế hoạch phải đồng bộ, thống nhất, phù hợp với các nội dung, tiêu chí đánh giá của Sở "
            "Nội vụ.",
            "Cán bộ công chức phụ trách các lĩnh vực của công tác CCHC đánh giá đúng thực trạng, kết quả thực hiện "
            "các nội dung và triển khai thực hiện có hiệu quả các giải pháp nhằm nâng cao Chỉ số CCHC.",
            "Xác định cụ thể các nội dung công việc, thời hạn, tiến độ hoàn thành của từng công chức có liên quan "
            "trong việc triển khai, thực hiện, nhằm nâng cao chất lượng, hiệu quả các lĩnh vực, tiêu chí, tiêu chí "
            "thành phần của Chỉ số CCHC.",
        ],
        organization=[
            "Chủ tịch UBND xã giao cho các công chức chuyên môn có liên quan và căn cứ chức năng, nhiệm vụ, quyền "
            "hạn được giao chủ động xây dựng kế hoạch triển khai, đề ra các biện pháp, giải pháp, phân công trách "
            "nhiệm và nhiệm vụ với nguyên tắc “rõ việc - rõ người - rõ trách nhiệm - rõ thời gian - rõ hiệu quả” "
            "nhằm nâng cao chất lượng, hiệu quả của công tác CCHC hàng năm theo Kế hoạch này và chỉ đạo của cấp có "
            "thẩm quyền. Chịu trách nhiệm trước UBND xã, Chủ tịch UBND xã về việc tổ chức thực hiện có hiệu quả "
            "các nhiệm vụ được giao trong kế hoạch, định kỳ hàng quý, báo cáo kết quả thực hiện về UBND xã (thông "
            "qua Văn phòng) để tổng hợp báo cáo UBND xã theo quy định.",
            "Đề nghị Ủy ban Mặt trận Tổ quốc và các tổ chức chính trị - xã hội xã tăng cường giám sát việc triển "
            "khai công tác CCHC tại các công chức chuyên môn, đặc biệt đối với việc giải quyết TTHC liên quan đến "
            "người dân, doanh nghiệp để đề xuất, kiến nghị cơ quan có thẩm quyền kịp thời xử lý các trường hợp vi "
            "phạm theo quy định; vận động các hội viên, đoàn viên tích cực và tự giác tham gia với tư cách thực "
            "hiện quyền, nghĩa vụ công dân, tham gia xây dựng chính quyền.",
            "Giao cán bộ Văn hóa-Thông tin tăng cường công tác tuyên truyền, kịp thời phát hiện, nêu gương các điển "
            "hình tiên tiến trong công tác CCHC của xã, đặc biệt là các sáng kiến CCHC có hiệu quả trong thực "
            "tiễn. Đồng thời phản ánh những hạn chế, tồn tại của bộ máy, của cán bộ công chức, người lao động của "
            "cơ quan nhà nước trong quá trình thực hiện CCHC.",
            "Giao Văn phòng làm đầu mối theo dõi, kiểm tra, đôn đốc việc triển khai thực hiện kế hoạch nhằm cải "
            "thiện thứ hạng từng tiêu chí, tiêu chí thành phần Chỉ số CCHC được xác định trong Đề án Chỉ số CCHC. "
            "Định kỳ hàng quý tổng hợp, lồng ghép việc thực hiện kế hoạch này vào báo cáo CCHC để báo cáo UBND xã "
            "theo dõi, chỉ đạo.",
        ],
        signer_authority="TM. ỦY BAN NHÂN DÂN",
        signer_deputy="KT. CHỦ TỊCH",
        signer_position="PHÓ CHỦ TỊCH",
        signer_name="Trần Thành Trung",
        plan_recipients=[
            "Phòng Nội vụ",
            "TT. Đảng ủy xã",
            "TT HĐND xã",
            "Ủy ban MTTQVN và các Đoàn thể xã",
            "Lãnh đạo UBND xã",
            "Các bộ phận chuyên môn xã",
            "Lưu: VP",
        ],
        report_recipients=[
            "Phòng Nội vụ huyện",
            "TT. Đảng ủy xã",
            "TT HĐND xã",
            "Lãnh đạo UBND xã",
            "Lưu: VT, VP",
        ],
        next_report_number=1,
    )
