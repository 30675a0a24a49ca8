"""``cchc backups``: the kept copies of the shared workbook, what each holds, and how to restore one."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "backups",
        help="xem các bản sao lưu sổ theo dõi",
        description="Liệt kê các bản sao sổ theo dõi mà lần chạy hằng đêm đã lưu (mỗi ngày một bản, trong thư mục "
        "paths.backups của tệp cài đặt, mặc định sao-luu): ngày, số dòng mỗi sheet, dung lượng. Khôi phục: đóng "
        "sổ trên mọi máy, chép bản sao cần dùng đè lên sổ theo dõi (xem README, mục Sao lưu).",
    )
    p.add_argument("workbook", type=Path, help="sổ theo dõi dùng chung (.xlsx, .xlsm)")
    p.add_argument("--config", type=Path, metavar="TỆP",
                   help="tệp cài đặt (mặc định cchc.toml cạnh sổ theo dõi, hoặc trong thư mục hiện tại)")
    p.set_defaults(run=run)


def backup_folder(workbook: Path, config: Path | None) -> Path:
    """``paths.backups`` of the settings file (given, beside the workbook, or in the current folder); else
    ``sao-luu`` beside the workbook."""
    from toolkit.core.settings import SETTINGS_NAME, load_settings

    for candidate in (config, workbook.parent / SETTINGS_NAME, Path(SETTINGS_NAME)):
        if candidate is not None and (candidate == config or candidate.is_file()):
            return load_settings(candidate).paths.backups
    return workbook.parent / "sao-luu"


def run(args: argparse.Namespace) -> int:
    from toolkit.core.words import day
    from toolkit.memory.backups import describe, size_text

    folder = backup_folder(args.workbook, args.config)
    found = describe(folder, args.workbook)
    if not found:
        print(f"Chưa có bản sao nào của {args.workbook.name} trong {folder}.")
        return 0
    print(f"Các bản sao của {args.workbook.name} trong {folder}:")
    for d in found:
        held = (", ".join(f"{sheet} {n} dòng" for sheet, n in d.rows.items()) if d.rows is not None
                else f"KHÔNG ĐỌC ĐƯỢC: {d.problem}")
        print(f"  {day(d.copy.day)}  {d.copy.path.name}  {size_text(d.size)}  {held}")
    print(f"{len(found)} bản sao. Khôi phục: đóng sổ trên mọi máy, chép bản sao cần dùng đè lên {args.workbook} "
          "(xem README, mục Sao lưu).")
    return 0
