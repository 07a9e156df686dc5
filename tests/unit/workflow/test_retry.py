from __future__ import annotations

from datetime import UTC, datetime, timedelta

from procurelink.workflow.retry import FailureAction, RetryPolicy, after_failure

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_backoff_grows_exponentially_and_is_capped() -> None:
    policy = RetryPolicy(base=timedelta(seconds=2), factor=2, cap=timedelta(seconds=30), jitter=0)
    delays = [policy.delay(n, lambda: 0.5).total_seconds() for n in range(1, 7)]
    assert delays == [2, 4, 8, 16, 30, 30]


def test_jitter_spreads_around_the_delay() -> None:
    policy = RetryPolicy(base=timedelta(seconds=10), jitter=0.2)
    low = policy.delay(1, lambda: 0.0).total_seconds()
    high = policy.delay(1, lambda: 1.0).total_seconds()
    assert (low, high) == (8.0, 12.0)


def test_transient_failures_retry_until_the_last_attempt() -> None:
    policy = RetryPolicy(max_attempts=3, jitter=0)
    action, when = after_failure(policy, 1, 8, True, NOW, lambda: 0.5)
    assert action == FailureAction.RETRY and when == NOW + timedelta(seconds=2)
    assert after_failure(policy, 3, 8, True, NOW, lambda: 0.5) == (FailureAction.BURY, None)


def test_permanent_failures_are_buried_at_once() -> None:
    assert after_failure(RetryPolicy(), 1, 8, False, NOW, lambda: 0.5) == (FailureAction.BURY, None)
