"""Codecs are pure: bytes <-> canonical documents, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

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
