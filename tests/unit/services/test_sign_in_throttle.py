"""Failed console sign-ins slow down per login name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from procurelink.services.sign_in_throttle import SignInThrottle

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
S = timedelta(seconds=1)


def test_three_failures_are_free_then_each_waits_twice_as_long() -> None:
    throttle = SignInThrottle()
    now = T0
    waits = []
    for _ in range(7):
        throttle.failed("jane", now)
        waits.append(throttle.wait("jane", now))
        now += waits[-1]  # the guesser waits exactly as long as told
    assert waits == [timedelta(0), timedelta(0), 2 * S, 4 * S, 8 * S, 16 * S, 32 * S]


def test_the_wait_is_capped_and_counts_down() -> None:
    throttle = SignInThrottle(cap=timedelta(minutes=5))
    for _ in range(40):
        throttle.failed("jane", T0)
    assert throttle.wait("jane", T0) == timedelta(minutes=5)
    assert throttle.wait("jane", T0 + timedelta(minutes=4)) == timedelta(minutes=1)
    assert throttle.wait("jane", T0 + timedelta(minutes=5)) == timedelta(0)


def test_success_forgets_and_so_does_time() -> None:
    throttle = SignInThrottle(forget_after=timedelta(minutes=30))
    for _ in range(5):
        throttle.failed("jane", T0)
    throttle.succeeded("jane")
    assert throttle.wait("jane", T0) == timedelta(0)
    for _ in range(5):
        throttle.failed("joe", T0)
    later = T0 + timedelta(minutes=30)
    assert throttle.wait("joe", later) == timedelta(0)
    throttle.failed("joe", later)  # counting starts again from one
    assert throttle.wait("joe", later) == timedelta(0)


def test_names_differing_in_case_or_spaces_share_one_count() -> None:
    throttle = SignInThrottle()
    for name in ("Jane", " jane", "JANE "):
        throttle.failed(name, T0)
    assert throttle.wait("jane", T0) == 2 * S
    assert throttle.wait("joe", T0) == timedelta(0)


def test_memory_is_bounded_dropping_the_oldest_name() -> None:
    throttle = SignInThrottle(free=0, max_names=3)
    for i, name in enumerate(("a", "b", "c", "d")):
        throttle.failed(name, T0 + i * S)
    now = T0 + 4 * S
    assert throttle.wait("a", now) == timedelta(0)  # dropped
    assert throttle.wait("d", now) > timedelta(0)
