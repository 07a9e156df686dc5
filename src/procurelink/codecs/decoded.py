"""A decoded document with the envelope it came in: what ``procurelink edi decode`` prints.

The Codec port returns bare documents (the envelope ids live only inside ``document_id``);
tools that show or index EDI files also want the control numbers and parties, so the X12 and
EDIFACT packages offer read-only helpers that pair each document with its ``EnvelopeRef``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from procurelink.domain.document import Document


@dataclass(frozen=True, slots=True)
class EnvelopeRef:
    """Where one transaction set (X12) or message (EDIFACT) sat in its file."""

    syntax: Literal["x12", "edifact"]
    interchange_control_number: str  # ISA13 / UNB 0020
    group_control_number: str | None  # GS06 / UNG 0048 (None: EDIFACT without groups)
    transaction_control_number: str  # ST02 / UNH 0062
    sender: str  # ISA06 / UNB S002 0004
    receiver: str  # ISA08 / UNB S003 0010

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Decoded:
    envelope: EnvelopeRef
    document: Document
