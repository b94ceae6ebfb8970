"""Runner of the web board (web/) in the bot's process, beside the chat channels."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from web.config import WebConfig
from web.server import serve

if TYPE_CHECKING:
    from bot.run import Runtime

logger = logging.getLogger(__name__)


async def run_web(runtime: Runtime) -> None:
    """Serve the board until the bot stops; a busy port is logged and the chat keeps running."""
    services = runtime.services
    settings = services.settings
    config = WebConfig(engine=services.engine, tz=services.tz, clock=services.now,
                       base_url=settings.web_base_url, reminder_offsets=settings.reminder_offsets,
                       reminder_time=settings.reminder_time)
    try:
        await serve(config, host=settings.web_listen, port=settings.web_port, stop=runtime.stop,
                    on_ready=lambda: runtime.mark_ready("web"))
    except OSError as exc:
        logger.error("Không mở được bảng theo dõi web trên %s:%s (%s). Bot vẫn chạy; đổi WEB_PORT "
                     "hoặc đặt WEB_PORT=0 để tắt.", settings.web_listen, settings.web_port, exc.strerror)
        await runtime.stop.wait()
