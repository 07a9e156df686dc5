"""Codecs are pure: bytes <-> canonical documents, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from procurelink.domain.document import Document


@dataclass(frozen=True, slots=True)
class EncodeContext:
    partner_id: str
    correlation_id: str
    now: datetime
    # Control numbers come from the store's persistent per-partner counters.
    interchange_control_number: int = 1
    group_control_number: int = 1
    # From the partner profile: envelope ids and qualifiers, unit code map, test flag ...
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DecodeContext:
    partner_id: str
    correlation_id: str
    message_id: str
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Encoded:
    body: bytes
    filename: str
    content_type: str


class Codec(Protocol):
    name: str
    # Document types this codec can render (encode) and read (decode).
    encodes: frozenset[str]
    decodes: frozenset[str]

    def encode(self, document: Document, ctx: EncodeContext) -> Encoded:
        """Render one document; raises InvalidDocument when it cannot be expressed."""
        ...

    def decode(self, data: bytes, ctx: DecodeContext) -> list[Document]:
        """Every document in the bytes; raises MalformedMessage / InvalidDocument."""
        ...


@dataclass(frozen=True, slots=True)
class Envelope:
    """One interchange as its envelope names it: what a functional ack refers back to."""

    interchange: str  # ISA13 / UNB 0020, as written
    sender: str  # ISA06 / UNB 0004
    groups: tuple[str, ...] = ()  # GS06 / UNG 0048
    messages: tuple[str, ...] = ()  # ST02 / UNH 0062
    ack_requested: bool = False  # ISA14 / UNB 0031


@runtime_checkable
class SyntaxAcknowledging(Protocol):
    """Optional extension of a Codec whose syntax has functional acks (X12, EDIFACT).

    Kept apart from ``Codec`` so that JSON or CSV codecs need not pretend to have envelopes.
    """

    syntax: str  # "x12" | "edifact": the namespace of control numbers

    def envelopes(self, data: bytes, options: Mapping[str, Any]) -> list[Envelope]:
        """The interchanges that could be read from ``data``; never raises for bad content."""
        ...

    def functional_ack_files(
        self, data: bytes, ctx: EncodeContext, always: bool = False
    ) -> list[Encoded]:
        """The rendered acks ``data`` deserves (997/999/TA1, or CONTRL when requested or
        ``always``), negative ones for what is wrong. The k-th uses the control numbers
        ``ctx.interchange_control_number + k`` and ``ctx.group_control_number + k``."""
        ...
