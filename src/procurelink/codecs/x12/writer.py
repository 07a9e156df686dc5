"""Outbound interchanges: envelope settings from the partner's options, ISA/GS/ST around a body."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from procurelink.codecs.x12.syntax import Delimiters, render
from procurelink.errors import ConfigurationError

# Transaction-set version (GS08) -> interchange version (ISA12) and default delimiters.
_VERSIONS: dict[str, tuple[str, Delimiters]] = {
    "004010": ("00401", Delimiters("*", ">", "~", None)),
    "005010": ("00501", Delimiters("*", ":", "~", "^")),
}
_MAX_CONTROL = 999_999_999


@dataclass(frozen=True, slots=True)
class EnvelopeSettings:
    sender_qualifier: str
    sender_id: str
    receiver_qualifier: str
    receiver_id: str
    application_sender: str
    application_receiver: str
    version: str
    usage: str
    ack_requested: bool
    delimiters: Delimiters
    suffix: str
    ascii_only: bool

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> EnvelopeSettings:
        version = str(options.get("version", "004010"))
        if version not in _VERSIONS:
            raise ConfigurationError(
                "unsupported X12 version", option="version", expected=sorted(_VERSIONS)
            )
        defaults = _VERSIONS[version][1]
        repetition = options.get("repetition_separator", defaults.repetition)
        delimiters = Delimiters(
            element=str(options.get("element_separator", defaults.element)),
            component=str(options.get("component_separator", defaults.component)),
            segment=str(options.get("segment_terminator", defaults.segment)),
            repetition=str(repetition) if repetition else None,
        )
        _check_delimiters(delimiters)
        sender_id = _ident(options, "sender_id", 15)
        receiver_id = _ident(options, "receiver_id", 15)
        settings = cls(
            sender_qualifier=_ident(options, "sender_qualifier", 2, "ZZ"),
            sender_id=sender_id,
            receiver_qualifier=_ident(options, "receiver_qualifier", 2, "ZZ"),
            receiver_id=receiver_id,
            application_sender=_ident(options, "application_sender_code", 15, sender_id),
            application_receiver=_ident(options, "application_receiver_code", 15, receiver_id),
            version=version,
            usage=str(options.get("usage", "P")),
            ack_requested=bool(options.get("ack_requested", False)),
            delimiters=delimiters,
            suffix=str(options.get("segment_suffix", "\n")),
            ascii_only=str(options.get("charset", "ascii")).lower() == "ascii",
        )
        envelope_values = (
            settings.sender_qualifier,
            settings.sender_id,
            settings.receiver_qualifier,
            settings.receiver_id,
        )
        if any(c in value for value in envelope_values for c in delimiters.all()):
            raise ConfigurationError("an X12 envelope id contains a delimiter")
        if settings.usage not in ("P", "T"):
            raise ConfigurationError("usage must be P or T", option="usage")
        if settings.suffix.strip(" \r\n"):
            raise ConfigurationError("segment_suffix may hold only CR/LF", option="segment_suffix")
        return settings


def _ident(options: Mapping[str, Any], key: str, width: int, default: str | None = None) -> str:
    value = options.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError("missing X12 envelope option", option=key)
    value = value.strip()
    if len(value) > width or not value.isascii() or not value.isprintable():
        raise ConfigurationError(
            "X12 envelope option too long or not printable ASCII", option=key, max_length=width
        )
    return value


def _check_delimiters(delimiters: Delimiters) -> None:
    chars = delimiters.all()
    bad = any(len(c) != 1 or c.isalnum() or c == " " for c in chars) or len(set(chars)) != len(
        chars
    )
    if bad:
        raise ConfigurationError(
            "X12 delimiters must be distinct single non-alphanumeric characters",
            found="".join(chars),
        )


def write_interchange(
    settings: EnvelopeSettings,
    set_id: str,
    functional_id: str,
    body: Sequence[Sequence[str]],
    now: datetime,
    interchange_control: int,
    group_control: int,
    implementation: str = "",
) -> tuple[bytes, str]:
    """One interchange with one group and one set (ST02 0001); returns bytes and ISA13.

    ``implementation`` is ST03, the implementation convention (005010X231A1 for a 999).
    """
    for name, number in (("interchange", interchange_control), ("group", group_control)):
        if not 1 <= number <= _MAX_CONTROL:
            raise ConfigurationError(f"{name} control number out of range", found=number)
    isa13 = f"{interchange_control:09d}"
    gs06 = str(group_control)
    st = ("ST", set_id, "0001", implementation) if implementation else ("ST", set_id, "0001")
    transaction = [st, *body]
    transaction.append(("SE", str(len(transaction) + 1), "0001"))
    segments = [
        _isa(settings, now, isa13),
        (
            "GS",
            functional_id,
            settings.application_sender,
            settings.application_receiver,
            now.strftime("%Y%m%d"),
            now.strftime("%H%M"),
            gs06,
            "X",
            settings.version,
        ),
        *transaction,
        ("GE", "1", gs06),
        ("IEA", "1", isa13),
    ]
    text = render(segments, settings.delimiters, settings.suffix, settings.ascii_only)
    return text.encode("ascii" if settings.ascii_only else "utf-8"), isa13


def write_ta1(
    settings: EnvelopeSettings, ta1: Sequence[str], now: datetime, interchange_control: int
) -> bytes:
    """An interchange holding only a TA1 (no group, IEA01 = 0), edi.md section 1.2."""
    if not 1 <= interchange_control <= _MAX_CONTROL:
        raise ConfigurationError(
            "interchange control number out of range", found=interchange_control
        )
    isa13 = f"{interchange_control:09d}"
    segments = [_isa(settings, now, isa13), ("TA1", *ta1), ("IEA", "0", isa13)]
    text = render(segments, settings.delimiters, settings.suffix, settings.ascii_only)
    return text.encode("ascii" if settings.ascii_only else "utf-8")


def _isa(settings: EnvelopeSettings, now: datetime, isa13: str) -> tuple[str, ...]:
    interchange_version, _ = _VERSIONS[settings.version]
    repetition = settings.delimiters.repetition if interchange_version >= "00402" else "U"
    return (
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        settings.sender_qualifier.ljust(2),
        settings.sender_id.ljust(15),
        settings.receiver_qualifier.ljust(2),
        settings.receiver_id.ljust(15),
        now.strftime("%y%m%d"),
        now.strftime("%H%M"),
        repetition or "U",
        interchange_version,
        isa13,
        "1" if settings.ack_requested else "0",
        settings.usage,
        settings.delimiters.component,
    )
