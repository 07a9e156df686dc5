"""EDIFACT tokenizer: service characters (UNA), release character, segments with lazy components.

Speed matters (the benchmark wants several times pydifact), so the common path never looks at
single characters in Python: an interchange is cut out with ``str.find``, split on the segment
terminator with ``str.split`` (at terminator and line break when the file has one segment
a line, so that no segment needs its line break stripped), and each segment on the element
separator. The release character is handled only in the pieces that contain it. Composite
elements stay strings until a mapper asks for a component.

Nothing here knows what an envelope means; ``envelope`` stacks and checks UNB/UNG/UNH.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

from procurelink.errors import MalformedMessage

UNA_LENGTH = 9
_LINE_BREAKS = "\r\n"
_WHITESPACE = " \t\r\n"


@dataclass(frozen=True, slots=True)
class ServiceChars:
    """The six service characters of ISO 9735 (edi.md section 3.1)."""

    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str | None = "?"
    # UNA position 5: reserved (a space) up to syntax 3, the repetition separator in syntax 4.
    repetition: str | None = None
    segment: str = "'"

    def specials(self) -> tuple[str, ...]:
        """Characters that must be released when they occur in data."""
        chars = (self.component, self.element, self.segment)
        extra = tuple(c for c in (self.release, self.repetition) if c)
        return chars + extra

    def una(self) -> str:
        return "UNA" + "".join(
            (
                self.component,
                self.element,
                self.decimal,
                self.release or " ",
                self.repetition or " ",
                self.segment,
            )
        )


DEFAULT_SERVICE = ServiceChars()


class Segment:
    """One segment. ``number`` is its 1-based position in its interchange (UNB = 1).

    ``elements`` keep the text as written (release characters included) so that components
    are split only when asked for: most composites of a message are never looked at.
    """

    __slots__ = ("elements", "escaped", "number", "offset", "service", "tag")

    def __init__(
        self,
        tag: str,
        elements: list[str],
        number: int,
        offset: int,
        service: ServiceChars,
        escaped: bool,
    ) -> None:
        self.tag = tag
        self.elements = elements
        self.number = number
        self.offset = offset
        self.service = service
        self.escaped = escaped

    def __repr__(self) -> str:
        return f"Segment({self.tag!r}, {self.elements!r}, number={self.number})"

    def components(self, element: int) -> list[str]:
        """The unescaped components of element ``element`` (1-based); ``[]`` when absent."""
        if element > 0 and not self.escaped:  # the common case, as in ``get``
            try:
                return self.elements[element - 1].split(self.service.component)
            except IndexError:
                return []
        if element < 1 or element > len(self.elements):
            return []
        raw = self.elements[element - 1]
        service = self.service
        if not self.escaped:
            return raw.split(service.component)
        assert service.release is not None  # escaped is only set when there is one
        return [
            unescape(part, service.release)
            for part in split_released(raw, service.component, service.release)
        ]

    def get(self, element: int, component: int = 1) -> str:
        """Component ``component`` of element ``element`` (both 1-based), ``""`` when absent."""
        # Mappers call this for nearly every value: the common case (no release character,
        # an element that is there) costs one index and one partition or split.
        if element > 0 and not self.escaped:
            try:
                raw = self.elements[element - 1]
            except IndexError:
                return ""
            if component == 1:
                return raw.partition(self.service.component)[0]
            parts = raw.split(self.service.component)
            return parts[component - 1] if 0 < component <= len(parts) else ""
        if element < 1 or element > len(self.elements):
            return ""
        parts = self.components(element)
        return parts[component - 1] if 1 <= component <= len(parts) else ""

    def values(self) -> list[list[str]]:
        """Every element as its list of components (used by validators and tests)."""
        return [self.components(i) for i in range(1, len(self.elements) + 1)]


@dataclass(frozen=True, slots=True)
class RawInterchange:
    """The segments from UNB to UNZ (or to the end of the text) with their service characters."""

    service: ServiceChars
    segments: list[Segment]
    offset: int  # of UNA, or of UNB when there is no UNA
    text_start: int  # of UNB
    text_end: int


def split_released(text: str, separator: str, release: str) -> list[str]:
    """Split on ``separator`` where it is not released; the parts keep their release chars.

    A separator is released when an odd number of release characters precede it: ``??'``
    ends a segment, ``?'`` does not (edi.md section 7, pitfall 4).
    """
    parts: list[str] = []
    start = search = 0
    while True:
        at = text.find(separator, search)
        if at < 0:
            parts.append(text[start:])
            return parts
        back = at
        while back > start and text[back - 1] == release:
            back -= 1
        if (at - back) % 2:
            search = at + 1
            continue
        parts.append(text[start:at])
        start = search = at + 1


_released_char = itemgetter(1)


@lru_cache(maxsize=16)
def _release_pattern(release: str) -> re.Pattern[str]:
    return re.compile(re.escape(release) + "(.)", re.DOTALL)


def unescape(text: str, release: str) -> str:
    if release not in text:
        return text
    # A C-level callable instead of the template r"\1", which re expands in Python per match.
    return _release_pattern(release).sub(_released_char, text)


def read_una(text: str, pos: int) -> ServiceChars:
    """Service characters of the UNA at ``pos``; refuses ambiguous or unusable ones."""
    if len(text) < pos + UNA_LENGTH:
        raise MalformedMessage("truncated UNA service string advice", offset=pos, segment_id="UNA")
    component, element, decimal, release, reserved, segment = tuple(
        text[pos + 3 : pos + UNA_LENGTH]
    )
    service = ServiceChars(
        component=component,
        element=element,
        decimal=decimal,
        release=None if release == " " else release,
        repetition=None if reserved == " " else reserved,
        segment=segment,
    )
    separators = [component, element, segment, *(c for c in (release, reserved) if c != " ")]
    if len(set(separators)) != len(separators) or decimal in separators:
        raise MalformedMessage(
            "UNA service characters are not distinct",
            offset=pos,
            segment_id="UNA",
            found=text[pos : pos + UNA_LENGTH],
        )
    if decimal not in ".,":
        raise MalformedMessage(
            "UNA decimal mark must be '.' or ','",
            offset=pos,
            segment_id="UNA",
            element_index=3,
            found=decimal,
        )
    if any(c.isalnum() or c in _WHITESPACE for c in separators):
        raise MalformedMessage(
            "a UNA separator is a letter, digit or white space",
            offset=pos,
            segment_id="UNA",
            found=text[pos : pos + UNA_LENGTH],
        )
    return service


def skip_whitespace(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WHITESPACE:
        pos += 1
    return pos


def interchanges(text: str) -> Iterator[RawInterchange]:
    """Each interchange of the text in turn (BOM already removed), with its own UNA."""
    pos = skip_whitespace(text, 0)
    while pos < len(text):
        start = pos
        service = DEFAULT_SERVICE
        if text.startswith("UNA", pos):
            service = read_una(text, pos)
            pos = skip_whitespace(text, pos + UNA_LENGTH)
        if not text.startswith("UNB", pos):
            raise MalformedMessage(
                "expected UNB", offset=pos, segment_id=text[pos : pos + 3], expected="UNB"
            )
        end = _interchange_end(text, pos, service)
        # Hundreds of thousands of small lists and strings would trigger the cyclic garbage
        # collector again and again (half the time on a 5 MB file); segments hold no cycles,
        # so it is paused while they are built and resumed as it was.
        enabled = gc.isenabled()
        gc.disable()
        try:
            segments = read_segments(text, pos, end, service)
        finally:
            if enabled:
                gc.enable()
        yield RawInterchange(service, segments, start, pos, end)
        pos = skip_whitespace(text, end)


def _interchange_end(text: str, start: int, service: ServiceChars) -> int:
    """Offset just after the terminator of the UNZ closing the interchange at ``start``.

    Found with ``str.find`` so that only this interchange is split afterwards (a file may hold
    several interchanges with different service characters). Without UNZ: the end of text.
    """
    needle = "UNZ" + service.element
    search = start
    while True:
        at = text.find(needle, search)
        if at < 0:
            return len(text)
        search = at + 1
        before = at
        while before > start and text[before - 1] in _LINE_BREAKS:
            before -= 1
        if before <= start or text[before - 1] != service.segment:
            continue
        if service.release and is_released(text, before - 1, service.release):
            continue
        end = terminator_after(text, at, service)
        return len(text) if end < 0 else end + 1


def is_released(text: str, at: int, release: str) -> bool:
    back = at
    while back > 0 and text[back - 1] == release:
        back -= 1
    return (at - back) % 2 == 1


def terminator_after(text: str, pos: int, service: ServiceChars) -> int:
    search = pos
    while True:
        at = text.find(service.segment, search)
        if at < 0 or not service.release or not is_released(text, at, service.release):
            return at
        search = at + 1


def read_segments(
    text: str, start: int, end: int, service: ServiceChars, base: int = 0, before: int = 0
) -> list[Segment]:
    """The segments of ``text[start:end]``; ``base`` is the offset of ``text`` in the whole
    input and ``before`` the number of segments of the interchange already read (both
    non-zero when a stream is read a window at a time)."""
    terminator, release, element = service.segment, service.release, service.element
    chunk = text[start:end]
    # Only a terminator right after a release character can be a released one.
    released = release is not None and release + terminator in chunk
    one_a_line = terminator + "\n"
    if (
        not released
        and chunk.endswith(terminator)
        and "\r" not in chunk
        and chunk.count("\n") == chunk.count(one_a_line) == chunk.count(terminator) - 1
    ):
        # One segment a line (most files): every line break follows a terminator, so
        # splitting at both leaves no break to strip from any segment.
        pieces = chunk.split(one_a_line)
        pieces[-1] = pieces[-1][:-1]  # the last segment's terminator
        rest = ""
        step = len(one_a_line)
        strip_breaks = False
    else:
        pieces = chunk.split(terminator)
        if released:
            pieces = _rejoin_released(pieces, terminator, release or "")
        rest = pieces.pop()  # after the last terminator: white space at most
        step = 1
        strip_breaks = "\n" in chunk or "\r" in chunk
    rel = release or ""
    release_present = bool(rel) and rel in chunk
    segments: list[Segment] = []
    append = segments.append
    offset = base + start
    number = before
    new = object.__new__
    for piece in pieces:
        at = offset
        offset += len(piece) + step
        if strip_breaks:
            body = piece.lstrip(_LINE_BREAKS)
            at += len(piece) - len(body)
            if not body:
                continue
        elif not piece:
            continue
        else:
            body = piece
        number += 1
        escaped = release_present and rel in body
        parts = split_released(body, element, rel) if escaped else body.split(element)
        tag = parts.pop(0)
        if tag not in _VALID_TAGS:
            _check_tag(tag, at, number)
        # Segment.__init__ written out: calling it (a Python frame with six arguments per
        # segment) cost about a tenth of tokenizing.
        segment = new(Segment)
        segment.tag = tag
        segment.elements = parts
        segment.number = number
        segment.offset = at
        segment.service = service
        segment.escaped = escaped
        append(segment)
    body = rest.lstrip(_LINE_BREAKS)
    if body.strip(_WHITESPACE):
        raise MalformedMessage(
            "segment without terminator at end of input",
            offset=offset + len(rest) - len(body),
            segment_index=number + 1,
            segment_id=body[:3],
        )
    return segments


# Tags seen valid once need no second look: the check runs once per distinct tag.
_VALID_TAGS: set[str] = set()


def _check_tag(tag: str, offset: int, number: int) -> None:
    if len(tag) != 3 or not (tag.isalpha() and tag.isupper() and tag.isascii()):
        raise MalformedMessage(
            "invalid segment tag", offset=offset, segment_index=number, segment_id=tag[:10]
        )
    if len(_VALID_TAGS) < 1024:
        _VALID_TAGS.add(tag)


def _rejoin_released(pieces: list[str], terminator: str, release: str) -> list[str]:
    """Glue back pieces that were split at a released terminator (``?'``)."""
    joined: list[str] = []
    carry: str | None = None
    for piece in pieces:
        current = piece if carry is None else carry + terminator + piece
        trailing = len(current) - len(current.rstrip(release))
        if trailing % 2:
            carry = current
        else:
            joined.append(current)
            carry = None
    if carry is not None:
        joined.append(carry)
    return joined
