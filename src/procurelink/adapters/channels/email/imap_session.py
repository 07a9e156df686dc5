"""One logged-in IMAP connection over aioimaplib, with typed results and translated errors.

aioimaplib answers with raw response lines; this module is the only place that parses them,
and the only one that sees aioimaplib's exceptions.
"""

from __future__ import annotations

import asyncio
import logging
import re
import ssl
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field

import aioimaplib
from aioimaplib.aioimaplib import STOP_WAIT_SERVER_PUSH, Command

from procurelink.adapters.channels.email.errors import (
    MailRefused,
    imap_refusal,
    network_error,
)
from procurelink.adapters.channels.email.settings import ImapSettings, TlsMode
from procurelink.errors import ProcurelinkError

log = logging.getLogger(__name__)

_FETCH_START = re.compile(rb"^\d+ FETCH \(")
_UID = re.compile(rb"\bUID (\d+)")
_FLAGS = re.compile(rb"\bFLAGS \(([^)]*)\)")
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")
_INTERNALDATE = re.compile(rb'\bINTERNALDATE "([^"]+)"')
_UIDVALIDITY = re.compile(rb"\[UIDVALIDITY (\d+)\]")
_UIDNEXT = re.compile(rb"\[UIDNEXT (\d+)\]")


@dataclass
class Fetched:
    """One message of a FETCH answer: its attributes and the literal it carried, if any."""

    uid: int
    flags: frozenset[str] = frozenset()
    size: int | None = None
    internal_date: str | None = None
    literal: bytes = b""


@dataclass(frozen=True)
class Selected:
    uidvalidity: int
    uidnext: int | None


def quote(mailbox: str) -> str:
    # Settings only allow names without quotes or backslashes, so quoting is enough.
    return f'"{mailbox}"'


def uid_set(uids: Iterable[int]) -> str:
    return ",".join(str(u) for u in uids)


@dataclass
class ImapSession:
    client: aioimaplib.IMAP4
    server: str
    capabilities: set[str] = field(default_factory=set)

    async def _run(self, command: str, response: aioimaplib.Response) -> list[bytes]:
        if response.result != "OK":
            text = _text(response.lines[-1]) if response.lines else ""
            raise imap_refusal(self.server, command, response.result, text)
        return list(response.lines)

    async def select(self, mailbox: str) -> Selected:
        lines = await self._run("SELECT", await self.client.select(quote(mailbox)))
        joined = b" ".join(bytes(line) for line in lines)
        validity = _UIDVALIDITY.search(joined)
        uidnext = _UIDNEXT.search(joined)
        if validity is None:
            raise MailRefused(f"IMAP {self.server}: SELECT {mailbox} gave no UIDVALIDITY")
        return Selected(int(validity.group(1)), int(uidnext.group(1)) if uidnext else None)

    async def search(self, criteria: str) -> list[int]:
        lines = await self._run("UID SEARCH", await self.client.uid_search(criteria, charset=None))
        return sorted(
            int(tok) for line in lines[:-1] for tok in bytes(line).split() if tok.isdigit()
        )

    async def fetch(self, uids: Iterable[int], parts: str) -> list[Fetched]:
        wanted = uid_set(uids)
        if not wanted:
            return []
        lines = await self._run("UID FETCH", await self.client.uid("fetch", wanted, parts))
        return _parse_fetch(lines)

    async def add_flags(self, uids: Iterable[int], flags: str) -> None:
        await self._run(
            "UID STORE", await self.client.uid("store", uid_set(uids), "+FLAGS.SILENT", flags)
        )

    async def create(self, mailbox: str) -> None:
        response = await self.client.create(quote(mailbox))
        if response.result != "OK" and b"ALREADYEXISTS" not in bytes(response.lines[-1]):
            await self._run("CREATE", response)

    async def move(self, uids: list[int], mailbox: str) -> None:
        """Move messages, creating the folder when the server asks for it (TRYCREATE)."""
        try:
            await self._move_once(uids, mailbox)
        except ProcurelinkError as exc:
            if "TRYCREATE" not in exc.message:
                raise
            await self.create(mailbox)
            await self._move_once(uids, mailbox)

    async def _move_once(self, uids: list[int], mailbox: str) -> None:
        if "MOVE" in self.capabilities:
            await self._run(
                "UID MOVE", await self.client.uid("move", uid_set(uids), quote(mailbox))
            )
            return
        # RFC 6851's fallback. Without UIDPLUS, EXPUNGE also removes other clients'
        # \Deleted messages in this folder: acceptable, as they asked for that too.
        await self._run("UID COPY", await self.client.uid("copy", uid_set(uids), quote(mailbox)))
        await self.add_flags(uids, r"(\Deleted)")
        if "UIDPLUS" in self.capabilities:
            await self._run("UID EXPUNGE", await self.client.uid("expunge", uid_set(uids)))
        else:
            await self._run("EXPUNGE", await self.client.expunge())

    async def idle(self, seconds: float) -> bool:
        """Wait in IDLE until the server reports new mail (True) or ``seconds`` pass."""
        idle = await self.client.idle_start(timeout=seconds)
        try:
            while True:
                # The stop push comes from idle_start's own timer; the margin only guards
                # against a server that never answers.
                pushed = await self.client.wait_server_push(timeout=seconds + 10)
                if pushed == STOP_WAIT_SERVER_PUSH:
                    return False
                if any(bytes(line).endswith(b"EXISTS") for line in pushed):
                    return True
        finally:
            self.client.idle_done()
            with suppress(asyncio.TimeoutError):
                await asyncio.wait_for(idle, timeout=self.client.timeout)

    async def append(self, mailbox: str, message: bytes, flags: str | None = None) -> None:
        """Used by tests and tools that play the supplier's side."""
        await self._run(
            "APPEND", await self.client.append(message, mailbox=quote(mailbox), flags=flags)
        )


@asynccontextmanager
async def imap_session(settings: ImapSettings) -> AsyncIterator[ImapSession]:
    """Connect, secure, log in; log out (or drop the connection) afterwards."""
    server = f"{settings.host}:{settings.effective_port}"
    context = _tls_context(settings)
    client: aioimaplib.IMAP4 | None = None
    try:
        if settings.tls is TlsMode.SSL:
            client = aioimaplib.IMAP4_SSL(
                settings.host,
                settings.effective_port,
                timeout=settings.timeout_seconds,
                ssl_context=context,
            )
        else:
            client = aioimaplib.IMAP4(
                settings.host, settings.effective_port, timeout=settings.timeout_seconds
            )
        session = ImapSession(client, server)
        await client.wait_hello_from_server()
        if settings.tls is TlsMode.STARTTLS:
            await _starttls(session, settings.host, context)
        if settings.username is not None and settings.password is not None:
            await session._run(
                "LOGIN",
                await client.login(settings.username, settings.password.get_secret_value()),
            )
        session.capabilities = {c.upper() for c in client.protocol.capabilities}
    except ProcurelinkError:
        _drop(client)
        raise
    except (OSError, TimeoutError, aioimaplib.AioImapException) as exc:
        _drop(client)
        raise network_error("IMAP", server, exc) from exc
    try:
        yield session
    except (OSError, TimeoutError, aioimaplib.AioImapException) as exc:
        _drop(client)
        raise network_error("IMAP", server, exc) from exc
    except BaseException:
        _drop(client)
        raise
    await _logout(client)


async def _starttls(session: ImapSession, host: str, context: ssl.SSLContext | None) -> None:
    # aioimaplib knows the STARTTLS command but does not implement the upgrade: send it,
    # then switch the transport to TLS under the same protocol object.
    protocol = session.client.protocol
    if "STARTTLS" not in protocol.capabilities:
        raise MailRefused(f"IMAP {session.server}: server does not offer STARTTLS")
    response = await protocol.execute(Command("STARTTLS", protocol.new_tag(), loop=protocol.loop))
    await session._run("STARTTLS", response)
    loop = asyncio.get_running_loop()
    transport = await loop.start_tls(
        protocol.transport,
        protocol,
        context or ssl.create_default_context(),
        server_hostname=host,
    )
    protocol.transport = transport
    # Capabilities seen before TLS cannot be trusted (RFC 3501 section 6.2.1).
    await protocol.capability()


def _tls_context(settings: ImapSettings) -> ssl.SSLContext | None:
    if settings.tls is TlsMode.PLAIN:
        return None
    return ssl.create_default_context(cafile=settings.ca_file)


async def _logout(client: aioimaplib.IMAP4) -> None:
    # The work is done by now: a failing LOGOUT must not turn success into an error.
    try:
        await client.logout()
    except (OSError, TimeoutError, aioimaplib.AioImapException) as exc:
        log.debug("IMAP logout failed: %s", type(exc).__name__)
    _drop(client)


def _drop(client: aioimaplib.IMAP4 | None) -> None:
    transport = client.protocol.transport if client is not None else None
    if transport is not None and not transport.is_closing():
        transport.close()


def _text(line: bytes | bytearray) -> str:
    return bytes(line).decode("utf-8", errors="replace")


def _parse_fetch(lines: list[bytes]) -> list[Fetched]:
    """Split a FETCH answer into messages; literals arrive as bytearray lines."""
    found: list[Fetched] = []
    current: Fetched | None = None
    for line in lines[:-1]:  # the last line is the tagged completion text
        if isinstance(line, bytearray):
            if current is not None:
                current.literal = bytes(line)
            continue
        if _FETCH_START.match(line):
            uid = _UID.search(line)
            if uid is None:  # an unsolicited flag update for another message
                current = None
                continue
            current = Fetched(uid=int(uid.group(1)))
            found.append(current)
        if current is None:
            continue
        if flags := _FLAGS.search(line):
            current.flags = frozenset(_text(flags.group(1)).split())
        if size := _SIZE.search(line):
            current.size = int(size.group(1))
        if date := _INTERNALDATE.search(line):
            current.internal_date = _text(date.group(1))
    return found
