"""Console sign-in attempts slow down per login name: the policy, and its turns counted in a
real SQLite store (the compare-and-swap itself runs on PostgreSQL too, in
tests/contract/store/test_store_sign_in_attempts.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from procurelink.adapters.store import SqlStore, create_store, migrate
from procurelink.ports.records import SignInAttempts
from procurelink.services.sign_in_throttle import SignInThrottle, Turn

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
S = timedelta(seconds=1)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqlStore]:
    url = f"sqlite:///{tmp_path / 'throttle.db'}"
    await migrate(url)
    store = create_store(url)
    try:
        yield store
    finally:
        await store.close()


def test_three_attempts_are_free_then_each_waits_twice_as_long() -> None:
    throttle = SignInThrottle()
    waits = [throttle.wait(SignInAttempts(n, T0), T0) for n in range(1, 8)]
    assert waits == [timedelta(0), timedelta(0), 2 * S, 4 * S, 8 * S, 16 * S, 32 * S]


def test_the_wait_is_capped_counts_down_and_is_forgotten() -> None:
    throttle = SignInThrottle(cap=timedelta(minutes=5), forget_after=timedelta(minutes=30))
    many = SignInAttempts(40, T0)
    assert throttle.wait(many, T0) == timedelta(minutes=5)
    assert throttle.wait(many, T0 + timedelta(minutes=4)) == timedelta(minutes=1)
    assert throttle.wait(many, T0 + timedelta(minutes=5)) == timedelta(0)
    assert throttle.wait(None, T0) == timedelta(0)


async def test_turns_follow_the_policy_and_a_success_forgets(store: SqlStore) -> None:
    throttle = SignInThrottle()
    now = T0
    answers: list[object] = []
    for _ in range(9):
        answer = await throttle.take_turn(store, "jane", now)
        answers.append("turn" if isinstance(answer, Turn) else answer)
        if isinstance(answer, timedelta):
            now += answer  # the guesser waits exactly as long as told
    assert answers == ["turn", "turn", "turn", 2 * S, "turn", 4 * S, "turn", 8 * S, "turn"]
    last = await throttle.take_turn(store, "jane", now)
    assert last == 16 * S
    now += 16 * S
    turn = await throttle.take_turn(store, "jane", now)
    assert isinstance(turn, Turn)
    await throttle.succeeded(store, turn)
    assert isinstance(await throttle.take_turn(store, "jane", now), Turn)


async def test_time_forgets_and_counting_starts_again(store: SqlStore) -> None:
    throttle = SignInThrottle(free=1, forget_after=timedelta(minutes=30))
    assert isinstance(await throttle.take_turn(store, "joe", T0), Turn)
    assert await throttle.take_turn(store, "joe", T0) == 2 * S
    later = T0 + timedelta(minutes=30)
    turn = await throttle.take_turn(store, "joe", later)
    assert isinstance(turn, Turn)
    assert turn.taken.attempts == 1


async def test_names_differing_in_case_or_spaces_share_one_count(store: SqlStore) -> None:
    throttle = SignInThrottle()
    for name in ("Jane", " jane", "JANE "):
        assert isinstance(await throttle.take_turn(store, name, T0), Turn)
    assert await throttle.take_turn(store, "jane", T0) == 2 * S
    assert isinstance(await throttle.take_turn(store, "joe", T0), Turn)


async def test_a_turn_given_back_is_not_counted(store: SqlStore) -> None:
    throttle = SignInThrottle(free=2)
    first = await throttle.take_turn(store, "jane", T0)
    assert isinstance(first, Turn)
    await throttle.give_back(store, first)  # e.g. Odoo was unreachable
    second = await throttle.take_turn(store, "jane", T0)
    third = await throttle.take_turn(store, "jane", T0)
    assert isinstance(second, Turn) and isinstance(third, Turn)
    assert third.taken.attempts == 2  # the first was not counted
    await throttle.give_back(store, second)  # another attempt counted since: nothing undone
    assert await throttle.take_turn(store, "jane", T0) == 2 * S
