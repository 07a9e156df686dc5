"""X12 tokenizer and renderer: delimiters from the ISA, segments as tuples of strings.

Nothing here knows about envelopes' meaning or transaction sets; ``envelope`` stacks the
segments and checks counts, the set mappers read the values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from procurelink.errors import InvalidDocument, MalformedMessage

ISA_ELEMENTS = 16
# ISA12 from 00402 on makes ISA11 the repetition separator (edi.md section 1.2).
FIRST_REPETITION_VERSION = "00402"
_WHITESPACE = " \t\r\n"
# Stands for the component separator in values handed to ``render`` (a composite such as
# AK401 "element>component"); never valid in data, so it cannot clash with a real value.
COMPONENT = "\x1f"


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


Report = Callable[[InvalidDocument], None]


def raise_error(error: InvalidDocument) -> None:
    """The decoder's report: the first problem ends decoding."""
    raise error


@dataclass(frozen=True, slots=True)
class RawInterchange:
    """One interchange: its delimiters, its ISA, and its other segments read lazily.

    ``segments`` runs up to and including the IEA; it must be consumed before the next
    interchange is read (``tokenize`` drains what the consumer leaves), so memory holds one
    segment at a time however large the file.
    """

    delimiters: Delimiters
    isa: Segment
    offset: int
    segments: Iterator[Segment]


@dataclass
class _Cursor:
    pos: int


def tokenize(text: str, report: Report = raise_error) -> Iterator[RawInterchange]:
    """Interchanges of text (BOM already removed), each with its own delimiters.

    A segment with an invalid id is reported and still handed on (when ``report`` returns),
    so that a validator can go on; a missing terminator or IEA ends the input.
    """
    pos = _skip_whitespace(text, 0)
    while pos < len(text):
        if not text.startswith("ISA", pos):
            raise MalformedMessage(
                "expected an ISA segment",
                offset=pos,
                segment_id=text[pos : pos + 3],
                expected="ISA",
                rule="isa_syntax",
            )
        delimiters, terminator_at = read_delimiters(text, pos)
        isa = Segment("ISA", tuple(text[pos:terminator_at].split(delimiters.element)[1:]), 1)
        cursor = _Cursor(terminator_at + 1)
        raw = RawInterchange(delimiters, isa, pos, _segments(text, cursor, delimiters, isa, report))
        yield raw
        for _ in raw.segments:
            pass
        pos = _skip_whitespace(text, cursor.pos)


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


def _segments(
    text: str, cursor: _Cursor, delimiters: Delimiters, isa: Segment, report: Report
) -> Iterator[Segment]:
    number = 1
    while True:
        pos = cursor.pos
        end = text.find(delimiters.segment, pos)
        if end < 0:
            if text[pos:].strip(_WHITESPACE):
                raise MalformedMessage(
                    "segment without terminator at end of input",
                    offset=pos,
                    interchange=_control(isa),
                    segment_index=number + 1,
                    rule="iea_missing",
                )
            raise MalformedMessage(
                "interchange ends without IEA",
                offset=pos,
                interchange=_control(isa),
                expected="IEA",
                rule="iea_missing",
            )
        body = text[pos:end].strip(_WHITESPACE)
        cursor.pos = end + 1
        if not body:
            continue
        number += 1
        segment = _segment(body, delimiters, number, pos, isa, report)
        yield segment
        if segment.tag == "IEA":
            return


def _control(isa: Segment) -> str:
    return isa.get(13)


def _segment(
    body: str, delimiters: Delimiters, number: int, offset: int, isa: Segment, report: Report
) -> Segment:
    parts = body.split(delimiters.element)
    tag = parts[0]
    if not (2 <= len(tag) <= 3 and tag.isascii() and tag.isalnum() and tag == tag.upper()):
        report(
            MalformedMessage(
                "invalid segment id",
                offset=offset,
                interchange=_control(isa),
                segment_index=number,
                segment_id=tag[:10],
                rule="segment_id",
            )
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
                _check_value(values[0], index, value.replace(COMPONENT, ""), forbidden, ascii_only)
                values[index] = value.replace(COMPONENT, delimiters.component)
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
