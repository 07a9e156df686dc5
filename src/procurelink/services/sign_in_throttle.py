"""Console sign-in attempts slow down per login name, across every ``serve`` process.

An attempt is counted before its password goes to the ERP, so guesses sent at once (to one
process or to several) each need their own turn: the first ``free`` attempts of a name cost
nothing; after them each further attempt must come ``base * 2**n`` (at most ``cap``) after
the previous one, whatever the password. A success (or an ERP that could not check) gives
the turn back; ``forget_after`` without attempts forgets the name. Names are compared
stripped and case-folded, so "Jane" and " jane" share one count. The counts live in the
store (``SignInAttemptRepository``), written by compare-and-swap, and names idle longer than
``forget_after`` are pruned, so memory stays bounded whatever names a guesser makes up.
Odoo's own login cooldown (per client address) sits behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from procurelink.ports.records import SignInAttempts
from procurelink.ports.store import MessageStore


@dataclass(frozen=True, slots=True)
class Turn:
    """A counted attempt: ``before`` is what it replaced, to give the turn back."""

    name: str
    before: SignInAttempts | None
    taken: SignInAttempts


class SignInThrottle:
    def __init__(
        self,
        free: int = 3,
        base: timedelta = timedelta(seconds=2),
        cap: timedelta = timedelta(minutes=5),
        forget_after: timedelta = timedelta(minutes=30),
        races: int = 5,
    ) -> None:
        self._free = free
        self._base = base
        self._cap = cap
        self._forget_after = forget_after
        self._races = races

    @staticmethod
    def name(login: str) -> str:
        return login.strip().casefold()

    def wait(self, seen: SignInAttempts | None, now: datetime) -> timedelta:
        """How long after ``seen`` the next attempt must still wait (zero: go ahead)."""
        if seen is None or now - seen.last_at >= self._forget_after:
            return timedelta(0)
        extra = seen.attempts - self._free
        if extra < 0:
            return timedelta(0)
        delay: timedelta = min(self._cap, self._base * (2 ** min(extra, 30)))
        left: timedelta = seen.last_at + delay - now
        return max(timedelta(0), left)

    async def take_turn(self, store: MessageStore, login: str, now: datetime) -> Turn | timedelta:
        """Count one attempt for ``login``, or say how long it must wait first."""
        name = self.name(login)
        async with store.unit_of_work() as uow:
            await uow.sign_in_attempts.prune(now - self._forget_after)
            await uow.commit()
        for _ in range(self._races):
            async with store.unit_of_work() as uow:
                seen = await uow.sign_in_attempts.get(name)
                wait = self.wait(seen, now)
                if wait > timedelta(0):
                    return wait
                fresh = seen is None or now - seen.last_at >= self._forget_after
                count = 1 if fresh or seen is None else seen.attempts + 1
                taken = await uow.sign_in_attempts.swap(name, seen, count, now)
                await uow.commit()
            if taken is not None:
                return Turn(name, seen, taken)
        # Lost every race: as many attempts at this very moment are a guesser's.
        return self._base

    async def succeeded(self, store: MessageStore, turn: Turn) -> None:
        async with store.unit_of_work() as uow:
            await uow.sign_in_attempts.clear(turn.name)
            await uow.commit()

    async def give_back(self, store: MessageStore, turn: Turn) -> None:
        """Undo a turn whose password was never checked (the ERP was unreachable or busy),
        unless another attempt counted since."""
        async with store.unit_of_work() as uow:
            if turn.before is None:
                await uow.sign_in_attempts.clear(turn.name, turn.taken.version)
            else:
                await uow.sign_in_attempts.swap(
                    turn.name, turn.taken, turn.before.attempts, turn.before.last_at
                )
            await uow.commit()
