"""CLI: `reminders --now ISO [--dry-run]` (one tick), `status` (the board), `audit --csv FILE`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from bot.channels import message_limits
from bot.logs import configure_logging
from bot.reminder_channels import open_senders, rate_limiters
from bot.settings import Settings
from bot.wiring import Services, build_services
from jobs import combine
from jobs.audit import audit_events, write_audit_csv
from jobs.csvfile import CSV_ENCODING
from jobs.digests import due_digests
from jobs.planner import PlannerConfig
from jobs.preview import first_subscriber_samples, person_names, recipient_label, why_nothing
from jobs.status import BoardFilter, board_csv, board_rows, board_text
from jobs.tick import TickReport, plan_now, run_tick
from knowledge.db import read_session

logger = logging.getLogger(__name__)


class UsageError(ValueError):
    """Bad command-line input; the message is Vietnamese."""


def parse_now(raw: str | None, services: Services) -> datetime:
    """An ISO date-time; without an offset it is local time (Asia/Ho_Chi_Minh)."""
    if not raw:
        return services.now()
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError as exc:
        raise UsageError(
            f"Thời điểm --now không hợp lệ: {raw!r}. Dùng dạng ISO, ví dụ 2027-01-08T08:00 "
            "hoặc 2027-01-08T08:00+07:00."
        ) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=services.tz)
    return moment.astimezone(services.tz)


def parse_day(raw: str | None, services: Services, option: str = "--today") -> date:
    if not raw:
        return services.now().date()
    try:
        return date.fromisoformat(raw.strip())
    except ValueError as exc:
        raise UsageError(f"Ngày {option} không hợp lệ: {raw!r}. Dùng dạng YYYY-MM-DD.") from exc


def _start(settings: Settings) -> Services:
    """Configure logging (tokens redacted) and build the services for one command."""
    configure_logging(settings.log_level, (settings.telegram_bot_token, settings.zalo_bot_token))
    return build_services(settings)


def _write_csv(path: Path, write: Callable[[TextIO], object]) -> bool:
    """Write a UTF-8 (with BOM, for Excel) CSV file; on failure say why on stderr and return
    False."""
    try:
        with path.open("w", encoding=CSV_ENCODING, newline="") as out:
            write(out)
    except OSError as exc:
        print(f"Không ghi được tệp {path}: {exc.strerror}", file=sys.stderr)
        return False
    return True


def _summary(report: TickReport, channels: list[str]) -> str:
    via = ", ".join(channels) or "không có kênh gửi"
    head = f"Lượt nhắc hạn lúc {report.now:%d/%m/%Y %H:%M} ({via}):"
    body = (
        f"đến hạn {report.due}, đã gửi {report.sent}, lỗi {report.failed}, "
        f"hoãn (thử lại sau) {report.deferred}, bỏ qua {report.skipped}"
    )
    messages = report.delivery.messages if report.delivery else 0
    if messages and messages != report.sent:
        body += f" (gộp trong {messages} tin nhắn)"
    extra = (
        f"\nGửi lại {report.recovered} tin bị gián đoạn ở lượt trước." if report.recovered else ""
    )
    return f"{head} {body}.{extra}"


async def _tick(services: Services, now: datetime) -> TickReport | None:
    config = PlannerConfig.from_settings(services.settings)
    async with open_senders(services.settings) as senders:
        if not senders:
            print(
                "Chưa cấu hình kênh gửi (TELEGRAM_BOT_TOKEN hoặc ZALO_BOT_TOKEN); "
                "tin nhắc được xếp hàng và sẽ gửi khi có kênh. Dùng --dry-run để xem trước.",
                file=sys.stderr,
            )
        report = await run_tick(
            services.engine,
            senders,
            config,
            now=now,
            limiters=rate_limiters(services.settings),
            concurrency=services.settings.send_concurrency,
        )
        report_channels = sorted(senders)
    if report.lease_busy:
        return None
    print(_summary(report, report_channels))
    return report


def cmd_reminders(args: argparse.Namespace, settings: Settings) -> int:
    """Run exactly one reminder tick as of --now; with --dry-run only print what is due."""
    services = _start(settings)
    try:
        now = parse_now(getattr(args, "now", None), services)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return 2
    config = PlannerConfig.from_settings(settings)
    if not config.in_office_hours(now):
        print(
            f"Lưu ý: {now:%d/%m/%Y %H:%M} ngoài giờ hành chính (thứ Hai–thứ Sáu, "
            f"{config.office_start:%H:%M}–{config.office_end:%H:%M}, trừ ngày lễ) nên không có "
            "tin nhắc hạn mới; tin đang chờ vẫn được gửi."
        )
    if getattr(args, "dry_run", False):
        _dry_run(services, config, now)
        return 0
    report = asyncio.run(_tick(services, now))
    if report is None:
        print("Một tiến trình khác đang chạy lượt nhắc hạn; lượt này bỏ qua.", file=sys.stderr)
        return 1
    # Blocked chats (failed) are handled; messages still waiting on a failing channel are not.
    return 0 if report.deferred == 0 else 1


def _board_filter(args: argparse.Namespace, services: Services) -> BoardFilter:
    start = getattr(args, "start", None)
    end = getattr(args, "end", None)
    board_filter = BoardFilter(
        start=parse_day(start, services, "--from") if start else None,
        end=parse_day(end, services, "--to") if end else None,
        document_id=getattr(args, "document", None),
        unit_id=getattr(args, "unit", None),
    )
    if board_filter.start and board_filter.end and board_filter.start > board_filter.end:
        raise UsageError("Ngày --from phải trước hoặc bằng ngày --to.")
    return board_filter


def _dry_run(services: Services, config: PlannerConfig, now: datetime) -> None:
    """Print each planned message with its recipient; with none, what each unit's first
    subscriber would get, or why nothing would be sent."""
    planned = plan_now(services.engine, config, now=now)
    names = person_names(services.engine)
    # Shown as delivery would send them: one chat's reminders combined into one message.
    per_channel = combine.channel_batches(
        [(i, item.address.channel, item.address.id, item.text) for i, item in enumerate(planned)],
        message_limits(),
    )
    messages = sorted((b for bs in per_channel.values() for b in bs), key=lambda b: b[0])
    for batch in messages:
        first = planned[batch[0]]
        kinds = Counter(f"{planned[i].kind.value} {planned[i].offset_days} ngày" for i in batch)
        slots = ", ".join(k if n == 1 else f"{k} ×{n}" for k, n in kinds.items())
        print(
            f"--- Gửi tới {recipient_label(first, names)} ({slots})\n"
            f"{combine.combine_texts([planned[i].text for i in batch])}\n"
        )
    with read_session(services.engine) as session:
        digests = due_digests(session, config, now=now, admin_ids=config.admin_ids)
    for digest in digests:
        who = names.get(digest.person_id, "")
        print(
            f"--- Bản tin gửi tới {digest.address.channel}:{digest.address.chat_id}"
            f"{f' ({who})' if who else ''}\n{digest.text}\n"
        )
    print(
        f"Chạy thử lúc {now:%d/%m/%Y %H:%M}: đến hạn {len(planned)} tin "
        f"trong {len(messages)} tin nhắn"
        + (f", {len(digests)} bản tin" if digests else "")
        + " (không gửi, không ghi)."
    )
    if planned or digests:
        return
    samples = first_subscriber_samples(services.engine, config, now=now)
    for sample in samples:
        texts = [r.text for r in sample.reminders]
        print(
            f"\n--- Mẫu cho {sample.unit_name}: người nhận đầu tiên {sample.recipient}"
            f" (không gửi: {sample.why_not_sent or 'không rõ'})\n{combine.combine_texts(texts)}"
        )
    print("\nVì sao không có tin nào:")
    for reason in why_nothing(services.engine, config, now=now):
        print(f"• {reason}")


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    """Print the status board (or export it as CSV), optionally filtered."""
    services = _start(settings)
    try:
        today = parse_day(getattr(args, "today", None), services)
        board_filter = _board_filter(args, services)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return 2
    with read_session(services.engine) as session:
        rows = board_rows(session, board_filter, today=today, tz=services.tz)
    if getattr(args, "csv", None):
        path = Path(args.csv)
        try:
            path.write_bytes(board_csv(rows))
        except OSError as exc:
            print(f"Không ghi được tệp {path}: {exc.strerror}", file=sys.stderr)
            return 2
        print(f"Đã xuất {len(rows)} dòng ra {path}.")
        return 0
    print(board_text(rows, today=today))
    return 0


def cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    """Export the audit trail (reminders sent, done marks, approvals) as CSV."""
    services = _start(settings)
    with read_session(services.engine) as session:
        events = audit_events(session, tz=services.tz)
    path = Path(args.csv)
    if not _write_csv(path, lambda out: write_audit_csv(events, out)):
        return 2
    print(f"Đã xuất {len(events)} sự kiện ra {path}.")
    return 0
