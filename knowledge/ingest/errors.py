"""The one error ingestion raises: its message is Vietnamese and names the file."""

from __future__ import annotations


class IngestError(Exception):
    """A file cannot be imported; `str(error)` is a user-facing Vietnamese message."""

    def __init__(self, message: str, *, source: str = "") -> None:
        self.source = source
        self.reason = message
        super().__init__(f"{source}: {message}" if source else message)
