"""The SyntaxAcknowledging extension of the EDIFACT codec: envelopes and rendered CONTRLs.

A thin adapter over ``validation`` and the codec's own CONTRL writer; nothing here decides
anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from procurelink.codecs.edifact.codec import EdifactCodec
from procurelink.codecs.edifact.validation import acknowledgments, validate
from procurelink.ports.codec import DecodeContext, EncodeContext, Encoded, Envelope


def envelopes(data: bytes, options: Mapping[str, Any]) -> list[Envelope]:
    """Every interchange whose UNB could be read, with its groups and messages."""
    found = []
    for report in validate(data, DecodeContext("", "", "", options)):
        interchange = report.interchange
        if interchange is None:
            continue
        found.append(
            Envelope(
                interchange=interchange.control,
                sender=interchange.sender,
                groups=tuple(g.ref for g in interchange.groups),
                messages=tuple(m.ref for m in interchange.messages),
                ack_requested=interchange.ack_requested,
            )
        )
    return found


def functional_ack_files(data: bytes, ctx: EncodeContext, always: bool = False) -> list[Encoded]:
    """A CONTRL per interchange that asked for one (every interchange when ``always``)."""
    decode_ctx = DecodeContext(ctx.partner_id, ctx.correlation_id, "", ctx.options)
    # Never ask for an acknowledgment of an acknowledgment (edi.md section 6).
    options = {**ctx.options, "ack_requested": False}
    codec = EdifactCodec()
    files = []
    for k, ack in enumerate(acknowledgments(data, decode_ctx, only_requested=not always)):
        numbered = replace(
            ctx,
            interchange_control_number=ctx.interchange_control_number + k,
            group_control_number=ctx.group_control_number + k,
            options=options,
        )
        files.append(codec.encode(ack, numbered))
    return files
