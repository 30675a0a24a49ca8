"""Words and lines of the state format (Nghị định 30/2020) shared by the report and the plan.

The place-and-date line, the document number and symbol, the ``Nơi nhận`` and ``Kính gửi`` lines, the signer's
lines, and the small sentence helpers the composers use (single values are written by ``words``). No workbook
logic lives here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from toolkit.core.model import PlanInfo


def place_date_line(place: str | None, day: dt.date | None, year: int | None = None) -> str:
    """``Đăktover, ngày 05 tháng 02 năm 2024``; without a day, blanks for the Office to write in."""
    where = place or "......."
    if day is None:
        return f"{where}, ngày      tháng      năm {year or ''}".rstrip()
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{where}, ngày {day.day:02d} tháng {month} năm {day.year}"


def number_symbol(number: int | None, type_abbr: str, issuer_abbr: str | None) -> str:
    """``05/BC-UBND``: below 10 with a leading zero; without a number, a blank to write in."""
    symbol = f"{type_abbr}-{issuer_abbr or 'UBND'}"
    if number is None:
        return f"     /{symbol}"
    return f"{number:02d}/{symbol}"


def bare(text: str | None) -> str:
    """Text without surrounding space and trailing ``.``, ``;``, ``:``."""
    return (text or "").strip().rstrip(".;:, ").strip()


def sentence(text: str | None) -> str:
    """Text ending with a full stop (or its own ``!``/``?``)."""
    bare = (text or "").strip().rstrip(";:, ")
    if not bare:
        return ""
    return bare if bare[-1] in ".!?" else bare + "."


def dash_lines(lines: list[str], *, prefix: str = "- ") -> list[str]:
    """Each line starting with ``- ``, ending ``;``, the last ending ``.`` (Nơi nhận, Kính gửi)."""
    out = []
    for i, line in enumerate(lines):
        text = bare(line.lstrip("-+• ").strip())
        out.append(f"{prefix}{text}{'.' if i == len(lines) - 1 else ';'}")
    return out


def recipient_lines(recipients: list[str], *, as_above: bool = False) -> list[str]:
    """Nơi nhận lines: ``- Như trên;`` first when there are addressees, ``- Lưu: ...`` last, ``.`` at the end."""
    names = [bare(r.lstrip("-+• ")) for r in recipients if bare(r.lstrip("-+• "))]
    archive = [n for n in names if n.lower().startswith("lưu")]
    names = [n for n in names if not n.lower().startswith("lưu")]
    if as_above:
        names.insert(0, "Như trên")
    names.extend(archive or ["Lưu: VT"])
    return dash_lines(names)


def signer_lines(info: PlanInfo) -> list[str]:
    return [line.upper() for line in (info.signer_authority, info.signer_deputy, info.signer_position) if line]


def addressee_parts(addressees: list[str]) -> tuple[str, list[str]]:
    """(single line, list lines) for ``Kính gửi``: one addressee on the same line, several one per line."""
    names = [bare(a.lstrip("-+• ")) for a in addressees if bare(a.lstrip("-+• "))]
    if len(names) == 1:
        return names[0] + ".", []
    return "", dash_lines(names)


def common_context(info: PlanInfo, type_abbr: str, number: int | None, day: dt.date | None,
            recipients: list[str]) -> dict[str, Any]:
    single, many = addressee_parts(info.addressees)
    return {
        "parent_body": (info.parent_body or "").upper(),
        "issuer": (info.issuer or "Ủy ban nhân dân").upper(),
        "unit": (info.unit or "").upper(),
        "number": number_symbol(number, type_abbr, info.issuer_abbr),
        "place_date": place_date_line(info.place, day, info.year),
        "body_name": info.body_name or "Ủy ban nhân dân",
        "addressee_single": single,
        "addressee_list": many,
        "recipients": recipient_lines(recipients, as_above=bool(info.addressees)),
        "signer_lines": signer_lines(info),
        "signer_name": info.signer_name or "",
    }
