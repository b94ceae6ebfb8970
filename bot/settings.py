"""Settings read from the environment and `.env`, loaded once by the composition root."""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'data' / 'tro_ly_cchc.db'}"
DEFAULT_DOCUMENTS_DIR = PROJECT_ROOT / "data" / "documents"
DEFAULT_WEB_PORT = 8080


class SettingsError(ValueError):
    """A setting has a value we cannot use; the message is Vietnamese and user-facing."""


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    tz: str = "Asia/Ho_Chi_Minh"
    documents_dir: Path = DEFAULT_DOCUMENTS_DIR
    log_level: str = "INFO"
    # Telegram
    telegram_bot_token: str = ""
    telegram_base_url: str = "https://api.telegram.org/bot"
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    admin_ids: frozenset[str] = field(default_factory=frozenset)
    # Zalo
    zalo_bot_token: str = ""
    zalo_base_url: str = "https://bot-api.zaloplatforms.com"
    zalo_webhook_url: str = ""
    zalo_webhook_secret: str = ""
    zalo_webhook_listen: str = "0.0.0.0"
    zalo_webhook_port: int = 8444
    # Reminders
    reminder_offsets: tuple[int, ...] = (7, 3, 1, 0)
    reminder_time: time = time(8, 0)
    reminder_tick_minutes: int = 5
    holidays: frozenset[date] = field(default_factory=frozenset)
    working_days: frozenset[date] = field(default_factory=frozenset)
    telegram_rate_per_second: float = 30.0
    telegram_group_rate_per_minute: float = 20.0
    zalo_rate_per_second: float = 10.0
    # Webhooks: X-Forwarded-For / X-Real-Ip are believed only from these proxies
    trusted_proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    webhook_max_body_bytes: int = 1_000_000
    # updates admitted but not yet handled, per channel; beyond it webhooks answer 503
    update_queue_size: int = 200
    update_workers: int = 8
    send_concurrency: int = 16  # reminder messages in flight per channel (SEND_CONCURRENCY)
    # Web board (web/): 0 = off
    web_port: int = 0  # load_settings defaults to DEFAULT_WEB_PORT
    web_listen: str = "127.0.0.1"
    web_base_url: str = (
        ""  # public URL of the board (links in chat); default http://127.0.0.1:PORT
    )


def _int(env: Mapping[str, str], key: str, default: int) -> int:
    raw = env.get(key, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingsError(f"Cấu hình {key} phải là số nguyên, nhận được: {raw!r}") from exc


def _float(env: Mapping[str, str], key: str, default: float) -> float:
    raw = env.get(key, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise SettingsError(f"Cấu hình {key} phải là số, nhận được: {raw!r}") from exc


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
MIN_WEBHOOK_SECRET = 8
# Telegram accepts 1-256 characters A-Z, a-z, 0-9, _ and - in secret_token
_SECRET_CHARS = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def parse_time_zone(raw: str) -> str:
    """An IANA time zone name such as Asia/Ho_Chi_Minh."""
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise SettingsError(
            f"Cấu hình TZ không phải múi giờ hợp lệ: {raw!r} (ví dụ: Asia/Ho_Chi_Minh)"
        ) from exc
    return raw


def parse_log_level(raw: str) -> str:
    level = raw.strip().upper()
    if level not in LOG_LEVELS:
        raise SettingsError(
            f"Cấu hình LOG_LEVEL không hợp lệ: {raw!r} (chọn một trong {', '.join(LOG_LEVELS)})"
        )
    return level


def parse_proxies(raw: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """ "127.0.0.1, 10.0.0.0/8" → networks whose forwarded headers are believed."""
    networks = []
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError as exc:
            raise SettingsError(
                f"Cấu hình TRUSTED_PROXIES có địa chỉ không hợp lệ: {part!r} "
                "(ví dụ: 127.0.0.1,10.0.0.0/8)"
            ) from exc
    return tuple(networks)


def _port(env: Mapping[str, str], key: str, default: int) -> int:
    value = _int(env, key, default)
    if not 0 <= value <= 65535:
        raise SettingsError(f"Cấu hình {key} phải là cổng từ 0 đến 65535, nhận được: {value}")
    return value


def _positive(env: Mapping[str, str], key: str, default: float) -> float:
    value = _float(env, key, default)
    if not value > 0:
        raise SettingsError(f"Cấu hình {key} phải lớn hơn 0, nhận được: {value}")
    return value


def check_webhook_secrets(settings: Settings) -> None:
    """Webhook mode without a strong secret would accept updates forged by anyone: refuse."""
    pairs = (
        (
            "WEBHOOK_URL",
            "WEBHOOK_SECRET",
            settings.webhook_url,
            settings.webhook_secret,
            settings.telegram_bot_token,
        ),
        (
            "ZALO_WEBHOOK_URL",
            "ZALO_WEBHOOK_SECRET",
            settings.zalo_webhook_url,
            settings.zalo_webhook_secret,
            settings.zalo_bot_token,
        ),
    )
    for url_key, secret_key, url, secret, token in pairs:
        if not url or not token:
            continue
        if len(secret) < MIN_WEBHOOK_SECRET or not _SECRET_CHARS.match(secret):
            raise SettingsError(
                f"Chế độ webhook ({url_key}) cần {secret_key} dài {MIN_WEBHOOK_SECRET}–256 ký tự, "
                "chỉ gồm chữ không dấu, số, '_' và '-'. Không có bí mật, bất kỳ ai cũng có thể "
                "giả mạo tin nhắn gửi tới bot, nên bot không khởi động."
            )


def parse_offsets(raw: str) -> tuple[int, ...]:
    """Parse "7,3,1,0" into days-before offsets, largest first."""
    try:
        values = {int(part) for part in raw.replace(";", ",").split(",") if part.strip()}
    except ValueError as exc:
        raise SettingsError(f"Danh sách ngày nhắc không hợp lệ: {raw!r} (ví dụ: 7,3,1,0)") from exc
    if not values or any(v < 0 or v > 365 for v in values):
        raise SettingsError(f"Danh sách ngày nhắc không hợp lệ: {raw!r} (ví dụ: 7,3,1,0)")
    return tuple(sorted(values, reverse=True))


def parse_clock(raw: str) -> time:
    """Parse "08:00" into a time of day."""
    try:
        hours, minutes = raw.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError as exc:
        raise SettingsError(f"Giờ nhắc không hợp lệ: {raw!r} (ví dụ: 08:00)") from exc


def parse_holidays(raw: str, *, setting: str = "HOLIDAYS") -> frozenset[date]:
    """Parse "2027-01-01,2027-04-30" (ISO dates) into a set of days."""
    label = "Ngày nghỉ lễ" if setting.startswith("HOLIDAYS") else f"Ngày làm việc bù ({setting})"
    days: set[date] = set()
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            days.add(date.fromisoformat(part))
        except ValueError as exc:
            raise SettingsError(f"{label} không hợp lệ: {part!r} (định dạng YYYY-MM-DD)") from exc
    return frozenset(days)


def _environment(env: Mapping[str, str] | None, env_file: Path | None) -> dict[str, str]:
    """`.env` (or `env_file`) overlaid by the process environment; only `env` when it is given."""
    merged: dict[str, str] = {}
    dotenv_path = env_file if env_file is not None else PROJECT_ROOT / ".env"
    if env is None and dotenv_path.exists():
        merged.update({k: v for k, v in dotenv_values(dotenv_path).items() if v is not None})
    merged.update(os.environ if env is None else env)
    return merged


def _holidays(listed: str, file_name: str) -> frozenset[date]:
    """HOLIDAYS plus the days of HOLIDAYS_FILE (one or more ISO dates a line, # comments)."""
    holidays = parse_holidays(listed)
    if file_name:
        path = Path(file_name)
        if not path.exists():
            raise SettingsError(f"Không tìm thấy tệp ngày nghỉ lễ: {file_name}")
        lines = [ln.split("#")[0] for ln in path.read_text(encoding="utf-8").splitlines()]
        holidays = holidays | parse_holidays(",".join(lines))
    return holidays


def _web_address(env: Mapping[str, str], base_url: str) -> tuple[int, str]:
    """WEB_PORT (0 = no board) and the board's public URL, by default http://127.0.0.1:PORT."""
    web_port = _int(env, "WEB_PORT", DEFAULT_WEB_PORT)
    if not 0 <= web_port <= 65535:
        raise SettingsError(
            f"Cấu hình WEB_PORT phải từ 0 đến 65535 (0 = tắt), nhận được: {web_port}"
        )
    base_url = base_url.rstrip("/")
    if base_url and not base_url.startswith(("http://", "https://")):
        raise SettingsError(f"WEB_BASE_URL phải bắt đầu bằng http:// hoặc https://: {base_url!r}")
    return web_port, base_url or (f"http://127.0.0.1:{web_port}" if web_port else "")


def load_settings(env: Mapping[str, str] | None = None, env_file: Path | None = None) -> Settings:
    """Build settings from `.env` overlaid by the process environment (or an explicit mapping)."""
    merged = _environment(env, env_file)

    def text(key: str, default: str = "") -> str:
        return merged.get(key, "").strip() or default

    holidays = _holidays(text("HOLIDAYS"), text("HOLIDAYS_FILE"))
    web_port, web_base_url = _web_address(merged, text("WEB_BASE_URL"))
    return Settings(
        web_port=web_port,
        web_listen=text("WEB_LISTEN", "127.0.0.1"),
        web_base_url=web_base_url,
        database_url=text("DATABASE_URL", DEFAULT_DATABASE_URL),
        tz=parse_time_zone(text("TZ", "Asia/Ho_Chi_Minh")),
        documents_dir=Path(text("DOCUMENTS_DIR", str(DEFAULT_DOCUMENTS_DIR))),
        log_level=parse_log_level(text("LOG_LEVEL", "INFO")),
        telegram_bot_token=text("TELEGRAM_BOT_TOKEN"),
        telegram_base_url=text("TELEGRAM_BASE_URL", "https://api.telegram.org/bot"),
        webhook_url=text("WEBHOOK_URL"),
        webhook_secret=text("WEBHOOK_SECRET"),
        webhook_listen=text("WEBHOOK_LISTEN", "0.0.0.0"),
        webhook_port=_port(merged, "WEBHOOK_PORT", 8443),
        admin_ids=frozenset(p.strip() for p in text("ADMIN_IDS").split(",") if p.strip()),
        zalo_bot_token=text("ZALO_BOT_TOKEN"),
        zalo_base_url=text("ZALO_BASE_URL", "https://bot-api.zaloplatforms.com"),
        zalo_webhook_url=text("ZALO_WEBHOOK_URL"),
        zalo_webhook_secret=text("ZALO_WEBHOOK_SECRET"),
        zalo_webhook_listen=text("ZALO_WEBHOOK_LISTEN", "0.0.0.0"),
        zalo_webhook_port=_port(merged, "ZALO_WEBHOOK_PORT", 8444),
        reminder_offsets=parse_offsets(text("REMINDER_OFFSETS", "7,3,1,0")),
        reminder_time=parse_clock(text("REMINDER_TIME", "08:00")),
        reminder_tick_minutes=max(1, _int(merged, "REMINDER_TICK_MINUTES", 5)),
        holidays=holidays,
        working_days=parse_holidays(text("WORKING_DAYS"), setting="WORKING_DAYS"),
        telegram_rate_per_second=_positive(merged, "TELEGRAM_RATE_PER_SECOND", 30.0),
        telegram_group_rate_per_minute=_positive(merged, "TELEGRAM_GROUP_RATE_PER_MINUTE", 20.0),
        zalo_rate_per_second=_positive(merged, "ZALO_RATE_PER_SECOND", 10.0),
        trusted_proxies=parse_proxies(text("TRUSTED_PROXIES")),
        webhook_max_body_bytes=int(_positive(merged, "WEBHOOK_MAX_BODY_BYTES", 1_000_000)),
        update_queue_size=int(_positive(merged, "UPDATE_QUEUE_SIZE", 200)),
        update_workers=int(_positive(merged, "UPDATE_WORKERS", 8)),
        send_concurrency=int(_positive(merged, "SEND_CONCURRENCY", 16)),
    )
