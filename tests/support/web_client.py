"""The web board in-process (Starlette TestClient) on a real SQLite file, with a settable clock."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from bot.wiring import register_models
from handlers import weblinks
from knowledge.db import init_db, make_engine, write_session
from web.app import create_app
from web.config import WebConfig

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ADMIN = "telegram:777"


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime(2027, 1, 12, 9, 0, tzinfo=TZ))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class WebHarness:
    engine: Engine
    clock: Clock
    config: WebConfig
    client: TestClient

    def login_link(self, actor: str = ADMIN) -> str:
        """A fresh one-time login URL, as /bangtheodoi would send it."""
        with write_session(self.engine) as session:
            return weblinks.issue_login_link(session, actor=actor, base_url=self.config.base_url,
                                             now=self.clock())

    def path(self, url: str) -> str:
        return url.removeprefix(self.config.base_url)

    def login(self) -> None:
        """Open a session in the client (the link's page, then its button)."""
        link = self.path(self.login_link())
        page = self.client.get(link)
        assert page.status_code == 200, page.text
        token = link.split("t=", 1)[1]
        response = self.client.post("/dangnhap", data={"t": token}, follow_redirects=False)
        assert response.status_code == 303, response.text

    def csrf(self) -> str:
        html = self.client.get("/donvi").text
        marker = 'name="csrf" value="'
        return html.split(marker, 1)[1].split('"', 1)[0]


def make_harness(db_path: Path, *, base_url: str = "http://127.0.0.1:8080", **overrides: object) -> WebHarness:
    engine = make_engine(f"sqlite:///{db_path}")
    register_models()
    init_db(engine)
    clock = Clock()
    config = WebConfig(engine=engine, tz=TZ, clock=clock, base_url=base_url)
    config = replace(config, **overrides)  # type: ignore[arg-type]
    client = TestClient(create_app(config), base_url=base_url)
    return WebHarness(engine, clock, config, client)
