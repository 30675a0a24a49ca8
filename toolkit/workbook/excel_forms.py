"""The Excel copies of the value rules: formulas the builder writes as data validation and conditional formats.

Excel checks an entry while it is typed; the toolkit's rules (``valuerules.email_address``,
``assess.bad_figure_cells``) decide what counts. Each formula here is the Excel form of one of those rules,
and ``tests/test_excel_rules.py`` evaluates every formula with LibreOffice on the same cases as the Python
rule, so the two cannot drift apart. ``{c}`` in a template is the checked cell (``E2``), ``{t}`` the
``Tổng số`` cell of the same row.
"""

from __future__ import annotations

# An e-mail cell holds one address: no spaces, exactly one @ (not first), a dot in the domain after its first
# character, not ending with a dot, no "..", no list separators or angle brackets. Excel's data validation takes
# at most 255 characters, so the top-level domain's letters are left to ``valuerules.email_address``: the Excel rule
# may be looser than the Python one, never stricter (``tests/test_excel_rules.py``).
_ADDRESS = ('AND(ISERROR(FIND(" ",{c})),LEN({c})-LEN(SUBSTITUTE({c},"@",""))=1,LEFT({c})<>"@",LEFT({c})<>".",'
            'ISNUMBER(FIND(".",MID({c},FIND("@",{c})+2,255))),RIGHT({c})<>".",ISERROR(FIND("..",{c})),'
            'ISERROR(FIND(";",{c})),ISERROR(FIND(",",{c})),ISERROR(FIND("<",{c})))')


def email_ok(cell: str) -> str:
    """TRUE when ``cell`` may hold an address ``valuerules.email_address`` accepts (see ``_ADDRESS``)."""
    return _ADDRESS.format(c=cell)


def achieved_bad(achieved: str, total: str) -> str:
    """TRUE when the ``Số đạt`` cell makes the row's figures unusable (``assess.bad_figure_cells``): negative,
    or greater than a positive ``Tổng số``."""
    a, t = achieved, total
    return f"AND(ISNUMBER({a}),OR({a}<0,AND(ISNUMBER({t}),{t}>0,{a}>{t})))"


def total_bad(total: str) -> str:
    """TRUE when the ``Tổng số`` cell makes the row's figures unusable: zero or negative."""
    return f"AND(ISNUMBER({total}),{total}<=0)"
