"""A real SMTP server for the email tests: aiosmtpd on 127.0.0.1, a free port, started and stopped by the test.

``MailServer`` can require STARTTLS or speak implicit TLS with a certificate made in the test (trustme), ask
for AUTH, refuse chosen recipients, and be stopped and started again on the same port (server down, server
back). Delivered messages are parsed with the standard library so tests assert on what a mail client sees.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER = "vanphong@daktover.example.vn"
PASSWORD = "mật-khẩu-Đúng-123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Delivered:
    """One message as the server received it: the envelope and the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]

    @property
    def html(self) -> str:
        return self.message.get_body(("html",)).get_content()  # type: ignore[union-attr]


@dataclass
class Handler:
    received: list[Delivered] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # recipients answered with 550

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list) -> str:
        if address.lower() in self.refuse:
            return "550 5.1.1 Hộp thư không tồn tại"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = BytesParser(policy=policy.default).parsebytes(envelope.original_content or envelope.content)
        self.received.append(Delivered(envelope.mail_from, list(envelope.rcpt_tos), msg))  # type: ignore[arg-type]
        return "250 OK"


def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == USER
          and auth_data.password.decode("utf-8") == PASSWORD)
    return AuthResult(success=ok, handled=False)


class MailServer:
    """A controllable aiosmtpd server; ``security`` is ``none``, ``starttls`` or ``ssl``."""

    def __init__(self, tmp: Path, *, security: str = "none", auth: bool = False) -> None:
        self.port = free_port()
        self.security = security
        self.auth = auth
        self.handler = Handler()
        self.controller: Controller | None = None
        self.cafile: Path | None = None
        self._server_ctx: ssl.SSLContext | None = None
        if security != "none":
            import trustme

            ca = trustme.CA()
            cert = ca.issue_cert("127.0.0.1", "localhost")
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            cert.configure_cert(ctx)
            self._server_ctx = ctx
            self.cafile = tmp / "ca.pem"
            ca.cert_pem.write_to_path(str(self.cafile))

    @property
    def received(self) -> list[Delivered]:
        return self.handler.received

    def start(self) -> MailServer:
        kwargs: dict[str, Any] = {}
        if self.security == "starttls":
            kwargs.update(tls_context=self._server_ctx, require_starttls=True)
        if self.auth:
            kwargs.update(authenticator=authenticator, auth_require_tls=self.security == "starttls")
        ssl_context = self._server_ctx if self.security == "ssl" else None
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, ssl_context=ssl_context,
                                     server_hostname="127.0.0.1", **kwargs)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def smtp_settings(self) -> dict[str, Any]:
        """The ``[smtp]`` table a settings file needs to reach this server."""
        out: dict[str, Any] = {"host": "127.0.0.1", "port": self.port, "security": self.security,
                               "sender": f"Văn phòng UBND xã Đăktover <{USER}>", "timeout": 10}
        if self.cafile is not None:
            out["cafile"] = str(self.cafile)
        if self.auth:
            out.update(user=USER, password_env="CCHC_TEST_SMTP_PASSWORD")
        return out


def toml(data: dict[str, Any]) -> str:
    """A small TOML writer for test settings (strings, numbers, one level of tables)."""
    import json

    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int | float):
            return str(v)
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return json.dumps(str(v), ensure_ascii=False)

    lines = [f"{k} = {value(v)}" for k, v in data.items() if not isinstance(v, dict)]
    for k, v in data.items():
        if isinstance(v, dict):
            lines += ["", f"[{k}]", *(f"{kk} = {value(vv)}" for kk, vv in v.items())]
    return "\n".join(lines) + "\n"


ServerFn = Callable[..., MailServer]


def make_servers(tmp_path: Path) -> Iterator[ServerFn]:
    """The body of a ``server`` fixture: make (and at the end stop) SMTP servers,
    ``server(security=..., auth=..., start=True)``. Use as ``yield from make_servers(tmp_path)``."""
    made: list[MailServer] = []

    def _make(*, security: str = "none", auth: bool = False, start: bool = True) -> MailServer:
        srv = MailServer(tmp_path, security=security, auth=auth)
        made.append(srv)
        return srv.start() if start else srv

    yield _make
    for srv in made:
        srv.stop()
