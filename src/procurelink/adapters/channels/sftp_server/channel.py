"""Channels over a supplier's home on the embedded SFTP server, working on the local disk.

Inbound: files the supplier uploaded to ``in/``. The server publishes an upload under its name
only once the supplier closed it (see chroot.py), so whatever is in ``in/`` is complete.
Hidden names and the usual upload suffixes (``ignore_suffixes``) are skipped for suppliers
whose client renames after uploading. Acknowledging moves the file to ``in/processed`` or
``in/error`` (plus ``<name>.reason.txt``), folders the supplier can read but not write. It is
idempotent: a file already moved is fine, and a file the supplier replaced after we read it is
left for the next poll. Files over ``max_file_bytes`` are returned unread, with an empty body
and ``metadata["oversized"] == "true"``, so intake refuses them with a record.

Outbound: documents are written in the staging folder (outside the chroot) and hard-linked
into ``out/``: the link fails if the name exists, so a file the supplier may be downloading is
never overwritten (a permanent error), unless it already holds exactly our bytes (a retry).
"""

from __future__ import annotations

import asyncio
import fnmatch
import json
import logging
import os
import stat
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from procurelink.adapters.channels.sftp_server.errors import translated
from procurelink.adapters.channels.sftp_server.layout import Home
from procurelink.adapters.channels.sftp_server.settings import EmbeddedSftpSettings
from procurelink.errors import PermanentError
from procurelink.ports.channel import (
    META_REFUSAL,
    META_REFUSAL_CODE,
    DeliveryReceipt,
    InboundItem,
    OutboundPayload,
)

log = logging.getLogger(__name__)

_CONTENT_TYPES = {
    ".x12": "application/edi-x12",
    ".edi": "application/edifact",
    ".json": "application/json",
    ".csv": "text/csv",
}


@dataclass(frozen=True, slots=True)
class _Seen:
    """The exact file we read (a replaced file has another inode or time)."""

    path: str
    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path, st: os.stat_result) -> _Seen:
        return cls(str(path), st.st_ino, st.st_size, st.st_mtime_ns)

    def handle(self) -> str:
        return json.dumps([self.path, self.inode, self.size, self.mtime_ns])

    @classmethod
    def parse(cls, handle: str) -> _Seen:
        path, inode, size, mtime_ns = json.loads(handle)
        return cls(str(path), int(inode), int(size), int(mtime_ns))


def _safe_name(name: str) -> str:
    base = os.path.basename(name.replace("\\", "/"))
    if base in ("", ".", "..") or base.startswith("."):
        raise PermanentError(f"refusing unsafe file name {name!r}")
    return base


class EmbeddedSftpChannel:
    name = "sftp-server"

    def __init__(self, partner_id: str, settings: EmbeddedSftpSettings) -> None:
        self._partner_id = partner_id
        self._settings = settings
        self._home = Home(settings.root, settings.username)

    # -- outbound --------------------------------------------------------------------------

    async def send(self, payload: OutboundPayload) -> DeliveryReceipt:
        target = self._home.outbox / _safe_name(payload.filename)
        with translated(f"deliver {target}"):
            already = await asyncio.to_thread(self._deliver, target, payload.body)
        details = {"bytes": len(payload.body), "already_present": already}
        return DeliveryReceipt(self.name, str(target), datetime.now(UTC), details)

    def _deliver(self, target: Path, body: bytes) -> bool:
        self._home.ensure()
        tmp = self._home.staging / f"{uuid.uuid4().hex}.send"
        try:
            with open(tmp, "wb") as fh:
                fh.write(body)
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.link(tmp, target)  # atomic, and never replaces an existing name
            except FileExistsError:
                if target.read_bytes() == body:
                    return True
                raise PermanentError(
                    f"{target} already exists with other content; not overwritten "
                    "(the supplier may be downloading it)",
                    path=str(target),
                ) from None
        finally:
            tmp.unlink(missing_ok=True)
        return False

    # -- inbound ---------------------------------------------------------------------------

    async def poll(self) -> list[InboundItem]:
        with translated(f"read {self._home.inbox}"):
            return await asyncio.to_thread(self._scan)

    def _scan(self) -> list[InboundItem]:
        inbox = self._home.inbox
        if not inbox.is_dir():
            return []
        found: list[tuple[Path, os.stat_result]] = []
        for path in inbox.iterdir():
            st = path.lstat()  # a symlink is never followed, nor offered
            if stat.S_ISREG(st.st_mode) and self._wanted(path.name):
                found.append((path, st))
        found.sort(key=lambda pair: (pair[1].st_mtime_ns, pair[0].name))
        items = []
        for path, st in found:
            item = self._read(path, st)
            if item is not None:
                items.append(item)
        return items

    def _wanted(self, name: str) -> bool:
        settings = self._settings
        return (
            not name.startswith(".")
            and not name.endswith(settings.ignore_suffixes)
            and fnmatch.fnmatchcase(name, settings.pattern)
        )

    def _read(self, path: Path, st: os.stat_result) -> InboundItem | None:
        metadata = {"path": str(path), "size": str(st.st_size), "username": self._home.username}
        limit = self._settings.max_file_bytes
        if st.st_size > limit:
            body = b""
            metadata |= {
                "oversized": "true",
                "limit": str(limit),
                META_REFUSAL: f"{path.name} has {st.st_size} bytes, over the limit of {limit}",
                META_REFUSAL_CODE: "message_too_large",
            }
        else:
            try:
                with open(path, "rb") as fh:
                    if os.fstat(fh.fileno()).st_ino != st.st_ino:
                        return None  # replaced since the listing: the next poll takes it
                    body = fh.read()
            except FileNotFoundError:
                return None  # removed by the supplier since the listing
        return InboundItem(
            partner_id=self._partner_id,
            channel=self.name,
            filename=path.name,
            content_type=_CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream"),
            body=body,
            received_at=datetime.now(UTC),
            handle=_Seen.of(path, st).handle(),
            metadata=metadata,
        )

    async def acknowledge(
        self, item: InboundItem, accepted: bool, reason: str | None = None
    ) -> None:
        seen = _Seen.parse(item.handle)
        folder = self._home.processed if accepted else self._home.error
        with translated(f"acknowledge {seen.path}"):
            await asyncio.to_thread(self._settle, seen, folder, reason)

    @staticmethod
    def _settle(seen: _Seen, folder: Path, reason: str | None) -> None:
        source = Path(seen.path)
        try:
            now = _Seen.of(source, source.lstat())
        except FileNotFoundError:
            return  # already moved: a retry after a crash
        if now != seen:
            log.warning("%s was replaced after it was read; left for the next poll", source)
            return
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / source.name
        if target.exists():  # the same name sent twice over time: keep both
            target = folder / f"{source.name}.{int(time.time() * 1000)}"
        if reason:
            # Written first: after a crash in between, the retry still moves the file.
            target.with_name(target.name + ".reason.txt").write_text(reason + "\n")
        os.rename(source, target)
