"""Who uses the buyer console: sign-in against the ERP's users, sessions, sign-out, CSRF.

A buyer signs in with the ERP login and password (``BuyerDirectory``); the password is
passed on once and never stored or logged. Every sign-in, refused or not, and every sign-out
is an audit entry (``console_sign_in``, ``console_sign_in_failed`` with the reason,
``console_sign_out``). A session is a signed cookie (``security.console_sessions``); signing
out records its id as ended in the store, so a copied cookie dies with the session on every
``serve`` process. While a session lives, the ERP is asked again every ``recheck_every``
whether its buyer is still active with purchasing rights: one archived or taken out of the
Purchase group loses the console then (``console_session_revoked``), not at expiry. When the
ERP cannot answer, the session is honoured for ``recheck_grace`` after its last good check.
"""

from __future__ import annotations

import asyncio
import math
from datetime import datetime, timedelta

from procurelink.errors import AuthenticationError, ErpUnavailable, NotPermitted
from procurelink.ports.buyers import Buyer, BuyerDirectory
from procurelink.ports.records import AuditEntry
from procurelink.security import console_sessions
from procurelink.security.console_sessions import ConsoleSession, SessionError
from procurelink.services.context import Deps
from procurelink.services.sign_in_throttle import SignInThrottle, Turn

SESSION_TTL = timedelta(hours=8)
ENDED_KEY = "console.session.ended:"
CHECKED_KEY = "console.session.checked:"  # when the ERP last vouched for the session's buyer
RECHECK_EVERY = timedelta(minutes=5)
RECHECK_GRACE = timedelta(minutes=30)
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
        recheck_every: timedelta = RECHECK_EVERY,
        recheck_grace: timedelta = RECHECK_GRACE,
    ) -> None:
        self._deps = deps
        self._directory = directory
        self._signing_key = signing_key
        self._ttl = ttl
        self._throttle = throttle or SignInThrottle()
        self._checks = asyncio.Semaphore(max_checks)
        self._queue_timeout = queue_timeout.total_seconds()
        self._recheck_every = recheck_every
        self._recheck_grace = recheck_grace

    async def sign_in(
        self, login: str, password: str, client: str | None = None
    ) -> tuple[ConsoleSession, str]:
        """A new session and its cookie value, or the refusal (audited either way)."""
        login = login.strip()[:MAX_LOGIN]
        now = self._deps.clock.now()
        turn = await self._throttle.take_turn(self._deps.store, login, now)
        if not isinstance(turn, Turn):
            seconds = max(1, math.ceil(turn.total_seconds()))
            await self._refused(login, "throttled", client)
            raise SignInThrottled(
                f"too many failed sign-ins for this login: try again in {seconds} s",
                retry_after=seconds,
            )
        try:
            buyer = await self._check(login, password)
        except NotPermitted:
            # The password was right: not a guess to slow down.
            await self._throttle.succeeded(self._deps.store, turn)
            await self._refused(login, "not_a_buyer", client)
            raise
        except SignInBusy:
            await self._throttle.give_back(self._deps.store, turn)
            await self._refused(login, "busy", client)
            raise
        except AuthenticationError as exc:
            await self._refused(login, "bad_credentials", client)
            raise AuthenticationError(REFUSED) from exc
        except ErpUnavailable as exc:
            await self._throttle.give_back(self._deps.store, turn)
            await self._refused(login, "erp_unavailable", client)
            raise SignInUnavailable() from exc
        await self._throttle.succeeded(self._deps.store, turn)
        session = console_sessions.new_session(
            buyer.login, buyer.name, buyer.erp_user_id, now, self._ttl
        )
        await self._vouched_for(session, now)
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
            checked = await uow.state.get(CHECKED_KEY + session.session_id)
        if ended is not None:
            return None
        return await self._still_a_buyer(session, checked)

    async def _still_a_buyer(
        self, session: ConsoleSession, checked: str | None
    ) -> ConsoleSession | None:
        now = self._deps.clock.now()
        # A session from before rechecks were kept counts from its sign-in.
        last = datetime.fromisoformat(checked) if checked else session.expires_at - self._ttl
        if now - last < self._recheck_every:
            return session
        # Unverified (the ERP cannot answer, or there is none): honoured for the grace.
        unverified = session if now - last < self._recheck_grace else None
        if self._directory is None:
            return unverified
        try:
            still = await self._directory.is_buyer(session.erp_user_id)
        except ErpUnavailable:
            return unverified
        if still:
            await self._vouched_for(session, now)
            return session
        await self._end(
            session,
            "console_session_revoked",
            {"reason": "no longer an active user of the Purchase group in the ERP"},
        )
        return None

    async def _vouched_for(self, session: ConsoleSession, now: datetime) -> None:
        """The ERP has just confirmed the session's buyer: the next check is due from now."""
        async with self._deps.store.unit_of_work() as uow:
            await uow.state.put(CHECKED_KEY + session.session_id, now.isoformat())
            await uow.commit()

    async def sign_out(self, session: ConsoleSession, client: str | None = None) -> None:
        await self._end(session, "console_sign_out", {"client": client})

    async def _end(self, session: ConsoleSession, action: str, why: dict[str, object]) -> None:
        now = self._deps.clock.now()
        async with self._deps.store.unit_of_work() as uow:
            await uow.state.put(ENDED_KEY + session.session_id, now.isoformat())
            await uow.audit.append(
                AuditEntry(
                    at=now,
                    actor=f"buyer:{session.login}",
                    action=action,
                    subject=f"Odoo user {session.erp_user_id}",
                    after=why,
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
