"""`python -m bot [run]`: the channels configured by tokens in one process, else the console chat."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from dataclasses import replace
from datetime import timedelta

from bot import inbox
from bot.logs import configure_logging
from bot.runtime import ChannelError, Runner, Runtime
from bot.settings import Settings, check_webhook_secrets
from bot.wiring import Services, build_services
from handlers.conversation import Broadcaster, Conversation, ConversationConfig

logger = logging.getLogger(__name__)

__all__ = ["ChannelError", "Runtime", "build_conversation", "run_bot"]  # Runtime: old import path


def build_conversation(
    services: Services, *, broadcaster: Broadcaster | None = None
) -> Conversation:
    """The one Conversation every channel shares. Other features register their commands here."""
    from bot.channels import bare_admin_channel, button_channels
    from jobs.broadcast import enqueue_broadcast

    config = replace(  # what handlers/ must know of the channels, passed as data
        ConversationConfig.from_settings(services.settings),
        button_channels=button_channels(),
        bare_admin_channel=bare_admin_channel(),
    )
    conversation = Conversation(
        services.engine,
        config,
        services.now,
        # /guitin queues into the reminder outbox; the reminder tick delivers at the paced rate
        broadcaster=broadcaster or enqueue_broadcast,
    )
    conversation.housekeeping()
    # Hook: features register their commands on `conversation.commands` / `.choices` here,
    # e.g. the reminders' /xong, /duyet, /tinhtrang and the Zalo helper's /lienket.
    from handlers import board_commands, done, linking, obligations, reminder_actions, upload

    linking.register(conversation)
    done.register(conversation)
    upload.register(conversation)
    reminder_actions.register(conversation)
    obligations.register(conversation)
    board_commands.register(conversation)
    return conversation


def channel_runners(settings: Settings) -> list[Runner]:
    """One runner per channel that has a token (several run together in one process)."""
    from bot.channels import configured_channels

    return [spec.load_runner() for spec in configured_channels(settings)]


def background_runners(settings: Settings) -> list[Runner]:
    """Non-channel tasks that live as long as the bot, e.g. the reminder scheduler."""
    from bot.reminder_runner import run_reminders

    # The reminder scheduler lives in this event loop and only triggers ticks; due reminders are
    # computed from the database, so a restart loses nothing.
    runners: list[Runner] = [run_reminders, run_housekeeping]
    if settings.web_port:
        from bot.web_runner import run_web

        runners.append(run_web)
    return runners


HOUSEKEEPING_EVERY = 24 * 3600.0  # seconds
INBOX_KEEP = timedelta(days=7)


async def run_housekeeping(runtime: Runtime) -> None:
    """Once a day, forget old processed update ids and expired buttons (also done at start)."""
    while True:
        try:
            await asyncio.wait_for(runtime.stop.wait(), timeout=HOUSEKEEPING_EVERY)
            return
        except TimeoutError:
            pass
        try:
            await asyncio.to_thread(runtime.conversation.housekeeping)
            # handled updates are kept a week, as processed update ids are, against redelivery
            await asyncio.to_thread(inbox.prune, runtime.services.engine, INBOX_KEEP)
        except Exception:  # never stop the bot for housekeeping; try again tomorrow
            logger.exception("conversation housekeeping failed")


async def run_runners(runtime: Runtime, runners: list[Runner]) -> int:
    """Run every runner until SIGTERM/SIGINT (or one of them fails); return the exit code."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, runtime.stop.set)
        except (NotImplementedError, RuntimeError):  # not the main thread / not supported
            pass
    tasks = [
        asyncio.create_task(runner(runtime), name=getattr(runner, "__name__", "runner"))
        for runner in runners
    ]
    code = 0
    pending: set[asyncio.Task[None]] = set(tasks)
    stopper = asyncio.create_task(runtime.stop.wait())
    while pending:
        done, pending = await asyncio.wait(
            pending | {stopper}, return_when=asyncio.FIRST_COMPLETED
        )
        pending.discard(stopper)
        for task in done:
            if task is stopper:
                continue
            error = None if task.cancelled() else task.exception()
            if isinstance(error, ChannelError):
                logger.error("%s", error)
                code = 1
            elif error is not None:
                logger.error("%s failed", task.get_name(), exc_info=error)
                code = 1
            if not runtime.stop.is_set():
                runtime.stop.set()  # one runner ending stops the others
        if runtime.stop.is_set() and pending:
            done, pending = await asyncio.wait(pending, timeout=8.0)
            for task in done:
                error = None if task.cancelled() else task.exception()
                if error is not None:  # usually a consequence of the first failure: no traceback
                    logger.warning(
                        "%s stopped with an error: %s: %s",
                        task.get_name(),
                        type(error).__name__,
                        error,
                    )
                    code = 1
            for task in pending:
                logger.warning("%s did not stop in time; cancelled", task.get_name())
                task.cancel()
            pending = set()
    stopper.cancel()
    logger.info("Stopped")
    return code


def run_bot(args: argparse.Namespace, settings: Settings) -> int:
    """Run Telegram (and other channels) when tokens are set, else the console chat."""
    check_webhook_secrets(settings)  # before anything listens or touches the database
    configure_logging(
        settings.log_level,
        secrets=tuple(
            s
            for s in (
                settings.telegram_bot_token,
                settings.zalo_bot_token,
                settings.webhook_secret,
                settings.zalo_webhook_secret,
            )
            if s
        ),
    )
    services = build_services(settings)
    conversation = build_conversation(services)
    runners = channel_runners(settings)
    if not runners:
        from bot.console import run_console

        if not settings.web_port:
            return run_console(conversation)
        from bot.web_runner import start_beside_console

        stop_web = start_beside_console(services)
        try:
            return run_console(conversation)
        finally:
            stop_web()
    runtime_runners = runners + background_runners(settings)

    async def main() -> int:
        runtime = Runtime(services=services, conversation=conversation)
        return await run_runners(runtime, runtime_runners)

    return asyncio.run(main())
