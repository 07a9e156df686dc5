"""UNB/UNZ, UNG/UNE and UNH/UNT: stacking the segments of an interchange and checking them.

Checks (edi.md section 3.3): UNZ 0036 count (messages, or groups when UNG is used) and 0020,
UNE 0060 count and 0048, UNT 0074 segment count and 0062, 0062 unique in the interchange,
groups and bare messages not mixed, UNG 0038 fitting its messages, the syntax level and the
characters it allows, the UNB date. Every rule reports to a Sink, so the same code raises
(decoding) or collects (validation, CONTRL).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from procurelink.codecs.edifact import charsets
from procurelink.codecs.edifact.problems import (
    COUNT_DIFFERS,
    DUPLICATE,
    INVALID_CHARACTER,
    LOWER_LEVEL_EMPTY,
    MISSING,
    NOT_SUPPORTED_HERE,
    REFERENCES_DIFFER,
    UNSUPPORTED_SYNTAX,
    Place,
    Sink,
)
from procurelink.codecs.edifact.syntax import RawInterchange, Segment
from procurelink.codecs.seen_controls import SeenControls

SERVICE_TAGS = frozenset({"UNH", "UNT", "UNG", "UNE", "UNZ"})


@dataclass(frozen=True, slots=True)
class Message:
    ref: str
    type: str
    version: str  # "D"
    release: str  # "96A", "01B"
    agency: str  # "UN"
    association: str  # EANCOM subset code such as "EAN008", or ""
    header: Segment
    segments: list[Segment]  # between UNH and UNT
    place: Place

    @property
    def identifier(self) -> str:
        """S009 as CONTRL quotes it back: ``ORDERS:D:96A:UN``."""
        return ":".join(p for p in (self.type, self.version, self.release, self.agency) if p)


@dataclass(frozen=True, slots=True)
class Group:
    ref: str
    function: str  # UNG 0038
    header: Segment
    messages: list[Message]


@dataclass
class Interchange:
    raw: RawInterchange
    syntax_id: str
    syntax_version: str
    sender: str
    sender_qualifier: str
    recipient: str
    recipient_qualifier: str
    prepared: datetime | None
    control: str
    application_ref: str
    ack_requested: bool
    test: bool
    groups: list[Group] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    # UNH 0062 values so far: looking each one up among the messages was quadratic.
    refs: SeenControls = field(default_factory=SeenControls, repr=False, compare=False)
    # Counted apart from the lists, which a stream decoder leaves empty (see ``streaming``).
    group_count: int = 0
    message_count: int = 0


def open_interchange(raw: RawInterchange, text: str, sink: Sink) -> Interchange:
    segments = raw.segments
    interchange = interchange_header(raw, sink)
    control = interchange.control
    place = Place(interchange=control or None)
    _check_characters(place, raw, text, interchange.syntax_id, sink)
    unz = _walk(place, interchange, sink)
    if unz is None:
        last = segments[-1]
        sink.report(place.problem("interchange is not closed by UNZ", last, syntax_error=MISSING))
        return interchange
    close_interchange(place, interchange, unz, sink)
    return interchange


def close_interchange(place: Place, interchange: Interchange, unz: Segment, sink: Sink) -> None:
    """The UNZ checks: something inside, the count (groups when UNG is used), the reference."""
    counted = interchange.group_count or interchange.message_count
    if not counted:
        sink.report(
            place.problem("interchange holds no message", unz, syntax_error=LOWER_LEVEL_EMPTY)
        )
    check_count(place, unz, counted, "UNZ 0036 does not match the number of ", sink)
    check_ref(place, unz, interchange.control, sink)


def interchange_header(raw: RawInterchange, sink: Sink) -> Interchange:
    """The interchange as its UNB (``raw.segments[0]``) describes it, the UNB checked."""
    unb = raw.segments[0]
    control = unb.get(5)
    place = Place(interchange=control or None)
    return Interchange(
        raw=raw,
        syntax_id=unb.get(1, 1),
        syntax_version=unb.get(1, 2),
        sender=unb.get(2, 1),
        sender_qualifier=unb.get(2, 2),
        recipient=unb.get(3, 1),
        recipient_qualifier=unb.get(3, 2),
        prepared=check_unb(place, unb, sink),
        control=control,
        application_ref=unb.get(7),
        ack_requested=unb.get(9) == "1",
        test=unb.get(11) == "1",
    )


def check_unb(place: Place, unb: Segment, sink: Sink) -> datetime | None:
    if unb.get(1, 1) not in charsets.LEVELS:
        sink.report(
            place.problem(
                "syntax identifier not supported",
                unb,
                1,
                1,
                syntax_error=UNSUPPORTED_SYNTAX,
                found=unb.get(1, 1)[:10],
                expected=sorted(charsets.LEVELS),
            )
        )
    if unb.get(1, 2) not in ("1", "2", "3", "4"):
        sink.report(
            place.problem(
                "syntax version not supported",
                unb,
                1,
                2,
                syntax_error=UNSUPPORTED_SYNTAX,
                found=unb.get(1, 2)[:10],
            )
        )
    for element, what in ((2, "sender"), (3, "recipient"), (5, "control reference")):
        if not unb.get(element):
            sink.report(
                place.problem(f"UNB {what} is empty", unb, element, 1, syntax_error=MISSING)
            )
    return _unb_date(place, unb, sink)


def _unb_date(place: Place, unb: Segment, sink: Sink) -> datetime | None:
    day, time = unb.get(4, 1), unb.get(4, 2)
    # YYMMDD up to syntax 3 (pivot at 2000, edi.md 5.7), CCYYMMDD in syntax 4.
    pattern = {6: "%y%m%d", 8: "%Y%m%d"}.get(len(day))
    try:
        if pattern is None or not day.isdigit() or not time.isdigit() or len(time) != 4:
            raise ValueError
        return datetime.strptime(day + time, pattern + "%H%M")
    except ValueError:
        sink.report(
            place.problem(
                "UNB date/time is not a valid YYMMDD:HHMM",
                unb,
                4,
                kind="invalid_date",
                found=f"{day}:{time}"[:20],
            )
        )
        return None


def _check_characters(
    place: Place, raw: RawInterchange, text: str, syntax_id: str, sink: Sink
) -> None:
    service = "".join(raw.service.specials()) + raw.service.decimal
    at = charsets.first_invalid(text, raw.text_start, raw.text_end, syntax_id, service)
    if at is None:
        return
    segment = next((s for s in reversed(raw.segments) if s.offset <= at), raw.segments[0])
    sink.report(
        place.problem(
            f"character not allowed in syntax level {syntax_id}",
            segment,
            syntax_error=INVALID_CHARACTER,
            offset=at,
            found=repr(text[at]),
        )
    )


def _walk(place: Place, interchange: Interchange, sink: Sink) -> Segment | None:
    segments = interchange.raw.segments
    i = 1
    while i < len(segments):
        segment = segments[i]
        if segment.tag == "UNZ":
            return segment
        if segment.tag == "UNG":
            group, i = _group(place, segments, i, interchange, sink)
            interchange.groups.append(group)
            interchange.group_count += 1
        elif segment.tag == "UNH":
            message, i = _message(place, segments, i, interchange, sink)
            interchange.messages.append(message)
            interchange.message_count += 1
        else:
            sink.report(
                place.problem(
                    "segment outside a message",
                    segment,
                    syntax_error=NOT_SUPPORTED_HERE,
                    expected="UNH, UNG or UNZ",
                )
            )
            i += 1
    return None


def _group(
    outer: Place, segments: list[Segment], i: int, interchange: Interchange, sink: Sink
) -> tuple[Group, int]:
    ung = segments[i]
    group, place = open_group(outer, ung, interchange, sink)
    i += 1
    while i < len(segments) and segments[i].tag == "UNH":
        message, i = _message(place, segments, i, interchange, sink)
        check_fit(group, message, sink)
        group.messages.append(message)
        interchange.messages.append(message)
        interchange.message_count += 1
    une = segments[i] if i < len(segments) else None
    if une is None or une.tag != "UNE":
        at = une or segments[-1]
        sink.report(place.problem("group is not closed by UNE", at, syntax_error=MISSING))
        return group, i
    check_count(place, une, len(group.messages), "UNE 0060 does not match the number of ", sink)
    check_ref(place, une, group.ref, sink)
    return group, i + 1


def open_group(
    outer: Place, ung: Segment, interchange: Interchange, sink: Sink
) -> tuple[Group, Place]:
    """The group a UNG opens, and the place of its messages; the UNG checked."""
    ref = ung.get(5)
    place = Place(interchange=outer.interchange, group=ref or None)
    if interchange.message_count:
        sink.report(
            place.problem(
                "groups and bare messages are mixed", ung, syntax_error=NOT_SUPPORTED_HERE
            )
        )
    if not ref:
        sink.report(place.problem("UNG 0048 is empty", ung, 5, syntax_error=MISSING))
    return Group(ref=ref, function=ung.get(1), header=ung, messages=[]), place


def check_fit(group: Group, message: Message, sink: Sink) -> None:
    if group.function and message.type and message.type != group.function:
        sink.report(
            message.place.problem(
                "message type does not fit the group (UNG 0038)",
                message.header,
                2,
                1,
                syntax_error=NOT_SUPPORTED_HERE,
                expected=group.function,
                found=message.type,
            )
        )


def _message(
    outer: Place, segments: list[Segment], i: int, interchange: Interchange, sink: Sink
) -> tuple[Message, int]:
    unh = segments[i]
    place = message_place(outer, unh, interchange, sink)
    # The next service segment (UNT normally) ends the message; a for loop over the
    # indexes, because this runs once for every segment of every message.
    end = len(segments)
    for index in range(i + 1, end):
        if segments[index].tag in SERVICE_TAGS:
            end = index
            break
    message = new_message(place, unh, segments[i + 1 : end])
    if end == len(segments) or segments[end].tag != "UNT":
        at = segments[end] if end < len(segments) else segments[-1]
        sink.report(place.problem("message is not closed by UNT", at, syntax_error=MISSING))
        return message, end
    close_message(place, segments[end], end - i + 1, message.ref, sink)
    return message, end + 1


def message_place(outer: Place, unh: Segment, interchange: Interchange, sink: Sink) -> Place:
    """Where the message a UNH opens sits; the UNH checked."""
    place = Place(outer.interchange, outer.group, unh.get(1) or None, base=unh.number - 1)
    check_unh(place, unh, interchange, sink)
    return place


def new_message(place: Place, unh: Segment, segments: list[Segment]) -> Message:
    # S009 split once: type, version, release, agency, association code.
    s009 = [*unh.components(2), "", "", "", "", ""]
    return Message(
        ref=unh.get(1),
        type=s009[0],
        version=s009[1],
        release=s009[2],
        agency=s009[3],
        association=s009[4],
        header=unh,
        segments=segments,
        place=place,
    )


def close_message(place: Place, unt: Segment, counted: int, ref: str, sink: Sink) -> None:
    """The UNT checks: segment count (UNH and UNT included) and reference."""
    check_count(place, unt, counted, "UNT 0074 does not match the number of ", sink)
    check_ref(place, unt, ref, sink)


def check_unh(place: Place, unh: Segment, interchange: Interchange, sink: Sink) -> None:
    ref = unh.get(1)
    if not ref:
        sink.report(place.problem("UNH 0062 is empty", unh, 1, syntax_error=MISSING))
    elif not interchange.refs.add(ref):
        sink.report(
            place.problem("UNH 0062 repeats within the interchange", unh, 1, syntax_error=DUPLICATE)
        )
    s009 = [*unh.components(2), "", "", "", ""]  # split once for the four checks
    for component, what in ((1, "message type"), (2, "version"), (3, "release"), (4, "agency")):
        if not s009[component - 1]:
            sink.report(
                place.problem(f"UNH {what} is empty", unh, 2, component, syntax_error=MISSING)
            )


def check_count(place: Place, trailer: Segment, actual: int, message: str, sink: Sink) -> None:
    declared = trailer.get(1)
    if declared != str(actual):
        what = {"UNT": "segments", "UNE": "messages"}.get(trailer.tag, "messages or groups")
        sink.report(
            place.problem(
                message + what,
                trailer,
                1,
                syntax_error=COUNT_DIFFERS,
                expected=actual,
                found=declared[:20],
            )
        )


def check_ref(place: Place, trailer: Segment, ref: str, sink: Sink) -> None:
    found = trailer.get(2)
    if found != ref:
        sink.report(
            place.problem(
                f"{trailer.tag} reference does not match its header",
                trailer,
                2,
                syntax_error=REFERENCES_DIFFER,
                expected=ref,
                found=found[:20],
            )
        )
