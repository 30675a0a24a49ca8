"""Text normalisation shared by every stage: NFC, spaces, dashes, and a fold for tolerant comparison."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u200b]+")
_DASHES = re.compile(r"\s*[-\u2010\u2011\u2012\u2013\u2014\u2212]\s*")
# Old-style tone placement ("hoá", "thuỷ") next to the new style ("hóa", "thủy") is common in typed Vietnamese.
_OLD_TONES = {
    "oá": "óa", "oà": "òa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oé": "óe", "oè": "òe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uý": "úy", "uỳ": "ùy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
# Only at a syllable's end, and not after q ("quý": the u belongs to the consonant).
_OLD_TONE_RE = re.compile("(?<![qQ])(?:" + "|".join(_OLD_TONES) + r")(?!\w)")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC (composed) form."""
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    """NFC, non-breaking and repeated spaces folded to one space, ends stripped.

    Line breaks inside the text are kept (an official's multi-line cell stays multi-line); only the spaces
    on each line are folded.
    """
    text = nfc(text)
    if "\n" in text or "\r" in text:
        lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
        return "\n".join(lines).strip("\n")
    return _SPACES.sub(" ", text).strip()


def new_tones(text: str) -> str:
    """Old-style tone placement at a syllable's end made new-style, keeping case: ``Văn hoá`` -> ``Văn hóa``,
    ``Thuỷ`` -> ``Thủy``; ``Quỹ`` and ``quý`` stay (the ``u`` belongs to the ``q``). The one tone rule: ``fold``
    and the plan importer both use it."""
    return _OLD_TONE_RE.sub(lambda m: _OLD_TONES[m.group(0)], text)


def fold(text: str) -> str:
    """A comparison key: clean, lower case, dashes unified, old-style tone marks made new-style.

    ``fold("Công chức Văn hoá- Xã hội.") == fold("công chức văn hóa - xã hội")``. Never shown to users.
    """
    text = clean(text).lower()
    text = _DASHES.sub("-", text)
    return new_tones(text).strip(" .,;:")


def contains_phrase(haystack: str, needle: str) -> bool:
    """True when folded ``needle`` occurs in folded ``haystack`` on word boundaries."""
    h, n = fold(haystack), fold(needle)
    if not n:
        return False
    return re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", h) is not None
