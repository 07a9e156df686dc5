"""The unread part of a text arriving in chunks, for the streaming tokenizers (X12, EDIFACT).

A file of any size is read a chunk at a time; the window holds what is left of the chunks
read so far and its offset in the whole input, so that errors still name input offsets.
"""

from __future__ import annotations

from collections.abc import Iterable

WHITESPACE = " \t\r\n"


class TextWindow:
    __slots__ = ("base", "buf", "chunks", "pos")

    def __init__(self, chunks: Iterable[str]) -> None:
        self.chunks = iter(chunks)
        self.buf = ""
        self.pos = 0
        self.base = 0  # offset of buf[0] in the whole input

    def more(self) -> bool:
        """Append the next non-empty chunk, dropping what was read; False at end of input."""
        for chunk in self.chunks:
            if chunk:
                self.base += self.pos
                self.buf = self.buf[self.pos :] + chunk
                self.pos = 0
                return True
        return False

    def fill(self, size: int) -> None:
        """Make ``size`` unread characters available, unless the input ends first."""
        while len(self.buf) - self.pos < size and self.more():
            pass

    def skip_whitespace(self) -> bool:
        """Move past white space; False when only white space was left."""
        while True:
            buf, pos = self.buf, self.pos
            while pos < len(buf) and buf[pos] in WHITESPACE:
                pos += 1
            self.pos = pos
            if pos < len(buf):
                return True
            if not self.more():
                return False
