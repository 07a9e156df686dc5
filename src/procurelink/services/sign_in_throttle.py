"""Failed console sign-ins slow down per login name (in this process).

The first ``free`` failures of a name cost nothing; after them each further attempt must wait
``base * 2**n`` (at most ``cap``) from the last failure, whatever the password. A success
forgets the name, and so does ``forget_after`` without failures. Names are compared stripped
and case-folded, so "Jane" and " jane" share one count. Memory is bounded: past
``max_names`` the name failing longest ago is dropped first.

In-process on purpose: several ``serve`` processes each slow a guesser down on their own,
which multiplies its rate by the number of processes but needs no shared state. Odoo's own
login cooldown (per client address) sits behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(slots=True)
class _Failures:
    count: int
    last: datetime


class SignInThrottle:
    def __init__(
        self,
        free: int = 3,
        base: timedelta = timedelta(seconds=2),
        cap: timedelta = timedelta(minutes=5),
        forget_after: timedelta = timedelta(minutes=30),
        max_names: int = 10_000,
    ) -> None:
        self._free = free
        self._base = base
        self._cap = cap
        self._forget_after = forget_after
        self._max_names = max_names
        self._failures: dict[str, _Failures] = {}

    @staticmethod
    def _name(login: str) -> str:
        return login.strip().casefold()

    def wait(self, login: str, now: datetime) -> timedelta:
        """How long ``login`` must still wait before its next attempt (zero: go ahead)."""
        seen = self._failures.get(self._name(login))
        if seen is None or now - seen.last >= self._forget_after:
            return timedelta(0)
        extra = seen.count - self._free
        if extra < 0:
            return timedelta(0)
        delay: timedelta = min(self._cap, self._base * (2 ** min(extra, 30)))
        left: timedelta = seen.last + delay - now
        return max(timedelta(0), left)

    def failed(self, login: str, now: datetime) -> None:
        name = self._name(login)
        seen = self._failures.pop(name, None)  # re-inserted last: dicts keep insertion order
        if seen is None or now - seen.last >= self._forget_after:
            seen = _Failures(0, now)
        seen.count += 1
        seen.last = now
        self._failures[name] = seen
        while len(self._failures) > self._max_names:
            del self._failures[next(iter(self._failures))]

    def succeeded(self, login: str) -> None:
        self._failures.pop(self._name(login), None)
