"""X12 tokenizer and renderer: delimiters from the ISA, segments as tuples of strings.

Nothing here knows about envelopes' meaning or transaction sets; ``envelope`` stacks the
segments and checks counts, the set mappers read the values.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, count, repeat
from operator import itemgetter, methodcaller
from typing import NamedTuple, NoReturn

from procurelink.codecs.text_window import TextWindow
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


class Segment(NamedTuple):
    """One segment; ``number`` is its 1-based position inside its interchange (ISA = 1).

    A named tuple rather than a dataclass: the tokenizer builds segments with
    ``tuple.__new__`` from C-level iterators, which is most of its speed (see ``_block``).
    """

    tag: str
    # The list the tokenizer's split made, tag included: fields[i] is element i, as X12
    # numbers them from 01. Handing the list on (rather than copying its tail into a tuple)
    # was a fifth of tokenizing. Segments built elsewhere carry tuples; none is mutated.
    fields: Sequence[str]
    number: int

    @classmethod
    def of(cls, tag: str, elements: Sequence[str], number: int) -> Segment:
        return cls(tag, (tag, *elements), number)

    @property
    def elements(self) -> Sequence[str]:
        """The elements after the tag (element 01 first)."""
        return self.fields[1:]

    def get(self, index: int) -> str:
        """Element ``index`` (1-based) without trailing spaces, ``""`` when absent."""
        # Called for nearly every value a mapper reads; an absent element is the rare case.
        if index < 1:
            return ""
        try:
            return self.fields[index].rstrip(" ")
        except IndexError:
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


# Text is cut at a segment terminator into blocks of about this many characters; a block is
# split and turned into segments by C-level str methods and iterators, so Python code runs
# once per block rather than once per segment (the speed goal in bench/edi_decode.py).
BLOCK = 1 << 16
# Text made available before an ISA is read: 106 characters when the fixed widths are kept,
# more tolerated (``read_delimiters`` walks the separators).
ISA_WINDOW = 4096
# Segment ids seen valid once need no second look; bounded so hostile input cannot grow it.
_VALID_TAGS: set[str] = set()
_MAX_VALID_TAGS = 1024
_strip = methodcaller("strip", _WHITESPACE)
_tag = itemgetter(0)


def tokenize(text: str, report: Report = raise_error) -> Iterator[RawInterchange]:
    """Interchanges of text (BOM already removed), each with its own delimiters.

    A segment with an invalid id is reported and still handed on (when ``report`` returns),
    so that a validator can go on; a missing terminator or IEA ends the input.
    """
    return tokenize_chunks((text,), report)


def tokenize_chunks(
    chunks: Iterable[str], report: Report = raise_error
) -> Iterator[RawInterchange]:
    """``tokenize`` over text arriving in chunks (a file read piece by piece).

    Memory holds one chunk and one block of segments, however large the interchange; the
    whole string passed by ``tokenize`` is a single chunk and is never copied.
    """
    source = TextWindow(chunks)
    while source.skip_whitespace():
        source.fill(ISA_WINDOW)
        text, pos = source.buf, source.pos
        if not text.startswith("ISA", pos):
            raise MalformedMessage(
                "expected an ISA segment",
                offset=source.base + pos,
                segment_id=text[pos : pos + 3],
                expected="ISA",
                rule="isa_syntax",
            )
        delimiters, terminator_at = read_delimiters(text, pos)
        isa = Segment("ISA", tuple(text[pos:terminator_at].split(delimiters.element)), 1)
        source.pos = terminator_at + 1
        segments = _segments(source, delimiters, isa, report)
        raw = RawInterchange(delimiters, isa, source.base + pos, segments)
        yield raw
        for _ in raw.segments:
            pass


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
    source: TextWindow, delimiters: Delimiters, isa: Segment, report: Report
) -> Iterator[Segment]:
    """The segments after the ISA up to and including the IEA, a block at a time.

    ``chain`` hands the segments of each block on from C, so the Python generator below is
    resumed once per block, not once per segment.
    """
    return chain.from_iterable(_blocks(source, delimiters, isa, report))


def _blocks(
    source: TextWindow, delimiters: Delimiters, isa: Segment, report: Report
) -> Iterator[list[Segment]]:
    terminator = delimiters.segment
    number = 1
    while True:
        text, pos = source.buf, source.pos
        end = text.rfind(terminator, pos, pos + BLOCK)
        if end < 0:  # no terminator in this block: a very long segment, or more to read
            end = text.find(terminator, pos + BLOCK)
        if end < 0:
            if source.more():
                continue
            _end_of_input(source, isa, number)
        fast = _block(text[pos:end], delimiters, number)
        if fast is not None:
            source.pos = end + 1
            number += len(fast)
            yield fast
            continue
        # A block with the IEA or an unusual segment id: segment by segment, reporting each
        # problem just before its segment is handed on, in file order.
        at = pos
        for piece in text[pos:end].split(terminator):
            start = at
            at += len(piece) + 1
            body = piece.strip(_WHITESPACE)
            if not body:
                continue
            number += 1
            segment = _segment(body, delimiters, number, source.base + start, isa, report)
            if segment.tag == "IEA":
                source.pos = at
                yield [segment]
                return
            yield [segment]
        source.pos = end + 1


def _block(text: str, delimiters: Delimiters, number: int) -> list[Segment] | None:
    """The segments of ``text`` (whole segments, the last terminator cut off), built without
    a Python loop; None when a segment id needs a closer look or the IEA is among them."""
    # Thousands of small lists and tuples at once would start the cyclic garbage collector
    # again and again (a third of the time); segments hold no cycles, so it is paused.
    enabled = gc.isenabled()
    gc.disable()
    try:
        bodies = filter(None, _bodies(text, delimiters.segment))
        parts = list(map(methodcaller("split", delimiters.element), bodies))
        tags = list(map(_tag, parts))
        if not _VALID_TAGS.issuperset(tags) and not all(
            map(_valid_tag, set(tags).difference(_VALID_TAGS))
        ):
            return None
        if "IEA" in tags:
            return None
        rows = zip(tags, parts, count(number + 1))
        # tuple.__new__ builds each named tuple in C, skipping its Python-level __new__.
        return list(map(tuple.__new__, repeat(Segment), rows))
    finally:
        if enabled:
            gc.enable()


def _bodies(text: str, terminator: str) -> Iterable[str]:
    """The segment bodies of a block, white space around each one removed.

    Most files end every segment with the terminator and one line break, or with the
    terminator alone, and put no other white space next to a terminator. Then splitting on
    terminator plus line break yields the bodies as they are, which saves stripping (and so
    copying) every segment; a handful of C-level counts over the block proves the layout.
    Any other layout is stripped segment by segment, with the same result.
    """
    for suffix in ("\n", "\r\n", ""):
        if not suffix or text.startswith(suffix):
            core = text[len(suffix) :]
            if _plain_layout(core, terminator, suffix):
                return core.split(terminator + suffix)
            break
    return map(_strip, text.split(terminator))


def _plain_layout(core: str, terminator: str, suffix: str) -> bool:
    if not core or core[0] in _WHITESPACE or core[-1] in _WHITESPACE:
        return False
    cut = terminator + suffix
    lines = core.count("\n")
    if suffix == "\n":
        if "\r" in core or core.count(terminator) != lines or core.count(cut) != lines:
            return False
    elif suffix == "\r\n":
        if core.count("\r") != lines or core.count(terminator) != lines:
            return False
        if core.count(cut) != lines:
            return False
    elif lines or "\r" in core:
        return False
    return not any(
        pair in core for pair in (" " + terminator, "\t" + terminator, cut + " ", cut + "\t")
    )


def _valid_tag(tag: str) -> bool:
    valid = 2 <= len(tag) <= 3 and tag.isascii() and tag.isalnum() and tag == tag.upper()
    if valid and len(_VALID_TAGS) < _MAX_VALID_TAGS:
        _VALID_TAGS.add(tag)
    return valid


def _end_of_input(source: TextWindow, isa: Segment, number: int) -> NoReturn:
    pos = source.pos
    if source.buf[pos:].strip(_WHITESPACE):
        raise MalformedMessage(
            "segment without terminator at end of input",
            offset=source.base + pos,
            interchange=_control(isa),
            segment_index=number + 1,
            rule="iea_missing",
        )
    raise MalformedMessage(
        "interchange ends without IEA",
        offset=source.base + pos,
        interchange=_control(isa),
        expected="IEA",
        rule="iea_missing",
    )


def _control(isa: Segment) -> str:
    return isa.get(13)


def _segment(
    body: str, delimiters: Delimiters, number: int, offset: int, isa: Segment, report: Report
) -> Segment:
    parts = body.split(delimiters.element)
    tag = parts[0]
    if tag not in _VALID_TAGS and not _valid_tag(tag):
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
    return Segment(tag, tuple(parts), number)


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
