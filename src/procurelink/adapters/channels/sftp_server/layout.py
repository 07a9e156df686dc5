"""Where a supplier's files live on the embedded server's disk.

``<root>/<username>/`` is the supplier's chroot, with ``in/`` (the supplier uploads) and
``out/`` (the supplier downloads). ``in/processed`` and ``in/error`` receive what we captured
or refused: the supplier may read them (useful feedback) but never write there. Files being
uploaded or prepared for download live in ``<root>/.staging/<username>/``, outside every chroot,
and appear in ``in/`` or ``out/`` by a rename only when complete.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PROCESSED = "processed"
ERROR = "error"


@dataclass(frozen=True, slots=True)
class Home:
    root: Path
    username: str

    @property
    def path(self) -> Path:
        return self.root / self.username

    @property
    def inbox(self) -> Path:
        return self.path / "in"

    @property
    def outbox(self) -> Path:
        return self.path / "out"

    @property
    def processed(self) -> Path:
        return self.inbox / PROCESSED

    @property
    def error(self) -> Path:
        return self.inbox / ERROR

    @property
    def staging(self) -> Path:
        return self.root / ".staging" / self.username

    def ensure(self) -> None:
        for folder in (self.processed, self.error, self.outbox, self.staging):
            folder.mkdir(parents=True, exist_ok=True)
