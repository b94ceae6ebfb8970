"""The log levels `configure_logging` sets: the log is for operators, not a per-tick diary."""

from __future__ import annotations

import logging

from bot.logs import configure_logging


def test_scheduler_and_http_clients_log_warnings_only() -> None:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    try:
        configure_logging("INFO")
        for name in ("apscheduler", "httpx", "httpcore"):
            assert logging.getLogger(name).getEffectiveLevel() == logging.WARNING, name
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
