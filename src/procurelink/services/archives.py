"""Zip archives from partners: unpacked in memory, within limits, or refused as a zip bomb.

Suppliers zip a batch of files into one attachment or upload; intake captures the files
inside as messages of their own (the archive itself is kept as evidence). A zip is also the
classic way to make a small upload expand into gigabytes, so nothing the archive says about
itself is trusted: every size is counted while decompressing, and decompression stops as
soon as a limit (``ArchiveLimits``) is crossed: total size, ratio, number of files, nesting.
XLSX files are zips too but are documents, not archives: only ``.zip`` is unpacked.
"""

from __future__ import annotations

import io
import mimetypes
import posixpath
import zipfile
from dataclasses import dataclass

from procurelink.domain.partner_profile import ArchiveLimits
from procurelink.errors import InvalidDocument

ZIP_TYPES = frozenset({"application/zip", "application/x-zip-compressed"})
_CHUNK = 64 * 1024
# What suppliers send inside archives; the rest is left to the mimetypes table.
_CONTENT_TYPES = {
    ".x12": "application/edi-x12",
    ".edi": "application/edifact",
    ".json": "application/json",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".zip": "application/zip",
}


class ArchiveLimitExceeded(InvalidDocument):
    """The archive would expand beyond one of the partner's limits (a zip bomb)."""

    code = "archive_limit_exceeded"


class UnreadableArchive(InvalidDocument):
    """The archive is damaged, encrypted, or not a zip at all."""

    code = "archive_unreadable"


@dataclass(frozen=True, slots=True)
class Member:
    path: str  # inside the archive; nested archives as "outer.zip/inner.zip/file.csv"
    filename: str  # the last component, what the member is captured as
    content_type: str
    body: bytes


def is_archive(filename: str | None, content_type: str) -> bool:
    name = (filename or "").lower()
    return name.endswith(".zip") or content_type.split(";")[0].strip().lower() in ZIP_TYPES


def content_type_for(filename: str) -> str:
    ending = posixpath.splitext(filename)[1].lower()
    return (
        _CONTENT_TYPES.get(ending)
        or mimetypes.guess_type(filename)[0]
        or ("application/octet-stream")
    )


class _Budget:
    """What is left of the limits for the whole archive, nested ones included."""

    def __init__(self, name: str, limits: ArchiveLimits) -> None:
        self.name = name
        self.limits = limits
        self.total = 0
        self.entries = 0

    def refuse(self, limit: str, what: str, **details: object) -> ArchiveLimitExceeded:
        return ArchiveLimitExceeded(
            f"{self.name}: {what} (limit {limit} = {getattr(self.limits, limit)}); "
            "the archive is kept as evidence and nothing in it is processed",
            limit=limit,
            archive=self.name,
            **details,
        )


def unpack(body: bytes, name: str, limits: ArchiveLimits) -> list[Member]:
    """Every file in the zip ``body`` (nested zips unpacked too), or a typed refusal."""
    budget = _Budget(name, limits)
    members = _unpack(body, "", 1, budget)
    if not members:
        raise UnreadableArchive(f"{name}: the archive holds no files", archive=name)
    return members


def _unpack(body: bytes, prefix: str, depth: int, budget: _Budget) -> list[Member]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise UnreadableArchive(
            f"{budget.name}{'/' + prefix.rstrip('/') if prefix else ''} is not a readable "
            f"zip archive: {exc}",
            archive=budget.name,
        ) from exc
    members: list[Member] = []
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            path = f"{prefix}{info.filename}"
            budget.entries += 1
            if budget.entries > budget.limits.max_entries:
                raise budget.refuse("max_entries", f"more than {budget.limits.max_entries} files")
            if info.flag_bits & 0x1:
                raise UnreadableArchive(
                    f"{budget.name}: {path} is encrypted", archive=budget.name, member=path
                )
            data = _read(archive, info, path, budget)
            filename = posixpath.basename(info.filename.replace("\\", "/")) or "file"
            if is_archive(filename, ""):
                if depth >= budget.limits.max_depth:
                    raise budget.refuse(
                        "max_depth", f"{path} is an archive nested {depth + 1} levels deep"
                    )
                members.extend(_unpack(data, f"{path}/", depth + 1, budget))
                continue
            members.append(Member(path, filename, content_type_for(filename), data))
    return members


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, budget: _Budget) -> bytes:
    limits = budget.limits
    compressed = max(info.compress_size, 1)
    out = io.BytesIO()
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                out.write(chunk)
                size = out.tell()
                budget.total += len(chunk)
                if budget.total > limits.max_total_bytes:
                    raise budget.refuse(
                        "max_total_bytes",
                        f"files expand to more than {limits.max_total_bytes} bytes (at {path})",
                        member=path,
                    )
                if size > limits.ratio_applies_above_bytes and size / compressed > limits.max_ratio:
                    raise budget.refuse(
                        "max_ratio",
                        f"{path} expands more than {limits.max_ratio:g} times "
                        f"({compressed} bytes compressed, over {size} so far)",
                        member=path,
                    )
    except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError) as exc:
        raise UnreadableArchive(
            f"{budget.name}: {path} cannot be decompressed: {exc}",
            archive=budget.name,
            member=path,
        ) from exc
    return out.getvalue()
