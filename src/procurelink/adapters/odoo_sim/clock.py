"""The simulator's clock: Odoo-formatted UTC instants that never repeat across transactions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


class SimClock:
    """Hands out one instant per writing transaction, like Odoo's transaction start time.

    Odoo stores ``write_date`` with second precision, so two transactions in the same second
    share an instant. Pollers must cope with that, but tests that need a strict order would be
    flaky; the simulator therefore moves its clock one second forward when the wall clock has
    not advanced. Under bursts it runs slightly ahead of real time, never behind.
    """

    def __init__(self, now: Callable[[], datetime] = _utc_now) -> None:
        self._now = now
        self._last: datetime | None = None

    def tick(self) -> str:
        instant = self._now().replace(microsecond=0)
        if self._last is not None and instant <= self._last:
            instant = self._last + timedelta(seconds=1)
        self._last = instant
        return instant.strftime(DATETIME_FORMAT)

    def peek(self) -> str:
        """The current instant without consuming it (defaults such as ``date_order``)."""
        instant = self._now().replace(microsecond=0)
        if self._last is not None and instant < self._last:
            instant = self._last
        return instant.strftime(DATETIME_FORMAT)
