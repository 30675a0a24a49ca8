"""Sending email: an outbox on disk and smtplib, so nothing is lost and nothing is sent twice.

A message is written to the outbox (one ``.eml`` file per recipient) before any attempt to send it, and
leaves the outbox only when the server has accepted it (it is then moved to ``outbox/sent/``). A message
the server refuses or cannot take stays and goes out with the next flush, once. Each message has a key (its
kind and recipients, e.g. ``office__vanphong@xa.vn``): the outbox keeps only the newest message for each key,
a newer one replacing a waiting older one, which it makes out of date. A file's name starts with the day it
was written for, so ``sent/`` is the record of what the server accepted on each day (``Outbox.sent_keys``).

The password is read from the environment variable the settings name, handed to ``smtplib`` and nowhere
else: it is never logged, written or put in an exception message.
"""

from __future__ import annotations

import base64
import logging
import os
import re
import smtplib
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from toolkit.core.errors import CchcError
from toolkit.core.files import write_bytes_atomic
from toolkit.core.settings import SmtpSettings

log = logging.getLogger("cchc.mailer")

SENT_FOLDER = "sent"
PREVIEW_FOLDER = "xem-truoc"


class MailError(CchcError):
    """Sending cannot work until a setting is fixed (wrong password, no TLS, no host); says the fix."""


def recipient_key(address: str) -> str:
    """A file-name-safe key for one recipient address (``nhung.vp@xa.vn`` stays as it is)."""
    return re.sub(r"[^a-z0-9.@_+-]", "_", address.strip().lower())


@dataclass(frozen=True, slots=True)
class Waiting:
    """One message in the outbox: its file, recipients (envelope), subject and when it was queued."""

    path: Path
    recipients: tuple[str, ...]
    subject: str
    queued: datetime | None


def _parse(path: Path) -> EmailMessage:
    with path.open("rb") as fh:
        return BytesParser(policy=policy.SMTP).parse(fh)  # type: ignore[return-value]


class Outbox:
    """The folder of messages waiting to be sent; each file is a complete message (``.eml``)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def put(self, message: EmailMessage, key: str, *, now: datetime, day: date | None = None) -> Path:
        """Queue ``message`` under ``key`` (file-name safe, see ``recipient_key``) for ``day`` (default: the
        date of ``now``), replacing an older waiting message with the same key."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob(f"*__{key}.eml"):
            log.info("Thư cũ chờ gửi %s được thay bằng thư mới hơn.", old.name)
            old.unlink(missing_ok=True)
        path = self.folder / f"{day or now.date():%Y%m%d}-{now:%H%M%S}__{key}.eml"
        write_bytes_atomic(path, _wire(message))
        return path

    def sent_keys(self, day: date) -> set[str]:
        """The keys of the messages written for ``day`` that the server accepted (the records in ``sent/``)."""
        return {_key_of(p) for p in (self.folder / SENT_FOLDER).glob(f"{day:%Y%m%d}-*__*.eml")}

    def waiting_keys(self) -> set[str]:
        """The keys of the messages still waiting."""
        return {_key_of(p) for p in self.folder.glob("*__*.eml")}

    def waiting(self) -> list[Waiting]:
        """The messages waiting, oldest first."""
        if not self.folder.is_dir():
            return []
        out = []
        for path in sorted(self.folder.glob("*.eml")):
            msg = _parse(path)
            recipients = tuple(addr for _, addr in getaddresses(msg.get_all("To", []) + msg.get_all("Cc", []))
                               if addr)
            try:
                queued = parsedate_to_datetime(str(msg["Date"])) if msg["Date"] else None
            except (TypeError, ValueError):
                queued = None
            out.append(Waiting(path, recipients, str(msg.get("Subject", "")), queued))
        return out

    def mark_sent(self, path: Path) -> Path:
        """Move a sent message out of the queue into ``sent/`` (kept as a record)."""
        done = self.folder / SENT_FOLDER
        done.mkdir(parents=True, exist_ok=True)
        target = done / path.name
        os.replace(path, target)
        return target


def _key_of(path: Path) -> str:
    return path.name.split("__", 1)[1].removesuffix(".eml")


def write_preview(message: EmailMessage, folder: str | Path, name: str) -> Path:
    """Write ``message`` as ``<name>.eml`` into ``folder`` (a dry run: nothing is queued or sent)."""
    return write_bytes_atomic(Path(folder) / f"{name}.eml", _wire(message))


def _wire(message: EmailMessage) -> bytes:
    """The message as sent on the wire (CRLF), folded by its own policy (see ``mime.MAIL_POLICY``)."""
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n"))


@dataclass(slots=True)
class FlushResult:
    """What one flush of the outbox did.

    ``failed`` maps a waiting file to the Vietnamese reason it stays; ``error`` is set when nothing could be
    tried at all (server unreachable, login refused); every waiting message then stays in the outbox.
    """

    sent: list[Waiting] = field(default_factory=list)
    failed: list[tuple[Waiting, str]] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return not self.failed and self.error is None


def ssl_context(smtp: SmtpSettings) -> ssl.SSLContext:
    """A verifying TLS context; ``smtp.cafile`` adds the office's own CA certificate when set."""
    if smtp.cafile is not None and not smtp.cafile.is_file():
        raise MailError(f"Không tìm thấy tệp chứng chỉ {smtp.cafile} (cài đặt smtp.cafile).")
    return ssl.create_default_context(cafile=str(smtp.cafile) if smtp.cafile else None)


def connect(smtp: SmtpSettings, *, environ: Mapping[str, str] | None = None) -> smtplib.SMTP:
    """Open a connection as the settings say (STARTTLS, SSL or none) and log in when a user is set.

    Raises ``MailError`` for what a setting must fix (no host, wrong password, no STARTTLS on the server)
    and ``OSError`` when the server cannot be reached (the messages then wait for the next run).
    """
    if not smtp.host:
        raise MailError("Chưa khai báo máy chủ thư (cài đặt smtp.host).")
    password = smtp.password(environ)  # raises SettingsError (a CchcError) when missing
    server = f"{smtp.host}:{smtp.port}"
    conn: smtplib.SMTP
    if smtp.security == "ssl":
        conn = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=ssl_context(smtp))
    else:
        conn = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    try:
        conn.ehlo()
        if smtp.security == "starttls":
            if not conn.has_extn("starttls"):
                raise MailError(f"Máy chủ thư {server} không hỗ trợ STARTTLS; hãy đặt smtp.security = \"ssl\" "
                                f"(cổng 465) hoặc hỏi quản trị máy chủ thư.")
            conn.starttls(context=ssl_context(smtp))
            conn.ehlo()
        if smtp.user:
            try:
                _login(conn, smtp.user, password or "")
            except smtplib.SMTPAuthenticationError:
                raise MailError(
                    f"Máy chủ thư {server} từ chối đăng nhập tài khoản «{smtp.user}»: sai tên đăng nhập hoặc mật "
                    f"khẩu. Hãy kiểm tra mật khẩu trong biến môi trường {smtp.password_env} và cài đặt smtp.user."
                ) from None
            except smtplib.SMTPNotSupportedError:
                raise MailError(
                    f"Máy chủ thư {server} không cho đăng nhập trên kết nối này; hãy dùng smtp.security = "
                    f"\"starttls\" hoặc \"ssl\", hoặc xóa smtp.user nếu máy chủ không cần đăng nhập."
                ) from None
    except BaseException:
        _close(conn)
        raise
    return conn


def _login(conn: smtplib.SMTP, user: str, password: str) -> None:
    """``conn.login``; a password with non-ASCII letters (which smtplib cannot encode) goes as UTF-8 AUTH PLAIN."""
    if user.isascii() and password.isascii():
        conn.login(user, password)
        return
    if "plain" not in conn.esmtp_features.get("auth", "").lower().split():
        raise MailError("Mật khẩu hoặc tài khoản có chữ có dấu, nhưng máy chủ thư không nhận cách đăng nhập PLAIN; "
                        "hãy đổi sang mật khẩu không dấu.")
    token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
    code, resp = conn.docmd("AUTH", "PLAIN " + token)
    if code not in (235, 503):
        raise smtplib.SMTPAuthenticationError(code, resp)


def _close(conn: smtplib.SMTP) -> None:
    try:
        conn.quit()
    except (smtplib.SMTPException, OSError):
        conn.close()


def _reason(exc: BaseException, smtp: SmtpSettings) -> str:
    server = f"{smtp.host}:{smtp.port}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = "; ".join(f"{addr}: {code} {_text(msg)}" for addr, (code, msg) in exc.recipients.items())
        return f"máy chủ thư từ chối người nhận ({codes})"
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return f"máy chủ thư từ chối người gửi {exc.sender}: {exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"máy chủ thư trả lời {exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return (f"không xác thực được chứng chỉ của máy chủ thư {server} ({exc.verify_message}); nếu cơ quan dùng "
                f"chứng chỉ nội bộ, khai báo tệp chứng chỉ ở smtp.cafile")
    if isinstance(exc, ssl.SSLError):
        return f"lỗi mã hóa TLS với máy chủ thư {server} ({exc.reason}); kiểm tra smtp.security và smtp.port"
    if isinstance(exc, socket.timeout | TimeoutError):
        return f"máy chủ thư {server} không trả lời (hết thời gian chờ)"
    if isinstance(exc, ConnectionRefusedError):
        return f"không kết nối được máy chủ thư {server} (máy chủ từ chối kết nối)"
    if isinstance(exc, socket.gaierror):
        return f"không tìm thấy máy chủ thư «{smtp.host}» (kiểm tra smtp.host và mạng)"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"máy chủ thư {server} ngắt kết nối"
    return f"không gửi được qua {server} ({type(exc).__name__}: {exc})"


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def flush(outbox: Outbox, smtp: SmtpSettings, *, environ: Mapping[str, str] | None = None) -> FlushResult:
    """Send every waiting message, oldest first, over one connection.

    A message the server accepts moves to ``sent/``; one it refuses stays (its reason in ``failed``). When the
    server cannot be reached, ``error`` says why and everything stays. ``MailError`` (a setting to fix, such
    as a wrong password) is raised after logging; the messages stay in the outbox for the next run.
    """
    result = FlushResult()
    waiting = outbox.waiting()
    if not waiting:
        return result
    try:
        conn = connect(smtp, environ=environ)
    except CchcError as exc:
        log.error("Không gửi được %d thư: %s", len(waiting), exc)
        raise
    except (OSError, smtplib.SMTPException) as exc:
        result.error = _reason(exc, smtp)
        log.warning("%d thư vẫn chờ trong hộp thư đi: %s", len(waiting), result.error)
        return result
    try:
        for item in waiting:
            try:
                refused = conn.send_message(_parse(item.path))
            except smtplib.SMTPServerDisconnected as exc:
                result.error = _reason(exc, smtp)
                result.failed.append((item, result.error))
                log.warning("Thư %s chưa gửi được: %s", item.path.name, result.error)
                break
            except (OSError, smtplib.SMTPException) as exc:
                reason = _reason(exc, smtp)
                result.failed.append((item, reason))
                log.warning("Thư %s chưa gửi được: %s", item.path.name, reason)
                try:
                    conn.rset()
                except (OSError, smtplib.SMTPException):
                    result.error = reason
                    break
                continue
            outbox.mark_sent(item.path)
            accepted = tuple(r for r in item.recipients if r not in refused)
            result.sent.append(replace(item, recipients=accepted))
            for addr, (code, msg) in refused.items():
                log.warning("Máy chủ thư từ chối người nhận %s của thư %s: %s %s", addr, item.path.name, code,
                            _text(msg))
            log.info("Đã gửi thư «%s» tới %s (máy chủ thư đã nhận).", item.subject, ", ".join(accepted))
    finally:
        _close(conn)
    return result


def send_now(message: EmailMessage, smtp: SmtpSettings, *, environ: Mapping[str, str] | None = None) -> None:
    """Send one message straight away, without the outbox (only for the alert when the outbox itself fails).

    Raises ``MailError``, ``OSError`` or ``smtplib.SMTPException`` when it cannot be sent.
    """
    conn = connect(smtp, environ=environ)
    try:
        conn.send_message(message)
    finally:
        _close(conn)
