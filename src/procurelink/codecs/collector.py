"""Pausing the cyclic garbage collector while a decoder builds many small objects.

A decoded message is thousands of tuples, lists, dicts and model instances, none of them in
a reference cycle. Each 700 new container objects start a collection of the youngest
generation, and every few of those a full one over the whole heap, which grows with the
document: on a 50,000-segment file that was a third of the decode time. The collector is
paused only while one message or set is built, then resumed as it was, so garbage that does
have cycles is still collected between messages and a long stream never grows unbounded.
"""

from __future__ import annotations

import gc
from types import TracebackType


class collector_paused:  # noqa: N801 - used like the function it replaced: with collector_paused()
    """Pause the cyclic collector for the block; nested use keeps it paused until the end
    of the outermost block.

    A class rather than a ``@contextmanager`` generator: it is entered for every message, and
    the generator's ``__exit__`` costs a StopIteration and a frame object each time.
    """

    __slots__ = ("_enabled",)

    def __enter__(self) -> None:
        self._enabled = gc.isenabled()
        gc.disable()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._enabled:
            gc.enable()
