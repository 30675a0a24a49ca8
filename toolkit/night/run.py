"""The nightly run: read a copy of the shared workbook, validate it, and email each person what concerns them.

``run_once`` is one run, for ``cchc notify`` and ``cchc nightly --once``:

1. the shared workbook is copied and the copy is read in a child process (``night.child``; the shared file
   is never locked or written); a copy caught half-saved is retried, then reported to the Office, never
   misread; a child that crashes or runs out of memory or time is reported the same way. The child also keeps
   the night's backup copy and lists the changes and drifts (``night.work``, ``history.gather``): this process
   receives only small results and never reads a whole workbook;
2. validation and completion give the drafts (``notices``), which are queued in the outbox, each message
   (kind and recipient: an official's reminder, the Office digest, an alert) at most once per day. What the
   server accepted is read back from ``outbox/sent/``, so a lost or damaged state file never sends a second
   copy; a message still waiting from an earlier day is replaced by tonight's one of the same kind;
3. the outbox is flushed: tonight's messages and any still waiting; what the server refuses or cannot take
   waits for the next run.

Whatever stops a run is logged and the Office is told by email the same night (when the server can be
reached). One run at a time (``night.lock``): a run that was killed never blocks the next.

``run_forever`` is ``cchc nightly``: ``schedule`` ticks every minute and ``tick`` runs the night's job when
the latest scheduled time (``schedule.at`` in ``schedule.timezone``) has not been run yet, so a night missed
while the computer was off is run at the next start. Time is always a parameter (``now``/``clock``).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time as _time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.core.errors import CchcError
from toolkit.core.files import write_bytes_atomic
from toolkit.core.settings import Settings
from toolkit.memory.backups import Keeping
from toolkit.night.child import DEFAULT_LIMITS, Limits, NightCheck, read_night
from toolkit.night.lock import run_lock

# What reads the child's results, composes and sends is imported where it is used, i.e. while the child reads
# the workbook (``_Run.prepare``): the child starts as soon as this process has its settings, lock and copy.
if TYPE_CHECKING:
    from toolkit.core.period import Period
    from toolkit.mail.draft import Draft
    from toolkit.mail.outbox import Outbox
    from toolkit.memory.history import Night

log = logging.getLogger("cchc.nightly")

STATE_FILE = "nightly.json"
KEEP_DAYS = 60  # days of "who got mail" kept in the state file


# ---------------------------------------------------------------- what the state folder remembers


@dataclass(slots=True)
class State:
    """``state/nightly.json``: who was mailed on which day, the last scheduled night that was run, and the
    Office's address as last read (to tell the Office even when the workbook cannot be read)."""

    path: Path
    mailed: dict[str, list[str]] = field(default_factory=dict)  # ISO day -> recipient keys
    last_night: date | None = None
    office: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, folder: Path) -> State:
        path = folder / STATE_FILE
        if not path.is_file():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            night = data.get("last_night")
            return cls(path, {str(k): list(v) for k, v in data.get("mailed", {}).items()},
                       date.fromisoformat(night) if night else None, [str(a) for a in data.get("office", [])])
        except (ValueError, TypeError, AttributeError, OSError) as exc:
            broken = path.with_name(path.name + ".hong")
            with contextlib.suppress(OSError):
                os.replace(path, broken)
            log.error("Tệp trạng thái %s bị hỏng (%s); đã đổi tên thành %s và bắt đầu lại.", path, exc, broken.name)
            return cls(path)

    def save(self) -> None:
        data = {"last_night": self.last_night.isoformat() if self.last_night else None, "office": self.office,
                "mailed": self.mailed}
        write_bytes_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))

    def was_mailed(self, day: date, key: str) -> bool:
        return key in self.mailed.get(day.isoformat(), [])

    def mark_mailed(self, day: date, key: str) -> None:
        self.mailed.setdefault(day.isoformat(), []).append(key)
        oldest = (day - timedelta(days=KEEP_DAYS)).isoformat()
        self.mailed = {d: keys for d, keys in self.mailed.items() if d >= oldest}
        self.save()


# ---------------------------------------------------------------- one run


@dataclass(slots=True)
class RunResult:
    """What one run did.

    ``sent`` lists what the mail server accepted (recipients of each message); ``queued`` what was put in the
    outbox tonight (sent or not); ``skipped`` what was already accepted earlier today, ``held`` what was
    already queued today and still waits. ``error`` is set when the run itself failed (``config_error`` when
    a setting must be fixed first); ``workbook_problem`` when the workbook could not be read (the Office was
    told); ``interrupted`` describes an earlier run that was stopped before it finished. ``waiting`` counts
    the messages still in the outbox after the run.
    """

    day: date
    queued: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    previews: list[Path] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)
    waiting: int = 0
    send_error: str | None = None
    workbook_problem: str | None = None
    interrupted: str | None = None
    error: str | None = None
    config_error: bool = False
    busy: bool = False

    @property
    def exit_code(self) -> int:
        """0 all done; 1 messages wait in the outbox or the workbook was unreadable; 2 a setting to fix or the
        run failed."""
        if self.error:
            return 2
        return 1 if (self.waiting or self.workbook_problem or self.busy) else 0


def message_key(draft: Draft) -> str:
    """The key of one message: its kind and recipients (``office__vanphong@xa.vn``). The Office digest and an
    official's own message to the same mailbox are two messages."""
    from toolkit.mail.outbox import recipient_key

    return f"{draft.kind}__" + "+".join(recipient_key(a) for a in draft.addresses)


@dataclass(slots=True)
class _Run:
    """One run's context: where it writes, whom it tells, and what it did (``result``)."""

    settings: Settings
    result: RunResult
    now: datetime
    environ: Mapping[str, str] | None
    dry_run: bool
    office: tuple[str, ...] = ()
    unit: str = ""
    period: Period | None = None  # None: the current period (a check about today)

    @property
    def day(self) -> date:
        return self.result.day

    @property
    def outbox(self) -> Outbox:
        from toolkit.mail.outbox import Outbox

        return Outbox(self.settings.paths.outbox)

    def waiting_lines(self) -> list[str]:
        """The messages still in the outbox from earlier runs, as the digest lists them."""
        from toolkit.core.words import day

        return [f"{', '.join(w.recipients)}: thư ngày {day(w.queued)} chưa gửi được" if w.queued else
                f"{', '.join(w.recipients)}: thư chưa gửi được" for w in self.outbox.waiting()]

    def prepare(self) -> list[str] | None:
        """While the child reads the workbook (on another core): load what composing and sending need and list
        the outbox (this run holds the lock, so nothing else changes it); None when that failed (``check``
        lists it again and meets the failure there)."""
        from toolkit.mail import annotate, compose, mime, outbox  # noqa: F401 (loaded now, used once the child is done)

        try:
            return self.waiting_lines()
        except Exception:
            return None

    def check(self, state: State, *, attempts: int, wait: float, sleep: Callable[[float], None],
              limits: Limits) -> list[Draft]:
        """Check the workbook, keep tonight's copy and gather its history in the child (``read_night``); tonight's
        drafts (or the alert when it could not be read) from the small results it hands back."""
        settings, day = self.settings, self.day
        workbook = settings.require_workbook()
        early: list[list[str] | None] = []
        done = read_night(workbook, as_of=day, due_soon_days=settings.notify.due_soon_days, period=self.period,
                          attempts=attempts, wait=wait, sleep=sleep, limits=limits,
                          keeping=Keeping.of(settings, workbook, dry_run=self.dry_run),
                          meanwhile=lambda: early.append(self.prepare()))
        from toolkit.mail.annotate import annotate  # loaded by ``prepare`` while the child worked
        from toolkit.mail.compose import compose_night
        from toolkit.mail.notices import office_addresses

        report, a = done.report, done.assessment
        wb = a.wb if a is not None else None
        night = self.night_of(done, workbook)
        self.office = office_addresses(settings.notify.office, wb) or self.office
        if wb is not None and self.office and list(self.office) != state.office:
            state.office = list(self.office)
            state.save()
        self.unit = (wb.info.unit or "") if wb is not None else ""
        if a is None or report.fatal:
            self.result.workbook_problem = report.issues[0].message if report.issues else "không đọc được sổ"
            log.error("Không đọc được sổ theo dõi: %s", self.result.workbook_problem)
        waiting = early[0] if early and early[0] is not None else self.waiting_lines()
        notes = [f"Lượt chạy trước ({self.result.interrupted}) đã bị dừng giữa chừng, có thể do tắt máy hoặc bị "
                 "buộc dừng; lượt này đã chạy lại."] if self.result.interrupted else []
        drafts = compose_night(report, a, as_of=day, office=self.office, waiting=waiting, notes=notes)
        return annotate(drafts, night, wb)  # changes since the last copy, figures changed after a report

    def night_of(self, done: NightCheck, workbook: Path) -> Night:
        """Tonight's backup and history as the child gathered them; no copy when the workbook could not be read,
        nor when the child was stopped before it finished them."""
        from toolkit.memory.history import Night

        if done.night is not None:
            return done.night
        if done.assessment is None:
            return Night(self.day, workbook, problem="sổ không đọc được (xem lý do trong thư này) nên đêm "
                                                     "nay không sao lưu")
        log.error("Bước sao lưu và so sánh với bản sao trước bị dừng: %s", done.stopped)
        return Night(self.day, workbook, problem=f"bước sao lưu và so sánh với bản sao trước bị dừng: "
                                                 f"{done.stopped}", changes=[], drifts=[])

    def queue(self, drafts: list[Draft], state: State, sender: str) -> None:
        """Put each draft in the outbox unless the same message was already accepted or queued today."""
        from toolkit.mail.mime import to_message
        from toolkit.mail.outbox import write_preview

        result, day = self.result, self.day
        accepted = self.outbox.sent_keys(day)  # the server's acceptances are the truth, whatever the state says
        for draft in drafts:
            if not draft.addresses:
                log.warning("Không có địa chỉ Văn phòng (cài đặt notify.office hoặc «Email Văn phòng» trong "
                            "sổ); thư «%s» không gửi được.", draft.subject)
                continue
            key, who = message_key(draft), ", ".join(draft.addresses)
            message = to_message(draft, sender=sender, now=self.now)
            if self.dry_run:
                result.previews.append(write_preview(message, self.outbox.folder / "xem-truoc" / day.isoformat(), key))
            elif key in accepted:
                result.skipped.append(who)
            elif state.was_mailed(day, key):
                result.held.append(who)
            else:
                self.outbox.put(message, key, now=self.now, day=day)
                state.mark_mailed(day, key)
                result.queued.append(who)
        if result.skipped:
            log.info("Máy chủ thư đã nhận thư ngày %s của %s; không gửi lại.", day.isoformat(),
                     ", ".join(result.skipped))
        if result.held:
            log.info("Thư ngày %s của %s đã xếp vào hộp thư đi, đang chờ gửi; không xếp lại.", day.isoformat(),
                     ", ".join(result.held))

    def flush(self) -> None:
        from toolkit.mail.outbox import flush

        done = flush(self.outbox, self.settings.smtp, environ=self.environ)
        self.result.sent += [", ".join(w.recipients) for w in done.sent if w.recipients]
        if done.error or done.failed:
            self.result.send_error = done.error or done.failed[0][1]

    def tell_office(self, what: str) -> None:
        """Best effort: queue and send an alert to the Office; straight to the server if the outbox is broken."""
        from toolkit.mail.compose import compose_alert
        from toolkit.mail.mime import to_message
        from toolkit.mail.outbox import send_now

        settings = self.settings
        if self.dry_run:
            return
        if not self.office or not settings.smtp.sender or not settings.smtp.host:
            log.error("Không báo được Văn phòng: chưa có địa chỉ Văn phòng, người gửi hoặc máy chủ thư.")
            return
        draft = compose_alert(self.office, unit=self.unit, as_of=self.day, what=what,
                              detail=[f"Xem nhật ký: {settings.paths.log}"])
        message = to_message(draft, sender=settings.smtp.sender, now=self.now)
        try:
            self.outbox.put(message, message_key(draft), now=self.now, day=self.day)
            self.flush()
        except Exception:
            log.warning("Hộp thư đi không dùng được; gửi thẳng thư báo lỗi cho Văn phòng.")
            try:
                send_now(message, settings.smtp, environ=self.environ)
                self.result.sent.append(", ".join(draft.addresses))
            except Exception as exc:
                log.error("Không gửi được thư báo lỗi cho Văn phòng: %s", exc)


def run_once(settings: Settings, *, now: datetime, as_of: date | None = None, dry_run: bool = False,
             environ: Mapping[str, str] | None = None, attempts: int = 3, wait: float = 20.0,
             sleep: Callable[[float], None] = _time.sleep, limits: Limits = DEFAULT_LIMITS,
             period: Period | None = None) -> RunResult:
    """One run as of ``now`` (an aware datetime; ``as_of`` defaults to its date in the configured zone).

    ``dry_run`` writes the messages as ``.eml`` files into ``<outbox>/xem-truoc/<day>/`` and neither sends,
    queues nor remembers anything. Never raises: whatever stops the run is in the result, logged, and told to
    the Office (unless the mail server itself refuses the settings). ``limits`` bound the workbook check.
    ``period`` None checks the current period (``assess.current_period``), as the nightly job does.
    """
    now = now.astimezone(settings.schedule.tz)
    run = _Run(settings, RunResult(day=as_of or now.date()), now, environ, dry_run,
               office=tuple(settings.notify.office), period=period)
    result = run.result
    try:
        with run_lock(settings.paths.state, now) as held:
            if not held.mine:
                log.warning("Một lượt chạy khác đang chạy (%s); bỏ qua lượt này.",
                            held.owner.describe() if held.owner else "không rõ")
                result.busy = True
                return result
            if held.interrupted is not None:
                result.interrupted = held.interrupted.describe()
            state = State.load(settings.paths.state)
            run.office = run.office or tuple(state.office)  # known before anything else can fail
            sender = settings.require_sender()
            drafts = run.check(state, attempts=attempts, wait=wait, sleep=sleep, limits=limits)
            run.queue(drafts, state, sender)
            if not dry_run:
                run.flush()
    except CchcError as exc:
        from toolkit.mail.outbox import MailError

        result.error, result.config_error = str(exc), True
        if isinstance(exc, MailError):  # the server refuses the settings: an alert would be refused too
            log.error("Lượt chạy không gửi được thư: %s", exc)
        else:
            log.error("Lượt chạy không thực hiện được: %s", exc)
            run.tell_office(f"cài đặt cần sửa: {exc}")
    except Exception as exc:
        result.error = f"lỗi không mong đợi: {type(exc).__name__}: {exc}"
        log.exception("Lượt chạy ngày %s bị lỗi.", result.day.isoformat())
        run.tell_office(result.error)
    with contextlib.suppress(OSError):
        result.waiting = len(run.outbox.waiting())
    return result


# ---------------------------------------------------------------- the schedule


def latest_night(now: datetime, at: clock_time) -> date:
    """The date of the latest scheduled time at or before ``now`` (both in the same zone)."""
    slot = datetime.combine(now.date(), at, tzinfo=now.tzinfo)
    return now.date() if slot <= now else now.date() - timedelta(days=1)


def tick(settings: Settings, *, now: datetime, **run_options) -> RunResult | None:
    """Run the night's job if the latest scheduled time has not been run yet; None when nothing was due.

    The first start ever only remembers the latest scheduled time (nothing was missed yet). The night is
    marked as run before the job starts, so a job that fails is never re-fired in a loop; a night missed while
    the computer was off is due at the next tick, i.e. at the next start.
    """
    now = now.astimezone(settings.schedule.tz)
    night = latest_night(now, settings.schedule.at)
    state = State.load(settings.paths.state)
    if state.last_night is None:
        state.last_night = night
        state.save()
        log.info("Bắt đầu theo dõi; lần chạy đầu lúc %s.", settings.schedule.at.strftime("%H:%M"))
        return None
    if state.last_night >= night:
        return None
    if night < now.date():
        log.info("Chạy bù lượt đêm %s bị lỡ (máy tắt).", night.isoformat())
    state.last_night = night
    state.save()
    return run_once(settings, now=now, **run_options)


def run_scheduled_once(settings: Settings, *, now: datetime, **run_options) -> RunResult:
    """``cchc nightly --once``: run now, and remember tonight as run so the loop does not run it again."""
    now = now.astimezone(settings.schedule.tz)
    result = run_once(settings, now=now, **run_options)
    with contextlib.suppress(OSError):
        state = State.load(settings.paths.state)
        night = latest_night(now, settings.schedule.at)
        if state.last_night is None or state.last_night < night:
            state.last_night = night
            state.save()
    return result


def safe_tick(settings: Settings, clock: Callable[[], datetime], **run_options) -> RunResult | None:
    """``tick`` that never raises (``schedule`` would re-run a job that raised on every tick)."""
    try:
        return tick(settings, now=clock(), **run_options)
    except Exception:
        log.exception("Lỗi khi kiểm tra lịch chạy.")
        return None


def build_scheduler(settings: Settings, clock: Callable[[], datetime], *, every_seconds: int = 60, **run_options):
    """A ``schedule.Scheduler`` whose one job checks, every ``every_seconds``, whether the night is due.

    ``schedule``'s own ``.at(time, tz)`` is not used: it needs pytz and cannot catch up a missed night.
    """
    import schedule

    scheduler = schedule.Scheduler()
    scheduler.every(every_seconds).seconds.do(safe_tick, settings, clock, **run_options)
    return scheduler


def run_forever(settings: Settings, *, clock: Callable[[], datetime] | None = None,
                sleep: Callable[[float], None] = _time.sleep, stop: Callable[[], bool] = lambda: False,
                every_seconds: int = 60) -> None:
    """``cchc nightly``: check at start (catching up a missed night), then every minute until ``stop()``."""
    tz = settings.schedule.tz
    clock = clock or (lambda: datetime.now(tz))
    scheduler = build_scheduler(settings, clock, every_seconds=every_seconds)
    log.info("cchc nightly chạy hằng ngày lúc %s (%s), sổ %s.", settings.schedule.at.strftime("%H:%M"),
             settings.schedule.timezone, settings.workbook)
    safe_tick(settings, clock)
    while not stop():
        scheduler.run_pending()
        sleep(max(1.0, min(float(every_seconds), scheduler.idle_seconds or every_seconds)))


def configure_logging(settings: Settings, *, echo: bool = True) -> None:
    """Log the ``cchc`` loggers to ``paths.log`` (UTF-8) and, when ``echo``, to the console."""
    settings.paths.log.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger("cchc")
    root.setLevel(logging.INFO)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    for old in [h for h in root.handlers if getattr(h, "_cchc", False)]:  # configured again: replace, not add
        root.removeHandler(old)
        old.close()
    handlers: list[logging.Handler] = [logging.FileHandler(settings.paths.log, encoding="utf-8")]
    if echo:
        handlers.append(logging.StreamHandler())
    for h in handlers:
        h.setFormatter(fmt)
        h._cchc = True  # type: ignore[attr-defined]
        root.addHandler(h)
