"""EDIFACT decoded as a stream: one message in memory at a time, however large the file.

``EdifactCodec.decode`` reads the whole text and every segment of an interchange before the
first message is mapped, which is right for the files partners send but not for an
interchange of a gigabyte. ``decode_stream`` reads a binary stream in chunks, cuts the text
after the last unreleased segment terminator of each window, tokenizes that part with the
same tokenizer, and walks the envelope with the same checks (``envelope``), yielding each
message's document as soon as its UNT is read.

Differences that streaming cannot avoid: a problem is raised when it is reached, so the
documents before it have been yielded (as ``x12.streaming.decode_stream`` does); the
characters of the syntax level are checked window by window, just before their segments
are read; the UNH and UNG lists of the interchange are not kept (``Interchange.messages``
and ``groups`` stay empty, the counts and the set of references are kept).
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from procurelink.codecs.collector import collector_paused
from procurelink.codecs.decoded import Decoded
from procurelink.codecs.edifact import charsets
from procurelink.codecs.edifact.codec import _check_test, decode_message
from procurelink.codecs.edifact.envelope import (
    SERVICE_TAGS,
    Group,
    Interchange,
    Message,
    check_count,
    check_fit,
    check_ref,
    close_interchange,
    close_message,
    interchange_header,
    message_place,
    new_message,
    open_group,
)
from procurelink.codecs.edifact.listing import envelope_of
from procurelink.codecs.edifact.memo import Memo
from procurelink.codecs.edifact.problems import (
    INVALID_CHARACTER,
    MISSING,
    NOT_SUPPORTED_HERE,
    STRICT,
    Place,
    Sink,
)
from procurelink.codecs.edifact.syntax import (
    DEFAULT_SERVICE,
    UNA_LENGTH,
    RawInterchange,
    Segment,
    ServiceChars,
    is_released,
    read_segments,
    read_una,
    terminator_after,
)
from procurelink.codecs.edifact.units import UnitMap
from procurelink.codecs.text_window import TextWindow
from procurelink.errors import EmptyMessage, MalformedMessage
from procurelink.ports.codec import DecodeContext

CHUNK_SIZE = 1 << 20
_WHITESPACE = " \t\r\n"
_BOM = b"\xef\xbb\xbf"


def decode_stream(
    stream: BinaryIO, ctx: DecodeContext, chunk_size: int = CHUNK_SIZE
) -> Iterator[Decoded]:
    """Each message's document with its envelope, in file order; the first problem raises."""
    current: Interchange | None = None
    # Values shared between the messages (bounded: ``memo.LIMIT`` entries a table).
    memo = Memo(UnitMap(ctx.options))
    for interchange, message in stream_messages(text_chunks(stream, chunk_size), STRICT):
        if interchange is not current:
            _check_test(interchange, ctx.options)
            current = interchange
        document = decode_message(interchange, message, ctx.partner_id, ctx, memo)
        yield Decoded(envelope_of(interchange, message), document)


def text_chunks(stream: BinaryIO, size: int = CHUNK_SIZE) -> Iterator[str]:
    """The text of the stream, decoded in the charset the first UNB declares (as
    ``charsets.decode`` decodes whole bytes), ``size`` bytes at a time."""
    first = stream.read(size).removeprefix(_BOM)
    syntax_id = charsets.syntax_id_of(first)
    decoder = codecs.getincrementaldecoder(
        charsets.codec_of(syntax_id) if syntax_id else "latin-1"
    )()
    data, consumed = first, 0
    while True:
        pending = len(decoder.getstate()[0])
        try:
            text = decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            raise MalformedMessage(
                "bytes are not valid in the declared character set",
                syntax_identifier=syntax_id,
                offset=consumed - pending + exc.start,
                syntax_error="21",
            ) from None
        consumed += len(data)
        if text:
            yield text
        if not data:
            return
        data = stream.read(size)


def stream_messages(chunks: Iterable[str], sink: Sink) -> Iterator[tuple[Interchange, Message]]:
    """Each message with its interchange, the envelopes checked through ``sink``."""
    window = TextWindow(chunks)
    empty = True
    while window.skip_whitespace():
        empty = False
        service = DEFAULT_SERVICE
        window.fill(UNA_LENGTH + 3)
        if window.buf.startswith("UNA", window.pos):
            service = read_una(window.buf, window.pos)
            window.pos += UNA_LENGTH
            window.skip_whitespace()
            window.fill(3)
        if not window.buf.startswith("UNB", window.pos):
            buf, pos = window.buf, window.pos
            raise MalformedMessage(
                "expected UNB",
                offset=window.base + pos,
                segment_id=buf[pos : pos + 3],
                expected="UNB",
            )
        yield from _interchange(_segments(window, service, sink), service, sink)
    if empty:
        raise EmptyMessage()


def _segments(window: TextWindow, service: ServiceChars, sink: Sink) -> Iterator[Segment]:
    """The segments of one interchange, UNB to UNZ (or to the end of the input), read a
    window at a time; the window is left just after the UNZ.

    The characters of each window are checked before its segments are handed on, except
    the UNB's: the walk reads the UNB (and checks it) first, as ``open_interchange`` does.
    """
    read = 0
    unb: Segment | None = None
    while True:
        buf, pos = window.buf, window.pos
        end = _last_terminator(buf, pos, service)
        if end < 0:
            if window.more():
                continue
            # No terminator left: white space ends the input, anything else is refused.
            read_segments(buf, pos, len(buf), service, window.base, read)
            window.pos = len(buf)
            return
        unz_end = _unz_end(buf, pos, end, service)
        stop = end if unz_end is None else unz_end
        with collector_paused():
            segments = read_segments(buf, pos, stop, service, window.base, read)
        window.pos = stop
        read += len(segments)
        if unb is None and segments:
            unb = segments[0]
            yield unb
        if unb is not None:
            _check_characters(buf, pos, stop, window.base, service, unb, segments, sink)
        yield from segments[1:] if segments and segments[0] is unb else segments
        if unz_end is not None:
            return


def _last_terminator(buf: str, pos: int, service: ServiceChars) -> int:
    """Offset just after the last unreleased terminator of ``buf[pos:]``, or -1."""
    at = len(buf)
    while True:
        at = buf.rfind(service.segment, pos, at)
        if at < 0:
            return -1
        if not (service.release and is_released(buf, at, service.release)):
            return at + 1


def _unz_end(buf: str, pos: int, end: int, service: ServiceChars) -> int | None:
    """Offset just after the UNZ segment in ``buf[pos:end]`` (a segment starting with
    ``UNZ``, not text that happens to hold it), or None."""
    needle = "UNZ" + service.element
    search = pos
    while True:
        at = buf.find(needle, search, end)
        if at < 0:
            return None
        search = at + 1
        before = at
        while before > pos and buf[before - 1] in "\r\n":
            before -= 1
        if before > pos and (
            buf[before - 1] != service.segment
            or (service.release and is_released(buf, before - 1, service.release))
        ):
            continue
        return terminator_after(buf, at, service) + 1


def _check_characters(
    buf: str,
    start: int,
    end: int,
    base: int,
    service: ServiceChars,
    unb: Segment,
    segments: list[Segment],
    sink: Sink,
) -> None:
    """``envelope._check_characters`` over one window."""
    syntax_id = unb.get(1, 1)
    allowed = "".join(service.specials()) + service.decimal
    at = charsets.first_invalid(buf, start, end, syntax_id, allowed)
    if at is None:
        return
    offset = base + at
    segment = next((s for s in reversed(segments) if s.offset <= offset), segments[0])
    sink.report(
        Place(interchange=unb.get(5) or None).problem(
            f"character not allowed in syntax level {syntax_id}",
            segment,
            syntax_error=INVALID_CHARACTER,
            offset=offset,
            found=repr(buf[at]),
        )
    )


def _interchange(
    segments: Iterator[Segment], service: ServiceChars, sink: Sink
) -> Iterator[tuple[Interchange, Message]]:
    """The envelope walk of ``envelope.open_interchange``, one message at a time."""
    unb = next(segments)
    raw = RawInterchange(service, [unb], unb.offset, unb.offset, -1)
    interchange = interchange_header(raw, sink)
    place = Place(interchange=interchange.control or None)
    group: Group | None = None
    group_place = place
    group_messages = 0
    last = unb
    pending: Segment | None = None
    while True:
        segment = pending or next(segments, None)
        pending = None
        if segment is None:
            sink.report(
                place.problem("interchange is not closed by UNZ", last, syntax_error=MISSING)
            )
            return
        last = segment
        tag = segment.tag
        if group is not None and tag != "UNH":
            if tag == "UNE":
                check_count(
                    group_place,
                    segment,
                    group_messages,
                    "UNE 0060 does not match the number of ",
                    sink,
                )
                check_ref(group_place, segment, group.ref, sink)
                group = None
                continue
            sink.report(
                group_place.problem("group is not closed by UNE", segment, syntax_error=MISSING)
            )
            group = None
        if tag == "UNZ":
            close_interchange(place, interchange, segment, sink)
            return
        if tag == "UNG":
            group, group_place = open_group(place, segment, interchange, sink)
            group_messages = 0
            interchange.group_count += 1
        elif tag == "UNH":
            outer = group_place if group is not None else place
            message, pending, last = _message(outer, segment, segments, interchange, sink)
            if group is not None:
                check_fit(group, message, sink)
                group_messages += 1
            interchange.message_count += 1
            yield interchange, message
        else:
            sink.report(
                place.problem(
                    "segment outside a message",
                    segment,
                    syntax_error=NOT_SUPPORTED_HERE,
                    expected="UNH, UNG or UNZ",
                )
            )


def _message(
    outer: Place, unh: Segment, segments: Iterator[Segment], interchange: Interchange, sink: Sink
) -> tuple[Message, Segment | None, Segment]:
    """The message a UNH opens, the segment after it when that one is not its UNT (to be
    read next), and the last segment read."""
    place = message_place(outer, unh, interchange, sink)
    body: list[Segment] = []
    append = body.append
    end: Segment | None = None
    for segment in segments:
        if segment.tag in SERVICE_TAGS:
            end = segment
            break
        append(segment)
    message = new_message(place, unh, body)
    at = end or (body[-1] if body else unh)
    if end is None or end.tag != "UNT":
        sink.report(place.problem("message is not closed by UNT", at, syntax_error=MISSING))
        return message, end, at
    close_message(place, end, len(body) + 2, message.ref, sink)
    return message, None, end
