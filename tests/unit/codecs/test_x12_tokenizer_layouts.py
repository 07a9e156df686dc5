"""The tokenizer's block path gives the same segments whatever the white space around them.

Files over one block (64 KiB) go through ``syntax._block``, which skips stripping each
segment when the layout allows it; these tests compare its segments with a plain reading
(split on the terminator, strip, split on the element separator) in every layout.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from x12_support import sample

from procurelink.codecs.x12.syntax import BLOCK, tokenize

Layout = Callable[[str], str]


def _big_interchange() -> str:
    lines = [line for line in sample("850_PO00042.x12").decode().splitlines() if line]
    isa, gs, body = lines[0], lines[1], lines[2:-2]
    copies = BLOCK // len("\n".join(body)) * 4
    sets = "\n".join(line.replace("0001~", f"{n:04d}~") for n in range(copies) for line in body)
    return f"{isa}\n{gs}\n{sets}\nGE*{copies}*1001~\nIEA*1*000000101~\n"


def _plain_reading(text: str) -> list[tuple[str, tuple[str, ...]]]:
    segments = []
    for piece in text.split("~"):
        body = piece.strip(" \t\r\n")
        if body:
            tag, *elements = body.split("*")
            segments.append((tag, tuple(elements)))
    return segments


LAYOUTS: dict[str, Layout] = {
    "line break": lambda t: t,
    "no line break": lambda t: t.replace("~\n", "~"),
    "CRLF": lambda t: t.replace("~\n", "~\r\n"),
    "space before line break": lambda t: t.replace("~\n", "~ \n"),
    "indented": lambda t: t.replace("~\n", "~\n  "),
    "blank lines": lambda t: t.replace("~\n", "~\n\n"),
    "tab before terminator": lambda t: t.replace("~\n", "\t~\n"),
    "empty segments": lambda t: t.replace("~\n", "~~"),
    "mixed": lambda t: t.replace("~\nPID", "~PID").replace("~\nDTM", "~\r\nDTM"),
    "line break inside a value": lambda t: t.replace("Hex bolt", "Hex\nbolt"),
}


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_block_segments_match_a_plain_reading(name: str) -> None:
    isa, rest = _big_interchange().split("\n", 1)
    # The layout changes everything between the ISA (which fixes the delimiters) and the IEA.
    iea = "IEA*1*000000101~\n"
    text = isa + "\n" + LAYOUTS[name](rest.removesuffix(iea)) + iea
    assert len(text) > 3 * BLOCK
    read = [
        (s.tag, tuple(s.elements), s.number)
        for raw in tokenize(text)
        for s in [raw.isa, *raw.segments]
    ]
    plain = _plain_reading(text)
    assert [(tag, elements) for tag, elements, _ in read] == plain
    assert [number for *_, number in read] == [1, *range(2, len(plain) + 1)]
