"""The MIME form of a drafted email: UTF-8 plain text with an HTML alternative, headers free of injection.

Both bodies are base64 (7-bit clean: any server takes them, no 8BITMIME needed). ``MAIL_POLICY`` is
``policy.SMTP`` with one fix, for long Vietnamese subjects (see ``_MailPolicy``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path

from toolkit.core.valuerules import plain_address
from toolkit.mail.draft import Draft, one_line


class _MailPolicy(EmailPolicy):
    """``policy.SMTP``, except that a non-ASCII Subject is folded by ``email.header.Header``.

    The modern folder drops the space between two encoded words when it folds a long Vietnamese subject
    (``08/01/2024: chưa`` arrives as ``08/01/2024:chưa``); the legacy encoder keeps it inside the word.
    """

    def fold(self, name: str, value: str) -> str:
        if name.lower() == "subject" and not str(value).isascii():
            encoded = Header(str(value), "utf-8", maxlinelen=self.max_line_length, header_name=name)
            return f"{name}: {encoded.encode(linesep=self.linesep)}{self.linesep}"
        return super().fold(name, value)

    def fold_binary(self, name: str, value: str) -> bytes:
        if name.lower() == "subject" and not str(value).isascii():
            return self.fold(name, value).encode("ascii")
        return super().fold_binary(name, value)


MAIL_POLICY = _MailPolicy(linesep="\r\n")


def to_message(draft: Draft, *, sender: str, now: datetime) -> EmailMessage:
    """The MIME message of ``draft``: UTF-8 plain text with an HTML alternative (both base64, 7-bit clean),
    headers free of injection.

    Raises ``ValueError`` when the draft has no recipient (the caller decides what that means).
    """
    if not draft.addresses:
        raise ValueError("a message needs at least one recipient")
    msg = EmailMessage(policy=MAIL_POLICY)
    msg["Subject"] = one_line(draft.subject)
    msg["From"] = one_line(sender)
    name = one_line(draft.name)
    to = []
    for addr in draft.addresses:
        if not plain_address(addr):
            raise ValueError(f"not a plain address: {addr!r}")
        local, domain = addr.rsplit("@", 1)
        to.append(Address(display_name=name if len(draft.addresses) == 1 else "", username=local, domain=domain))
    msg["To"] = to
    msg["Date"] = format_datetime(now if now.tzinfo else now.astimezone())
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    msg["Message-ID"] = make_msgid(domain=domain)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(draft.text, subtype="plain", charset="utf-8", cte="base64")
    msg.add_alternative(draft.html, subtype="html", charset="utf-8", cte="base64")
    return msg


def write_previews(drafts: Sequence[Draft], folder: str | Path, *, sender: str,
                   now: datetime) -> list[tuple[Draft, Path]]:
    """Write each draft as ``<address>.eml`` plus readable ``.txt`` and ``.html`` into ``folder``.

    Drafts without a recipient are written under their kind (``office.eml``). Returns (draft, path) pairs.
    """
    from toolkit.core.files import write_bytes_atomic
    from toolkit.mail.outbox import recipient_key, write_preview

    out: list[tuple[Draft, Path]] = []
    for draft in drafts:
        name = "+".join(recipient_key(a) for a in draft.addresses) or draft.kind
        shown = draft if draft.addresses else Draft(draft.kind, draft.name, ("chua-co-dia-chi@example.invalid",),
                                                    draft.subject, draft.text, draft.html)
        out.append((draft, write_preview(to_message(shown, sender=sender, now=now), folder, name)))
        out.append((draft, write_bytes_atomic(Path(folder) / f"{name}.txt", draft.text.encode("utf-8"))))
        out.append((draft, write_bytes_atomic(Path(folder) / f"{name}.html", draft.html.encode("utf-8"))))
    return out
