"""Directory channel: atomic writes (temp name + rename) and inbox polling.

Picked-up files stay in the inbox until procurelink has captured them durably; then they move
to ``processed/`` (or ``error/`` when refused), so a crash never loses a file.
"""

from __future__ import annotations

import asyncio
import os
import time
from datetime import UTC, datetime
from pathlib import Path

from procurelink.adapters.channels.directory.settings import DirectorySettings
from procurelink.errors import ConfigurationError, PermanentError, TransientError
from procurelink.ports.channel import DeliveryReceipt, InboundItem, OutboundPayload

_CONTENT_TYPES = {
    ".x12": "application/edi-x12",
    ".edi": "application/edifact",
    ".json": "application/json",
    ".csv": "text/csv",
}


def _safe_name(name: str) -> str:
    base = os.path.basename(name.replace("\\", "/"))
    if base in ("", ".", "..") or base.startswith("."):
        raise PermanentError(f"refusing unsafe file name {name!r}")
    return base


class DirectoryChannel:
    name = "directory"

    def __init__(self, partner_id: str, settings: DirectorySettings) -> None:
        self._partner_id = partner_id
        self._settings = settings

    async def send(self, payload: OutboundPayload) -> DeliveryReceipt:
        outbox = self._settings.outbox
        if outbox is None:
            raise ConfigurationError(f"partner {self._partner_id}: directory channel has no outbox")
        target = outbox / _safe_name(payload.filename)
        try:
            await asyncio.to_thread(self._write_atomically, target, payload.body)
        except PermissionError as exc:
            raise PermanentError(f"cannot write {target}: {exc.strerror}") from exc
        except OSError as exc:
            raise TransientError(f"cannot write {target}: {exc.strerror}") from exc
        return DeliveryReceipt(
            self.name, str(target), datetime.now(UTC), {"bytes": len(payload.body)}
        )

    @staticmethod
    def _write_atomically(target: Path, body: bytes) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        # A dot-prefixed temporary name: partners' pollers (and ours) skip hidden files, and
        # the rename makes the complete file appear at once.
        tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
        with open(tmp, "wb") as fh:
            fh.write(body)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)

    async def poll(self) -> list[InboundItem]:
        inbox = self._settings.inbox
        if inbox is None:
            return []
        try:
            return await asyncio.to_thread(self._scan, inbox)
        except OSError as exc:
            raise TransientError(f"cannot read inbox {inbox}: {exc.strerror}") from exc

    def _scan(self, inbox: Path) -> list[InboundItem]:
        if not inbox.is_dir():
            return []
        now = time.time()
        items: list[InboundItem] = []
        paths = sorted(
            (
                p
                for p in inbox.glob(self._settings.pattern)
                if p.is_file() and not p.name.startswith(".")
            ),
            key=lambda p: (p.stat().st_mtime, p.name),
        )
        for path in paths:
            if now - path.stat().st_mtime < self._settings.settle_seconds:
                continue
            items.append(
                InboundItem(
                    partner_id=self._partner_id,
                    channel=self.name,
                    filename=path.name,
                    content_type=_CONTENT_TYPES.get(
                        path.suffix.lower(), "application/octet-stream"
                    ),
                    body=path.read_bytes(),
                    received_at=datetime.now(UTC),
                    handle=str(path),
                    metadata={"path": str(path)},
                )
            )
        return items

    async def acknowledge(
        self, item: InboundItem, accepted: bool, reason: str | None = None
    ) -> None:
        src = Path(item.handle)
        folder = src.parent / ("processed" if accepted else "error")
        await asyncio.to_thread(self._move, src, folder, reason)

    @staticmethod
    def _move(src: Path, folder: Path, reason: str | None) -> None:
        folder.mkdir(exist_ok=True)
        target = folder / src.name
        if target.exists():  # the same name dropped twice: keep both
            target = folder / f"{src.stem}.{int(time.time() * 1000)}{src.suffix}"
        os.replace(src, target)
        if reason:
            target.with_name(target.name + ".reason.txt").write_text(reason + "\n")
