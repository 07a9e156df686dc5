"""The SyntaxAcknowledging extension of the X12 codec: envelopes and rendered 997/999/TA1.

A thin adapter over ``validation`` and ``functional_acks``; nothing here decides anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from procurelink.codecs.x12.functional_acks import functional_acks, generate_functional_acks
from procurelink.codecs.x12.validation import validate
from procurelink.ports.codec import EncodeContext, Encoded, Envelope

CONTENT_TYPE = "application/edi-x12"


def envelopes(data: bytes, options: Mapping[str, Any]) -> list[Envelope]:
    """Every interchange whose ISA could be read, with its groups and sets."""
    found = []
    for interchange in validate(data, options).interchanges:
        header = interchange.header
        if header is None:
            continue
        found.append(
            Envelope(
                interchange=header.control,
                sender=header.sender_id,
                groups=tuple(g.header.control for g in interchange.groups),
                messages=tuple(s.control for g in interchange.groups for s in g.sets),
                ack_requested=header.ack_requested,
            )
        )
    return found


def functional_ack_files(data: bytes, ctx: EncodeContext) -> list[Encoded]:
    """997/999 per received group, then TA1s, named like the codec names its files."""
    acks = functional_acks(validate(data, ctx.options), ctx)
    files = []
    for k, body in enumerate(generate_functional_acks(data, ctx)):
        isa13 = f"{ctx.interchange_control_number + k:09d}"
        if k < len(acks):
            name = f"{acks[k].ack_type}_{acks[k].group_ref or 'group'}_{isa13}.x12"
        else:
            name = f"TA1_{isa13}.x12"
        files.append(Encoded(body=body, filename=name, content_type=CONTENT_TYPE))
    return files
