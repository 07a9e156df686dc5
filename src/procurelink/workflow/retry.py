"""Retry decisions: exponential backoff with jitter, per job kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int = 8
    base: timedelta = timedelta(seconds=2)
    factor: float = 2.0
    cap: timedelta = timedelta(minutes=30)
    # Fraction of the delay that is randomised, so that a burst of failures does not retry
    # in lock-step against a recovering Odoo or partner server.
    jitter: float = 0.2

    def delay(self, attempt: int, rand: Callable[[], float]) -> timedelta:
        """Delay before the attempt after ``attempt`` (1-based) failed."""
        raw = self.base.total_seconds() * self.factor ** max(attempt - 1, 0)
        capped = min(raw, self.cap.total_seconds())
        spread = capped * self.jitter
        return timedelta(seconds=max(0.0, capped - spread + 2 * spread * rand()))


class FailureAction(StrEnum):
    RETRY = "retry"
    BURY = "bury"


def after_failure(
    policy: RetryPolicy,
    attempts: int,
    max_attempts: int,
    transient: bool,
    now: datetime,
    rand: Callable[[], float],
) -> tuple[FailureAction, datetime | None]:
    """Retry later, or dead-letter: permanent errors and exhausted attempts are buried."""
    if not transient or attempts >= min(max_attempts, policy.max_attempts):
        return FailureAction.BURY, None
    return FailureAction.RETRY, now + policy.delay(attempts, rand)
