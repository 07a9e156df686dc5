"""The SFTP session of one supplier: jailed in its home, uploads published only when closed.

Jail: every client path is normalised against ``/`` (so ``..`` and absolute paths stay inside)
and the resulting local path must resolve (symlinks followed) inside the home. Suppliers
cannot create symlinks or hard links; what they may change is decided in access.py.

Uploads: a file opened for writing is written in the staging folder outside the home and
renamed to its name when the supplier closes it. So a file under its final name is
always complete, also for a reader in another process, and a transfer cut by a dropped
connection (asyncssh then closes the handles itself, on a channel that is closing) is
discarded instead of published.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

import asyncssh

from procurelink.adapters.channels.sftp_server import access
from procurelink.adapters.channels.sftp_server.layout import Home

_WRITE_FLAGS = asyncssh.FXF_WRITE | asyncssh.FXF_APPEND | asyncssh.FXF_CREAT | asyncssh.FXF_TRUNC


@dataclass(frozen=True, slots=True)
class _Upload:
    file: BinaryIO
    staging: Path
    final: bytes

    def discard(self) -> None:
        self.file.close()
        self.staging.unlink(missing_ok=True)


class SupplierSftpServer(asyncssh.SFTPServer):
    def __init__(
        self, chan: asyncssh.SSHServerChannel[bytes], root: Path, max_upload_bytes: int
    ) -> None:
        username = chan.get_extra_info("username")
        self._home = Home(root, username)
        self._home.ensure()
        self._jail = os.fsencode(os.path.realpath(self._home.path))
        self._max_upload = max_upload_bytes
        # By id() of the file object asyncssh hands back to us with each request.
        self._uploads: dict[int, _Upload] = {}
        super().__init__(chan, chroot=self._jail)

    # -- the jail --------------------------------------------------------------------------

    def map_path(self, path: bytes) -> bytes:
        local = posixpath.join(self._jail, self._virtual(path).lstrip(b"/"))
        real = os.fsencode(os.path.realpath(local))
        if real != self._jail and not real.startswith(self._jail + b"/"):
            raise asyncssh.SFTPPermissionDenied("outside your home")
        return local

    @staticmethod
    def _virtual(path: bytes) -> bytes:
        # normpath keeps a leading "//" (POSIX allows it a meaning): one slash, always.
        return b"/" + posixpath.normpath(posixpath.join(b"/", path)).lstrip(b"/")

    def _require(self, allowed: Callable[[bytes], bool], path: bytes) -> None:
        if not allowed(self._virtual(path)):
            raise asyncssh.SFTPPermissionDenied(
                "not allowed here: upload to /in, download from /out"
            )

    # -- uploads ---------------------------------------------------------------------------

    def open(self, path: bytes, pflags: int, attrs: asyncssh.SFTPAttrs) -> object:
        if not pflags & _WRITE_FLAGS:
            return super().open(path, pflags, attrs)
        self._require(access.can_write, path)
        final = self.map_path(path)
        exists = os.path.lexists(final)
        if exists and pflags & asyncssh.FXF_EXCL:
            raise asyncssh.SFTPFileAlreadyExists("file already exists")
        if not exists and not pflags & asyncssh.FXF_CREAT:
            raise asyncssh.SFTPNoSuchFile("no such file")
        staging = self._home.staging / f"{uuid.uuid4().hex}.upload"
        if exists and not pflags & asyncssh.FXF_TRUNC:
            # Append or resume: continue from the current content.
            shutil.copyfile(final, staging)
        flags = os.O_CREAT | (os.O_RDWR if pflags & asyncssh.FXF_READ else os.O_WRONLY)
        if pflags & asyncssh.FXF_APPEND:
            flags |= os.O_APPEND
        mode = "ab" if pflags & asyncssh.FXF_APPEND else "r+b" if flags & os.O_RDWR else "wb"
        file_obj = cast(BinaryIO, os.fdopen(os.open(staging, flags, 0o600), mode, buffering=0))
        self._uploads[id(file_obj)] = _Upload(file_obj, staging, final)
        return file_obj

    def open56(
        self, path: bytes, desired_access: int, flags: int, attrs: asyncssh.SFTPAttrs
    ) -> object:
        # The server speaks SFTP v3 only (asyncssh's default); refuse rather than bypass open.
        raise asyncssh.SFTPOpUnsupported("SFTP v5+ open is not supported")

    def write(self, file_obj: object, offset: int, data: bytes) -> int:
        upload = self._uploads.get(id(file_obj))
        if upload is None:
            raise asyncssh.SFTPPermissionDenied("file not open for writing")
        if offset + len(data) > self._max_upload:
            raise asyncssh.SFTPQuotaExceeded("file larger than the upload limit")
        upload.file.seek(offset)
        return upload.file.write(data)

    def close(self, file_obj: object) -> None:
        upload = self._uploads.pop(id(file_obj), None)
        if upload is None:
            cast(BinaryIO, file_obj).close()
            return
        if self._session_ending():
            upload.discard()
            return
        os.fsync(upload.file.fileno())  # the supplier takes "closed" as "delivered"
        upload.file.close()
        os.replace(upload.staging, os.fsdecode(upload.final))

    def _session_ending(self) -> bool:
        """Whether asyncssh is closing the handles left open by a session that ended.

        It then calls ``close`` itself, for a connection that dropped (the channel is closing)
        or a client that sent EOF without closing its file (the receive side is done): in both
        cases the upload is partial. ``_recv_state`` is asyncssh's own (2.x); the test of a
        client leaving without closing its file guards this against library changes.
        """
        chan = self.channel
        return chan.is_closing() or getattr(chan, "_recv_state", "open") != "open"

    def exit(self) -> None:
        for upload in self._uploads.values():
            upload.discard()
        self._uploads.clear()

    # -- metadata and names ----------------------------------------------------------------

    def fsetstat(self, file_obj: object, attrs: asyncssh.SFTPAttrs) -> None:
        if id(file_obj) not in self._uploads:
            raise asyncssh.SFTPPermissionDenied("file not open for writing")
        super().fsetstat(file_obj, _times_only(attrs))

    def setstat(self, path: bytes, attrs: asyncssh.SFTPAttrs) -> None:
        self._require(access.can_write, path)
        super().setstat(path, _times_only(attrs))

    def lsetstat(self, path: bytes, attrs: asyncssh.SFTPAttrs) -> None:
        self.setstat(path, attrs)

    def remove(self, path: bytes) -> None:
        self._require(access.can_remove, path)
        super().remove(path)

    def rename(self, oldpath: bytes, newpath: bytes) -> None:
        self._require(access.can_remove, oldpath)
        self._require(access.can_write, newpath)
        super().rename(oldpath, newpath)

    def posix_rename(self, oldpath: bytes, newpath: bytes) -> None:
        self._require(access.can_remove, oldpath)
        self._require(access.can_write, newpath)
        super().posix_rename(oldpath, newpath)

    def mkdir(self, path: bytes, attrs: asyncssh.SFTPAttrs) -> None:
        self._require(access.can_make_folder, path)
        os.mkdir(self.map_path(path), 0o755)

    def rmdir(self, path: bytes) -> None:
        self._require(access.can_make_folder, path)
        super().rmdir(path)

    def symlink(self, oldpath: bytes, newpath: bytes) -> None:
        raise asyncssh.SFTPPermissionDenied("links cannot be created")

    def link(self, oldpath: bytes, newpath: bytes) -> None:
        raise asyncssh.SFTPPermissionDenied("links cannot be created")


def _times_only(attrs: asyncssh.SFTPAttrs) -> asyncssh.SFTPAttrs:
    # Permissions, owner and size stay ours: a supplier may only keep its file times.
    return asyncssh.SFTPAttrs(
        atime=attrs.atime, atime_ns=attrs.atime_ns, mtime=attrs.mtime, mtime_ns=attrs.mtime_ns
    )
