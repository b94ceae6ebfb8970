"""Account linking across channels: `/lienket` gives a one-time code, entered on the other channel.

Linking joins two Persons into one: one unit, one approval, one reminder schedule. The chats
move to the surviving person and only one of them stays primary, so a reminder goes out once
unless the person asks for every channel (`/lienket cahai`). Never link by phone number:
anyone can claim one.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from handlers.models import LinkAttempt, LinkCode
from handlers.types import Reply
from jobs.models import ChatAddress, Person

if TYPE_CHECKING:
    from handlers.conversation import Conversation
    from handlers.registry import Context

logger = logging.getLogger(__name__)

CODE_TTL = timedelta(minutes=15)
LOOKBACK = timedelta(days=1)  # codes this old are still recognised, to say "expired" not "wrong"
MAX_FAILED_ATTEMPTS = 5  # per chat within ATTEMPT_WINDOW
ATTEMPT_WINDOW = timedelta(minutes=15)
# Across every chat within ATTEMPT_WINDOW: guessing from many chats at once (20 chats made 100
# guesses in 6 s) reaches this, then every live code is revoked and entry pauses for the window.
MAX_FAILED_OVERALL = 20
CHANNEL_NAMES = {"telegram": "Telegram", "zalo": "Zalo", "console": "console"}

_CODE = re.compile(r"^\d{6}$")
OPT_ALL = "cahai"  # remind on every linked channel
OPT_ONE = "motkenh"  # remind on the primary chat only (default)
OPT_PRIMARY = "chinh"  # make this chat the primary one


class LinkStatus(str, Enum):
    LINKED = "linked"
    WRONG = "wrong"
    EXPIRED = "expired"
    USED = "used"
    SAME_CHANNEL = "same_channel"
    ALREADY_LINKED = "already_linked"
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    LOCKED = "locked"  # too many wrong codes overall: codes revoked, entry paused


@dataclass(frozen=True)
class LinkResult:
    status: LinkStatus
    person_id: int | None = None
    other_channel: str = ""
    attempts_left: int = 0


def _utc(moment: datetime) -> datetime:
    """Compare every moment as aware UTC (a naive one is taken to be UTC already)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _digest(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def channel_name(channel: str) -> str:
    return CHANNEL_NAMES.get(channel, channel)


def _recent_codes(session: Session, now: datetime) -> list[LinkCode]:
    since = _utc(now) - LOOKBACK
    return list(session.exec(select(LinkCode).where(LinkCode.created_at >= since)))


def issue_code(session: Session, *, address: ChatAddress, now: datetime) -> str:
    """A fresh 6-digit code for the address's person; their earlier unused codes are revoked."""
    moment = _utc(now)
    for old in session.exec(
        select(LinkCode).where(
            LinkCode.person_id == address.person_id,
            col(LinkCode.used_at).is_(None),
            col(LinkCode.revoked_at).is_(None),
        )
    ):
        old.revoked_at = moment
        session.add(old)
    active = [
        c
        for c in _recent_codes(session, now)
        if c.used_at is None and c.revoked_at is None and c.expires_at > moment
    ]
    while True:
        code = f"{secrets.randbelow(1_000_000):06d}"
        if not any(hmac.compare_digest(_digest(c.salt, code), c.code_hash) for c in active):
            break
    salt = secrets.token_hex(8)
    session.add(
        LinkCode(
            person_id=address.person_id,
            channel=address.channel,
            salt=salt,
            code_hash=_digest(salt, code),
            created_at=moment,
            expires_at=moment + CODE_TTL,
        )
    )
    session.flush()
    logger.info("link code issued for person %s on %s", address.person_id, address.channel)
    return code


def _failed_attempts(session: Session, address: ChatAddress, now: datetime) -> int:
    since = _utc(now) - ATTEMPT_WINDOW
    rows = session.exec(
        select(LinkAttempt).where(
            LinkAttempt.channel == address.channel,
            LinkAttempt.chat_id == address.chat_id,
            LinkAttempt.at >= since,
        )
    )
    return len(list(rows))


def _failed_overall(session: Session, now: datetime) -> int:
    since = _utc(now) - ATTEMPT_WINDOW
    return len(list(session.exec(select(LinkAttempt.id).where(LinkAttempt.at >= since))))


def _lock_codes(session: Session, moment: datetime) -> int:
    """Revoke every live code: whoever was guessing can no longer hit one."""
    locked = 0
    for code in session.exec(
        select(LinkCode).where(
            col(LinkCode.used_at).is_(None),
            col(LinkCode.revoked_at).is_(None),
        )
    ):
        code.revoked_at = moment
        session.add(code)
        locked += 1
    return locked


def redeem_code(session: Session, *, address: ChatAddress, code: str, now: datetime) -> LinkResult:
    """Enter a code issued on another channel: on success the two persons become one."""
    moment = _utc(now)
    if _failed_overall(session, now) >= MAX_FAILED_OVERALL:
        return LinkResult(LinkStatus.LOCKED)
    failed = _failed_attempts(session, address, now)
    if failed >= MAX_FAILED_ATTEMPTS:
        return LinkResult(LinkStatus.TOO_MANY_ATTEMPTS)
    matches = [
        c
        for c in _recent_codes(session, now)
        if hmac.compare_digest(_digest(c.salt, code), c.code_hash)
    ]
    live = [
        c for c in matches if c.used_at is None and c.revoked_at is None and c.expires_at > moment
    ]
    if not live:
        if any(c.used_at is not None for c in matches):
            return LinkResult(LinkStatus.USED)
        if matches:  # expired, or replaced by a newer code
            return LinkResult(LinkStatus.EXPIRED)
        session.add(LinkAttempt(channel=address.channel, chat_id=address.chat_id, at=moment))
        session.flush()
        if _failed_overall(session, now) >= MAX_FAILED_OVERALL:
            locked = _lock_codes(session, moment)
            logger.warning(
                "link codes locked: %d wrong codes overall within %s; %d live codes revoked",
                MAX_FAILED_OVERALL,
                ATTEMPT_WINDOW,
                locked,
            )
            return LinkResult(LinkStatus.LOCKED)
        return LinkResult(LinkStatus.WRONG, attempts_left=max(MAX_FAILED_ATTEMPTS - failed - 1, 0))
    link = live[0]
    if link.person_id == address.person_id:
        if link.channel == address.channel:
            return LinkResult(LinkStatus.SAME_CHANNEL, other_channel=link.channel)
        return LinkResult(LinkStatus.ALREADY_LINKED, person_id=link.person_id)
    if link.channel == address.channel:
        return LinkResult(LinkStatus.SAME_CHANNEL, other_channel=link.channel)
    link.used_at = moment
    link.used_by_person_id = address.person_id
    session.add(link)
    keep = session.get(Person, link.person_id)
    drop = session.get(Person, address.person_id)
    if keep is None or drop is None:
        return LinkResult(LinkStatus.EXPIRED)
    merge_persons(session, keep=keep, drop=drop)
    return LinkResult(LinkStatus.LINKED, person_id=keep.id, other_channel=link.channel)


def _person_foreign_keys() -> list[tuple[str, str]]:
    """(table, column) of every registered table column referencing person.id."""
    found: list[tuple[str, str]] = []
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.target_fullname == "person.id" for fk in column.foreign_keys):
                found.append((table.name, column.name))
    return found


def _rekey_reminder_log(session: Session, keep_id: int, drop_id: int) -> None:
    """Carry the dropped person's sent-log keys over, so nothing already sent is sent again."""
    try:
        from jobs.models import ReminderLog
    except ImportError:  # the reminders tables are not part of this build
        return
    prefix = f"p{drop_id}|"
    rows = list(session.exec(select(ReminderLog).where(ReminderLog.person_id == drop_id)))
    existing = set(session.exec(select(ReminderLog.key).where(ReminderLog.person_id == keep_id)))
    for row in rows:
        if row.key.startswith(prefix):
            new_key = f"p{keep_id}|" + row.key[len(prefix) :]
            if new_key not in existing:
                row.key = new_key
                existing.add(new_key)
        row.person_id = keep_id
        session.add(row)
    session.flush()


def merge_persons(session: Session, *, keep: Person, drop: Person) -> None:
    """Fold `drop` into `keep`: chats, approvals, logs and marks move; one primary chat stays."""
    assert keep.id is not None and drop.id is not None
    if keep.unit_id is None:
        keep.unit_id = drop.unit_id
    if keep.offsets is None and drop.offsets is not None:
        keep.offsets = drop.offsets
    if keep.reminder_time is None and drop.reminder_time is not None:
        keep.reminder_time = drop.reminder_time
    keep.display_name = keep.display_name or drop.display_name
    keep.deliver_all_channels = keep.deliver_all_channels or drop.deliver_all_channels
    session.add(keep)
    session.flush()

    moved = list(session.exec(select(ChatAddress).where(ChatAddress.person_id == drop.id)))
    _rekey_reminder_log(session, keep.id, drop.id)
    for table_name, column in _person_foreign_keys():
        if table_name == "person":
            continue
        table = SQLModel.metadata.tables[table_name]
        nested = session.begin_nested()
        try:
            session.execute(
                update(table).where(table.c[column] == drop.id).values({column: keep.id})
            )
            nested.commit()
        except IntegrityError:
            # A per-person row the survivor already has (e.g. its settings): keep the survivor's.
            nested.rollback()
            session.execute(table.delete().where(table.c[column] == drop.id))
    session.expire_all()
    session.flush()

    addresses = list(session.exec(select(ChatAddress).where(ChatAddress.person_id == keep.id)))
    moved_ids = {a.id for a in moved}
    primary = [a for a in addresses if a.is_primary and a.active and a.id not in moved_ids]
    chosen = primary[0] if primary else next((a for a in addresses if a.active), None)
    for address in addresses:
        address.is_primary = address is chosen
        session.add(address)
    dropped = session.get(Person, drop.id)
    if dropped is not None:
        session.delete(dropped)
    session.flush()
    logger.info("person %s linked into person %s", drop.id, keep.id)


def set_primary(session: Session, *, address: ChatAddress) -> None:
    """Make this chat the one a person's reminders go to."""
    for other in session.exec(
        select(ChatAddress).where(ChatAddress.person_id == address.person_id)
    ):
        other.is_primary = other.id == address.id
        session.add(other)
    session.flush()


def linked_channels(session: Session, person_id: int) -> list[ChatAddress]:
    return list(
        session.exec(
            select(ChatAddress)
            .where(ChatAddress.person_id == person_id)
            .order_by(col(ChatAddress.id))
        )
    )


def link_command(session: Session, *, address: ChatAddress, args: str, now: datetime) -> str:
    """`/lienket [mã | cahai | motkenh | chinh]`: the Vietnamese answer, after any change."""
    if address.is_group:
        return "Chỉ liên kết tài khoản được trong trò chuyện riêng với bot, không dùng trong nhóm."
    arg = args.strip().lower().replace(" ", "")
    if not arg:
        code = issue_code(session, address=address, now=now)
        here = channel_name(address.channel)
        return (
            f"Mã liên kết của bạn: {code}\n"
            f"Mã có hiệu lực 15 phút và chỉ dùng được một lần. Mở bot trên kênh còn lại "
            f"(không phải {here}) và gửi: /lienket {code}\n"
            "Sau khi liên kết, hai tài khoản dùng chung đơn vị, quyền đánh dấu hoàn thành và lịch "
            "nhắc hạn; mỗi lời nhắc chỉ gửi một lần, đến kênh chính. Không chia sẻ mã này với ai."
        )
    person = session.get(Person, address.person_id)
    chats = linked_channels(session, address.person_id)
    channels = ", ".join(sorted({channel_name(c.channel) for c in chats}))
    if arg == OPT_ALL and person is not None:
        person.deliver_all_channels = True
        session.add(person)
        note = (
            "" if len(chats) > 1 else "\nBạn chưa liên kết kênh nào khác: gửi /lienket để lấy mã."
        )
        return f"Đã bật: nhắc hạn sẽ gửi đến mọi kênh đã liên kết ({channels}).{note}"
    if arg == OPT_ONE and person is not None:
        person.deliver_all_channels = False
        session.add(person)
        primary = next((c for c in chats if c.is_primary), None)
        where = channel_name(primary.channel) if primary else channel_name(address.channel)
        return f"Đã chuyển về một kênh: nhắc hạn chỉ gửi đến {where} (kênh chính)."
    if arg == OPT_PRIMARY:
        set_primary(session, address=address)
        return f"Đã đặt {channel_name(address.channel)} làm kênh chính nhận nhắc hạn."
    if not _CODE.match(arg):
        return (
            "Mã liên kết gồm 6 chữ số, ví dụ: /lienket 123456.\n"
            f"Các tuỳ chọn khác: /lienket {OPT_ALL} (nhắc trên mọi kênh), /lienket {OPT_ONE} "
            f"(chỉ kênh chính), /lienket {OPT_PRIMARY} (đặt kênh này làm kênh chính)."
        )
    result = redeem_code(session, address=address, code=arg, now=now)
    return describe(result, address)


def describe(result: LinkResult, address: ChatAddress) -> str:
    """The user's message for a code entry."""
    here = channel_name(address.channel)
    if result.status is LinkStatus.LINKED:
        other = channel_name(result.other_channel)
        return (
            f"Đã liên kết tài khoản {here} với tài khoản {other} của bạn. "
            "Hai kênh dùng chung đơn vị, quyền đánh dấu hoàn thành và lịch nhắc hạn.\n"
            f"Nhắc hạn chỉ gửi một lần, đến {other} (kênh chính). "
            f"Gửi /lienket {OPT_PRIMARY} để nhận ở {here}, "
            f"hoặc /lienket {OPT_ALL} để nhận trên cả hai kênh."
        )
    if result.status is LinkStatus.WRONG:
        left = f" Bạn còn {result.attempts_left} lần thử." if result.attempts_left else ""
        return f"Mã liên kết không đúng. Vui lòng kiểm tra lại 6 chữ số.{left}"
    if result.status is LinkStatus.EXPIRED:
        return (
            "Mã liên kết đã hết hạn (mỗi mã chỉ có hiệu lực 15 phút) "
            "hoặc đã được thay bằng mã mới. Gửi /lienket trên kênh kia để lấy mã mới."
        )
    if result.status is LinkStatus.USED:
        return (
            "Mã liên kết này đã được sử dụng. Mỗi mã chỉ dùng một lần; "
            "gửi /lienket trên kênh kia để lấy mã mới."
        )
    if result.status is LinkStatus.SAME_CHANNEL:
        return f"Mã này được tạo trên {here}; hãy nhập nó trên kênh còn lại (Telegram hoặc Zalo)."
    if result.status is LinkStatus.ALREADY_LINKED:
        return "Hai tài khoản này đã được liên kết với nhau từ trước."
    if result.status is LinkStatus.LOCKED:
        return (
            "Chức năng liên kết đang tạm khoá vì có quá nhiều lần nhập sai mã. Các mã đang có "
            "đã bị huỷ để bảo vệ tài khoản. Vui lòng thử lại sau 15 phút và lấy mã mới "
            "bằng /lienket trên kênh kia."
        )
    return "Bạn đã nhập sai mã quá nhiều lần. Vui lòng thử lại sau 15 phút."


# ---------------------------------------------------------------------- conversation command
def cmd_lienket(ctx: Context, args: str) -> list[Reply]:
    """Liên kết tài khoản Telegram và Zalo bằng mã một lần (không dùng số điện thoại)."""
    text = link_command(ctx.session, address=ctx.address, args=args, now=ctx.now)
    return [Reply(text)]


def register(conv: Conversation) -> None:
    """Add /lienket to a conversation's command registry."""
    conv.commands.add(
        "lienket", cmd_lienket, usage=f"[mã | {OPT_ALL} | {OPT_ONE} | {OPT_PRIMARY}]"
    )
