"""Who uses the buyer console: sign-in against the ERP's users, sessions, sign-out, CSRF.

A buyer signs in with the ERP login and password (``BuyerDirectory``); the password is
passed on once and never stored or logged. Every sign-in, refused or not, and every sign-out
is an audit entry (``console_sign_in``, ``console_sign_in_failed`` with the reason,
``console_sign_out``). A session is a signed cookie (``security.console_sessions``); signing
out records its id as ended in the store, so a copied cookie dies with the session on every
``serve`` process.
"""

from __future__ import annotations

import asyncio
import math
from datetime import timedelta

from procurelink.errors import AuthenticationError, ErpUnavailable, NotPermitted
from procurelink.ports.buyers import Buyer, BuyerDirectory
from procurelink.ports.records import AuditEntry
from procurelink.security import console_sessions
from procurelink.security.console_sessions import ConsoleSession, SessionError
from procurelink.services.context import Deps
from procurelink.services.sign_in_throttle import SignInThrottle

SESSION_TTL = timedelta(hours=8)
ENDED_KEY = "console.session.ended:"
# The same words for an unknown login and a wrong password: no login enumeration.
REFUSED = "wrong login or password"
MAX_LOGIN = 200  # longer is no Odoo login; the audit keeps at most this much of it


class SignInThrottled(AuthenticationError):
    """Too many failed sign-ins for this login: wait before trying again."""

    code = "sign_in_throttled"


class SignInUnavailable(ErpUnavailable):
    """The ERP cannot check credentials now: try again later."""

    code = "sign_in_unavailable"


class SignInBusy(SignInUnavailable):
    """Too many sign-ins are being checked at once: try again in a moment."""

    code = "sign_in_busy"


class ConsoleAccess:
    """``max_checks``: password checks sent to the ERP at once by this process. Each costs Odoo
    a deliberately slow password hash (PBKDF2) and the sign-in page is as reachable as the
    supplier API, so guesses spread over many login names must not take Odoo's CPU; a check
    waiting longer than ``queue_timeout`` for its turn is refused (``SignInBusy``)."""

    def __init__(
        self,
        deps: Deps,
        directory: BuyerDirectory | None,
        signing_key: str,
        ttl: timedelta = SESSION_TTL,
        throttle: SignInThrottle | None = None,
        max_checks: int = 2,
        queue_timeout: timedelta = timedelta(seconds=10),
    ) -> None:
        self._deps = deps
        self._directory = directory
        self._signing_key = signing_key
        self._ttl = ttl
        self._throttle = throttle or SignInThrottle()
        self._checks = asyncio.Semaphore(max_checks)
        self._queue_timeout = queue_timeout.total_seconds()

    async def sign_in(
        self, login: str, password: str, client: str | None = None
    ) -> tuple[ConsoleSession, str]:
        """A new session and its cookie value, or the refusal (audited either way)."""
        login = login.strip()[:MAX_LOGIN]
        now = self._deps.clock.now()
        wait = self._throttle.wait(login, now)
        if wait > timedelta(0):
            seconds = math.ceil(wait.total_seconds())
            await self._refused(login, "throttled", client)
            raise SignInThrottled(
                f"too many failed sign-ins for this login: try again in {seconds} s",
                retry_after=seconds,
            )
        try:
            buyer = await self._check(login, password)
        except NotPermitted:
            await self._refused(login, "not_a_buyer", client)
            raise
        except SignInBusy:
            await self._refused(login, "busy", client)
            raise
        except AuthenticationError as exc:
            self._throttle.failed(login, now)
            await self._refused(login, "bad_credentials", client)
            raise AuthenticationError(REFUSED) from exc
        except ErpUnavailable as exc:
            await self._refused(login, "erp_unavailable", client)
            raise SignInUnavailable() from exc
        self._throttle.succeeded(login)
        session = console_sessions.new_session(
            buyer.login, buyer.name, buyer.erp_user_id, now, self._ttl
        )
        await self._audit(
            f"buyer:{buyer.login}",
            "console_sign_in",
            f"Odoo user {buyer.erp_user_id}",
            {"client": client, "session_expires_at": session.expires_at.isoformat()},
        )
        return session, console_sessions.encode(session, self._signing_key, now)

    async def _check(self, login: str, password: str) -> Buyer:
        if not login or not password:
            raise AuthenticationError(REFUSED)
        if self._directory is None:
            raise SignInUnavailable("no buyer directory: procurelink runs without Odoo")
        try:
            async with asyncio.timeout(self._queue_timeout):
                await self._checks.acquire()
        except TimeoutError as exc:
            raise SignInBusy() from exc
        try:
            return await self._directory.check(login, password)
        finally:
            self._checks.release()

    async def session(self, cookie: str | None) -> ConsoleSession | None:
        """The live session a cookie carries: signed by us, not expired, not signed out."""
        if not cookie:
            return None
        try:
            session = console_sessions.decode(cookie, self._signing_key, self._deps.clock.now())
        except SessionError:
            return None
        async with self._deps.store.unit_of_work() as uow:
            ended = await uow.state.get(ENDED_KEY + session.session_id)
        return None if ended is not None else session

    async def sign_out(self, session: ConsoleSession, client: str | None = None) -> None:
        now = self._deps.clock.now()
        async with self._deps.store.unit_of_work() as uow:
            await uow.state.put(ENDED_KEY + session.session_id, now.isoformat())
            await uow.audit.append(
                AuditEntry(
                    at=now,
                    actor=f"buyer:{session.login}",
                    action="console_sign_out",
                    subject=f"Odoo user {session.erp_user_id}",
                    after={"client": client},
                )
            )
            await uow.commit()

    def csrf_token(self, bound_to: str) -> str:
        """The hidden form field for a session id (or a pre-sign-in nonce)."""
        return console_sessions.csrf_token(self._signing_key, bound_to)

    def csrf_ok(self, bound_to: str, given: str) -> bool:
        return console_sessions.csrf_matches(self._signing_key, bound_to, given)

    async def _refused(self, login: str, reason: str, client: str | None) -> None:
        await self._audit(
            "console",
            "console_sign_in_failed",
            f"login {login!r}",
            {"reason": reason, "client": client},
        )

    async def _audit(self, actor: str, action: str, subject: str, after: dict[str, object]) -> None:
        async with self._deps.store.unit_of_work() as uow:
            await uow.audit.append(
                AuditEntry(
                    at=self._deps.clock.now(),
                    actor=actor,
                    action=action,
                    subject=subject,
                    after=after,
                )
            )
            await uow.commit()
