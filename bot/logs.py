"""Logging set-up that never writes a bot token: tokens sit inside API URLs."""

from __future__ import annotations

import logging
import re

# Telegram tokens look like 123456:ABC-def…; Zalo's are opaque. Both appear after "/bot" in URLs.
_URL_TOKEN = re.compile(r"(/bot)[^/\s\"']+")
_TELEGRAM_TOKEN = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{20,}\b")
# one-time link codes (issued, or guessed by someone typing /lienket 123456)
_LINK_CODE = re.compile(r"(lienket\S*\s+)\d{6}\b|(Mã liên kết của bạn: )\d{6}")
# Loggers of the transport libraries that, at DEBUG, print whole updates and API calls (every
# message text, link codes, secrets in URLs): they never log below INFO, whatever LOG_LEVEL says.
CHATTY_LOGGERS = ("telegram", "httpx", "httpcore", "uvicorn", "tornado", "hpack", "asyncio")


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Remove bot tokens and the given secrets from a text."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    text = _URL_TOKEN.sub(r"\1***", text)
    text = _LINK_CODE.sub(lambda m: (m.group(1) or m.group(2)) + "******", text)
    return _TELEGRAM_TOKEN.sub("***", text)


class RedactingFilter(logging.Filter):
    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        record.msg = redact(message, self.secrets)
        record.args = None
        return True


def configure_logging(level: str, secrets: tuple[str, ...] = ()) -> None:
    """Log to stderr with every record redacted; keep httpx quiet since it logs URLs."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLogger(name).level))
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # APScheduler logs "Running job … executed successfully" at INFO on every reminder tick
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger(__name__).debug(
        "DEBUG logging on; %s log at INFO at most (they print whole updates)",
        ", ".join(CHATTY_LOGGERS),
    )
    logging.getLogger("alembic").setLevel(
        logging.WARNING
    )  # migrations.runner logs upgrades itself
