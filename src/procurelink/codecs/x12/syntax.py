"""X12 tokenizer and renderer: delimiters from the ISA, segments as tuples of strings.

Nothing here knows about envelopes' meaning or transaction sets; ``envelope`` stacks the
segments and checks counts, the set mappers read the values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from procurelink.errors import InvalidDocument, MalformedMessage

ISA_ELEMENTS = 16
# ISA12 from 00402 on makes ISA11 the repetition separator (edi.md section 1.2).
FIRST_REPETITION_VERSION = "00402"
_WHITESPACE = " \t\r\n"


@dataclass(frozen=True, slots=True)
class Delimiters:
    element: str = "*"
    component: str = ">"
    segment: str = "~"
    repetition: str | None = None

    def all(self) -> tuple[str, ...]:
        chars = (self.element, self.component, self.segment)
        return (*chars, self.repetition) if self.repetition else chars


@dataclass(frozen=True, slots=True)
class Segment:
    """One segment; ``number`` is its 1-based position inside its interchange (ISA = 1)."""

    tag: str
    elements: tuple[str, ...]
    number: int

    def get(self, index: int) -> str:
        """Element ``index`` (1-based) without trailing spaces, ``""`` when absent."""
        if 1 <= index <= len(self.elements):
            return self.elements[index - 1].rstrip(" ")
        return ""


@dataclass(frozen=True, slots=True)
class RawInterchange:
    delimiters: Delimiters
    segments: tuple[Segment, ...]
    offset: int


def tokenize(text: str) -> list[RawInterchange]:
    """Split text (BOM already removed) into interchanges, each with its own delimiters."""
    interchanges: list[RawInterchange] = []
    pos = _skip_whitespace(text, 0)
    while pos < len(text):
        if not text.startswith("ISA", pos):
            raise MalformedMessage(
                "expected an ISA segment",
                offset=pos,
                segment_id=text[pos : pos + 3],
                expected="ISA",
            )
        raw, pos = _read_interchange(text, pos)
        interchanges.append(raw)
        pos = _skip_whitespace(text, pos)
    return interchanges


def _skip_whitespace(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WHITESPACE:
        pos += 1
    return pos


def read_delimiters(text: str, start: int) -> tuple[Delimiters, int]:
    """Delimiters of the ISA at ``start`` and the offset of its segment terminator.

    Walks 16 element separators instead of trusting offsets 104/105, so that an ISA whose
    fixed widths were broken by the sender still reads (edi.md section 1.2).
    """
    if len(text) < start + 4:
        raise MalformedMessage("truncated ISA segment", offset=start, segment_id="ISA")
    element = text[start + 3]
    pos = start + 3
    for _ in range(ISA_ELEMENTS - 1):
        pos = text.find(element, pos + 1)
        if pos < 0:
            raise MalformedMessage("truncated ISA segment", offset=start, segment_id="ISA")
    # pos is now the 16th element separator; ISA16 and the terminator follow it.
    if len(text) < pos + 3:
        raise MalformedMessage("truncated ISA segment", offset=start, segment_id="ISA")
    component, terminator = text[pos + 1], text[pos + 2]
    isa = text[start : pos + 2].split(element)
    version = isa[12]
    if len(version) != 5 or not version.isdigit():
        raise MalformedMessage(
            "ISA12 is not a 5-digit version",
            offset=start,
            segment_id="ISA",
            element_index=12,
            found=version,
        )
    repetition = isa[11] if version >= FIRST_REPETITION_VERSION else None
    delimiters = Delimiters(element, component, terminator, repetition)
    _check_delimiters(delimiters, start)
    return delimiters, pos + 2


def _check_delimiters(delimiters: Delimiters, offset: int) -> None:
    chars = delimiters.all()
    if len(set(chars)) != len(chars) or any(len(c) != 1 for c in chars):
        raise MalformedMessage(
            "ISA delimiters are not distinct single characters",
            offset=offset,
            segment_id="ISA",
            found="".join(chars),
        )
    if any(c.isalnum() or c == " " for c in chars):
        raise MalformedMessage(
            "an ISA delimiter is a letter, digit or space",
            offset=offset,
            segment_id="ISA",
            found="".join(chars),
        )


def _read_interchange(text: str, start: int) -> tuple[RawInterchange, int]:
    delimiters, terminator_at = read_delimiters(text, start)
    isa = text[start:terminator_at].split(delimiters.element)
    segments = [Segment("ISA", tuple(isa[1:]), 1)]
    pos = terminator_at + 1
    while True:
        end = text.find(delimiters.segment, pos)
        if end < 0:
            if text[pos:].strip(_WHITESPACE):
                raise MalformedMessage(
                    "segment without terminator at end of input",
                    offset=pos,
                    interchange=_control(segments[0]),
                    segment_index=len(segments) + 1,
                )
            raise MalformedMessage(
                "interchange ends without IEA",
                offset=pos,
                interchange=_control(segments[0]),
                expected="IEA",
            )
        body = text[pos:end].strip(_WHITESPACE)
        segment_at = pos
        pos = end + 1
        if not body:
            continue
        segment = _segment(body, delimiters, len(segments) + 1, segment_at, segments[0])
        segments.append(segment)
        if segment.tag == "IEA":
            return RawInterchange(delimiters, tuple(segments), start), pos


def _control(isa: Segment) -> str:
    return isa.get(13)


def _segment(body: str, delimiters: Delimiters, number: int, offset: int, isa: Segment) -> Segment:
    parts = body.split(delimiters.element)
    tag = parts[0]
    if not (2 <= len(tag) <= 3 and tag.isascii() and tag.isalnum() and tag == tag.upper()):
        raise MalformedMessage(
            "invalid segment id",
            offset=offset,
            interchange=_control(isa),
            segment_index=number,
            segment_id=tag[:10],
        )
    return Segment(tag, tuple(parts[1:]), number)


def render(
    segments: Iterable[Sequence[str]],
    delimiters: Delimiters,
    suffix: str = "\n",
    ascii_only: bool = True,
) -> str:
    """Join segments (tag first) into text; trailing empty elements are omitted.

    The ISA is written as given (it is fixed width and carries the delimiters itself).
    X12 has no escape character, so a delimiter inside a value cannot be written: it is
    refused rather than silently replaced, because altering an item number is worse than
    not sending.
    """
    forbidden = set(delimiters.all())
    out: list[str] = []
    for segment in segments:
        values = list(segment)
        if values[0] != "ISA":
            while len(values) > 1 and values[-1] == "":
                values.pop()
            for index, value in enumerate(values[1:], start=1):
                _check_value(values[0], index, value, forbidden, ascii_only)
        out.append(delimiters.element.join(values) + delimiters.segment + suffix)
    return "".join(out)


def _check_value(tag: str, index: int, value: str, forbidden: set[str], ascii_only: bool) -> None:
    for char in value:
        if char in forbidden or ord(char) < 0x20 or ord(char) == 0x7F:
            raise InvalidDocument(
                "value contains a delimiter or control character",
                segment_id=tag,
                element_index=index,
                character=repr(char),
            )
        if ascii_only and not char.isascii():
            raise InvalidDocument(
                "value contains a non-ASCII character",
                segment_id=tag,
                element_index=index,
                character=repr(char),
            )
