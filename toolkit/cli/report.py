"""``cchc report``: the periodic report (BÁO CÁO) in the state format, from the workbook.

A workbook with errors gives a draft (``DỰ THẢO``, no number, the gaps listed here, exit 1); a clean one the
issued report (exit 0). A period that ended before the plan was issued cannot be reported (exit 2).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.cli.common import deliver, iso_date, period

if TYPE_CHECKING:
    from datetime import date

    from toolkit.rules.assess import Assessment

GAPS_SHOWN = 30  # errors listed on the terminal under a draft; cchc validate lists them all


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help="lập báo cáo định kỳ (quý I, 6 tháng, quý III, năm; Word theo Nghị định 30/2020/NĐ-CP)",
        description="Lập báo cáo kết quả thực hiện kế hoạch cho một kỳ: Quý I là báo cáo quý I, Quý II là báo cáo "
        "6 tháng đầu năm, Quý III là báo cáo quý III, Quý IV là báo cáo năm (Nghị định 09/2019/NĐ-CP). Sổ theo dõi "
        "còn lỗi thì chỉ lập được DỰ THẢO (không số, liệt kê các lỗi cần sửa). Sổ theo dõi chỉ được đọc, không bị "
        "ghi.",
    )
    p.add_argument("workbook", type=Path, help="sổ theo dõi (.xlsx, .xlsm, .xls, .ods)")
    p.add_argument("--period", type=period, metavar='"Quý II/2023"',
                   help="kỳ báo cáo: Quý I, Quý II (6 tháng), Quý III, Quý IV (năm) (mặc định: quý của ngày báo "
                   "cáo, trong năm thực hiện kế hoạch)")
    p.add_argument("--number", type=int, metavar="N",
                   help="số báo cáo khi ban hành; số dưới 10 được thêm số 0 ở trước, ví dụ 05 (mặc định: Số báo cáo "
                   "tiếp theo trong sheet Thông tin chung; để trống ô đó thì số để trống cho văn thư ghi)")
    p.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD",
                   help="ngày báo cáo, cũng là ngày tính quá hạn (mặc định: hôm nay)")
    p.add_argument("--draft", action="store_true", help="lập bản DỰ THẢO (không số) dù sổ theo dõi không còn lỗi")
    p.add_argument("--chart", action="store_true", help="thêm biểu đồ mức độ hoàn thành vào phụ lục (cần matplotlib)")
    p.add_argument("--out", type=Path, default=Path("."), help="thư mục ghi báo cáo (mặc định: thư mục hiện tại)")
    p.add_argument("--pdf", action="store_true", help="xuất thêm bản PDF (cần LibreOffice)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from datetime import date

    from toolkit.api import check_file
    from toolkit.report.chart import ChartUnavailable
    from toolkit.report.compose import missing_causes
    from toolkit.report.write import NotReportable, write_report

    if args.number is not None and not 1 <= args.number <= 9999:
        print(f"Lỗi: số báo cáo {args.number} không hợp lệ; hãy nhập số từ 1, ví dụ --number 5.", file=sys.stderr)
        return 2
    day = args.date or date.today()
    # A report always covers a named period, the default one too: deadlines are judged at its data cut-off.
    report, a = check_file(args.workbook, as_of=day, period=args.period, chosen=True)
    if a is None:
        print(f"Lỗi: {report.issues[0].message}", file=sys.stderr)
        return 2
    written = []

    def write() -> Path:
        result = write_report(a, args.out, number=args.number, date=day, chart=args.chart, draft=args.draft)
        written.append(result)
        return result.path

    try:
        kind = "DỰ THẢO báo cáo" if args.draft or report.errors else "báo cáo"
        _, code = deliver(write, f"Đã lập {kind} {a.period.report_phrase}", pdf=args.pdf)
    except (NotReportable, ChartUnavailable) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    if written and not written[0].draft:
        record(args, a, written[0].path, day)
    uncaused = missing_causes(a)
    if uncaused:
        print(f"Chú ý: nội dung chưa hoàn thành nhưng chưa nêu nguyên nhân (cột «Khó khăn, vướng mắc»): "
              f"{', '.join(s.code for s in uncaused)}.", file=sys.stderr)
    if written and written[0].draft:
        print_gaps(written[0].gaps, args.workbook)
        return 1
    return code


def record(args: argparse.Namespace, a: Assessment, path: Path, day: date) -> None:
    """An issued report's figures go into the ledger (a draft does not, nor a number left blank)."""
    from toolkit.memory.ledger import record_issued

    if problem := record_issued(args.workbook, a.wb, a.period, number=args.number, day=day, document=path,
                                assessment=a):
        print(f"Chú ý: {problem}", file=sys.stderr)


def print_gaps(gaps: list[str], workbook: Path) -> None:
    """The gaps that keep the report a draft, on stderr, with the way to the issued report."""
    if gaps:
        print(f"Đây là DỰ THẢO: sổ theo dõi còn {len(gaps)} lỗi cần sửa trước khi ban hành:", file=sys.stderr)
        for line in gaps[:GAPS_SHOWN]:
            print(f"  - {line}", file=sys.stderr)
        if len(gaps) > GAPS_SHOWN:
            print(f"  ... và {len(gaps) - GAPS_SHOWN} lỗi khác (chạy «cchc validate {workbook}» để xem đủ).",
                  file=sys.stderr)
        print(f"Sửa xong, chạy lại «cchc report {workbook}» để lập báo cáo ban hành.", file=sys.stderr)
    else:
        print("Đây là DỰ THẢO (đã chọn --draft): không số, chưa ban hành.", file=sys.stderr)
