"""Runner of the web board (web/) in the bot's process, beside the chat channels."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from web.config import WebConfig
from web.server import serve

if TYPE_CHECKING:
    from bot.run import Runtime
    from bot.wiring import Services

logger = logging.getLogger(__name__)


def _config(services: Services) -> WebConfig:
    settings = services.settings
    return WebConfig(engine=services.engine, tz=services.tz, clock=services.now,
                     base_url=settings.web_base_url, reminder_offsets=settings.reminder_offsets,
                     reminder_time=settings.reminder_time)


async def run_web(runtime: Runtime) -> None:
    """Serve the board until the bot stops; a busy port is logged and the chat keeps running."""
    settings = runtime.services.settings
    try:
        await serve(_config(runtime.services), host=settings.web_listen, port=settings.web_port, stop=runtime.stop,
                    on_ready=lambda: runtime.mark_ready("web"))
    except OSError as exc:
        logger.error("Không mở được bảng theo dõi web trên %s:%s (%s). Bot vẫn chạy; đổi WEB_PORT "
                     "hoặc đặt WEB_PORT=0 để tắt.", settings.web_listen, settings.web_port, exc.strerror)
        await runtime.stop.wait()


def start_beside_console(services: Services) -> Callable[[], None]:
    """The console chat is synchronous: serve the board from a thread of its own meanwhile.
    Returns the function that stops it."""
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    bound = threading.Event()

    async def main() -> None:
        settings = services.settings
        try:
            await serve(_config(services), host=settings.web_listen, port=settings.web_port,
                        stop=stop, on_ready=bound.set)
        except OSError as exc:
            logger.error("Không mở được bảng theo dõi web trên %s:%s (%s).", settings.web_listen,
                         settings.web_port, exc.strerror)
        finally:
            bound.set()

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), name="web-board",
                              daemon=True)
    thread.start()
    bound.wait(timeout=10)  # links given in the console work as soon as they are printed

    def stopper() -> None:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=8)

    return stopper
