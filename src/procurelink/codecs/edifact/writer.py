"""Outbound interchanges: envelope settings from the partner's options, escaping, UNA/UNB/UNH.

Counts and references are computed from the segments actually written (edi.md pitfall 12).
Data values are released (``?+``, ``?:``, ``?'``, ``??``) rather than refused; a value that the
declared syntax level cannot carry is refused with its location, because a silently altered
item number is worse than a message not sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from procurelink.codecs.edifact import charsets
from procurelink.codecs.edifact.syntax import DEFAULT_SERVICE, ServiceChars
from procurelink.errors import ConfigurationError, InvalidDocument

Element = str | tuple[str, ...]
OutSegment = tuple[Element, ...]

# Directory version option -> UNH S009 0052/0054.
VERSIONS = {"D96A": ("D", "96A"), "D01B": ("D", "01B")}
_MAX_REFERENCE = 14  # an..14 for UNB 0020 and UNH 0062


@dataclass(frozen=True, slots=True)
class EnvelopeSettings:
    sender_id: str
    sender_qualifier: str
    recipient_id: str
    recipient_qualifier: str
    syntax_id: str
    syntax_version: str
    version: str
    ack_requested: bool
    test: bool
    application_ref: str | None
    service: ServiceChars
    suffix: str
    una: bool

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> EnvelopeSettings:
        syntax = str(options.get("syntax", "UNOC:3"))
        syntax_id, _, syntax_version = syntax.partition(":")
        if syntax_id not in charsets.LEVELS or syntax_version not in ("1", "2", "3", "4"):
            raise ConfigurationError(
                "unsupported EDIFACT syntax", option="syntax", found=syntax, expected="UNOC:3"
            )
        version = str(options.get("version", "D96A")).replace(".", "").upper()
        if version not in VERSIONS:
            raise ConfigurationError(
                "unsupported EDIFACT directory", option="version", expected=sorted(VERSIONS)
            )
        suffix = str(options.get("segment_suffix", "\n"))
        if suffix.strip("\r\n"):
            raise ConfigurationError("segment_suffix may hold only CR/LF", option="segment_suffix")
        application_ref = options.get("application_ref")
        return cls(
            sender_id=_ident(options, "sender_id", 35),
            sender_qualifier=_ident(options, "sender_qualifier", 4, "14"),
            recipient_id=_ident(options, "recipient_id", 35),
            recipient_qualifier=_ident(options, "recipient_qualifier", 4, "14"),
            syntax_id=syntax_id,
            syntax_version=syntax_version,
            version=version,
            ack_requested=bool(options.get("ack_requested", False)),
            test=bool(options.get("test", False)),
            application_ref=str(application_ref) if application_ref is not None else None,
            service=DEFAULT_SERVICE,
            suffix=suffix,
            una=bool(options.get("una", True)),
        )


def _ident(options: Mapping[str, Any], key: str, width: int, default: str | None = None) -> str:
    value = options.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError("missing EDIFACT envelope option", option=key)
    value = value.strip()
    if len(value) > width or not value.isascii() or not value.isprintable():
        raise ConfigurationError(
            "EDIFACT envelope option too long or not printable ASCII", option=key, max_length=width
        )
    return value


def render(segments: Iterable[OutSegment], service: ServiceChars, suffix: str = "\n") -> str:
    """Segments (tag first; composites as tuples) as text; trailing empties are dropped."""
    specials = re.compile("[" + re.escape("".join(service.specials())) + "]")
    release = service.release
    out: list[str] = []
    for segment in segments:
        tag = segment[0]
        assert isinstance(tag, str)
        parts = [tag]
        for index, element in enumerate(segment[1:], start=1):
            components = element if isinstance(element, tuple) else (element,)
            written = [_escape(c, specials, release, tag, index) for c in components]
            while written and not written[-1]:
                written.pop()
            parts.append(service.component.join(written))
        while len(parts) > 1 and not parts[-1]:
            parts.pop()
        out.append(service.element.join(parts) + service.segment + suffix)
    return "".join(out)


def _escape(
    value: str, specials: re.Pattern[str], release: str | None, tag: str, index: int
) -> str:
    if specials.search(value) is None:
        return value
    if release is None:
        raise InvalidDocument(
            "value contains a service character and there is no release character",
            segment_id=tag,
            element_index=index,
        )
    return specials.sub(lambda m: release + m.group(0), value)


def write_interchange(
    settings: EnvelopeSettings,
    message_type: str,
    body: Sequence[OutSegment],
    now: datetime,
    control: int,
) -> tuple[bytes, str]:
    """One interchange holding one message (UNH 0062 ``1``); returns the bytes and UNB 0020."""
    reference = str(control)
    if control < 1 or len(reference) > _MAX_REFERENCE:
        raise ConfigurationError("interchange control number out of range", found=control)
    if message_type == "CONTRL":
        identifier: tuple[str, ...] = ("CONTRL", "D", settings.syntax_version, "UN")
        application_ref = settings.application_ref or ""
    else:
        identifier = (message_type, *VERSIONS[settings.version], "UN")
        application_ref = settings.application_ref or message_type
    message: list[OutSegment] = [("UNH", "1", identifier), *body]
    message.append(("UNT", str(len(message) + 1), "1"))
    date_format = "%Y%m%d" if settings.syntax_version == "4" else "%y%m%d"
    unb: OutSegment = (
        "UNB",
        (settings.syntax_id, settings.syntax_version),
        (settings.sender_id, settings.sender_qualifier),
        (settings.recipient_id, settings.recipient_qualifier),
        (now.strftime(date_format), now.strftime("%H%M")),
        reference,
        "",
        application_ref,
        "",
        "1" if settings.ack_requested else "",
        "",
        "1" if settings.test else "",
    )
    segments = [unb, *message, ("UNZ", "1", reference)]
    text = render(segments, settings.service, settings.suffix)
    if settings.una:
        text = settings.service.una() + settings.suffix + text
    return _encode(text, settings), reference


def _encode(text: str, settings: EnvelopeSettings) -> bytes:
    service = "".join(settings.service.specials()) + settings.service.decimal
    bad = charsets.first_invalid(text, 0, len(text), settings.syntax_id, service)
    if bad is None:
        try:
            return text.encode(charsets.codec_of(settings.syntax_id))
        except UnicodeEncodeError as exc:
            bad = exc.start
    # The UNA holds a terminator too, so with it the count already starts at UNB = 1.
    segment_index = text.count(settings.service.segment, 0, bad) + (0 if settings.una else 1)
    raise InvalidDocument(
        f"a character cannot be written in syntax level {settings.syntax_id}",
        segment_index=segment_index,
        character=repr(text[bad]),
    )
