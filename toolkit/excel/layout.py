"""Where the button writes in the macro-enabled workbook: sheet names, cells, rows and the button's caption.

The builder of the ``.xlsm`` (``excel/xlsm.py``), the button (``button.py``) and any other library module read the
layout from here, so none of them imports the button.
"""

from __future__ import annotations

BUTTON_CAPTION = "Kiểm tra & tạo báo cáo"
MESSAGE_TITLE = "Sổ theo dõi CCHC"  # the title of every message box the button shows
SUMMARY_SHEET = "Tổng hợp"
RESULTS_SHEET = "Kết quả kiểm tra"
PERIOD_CELL = "B2"  # on the summary sheet: the quarter to report; blank = the current quarter
SUMMARY_STATUS_ROW = 4  # 1-based rows on the summary sheet
SUMMARY_FIRST_ROW = 6
RESULTS_STATUS_ROW = 2  # 1-based rows on the results sheet
RESULTS_FIRST_ROW = 5  # headers in the row above
RESULTS_HEADERS = ("STT", "Mức độ", "Vị trí", "Sheet", "Dòng", "Cột", "Nội dung")
