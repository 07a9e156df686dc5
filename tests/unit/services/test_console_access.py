"""ConsoleAccess on a real SQLite store, with a directory of two buyers standing in for Odoo
(the Odoo directory itself is checked against the simulator and a real Odoo in
tests/contract/odoo/test_odoo_buyers_contract.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from service_world import SetClock, store_only

from procurelink.adapters.store import create_store, migrate
from procurelink.errors import AuthenticationError, ErpUnavailable, NotPermitted
from procurelink.ports.buyers import Buyer
from procurelink.ports.records import AuditEntry
from procurelink.services.console_access import (
    REFUSED,
    ConsoleAccess,
    SignInBusy,
    SignInThrottled,
    SignInUnavailable,
)
from procurelink.services.context import Deps

KEY = "a-signing-key-of-at-least-thirty-two-bytes"


@dataclass
class TwoUsers:
    """jane (a buyer) and clerk (no Purchase group); ``down`` plays an unreachable ERP."""

    down: bool = False
    asked: list[str] = field(default_factory=list)
    buyers: set[int] = field(default_factory=lambda: {7})
    rechecked: list[int] = field(default_factory=list)

    async def check(self, login: str, password: str) -> Buyer:
        self.asked.append(login)
        if self.down:
            raise ErpUnavailable("connection refused")
        if (login, password) == ("jane", "s3cret-jane"):
            return Buyer("jane", "Jane Buyer", 7)
        if (login, password) == ("clerk", "s3cret-clerk"):
            raise NotPermitted("not in the Purchase group")
        raise AuthenticationError("Odoo refused the login", user=login)

    async def is_buyer(self, erp_user_id: int) -> bool:
        self.rechecked.append(erp_user_id)
        if self.down:
            raise ErpUnavailable("connection refused")
        return erp_user_id in self.buyers


@dataclass
class World:
    access: ConsoleAccess
    deps: Deps
    clock: SetClock
    users: TwoUsers

    async def audit(self) -> list[AuditEntry]:
        async with self.deps.store.unit_of_work() as uow:
            return await uow.audit.list()


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    url = f"sqlite:///{tmp_path / 'console.db'}"
    await migrate(url)
    store = create_store(url)
    clock = SetClock()
    deps = store_only(store, clock)
    users = TwoUsers()
    try:
        yield World(ConsoleAccess(deps, users, KEY, timedelta(hours=8)), deps, clock, users)
    finally:
        await store.close()


async def test_a_buyer_signs_in_and_the_cookie_opens_the_session(world: World) -> None:
    session, cookie = await world.access.sign_in(" jane ", "s3cret-jane", "10.0.0.7")
    assert (session.login, session.name, session.erp_user_id) == ("jane", "Jane Buyer", 7)
    assert await world.access.session(cookie) == session
    [entry] = await world.audit()
    assert (entry.actor, entry.action) == ("buyer:jane", "console_sign_in")
    assert entry.after == {"client": "10.0.0.7", "session_expires_at": "2026-11-30T17:00:00+00:00"}


async def test_the_session_ends_after_its_time_and_at_sign_out(world: World) -> None:
    session, cookie = await world.access.sign_in("jane", "s3cret-jane")
    world.clock.at += timedelta(hours=8)
    assert await world.access.session(cookie) is None
    world.clock.at -= timedelta(hours=1)
    assert await world.access.session(cookie) == session
    assert world.users.rechecked == [7]  # seven hours after the sign-in: Odoo asked again
    await world.access.sign_out(session, "10.0.0.7")
    assert await world.access.session(cookie) is None
    # Another session of the same buyer lives on.
    _, other = await world.access.sign_in("jane", "s3cret-jane")
    assert await world.access.session(other) is not None
    assert [a.action for a in await world.audit()] == [
        "console_sign_in",
        "console_sign_out",
        "console_sign_in",
    ]


async def test_refusals_are_audited_without_the_password(world: World) -> None:
    with pytest.raises(AuthenticationError) as wrong:
        await world.access.sign_in("jane", "guess-1")
    assert wrong.value.message == REFUSED
    assert not isinstance(wrong.value, NotPermitted)
    with pytest.raises(NotPermitted):
        await world.access.sign_in("clerk", "s3cret-clerk")
    with pytest.raises(AuthenticationError):
        await world.access.sign_in("", "")
    world.users.down = True
    with pytest.raises(SignInUnavailable):
        await world.access.sign_in("jane", "s3cret-jane")
    entries = await world.audit()
    assert [(a.actor, a.subject, (a.after or {})["reason"]) for a in entries] == [
        ("console", "login 'jane'", "bad_credentials"),
        ("console", "login 'clerk'", "not_a_buyer"),
        ("console", "login ''", "bad_credentials"),
        ("console", "login 'jane'", "erp_unavailable"),
    ]
    assert "guess-1" not in repr(entries)
    assert "s3cret" not in repr(entries)


async def test_repeated_failures_stop_reaching_the_erp(world: World) -> None:
    for _ in range(3):
        with pytest.raises(AuthenticationError):
            await world.access.sign_in("jane", "guess")
    with pytest.raises(SignInThrottled) as throttled:
        await world.access.sign_in("jane", "s3cret-jane")
    assert throttled.value.details["retry_after"] == 2
    assert world.users.asked == ["jane"] * 3  # the fourth never reached Odoo
    world.clock.at += timedelta(seconds=2)
    session, _ = await world.access.sign_in("jane", "s3cret-jane")
    assert session.login == "jane"


async def test_an_unreachable_erp_does_not_count_as_a_failure(world: World) -> None:
    world.users.down = True
    for _ in range(5):
        with pytest.raises(SignInUnavailable):
            await world.access.sign_in("jane", "s3cret-jane")
    world.users.down = False
    assert (await world.access.sign_in("jane", "s3cret-jane"))[0].login == "jane"


async def test_without_a_directory_nobody_signs_in(world: World) -> None:
    access = ConsoleAccess(world.deps, None, KEY)
    with pytest.raises(SignInUnavailable):
        await access.sign_in("jane", "s3cret-jane")


async def test_cookies_and_csrf_tokens_of_another_key_are_not_ours(world: World) -> None:
    session, cookie = await world.access.sign_in("jane", "s3cret-jane")
    other = ConsoleAccess(world.deps, world.users, "another-signing-key-thirty-two-bytes-long")
    assert await other.session(cookie) is None
    token = world.access.csrf_token(session.session_id)
    assert world.access.csrf_ok(session.session_id, token)
    assert not other.csrf_ok(session.session_id, token)


@dataclass
class SlowOdoo:
    """Holds every check until ``go`` is set, as a slow password hash would."""

    go: asyncio.Event = field(default_factory=asyncio.Event)
    running: int = 0
    most: int = 0

    async def check(self, login: str, password: str) -> Buyer:
        self.running += 1
        self.most = max(self.most, self.running)
        await self.go.wait()
        self.running -= 1
        raise AuthenticationError("Odoo refused the login", user=login)


async def test_password_checks_queue_for_a_few_slots_and_a_long_queue_is_refused(
    world: World,
) -> None:
    odoo = SlowOdoo()
    access = ConsoleAccess(
        world.deps, odoo, KEY, max_checks=2, queue_timeout=timedelta(milliseconds=200)
    )
    guesses = [asyncio.create_task(access.sign_in(f"user-{i}", "guess")) for i in range(3)]
    done, _ = await asyncio.wait(guesses, timeout=5, return_when=asyncio.FIRST_COMPLETED)
    [busy] = done
    with pytest.raises(SignInBusy):
        busy.result()
    assert odoo.most == 2  # never more than two at Odoo at once
    odoo.go.set()
    for guess in guesses:
        if guess is not busy:
            with pytest.raises(AuthenticationError):
                await guess
    reasons = sorted((a.after or {})["reason"] for a in await world.audit())
    assert reasons == ["bad_credentials", "bad_credentials", "busy"]


async def test_concurrent_guesses_each_need_a_turn(world: World) -> None:
    """Guesses sent at once are counted before their password goes to the ERP: only the
    free three reach it, whatever the interleaving."""
    guesses = await asyncio.gather(
        *(world.access.sign_in("Jane", "guess") for _ in range(10)), return_exceptions=True
    )
    assert sum(isinstance(g, SignInThrottled) for g in guesses) == 7
    assert world.users.asked == ["Jane"] * 3


async def test_the_count_is_shared_by_every_process(world: World) -> None:
    """A second ConsoleAccess on the same store (another ``serve`` process) sees the count."""
    other = ConsoleAccess(world.deps, world.users, KEY)
    for access in (world.access, other, world.access):
        with pytest.raises(AuthenticationError):
            await access.sign_in("jane", "guess")
    with pytest.raises(SignInThrottled):
        await other.sign_in("jane", "s3cret-jane")


async def test_a_buyer_taken_out_of_the_group_loses_the_session_within_minutes(
    world: World,
) -> None:
    session, cookie = await world.access.sign_in("jane", "s3cret-jane")
    world.clock.at += timedelta(minutes=4)
    assert await world.access.session(cookie) == session
    assert world.users.rechecked == []  # not asked before five minutes
    world.clock.at += timedelta(minutes=1)
    assert await world.access.session(cookie) == session
    assert world.users.rechecked == [7]
    world.users.buyers.clear()  # archived, or taken out of the Purchase group, in Odoo
    world.clock.at += timedelta(minutes=4)
    assert await world.access.session(cookie) == session  # last asked four minutes ago
    world.clock.at += timedelta(minutes=1)
    assert await world.access.session(cookie) is None
    world.users.buyers.add(7)  # ended for good: a new sign-in is needed
    assert await world.access.session(cookie) is None
    revoked = [a for a in await world.audit() if a.action == "console_session_revoked"]
    assert [(a.actor, a.subject) for a in revoked] == [("buyer:jane", "Odoo user 7")]


async def test_an_unreachable_erp_keeps_sessions_for_a_grace_period(world: World) -> None:
    session, cookie = await world.access.sign_in("jane", "s3cret-jane")
    world.users.down = True
    world.clock.at += timedelta(minutes=29)
    assert await world.access.session(cookie) == session
    world.clock.at += timedelta(minutes=1)
    assert await world.access.session(cookie) is None  # thirty minutes unverified
    world.users.down = False
    assert await world.access.session(cookie) == session  # not ended: verified again
    assert [a.action for a in await world.audit()] == ["console_sign_in"]


async def test_idle_names_are_pruned(world: World) -> None:
    for name in ("a", "b"):
        with pytest.raises(AuthenticationError):
            await world.access.sign_in(name, "guess")
    world.clock.at += timedelta(minutes=30)
    with pytest.raises(AuthenticationError):
        await world.access.sign_in("c", "guess")
    async with world.deps.store.unit_of_work() as uow:
        left = [n for n in "abc" if await uow.sign_in_attempts.get(n) is not None]
    assert left == ["c"]
