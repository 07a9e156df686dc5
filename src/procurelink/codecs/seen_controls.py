"""Uniqueness of control numbers within an envelope, in memory that does not grow with it."""

from __future__ import annotations


class SeenControls:
    """Control numbers seen so far (X12 ST02 in a group, EDIFACT UNH 0062 in an
    interchange), for the uniqueness check, in little memory.

    A streamed envelope of a million sets or messages would keep a million strings in a plain
    set (over 100 MB); senders number them consecutively, so numeric controls are kept as runs
    of consecutive numbers of one width ("0001".."9999"), the rest in a set.
    """

    __slots__ = ("_others", "_runs")
    # Past this many runs (numbering that jumps around), numbers go to the set instead, so
    # the scan of the runs stays short.
    MAX_RUNS = 256

    def __init__(self) -> None:
        self._runs: list[list[int]] = []  # [width, first, last]; the last run grows
        self._others: set[str] = set()

    def add(self, control: str) -> bool:
        """Record ``control``; False when the group had it already."""
        if control in self._others:
            return False
        if not (control.isascii() and control.isdigit()):
            self._others.add(control)
            return True
        width, number = len(control), int(control)
        runs = self._runs
        if runs and runs[-1][0] == width and runs[-1][2] + 1 == number:
            if any(w == width and a <= number <= b for w, a, b in runs[:-1]):
                return False
            runs[-1][2] = number
            return True
        if any(w == width and a <= number <= b for w, a, b in runs):
            return False
        if len(runs) < self.MAX_RUNS:
            runs.append([width, number, number])
        else:
            self._others.add(control)
        return True
