"""OS errors of the on-disk channels -> TransientError / PermanentError (ARCHITECTURE.md §5)."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager

from procurelink.errors import PermanentError, TransientError

# A missing or forbidden folder, a name that is a folder: retrying cannot fix these.
_PERMANENT = {errno.EACCES, errno.EPERM, errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.EROFS}


@contextmanager
def translated(action: str) -> Iterator[None]:
    """Re-raise OS errors as procurelink errors, chained with ``from``."""
    try:
        yield
    except OSError as exc:
        message = f"sftp-server: cannot {action}: {exc.strerror or type(exc).__name__}"
        if exc.errno in _PERMANENT:
            raise PermanentError(message, errno=exc.errno) from exc
        # A full disk, too many open files, an I/O error: may pass.
        raise TransientError(message, errno=exc.errno) from exc
