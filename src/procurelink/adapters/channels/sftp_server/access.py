"""What a supplier may change in its home; paths are normalised, rooted at the home (bytes).

- ``/in``: the supplier creates, replaces, renames and removes files directly in it. Its
  ``processed`` and ``error`` folders are ours: readable, never writable.
- ``/out``: we put documents at its top level; the supplier reads and removes them, and may
  organise what it fetched in subfolders it creates (``/out/archive``...), as our own SFTP
  client does on partners' servers. It cannot create top-level files, so it cannot take a
  name we are about to deliver.
- Everything else (the home itself, links) is read-only.
"""

from __future__ import annotations

import posixpath

from procurelink.adapters.channels.sftp_server.layout import ERROR, PROCESSED

_OURS = (PROCESSED.encode(), ERROR.encode())


def can_write(path: bytes) -> bool:
    """Create or replace a file, set its times, rename onto it."""
    folder, name = posixpath.split(path)
    if folder == b"/in":
        return bool(name) and name not in _OURS
    return _below_out_folder(path)


def can_remove(path: bytes) -> bool:
    """Remove a file or rename it away."""
    return can_write(path) or posixpath.dirname(path) == b"/out"


def can_make_folder(path: bytes) -> bool:
    return path.startswith(b"/out/")


def _below_out_folder(path: bytes) -> bool:
    return path.startswith(b"/out/") and posixpath.dirname(path) != b"/out"
