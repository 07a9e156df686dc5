"""asyncssh and OS errors -> TransientError / PermanentError (ARCHITECTURE.md §5).

Messages name the server, the action and the library's reason, never a password or a key:
asyncssh's reasons come from the protocol and do not echo credentials, and nothing here
formats the settings' secrets.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import asyncssh

from procurelink.errors import DeliveryError, PermanentError, TransientError

# Retrying cannot fix these: wrong credentials, a wrong key, a missing or forbidden folder,
# an operation the server does not offer.
_PERMANENT_SFTP = (
    asyncssh.SFTPPermissionDenied,
    asyncssh.SFTPNoSuchFile,
    asyncssh.SFTPNoSuchPath,
    asyncssh.SFTPNotADirectory,
    asyncssh.SFTPFileIsADirectory,
    asyncssh.SFTPFileAlreadyExists,
    asyncssh.SFTPOpUnsupported,
    asyncssh.SFTPInvalidFilename,
    asyncssh.SFTPWriteProtect,
    asyncssh.SFTPBadMessage,
    asyncssh.SFTPLinkLoop,
)
_PERMANENT_SSH = (
    asyncssh.PermissionDenied,
    asyncssh.HostKeyNotVerifiable,
    asyncssh.KeyExchangeFailed,
    asyncssh.ProtocolNotSupported,
    asyncssh.IllegalUserName,
)


def translate(exc: BaseException, where: str) -> DeliveryError:
    """The procurelink error for a failure while doing ``where`` (``sftp host:port: action``)."""
    if isinstance(exc, DeliveryError):
        return exc
    if isinstance(exc, asyncssh.PermissionDenied):
        return PermanentError(f"{where}: authentication refused", reason=exc.reason)
    if isinstance(exc, _PERMANENT_SSH + _PERMANENT_SFTP):
        return PermanentError(f"{where}: {_reason(exc)}", error=type(exc).__name__)
    if isinstance(exc, asyncssh.ChannelOpenError):
        # The server accepted us but refused the SFTP session (e.g. SFTP disabled for us).
        return PermanentError(f"{where}: session refused: {exc.reason}")
    if isinstance(exc, asyncssh.KeyImportError | asyncssh.KeyEncryptionError):
        return PermanentError(
            f"{where}: the private key cannot be read (wrong format or passphrase)"
        )
    if isinstance(exc, TimeoutError):
        return TransientError(f"{where}: timed out")
    if isinstance(exc, asyncssh.Error | OSError | EOFError):
        # Connection refused/reset/lost, DNS failures, a full disk, a generic SFTP failure:
        # the same request can succeed later.
        return TransientError(f"{where}: {_reason(exc)}", error=type(exc).__name__)
    return TransientError(f"{where}: unexpected {type(exc).__name__}")


@contextmanager
def translated(where: str) -> Iterator[None]:
    """Re-raise library errors as procurelink errors, chained with ``from``."""
    try:
        yield
    except (asyncssh.Error, OSError, EOFError, TimeoutError) as exc:
        raise translate(exc, where) from exc


def _reason(exc: BaseException) -> str:
    if isinstance(exc, asyncssh.Error):
        return exc.reason or type(exc).__name__
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
