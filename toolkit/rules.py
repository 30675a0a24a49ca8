"""Value rules: each rule about a single value exists here once, and every stage that needs it calls it.

The validator, the nightly mailer, the settings loader, the CLI's argument types and the workbook builder's
Excel input rules all decide "is this an e-mail address", "is this a plausible plan year", "which cell is
``E23``" through these functions, so what validation accepts is exactly what the rest uses.
"""

from __future__ import annotations

import re
from email.utils import parseaddr

# --- e-mail addresses ---------------------------------------------------------------------------------------

# A plain ASCII address, name@host.tld, with the characters RFC 5322 allows in a dot-atom local part.
_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")
_DISPLAY_FORM = re.compile(r"^[^<>@]*<([^<>]+)>$")  # Nguyễn Văn A <a@xa.gov.vn>


def has_control(text: str) -> bool:
    """True when ``text`` holds a line break or another control character (never allowed in a header)."""
    return bool(_CONTROL.search(text))


def plain_address(text: str) -> bool:
    """True for a bare address ``name@host.tld``: no display name, spaces, line breaks or non-ASCII."""
    return bool(_ADDRESS.match(text)) and ".." not in text and not text.startswith(".")


def email_address(text: str | None) -> str | None:
    """The address a cell or setting stands for, or None when it is not exactly one usable address.

    ``a@xa.gov.vn`` and ``Nguyễn Văn A <a@xa.gov.vn>`` both give ``a@xa.gov.vn``; a blank, a list
    (``a@x.vn; b@x.vn``), a line break, a missing top-level domain or any other form gives None. This is the
    one rule: validation reports exactly the non-blank cells for which it gives None, and mail goes exactly
    to what it gives.
    """
    if text is None:
        return None
    text = text.strip()
    if not text or has_control(text):
        return None
    m = _DISPLAY_FORM.match(text)
    if m:
        _name, addr = parseaddr(text)
        if addr != m.group(1).strip():
            return None
        text = addr
    return text if plain_address(text) else None
