"""SFTP client channel: procurelink polls a supplier's server and puts files there.

Sending: the file is written under a temporary name (``temp_prefix`` + name + a suffix
derived from the idempotency key, so a retry reuses the same name) in the outbox and then
renamed to its final name: the partner never sees a half-written file. If the final name
already exists the send fails permanently instead of overwriting a file the partner may be
reading, except when that file already holds exactly our bytes (a retry after a crash between
the rename and our bookkeeping), which counts as delivered.

Polling: regular, non-hidden files matching ``pattern`` are read fully, oldest first. A file
that changes while we read it, or whose read is cut by a dropped connection, is not returned;
it stays on the server for the next poll. Files over ``max_file_bytes`` are not downloaded:
they are returned with an empty body and ``metadata["oversized"] == "true"`` (plus ``size``
and ``limit``), so intake records and refuses them and they end in the error folder instead of
silently waiting forever.

Acknowledging happens only after capture. It is idempotent: a file already moved or deleted
(a retry after a crash) is fine, and a file the partner replaced since we read it (other size
or mtime) is left in place so that its new content is polled, never archived unread.
"""

from __future__ import annotations

import asyncio
import contextlib
import fnmatch
import json
import logging
import posixpath
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from hashlib import sha256
from typing import cast

import asyncssh

from procurelink.adapters.channels.sftp.errors import translated
from procurelink.adapters.channels.sftp.session import sftp_session
from procurelink.adapters.channels.sftp.settings import AfterCapture, SftpSettings
from procurelink.errors import ConfigurationError, PermanentError, TransientError
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
    """What we read: acknowledging checks the file is still that one."""

    path: str
    size: int
    mtime: int

    def handle(self) -> str:
        return json.dumps({"path": self.path, "size": self.size, "mtime": self.mtime})

    @classmethod
    def parse(cls, handle: str) -> _Seen:
        data = json.loads(handle)
        return cls(str(data["path"]), int(data["size"]), int(data["mtime"]))


def safe_name(name: str) -> str:
    base = posixpath.basename(name.replace("\\", "/"))
    if base in ("", ".", "..") or base.startswith("."):
        raise PermanentError(f"refusing unsafe file name {name!r}")
    return base


def content_type(name: str) -> str:
    return _CONTENT_TYPES.get(posixpath.splitext(name)[1].lower(), "application/octet-stream")


class SftpChannel:
    name = "sftp"

    def __init__(self, partner_id: str, settings: SftpSettings) -> None:
        self._partner_id = partner_id
        self._settings = settings
        self._where = f"sftp {settings.host}:{settings.port}"

    # -- sending ---------------------------------------------------------------------------

    async def send(self, payload: OutboundPayload) -> DeliveryReceipt:
        outbox = self._settings.outbox
        if outbox is None:
            raise ConfigurationError(f"partner {self._partner_id}: sftp channel has no outbox")
        name = safe_name(payload.filename)
        final = posixpath.join(outbox, name)
        tag = sha256(payload.idempotency_key.encode()).hexdigest()[:12]
        temp = posixpath.join(outbox, f"{self._settings.temp_prefix}{name}.{tag}.part")
        async with sftp_session(self._settings) as sftp:
            with translated(f"{self._where}: upload {final}"):
                if await self._holds(sftp, final, payload.body):
                    return self._receipt(final, payload, already_present=True)
                async with asyncio.timeout(self._settings.io_timeout_seconds):
                    async with sftp.open(temp, "wb") as fh:
                        await fh.write(payload.body)
                        await _fsync(fh)
            with translated(f"{self._where}: rename {temp} to {final}"):
                await self._publish(sftp, temp, final)
        return self._receipt(final, payload, already_present=False)

    async def _holds(self, sftp: asyncssh.SFTPClient, final: str, body: bytes) -> bool:
        """Whether ``final`` exists with our bytes; raises if it exists with others."""
        async with asyncio.timeout(self._settings.io_timeout_seconds):
            attrs = await _stat(sftp, final)
            if attrs is None:
                return False
            if attrs.size == len(body):
                async with sftp.open(final, "rb") as fh:
                    if cast(bytes, await fh.read()) == body:
                        return True
        raise PermanentError(
            f"{self._where}: {final} already exists with other content; not overwritten "
            "(the partner may be reading it)",
            path=final,
        )

    async def _publish(self, sftp: asyncssh.SFTPClient, temp: str, final: str) -> None:
        async with asyncio.timeout(self._settings.io_timeout_seconds):
            # Checked again just before the rename; a file appearing in between would be
            # replaced by posix-rename: a window of one round trip, documented.
            if await _stat(sftp, final) is not None:
                await sftp.remove(temp)
                raise PermanentError(f"{self._where}: {final} appeared during the upload")
            await _rename(sftp, temp, final)

    def _receipt(
        self, final: str, payload: OutboundPayload, *, already_present: bool
    ) -> DeliveryReceipt:
        details = {"bytes": len(payload.body), "already_present": already_present}
        return DeliveryReceipt(self.name, f"{self._where}{final}", datetime.now(UTC), details)

    # -- polling ---------------------------------------------------------------------------

    async def poll(self) -> list[InboundItem]:
        inbox = self._settings.inbox
        if inbox is None:
            return []
        items: list[InboundItem] = []
        try:
            async with sftp_session(self._settings) as sftp:
                for entry in await self._candidates(sftp, inbox):
                    item = await self._fetch(sftp, inbox, entry)
                    if item is not None:
                        items.append(item)
        except TransientError:
            if not items:
                raise
            # What was read completely is returned; the rest waits for the next poll.
            log.warning("%s: poll interrupted after %d complete files", self._where, len(items))
        return items

    async def _candidates(self, sftp: asyncssh.SFTPClient, inbox: str) -> list[asyncssh.SFTPName]:
        settings = self._settings
        horizon = time.time() - settings.settle_seconds
        with translated(f"{self._where}: list {inbox}"):
            async with asyncio.timeout(settings.io_timeout_seconds):
                entries = [e async for e in sftp.scandir(inbox)]
        chosen = [
            e
            for e in entries
            if e.attrs.type == asyncssh.FILEXFER_TYPE_REGULAR
            and not str(e.filename).startswith((".", settings.temp_prefix))
            and fnmatch.fnmatchcase(str(e.filename), settings.pattern)
            and (settings.settle_seconds == 0 or (e.attrs.mtime or 0) <= horizon)
        ]
        return sorted(chosen, key=lambda e: (e.attrs.mtime or 0, str(e.filename)))

    async def _fetch(
        self, sftp: asyncssh.SFTPClient, inbox: str, entry: asyncssh.SFTPName
    ) -> InboundItem | None:
        name = str(entry.filename)
        path = posixpath.join(inbox, name)
        seen = _Seen(path, entry.attrs.size or 0, entry.attrs.mtime or 0)
        metadata = {"path": path, "size": str(seen.size)}
        limit = self._settings.max_file_bytes
        if seen.size > limit:
            body = b""
            metadata |= {
                "oversized": "true",
                "limit": str(self._settings.max_file_bytes),
                META_REFUSAL: f"{name} has {seen.size} bytes, over the limit of {limit}",
                META_REFUSAL_CODE: "message_too_large",
            }
        else:
            with translated(f"{self._where}: read {path}"):
                async with asyncio.timeout(self._settings.io_timeout_seconds):
                    async with sftp.open(path, "rb") as fh:
                        body = cast(bytes, await fh.read())
                    after = await _stat(sftp, path)
            if after is None or (after.size, after.mtime) != (seen.size, seen.mtime):
                log.info(
                    "%s: %s changed while being read; left for the next poll", self._where, path
                )
                return None
            if len(body) != seen.size:
                return None
        return InboundItem(
            partner_id=self._partner_id,
            channel=self.name,
            filename=name,
            content_type=content_type(name),
            body=body,
            received_at=datetime.now(UTC),
            handle=seen.handle(),
            metadata=metadata,
        )

    # -- acknowledging ---------------------------------------------------------------------

    async def acknowledge(
        self, item: InboundItem, accepted: bool, reason: str | None = None
    ) -> None:
        seen = _Seen.parse(item.handle)
        settings = self._settings
        async with sftp_session(settings) as sftp:
            with translated(f"{self._where}: acknowledge {seen.path}"):
                async with asyncio.timeout(settings.io_timeout_seconds):
                    attrs = await _stat(sftp, seen.path)
                    if attrs is None:
                        return  # already archived, deleted or refused: a retry after a crash
                    if (attrs.size, attrs.mtime) != (seen.size, seen.mtime):
                        log.warning(
                            "%s: %s was replaced after it was read; left for the next poll",
                            self._where,
                            seen.path,
                        )
                        return
                    if not accepted:
                        await _move(
                            sftp, seen.path, settings.remote_dir(settings.error_dir), reason
                        )
                    elif settings.after_capture is AfterCapture.DELETE:
                        await sftp.remove(seen.path)
                    else:
                        await _move(
                            sftp, seen.path, settings.remote_dir(settings.archive_dir), None
                        )


async def _stat(sftp: asyncssh.SFTPClient, path: str) -> asyncssh.SFTPAttrs | None:
    try:
        return await sftp.stat(path)
    except (asyncssh.SFTPNoSuchFile, asyncssh.SFTPNoSuchPath):
        return None


async def _rename(sftp: asyncssh.SFTPClient, source: str, target: str) -> None:
    try:
        await sftp.posix_rename(source, target)
    except asyncssh.SFTPOpUnsupported:
        await sftp.rename(source, target)


async def _fsync(fh: asyncssh.SFTPClientFile) -> None:
    # Only servers with the fsync@openssh.com extension can; others flush on close.
    with contextlib.suppress(asyncssh.SFTPOpUnsupported):
        await fh.fsync()


async def _move(sftp: asyncssh.SFTPClient, source: str, folder: str, reason: str | None) -> None:
    await sftp.makedirs(folder, exist_ok=True)
    name = posixpath.basename(source)
    target = posixpath.join(folder, name)
    if await _stat(sftp, target) is not None:  # the same name sent twice over time: keep both
        target = posixpath.join(folder, f"{name}.{int(time.time() * 1000)}")
    if reason:
        # Written before the move: after a crash in between, the retry still moves the file.
        async with sftp.open(target + ".reason.txt", "wb") as fh:
            await fh.write((reason + "\n").encode())
    await _rename(sftp, source, target)
