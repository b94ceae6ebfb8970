"""Revision 0008: short forms a stored document defines for known units are backfilled."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import MetaData, text

from knowledge.db import make_engine
from migrations.alias_backfill import backfill_defined_aliases
from migrations.runner import current_revision, head_revision, upgrade_to, upgrade_to_head

IMPORTED = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
TEXT = (
    "II. TỔ CHỨC THỰC HIỆN\n"
    "1. Thanh tra Sở (TTS) chủ trì kiểm tra việc giải quyết khiếu nại, tố cáo.\n"
    "2. Văn phòng Sở tổng hợp báo cáo.\n"
    "| 1 | Kiểm tra công tác tiếp công dân | TTS | Văn phòng Sở | Quý III/2026 | Kết luận |"
)


def _fill_before_aliases(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade_to(engine, "0007_web_board")
    tables = MetaData()
    tables.reflect(engine)
    t = tables.tables
    with engine.begin() as connection:
        for name, short in (("Thanh tra Sở", "Thanh tra"), ("Văn phòng Sở", "VP")):
            connection.execute(
                t["unit"]
                .insert()
                .values(name=name, short_name=short, aliases=[], is_collective=False,
                        learned_from="")
            )  # fmt: skip
        connection.execute(
            t["document"]
            .insert()
            .values(
                kind="PLAN", number="55/KH-SGDĐT", issuer="Sở GDĐT", issuer_parent="",
                province="Quảng Trị", place="", date_text="", title="Kế hoạch CCHC",
                subject="", recipients=[], signer_name="", signer_title="",
                source_file="kh-55.md", content_hash="h55", full_text=TEXT,
                imported_at=IMPORTED,
            )
        )  # fmt: skip
    engine.dispose()


def test_stored_documents_give_their_defined_short_forms_on_upgrade(db_url: str) -> None:
    _fill_before_aliases(db_url)
    engine = make_engine(db_url)
    upgrade_to_head(engine)
    assert current_revision(engine) == head_revision()
    query = (
        "SELECT u.name, a.alias, a.province FROM unitalias a JOIN unit u ON u.id = a.unit_id"
        " JOIN document d ON d.id = a.document_id"
    )
    with engine.begin() as connection:
        rows = [tuple(r) for r in connection.execute(text(query)).all()]
        assert rows == [("Thanh tra Sở", "TTS", "Quảng Trị")]
        assert backfill_defined_aliases(connection) == 0  # idempotent
        units = connection.execute(text("SELECT count(*) FROM unit")).scalar_one()
    assert units == 2  # nothing learned, nothing lost
    engine.dispose()
