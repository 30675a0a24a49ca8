"""``cchc init``: a new tracking workbook for a plan."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.core.errors import CchcError
from toolkit.core.example_plan import plan_info, plan_items, plan_positions
from toolkit.core.settings import write_sample_settings
from toolkit.workbook.builder import Built, build_workbook

if TYPE_CHECKING:
    from toolkit.planparse.imported import ImportedPlan

SUPPORTED_SUFFIXES = (".xlsm", ".xlsx")  # .xlsm (default) carries the button; .xlsx has no macros


def default_workbook_name(year: int) -> str:
    """The default file name (any name works: the button's command does not name the workbook)."""
    return f"theo_doi_cchc_{year}.xlsm"


def create_workbook(path: str | Path | None = None, *, year: int | None = None, force: bool = False,
                    plan: ImportedPlan | None = None) -> Path:
    """Build the tracking workbook for the built-in plan (the real 2022 remediation plan of xã Đăktover).

    ``path`` None means ``theo_doi_cchc_<year>.xlsm`` in the current folder; its extension chooses the
    format: ``.xlsm`` has the button «Kiểm tra & tạo báo cáo» (``toolkit.excel.xlsm``; any file name), ``.xlsx`` has
    no macros. ``year`` is the tracking year
    (quarters in the dropdown, date limits), by default the plan's.
    An existing file is never replaced unless ``force``. Raises ``CchcError`` with the fix otherwise.
    ``plan`` is an issued plan read by ``planparse.import_plan`` to build from instead of the built-in one;
    the cells its problems point at get a fill and a comment.
    """
    info = plan_info() if plan is None else plan.info
    items, officials = (plan_items(), plan_positions()) if plan is None else (plan.items, plan.officials)
    if year is not None:
        if not 2000 <= year <= 2100:
            raise CchcError(f"Năm {year} không hợp lệ; hãy nhập năm dạng YYYY, ví dụ --year 2024.")
        info.year = year
    target = Path(path) if path is not None else Path(default_workbook_name(info.year or 2023))
    suffix = target.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise CchcError(
            f"Không tạo được «{target.name}»: định dạng {suffix or '(không có phần mở rộng)'} chưa được hỗ trợ; "
            f"hãy dùng tên tệp kết thúc bằng {', '.join(SUPPORTED_SUFFIXES)}."
        )
    _refuse_overwrite(target, force=force)
    if suffix == ".xlsm":
        from toolkit.excel.xlsm import build_macro_workbook

        path = build_macro_workbook(target, info, items, officials, customize=_flags(plan))
    else:
        path = build_workbook(target, info, items, officials, customize=_flags(plan))
    write_sample_settings(path.parent, path.name)  # cchc.toml for the nightly emails; an existing one is kept
    return path


def _refuse_overwrite(target: Path, *, force: bool) -> None:
    """``init`` never replaces an existing workbook without ``force``, and never writes over a folder.
    ``cchc.toml`` is never replaced, even with ``force``."""
    if target.is_dir():
        raise CchcError(f"Không tạo được sổ: {target} là một thư mục; hãy chọn tên tệp khác.")
    if target.exists() and not force:
        raise CchcError(f"Tệp {target} đã có; không ghi đè. Chọn tên khác hoặc thêm --force để ghi đè.")


def _flags(plan: ImportedPlan | None) -> Callable[[Built], None] | None:
    """The builder hook marking the cells an imported plan's problems point at; None when there are none."""
    if plan is None or not plan.problems:
        return None
    from toolkit.planparse.flags import flag_cells

    return flag_cells(plan)
