"""The nightly run: read a copy of the shared workbook, validate it, and email each person what concerns them.

``run_once`` is one run, for ``cchc notify`` and ``cchc nightly --once``:

1. the shared workbook is copied and the copy is read (the shared file is never locked or written); a copy
   caught half-saved (a truncated zip) is retried, then reported to the Office, never misread;
2. validation and completion give the drafts (``notify``), which are queued in the outbox, at most one per
   person per day (the state folder remembers who got mail on which day, across restarts); a message still
   waiting from an earlier day is replaced by the person's new one, so nobody gets two in one day;
3. the outbox is flushed: tonight's messages and any still waiting; what the server refuses or cannot take
   waits for the next run.

A run catches its own failure: it is logged, the Office is told, and the run ends normally.

``run_forever`` is ``cchc nightly``: ``schedule`` ticks every minute and ``tick`` runs the night's job when
the latest scheduled time (``schedule.at`` in ``schedule.timezone``) has not been run yet, so a night missed
while the computer was off is run at the next start. Time is always a parameter (``now``/``clock``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import shutil
import tempfile
import time as _time
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from . import history  # [history]
from .assess import Assessment
from .errors import CchcError
from .files import write_bytes_atomic
from .issues import Issue, Report, issue
from .mailer import Outbox, flush, recipient_key, send_now, write_preview
from .notify import Draft, compose_alert, compose_night, office_addresses, to_message
from .settings import Settings

log = logging.getLogger("cchc.nightly")

STATE_FILE = "nightly.json"
LOCK_FILE = "nightly.lock"
LOCK_STALE = timedelta(hours=2)
KEEP_DAYS = 60  # days of "who got mail" kept in the state file
ZIP_SUFFIXES = (".xlsx", ".xlsm", ".ods")


# ---------------------------------------------------------------- reading the shared workbook safely


def lock_files(path: Path) -> list[Path]:
    """The lock files Excel (``~$name``) and LibreOffice (``.~lock.name#``) keep beside an open workbook."""
    candidates = [path.with_name("~$" + path.name), path.with_name("~$" + path.name[2:]),
                  path.with_name(f".~lock.{path.name}#")]
    return [p for p in dict.fromkeys(candidates) if p.exists()]


def _complete(copy: Path) -> bool:
    """True when a zip-based workbook copy is whole (every member's checksum right); other formats pass."""
    if copy.suffix.lower() not in ZIP_SUFFIXES:
        return True
    try:
        with zipfile.ZipFile(copy) as zf:
            return zf.testzip() is None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return False


def snapshot(source: Path, folder: Path, *, attempts: int = 3, wait: float = 20.0,
             sleep: Callable[[float], None] = _time.sleep) -> tuple[Path | None, Issue | None]:
    """Copy ``source`` into ``folder`` and return (the copy, None), or (None, the issue) when no whole copy
    could be taken after ``attempts`` tries ``wait`` seconds apart.

    A copy is whole when the file did not change while being copied and, for zip formats, every part reads
    back. A lock file beside a whole copy is fine (someone has the workbook open; the last saved version is
    read).
    """
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / source.name
    for attempt in range(1, attempts + 1):
        if attempt > 1:
            sleep(wait)
        if not source.is_file():
            log.warning("Không thấy sổ theo dõi %s (lần thử %d/%d).", source, attempt, attempts)
            continue
        try:
            before = source.stat()
            shutil.copyfile(source, copy)
            after = source.stat()
        except OSError as exc:
            log.warning("Không sao chép được %s (lần thử %d/%d): %s", source, attempt, attempts, exc)
            continue
        if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns):
            log.warning("Sổ theo dõi đang được ghi trong lúc sao chép (lần thử %d/%d).", attempt, attempts)
            continue
        if _complete(copy):
            if lock_files(source):
                log.info("Sổ theo dõi đang được mở trên máy khác; đọc bản đã lưu gần nhất.")
            return copy, None
        log.warning("Bản sao sổ theo dõi chưa trọn vẹn, có thể đang lưu dở (lần thử %d/%d).", attempt, attempts)
    if not source.exists():
        return None, issue("file-missing", path=source.name)
    locks = lock_files(source)
    lock = f"; tệp khóa {locks[0].name} cho thấy sổ đang được mở" if locks else ""
    return None, issue("file-half-saved", path=source.name, attempts=attempts, lock=lock)


def read_shared(source: Path, *, as_of: date, due_soon_days: int = 14, attempts: int = 3, wait: float = 20.0,
                sleep: Callable[[float], None] = _time.sleep) -> tuple[Report, Assessment | None]:
    """Read, validate and assess a copy of the shared workbook as of ``as_of`` (``assess.check_file``):
    (report, assessment or None). The report names ``source``."""
    from .assess import check_file

    with tempfile.TemporaryDirectory(prefix="cchc-") as tmp:
        copy, problem = snapshot(source, Path(tmp), attempts=attempts, wait=wait, sleep=sleep)
        if problem is not None:
            return Report(workbook=str(source), issues=[problem], fatal=True), None
        report, a = check_file(copy, as_of=as_of, due_soon_days=due_soon_days)
    report.workbook = str(source)
    if a is not None:
        a.wb.path = str(source)
    if report.fatal:
        report.issues = [dataclasses.replace(i, message=i.message.replace(str(copy), str(source)))
                         for i in report.issues]
    return report, a


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


@contextlib.contextmanager
def run_lock(folder: Path, now: datetime):
    """Hold ``state/nightly.lock`` for one run; yields False when another run holds a fresh lock."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_FILE
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        try:
            held = datetime.fromisoformat(path.read_text(encoding="utf-8").strip())
        except (OSError, ValueError):
            held = None
        if held is not None and held.tzinfo is not None and now - held < LOCK_STALE:
            yield False
            return
        log.warning("Bỏ tệp khóa cũ %s (lượt chạy trước đã dừng giữa chừng).", path)
        path.unlink(missing_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(now.isoformat())
    try:
        yield True
    finally:
        path.unlink(missing_ok=True)


# ---------------------------------------------------------------- one run


@dataclass(slots=True)
class RunResult:
    """What one run did.

    ``error`` is set when the run itself failed (``config_error`` when a setting must be fixed first);
    ``workbook_problem`` when the workbook could not be read (the Office was told). ``waiting`` counts the
    messages still in the outbox after the run.
    """

    day: date
    queued: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    previews: list[Path] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)
    waiting: int = 0
    send_error: str | None = None
    workbook_problem: str | None = None
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


def _key(draft: Draft) -> str:
    return "+".join(recipient_key(a) for a in draft.addresses)


def _flush(settings: Settings, outbox: Outbox, result: RunResult, environ: Mapping[str, str] | None) -> None:
    done = flush(outbox, settings.smtp, environ=environ)
    result.sent += [", ".join(w.recipients) for w in done.sent]
    if done.error or done.failed:
        result.send_error = done.error or done.failed[0][1]


def run_once(settings: Settings, *, now: datetime, as_of: date | None = None, dry_run: bool = False,
             environ: Mapping[str, str] | None = None, attempts: int = 3, wait: float = 20.0,
             sleep: Callable[[float], None] = _time.sleep) -> RunResult:
    """One run as of ``now`` (an aware datetime; ``as_of`` defaults to its date in the configured zone).

    ``dry_run`` writes the messages as ``.eml`` files into ``<outbox>/xem-truoc/<day>/`` and neither sends,
    queues nor remembers anything. Never raises: failures are in the result, logged, and told to the Office.
    """
    now = now.astimezone(settings.schedule.tz)
    day = as_of or now.date()
    result = RunResult(day=day)
    outbox = Outbox(settings.paths.outbox)
    office: tuple[str, ...] = settings.notify.office
    unit = ""
    try:
        with run_lock(settings.paths.state, now) as mine:
            if not mine:
                log.warning("Một lượt chạy khác đang chạy; bỏ qua lượt này.")
                result.busy = True
                return result
            state = State.load(settings.paths.state)
            sender = settings.require_sender()
            workbook = settings.require_workbook()
            report, assessment = read_shared(workbook, as_of=day, due_soon_days=settings.notify.due_soon_days,
                                             attempts=attempts, wait=wait, sleep=sleep)
            wb = assessment.wb if assessment is not None else None
            night = history.keep(settings, workbook, day=day, dry_run=dry_run, attempts=attempts if wb else 1,
                                 wait=wait, sleep=sleep)  # [history] today's copy (one try if unreadable)
            office = office_addresses(settings.notify.office, wb) or tuple(state.office)
            if wb is not None and office and list(office) != state.office:
                state.office = list(office)
                state.save()
            unit = (wb.info.unit or "") if wb is not None else ""
            if wb is None:
                result.workbook_problem = report.issues[0].message if report.issues else "không đọc được sổ"
                log.error("Không đọc được sổ theo dõi: %s", result.workbook_problem)
            waiting = [f"{', '.join(w.recipients)}: thư ngày {w.queued:%d/%m/%Y} chưa gửi được" if w.queued else
                       f"{', '.join(w.recipients)}: thư chưa gửi được" for w in outbox.waiting()]
            drafts = compose_night(report, assessment, as_of=day, office=office, waiting=waiting)
            drafts = history.annotate(drafts, night, wb)  # [history] changes and figures changed after a report
            for draft in drafts:
                if not draft.addresses:
                    log.warning("Không có địa chỉ Văn phòng (cài đặt notify.office hoặc «Email Văn phòng» trong "
                                "sổ); bản tổng hợp không gửi được.")
                    continue
                key = _key(draft)
                message = to_message(draft, sender=sender, now=now)
                if dry_run:
                    result.previews.append(write_preview(message, outbox.folder / "xem-truoc" / day.isoformat(), key))
                elif state.was_mailed(day, key):
                    result.skipped.append(", ".join(draft.addresses))
                else:
                    outbox.put(message, key, now=now)
                    state.mark_mailed(day, key)
                    result.queued.append(", ".join(draft.addresses))
            if result.skipped:
                log.info("Đã gửi thư ngày %s cho %s; không gửi lại.", day.isoformat(), ", ".join(result.skipped))
            if not dry_run:
                _flush(settings, outbox, result, environ)
    except CchcError as exc:
        result.error, result.config_error = str(exc), True
        log.error("Lượt chạy không gửi được thư: %s", exc)
    except Exception as exc:
        result.error = f"lỗi không mong đợi: {type(exc).__name__}: {exc}"
        log.exception("Lượt chạy ngày %s bị lỗi.", day.isoformat())
        if not dry_run:
            _tell_office(settings, outbox, office, unit=unit, now=now, day=day, what=result.error, environ=environ)
    with contextlib.suppress(OSError):
        result.waiting = len(outbox.waiting())
    return result


def _tell_office(settings: Settings, outbox: Outbox, office: tuple[str, ...], *, unit: str, now: datetime,
                 day: date, what: str, environ: Mapping[str, str] | None) -> None:
    """Best effort: queue and send an alert to the Office; straight to the server if the outbox is broken."""
    if not office or not settings.smtp.sender:
        log.error("Không báo được Văn phòng: chưa có địa chỉ Văn phòng hoặc người gửi.")
        return
    draft = compose_alert(office, unit=unit, as_of=day, what=what,
                          detail=[f"Xem nhật ký: {settings.paths.log}"])
    message = to_message(draft, sender=settings.smtp.sender, now=now)
    try:
        outbox.put(message, _key(draft), now=now)
        flush(outbox, settings.smtp, environ=environ)
    except Exception:
        log.warning("Hộp thư đi không dùng được; gửi thẳng thư báo lỗi cho Văn phòng.")
        try:
            send_now(message, settings.smtp, environ=environ)
        except Exception as exc:
            log.error("Không gửi được thư báo lỗi cho Văn phòng: %s", exc)


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
