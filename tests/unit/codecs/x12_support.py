from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from procurelink.ports.codec import DecodeContext, EncodeContext

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "edi"

# The sample buyer's envelope (shared/samples/edi/README.md): ACME -> Steelworks.
ACME_TO_STEELWORKS = {
    "sender_qualifier": "ZZ",
    "sender_id": "ACMEMFG",
    "receiver_qualifier": "ZZ",
    "receiver_id": "STEELWORKS",
}
STEELWORKS_TO_ACME = {
    "sender_qualifier": "ZZ",
    "sender_id": "STEELWORKS",
    "receiver_qualifier": "ZZ",
    "receiver_id": "ACMEMFG",
}


def sample(name: str) -> bytes:
    return (FIXTURES / "x12" / name).read_bytes()


def expected(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((FIXTURES / "expected" / name).read_text())["document"]
    return document


def decode_ctx(**options: Any) -> DecodeContext:
    return DecodeContext(
        partner_id="steelworks", correlation_id="corr-1", message_id="msg-1", options=options
    )


def encode_ctx(
    now: datetime, interchange: int = 1, group: int = 1, **options: Any
) -> EncodeContext:
    return EncodeContext(
        partner_id="steelworks",
        correlation_id="corr-1",
        now=now,
        interchange_control_number=interchange,
        group_control_number=group,
        options=options,
    )
