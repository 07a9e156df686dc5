"""Zip archives built in the tests: ordinary ones, and real zip bombs."""

from __future__ import annotations

import io
import zipfile

MIB = 1024 * 1024


def make_zip(files: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, body in files.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def zeros_zip(mib: int, name: str = "zeros.csv") -> bytes:
    """``mib`` MiB of zero bytes, deflated (about a thousand to one), written in chunks."""
    buffer = io.BytesIO()
    chunk = bytes(MIB)
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open(name, "w") as member,
    ):
        for _ in range(mib):
            member.write(chunk)
    return buffer.getvalue()


def nested_bomb(mib: int = 16, fan_out: int = 10) -> bytes:
    """A classic nested zip bomb: ``fan_out``² copies of ``mib`` MiB of zeros, two levels
    of zips deep (1.6 GB from about 1.6 MB with the defaults)."""
    leaf = zeros_zip(mib)
    middle = make_zip({f"part-{i}.zip": leaf for i in range(fan_out)}, zipfile.ZIP_STORED)
    return make_zip({f"batch-{i}.zip": middle for i in range(fan_out)}, zipfile.ZIP_STORED)
