"""Each decoded message with its envelope (interchange, group, message references).

``EdifactCodec.decode`` returns bare documents; ``iter_decode`` yields the same documents in
the same order, decoded by the same code and raising the same first error, each paired with
the UNB/UNG/UNH facts a tool such as ``procurelink edi decode`` shows.
"""

from __future__ import annotations

from collections.abc import Iterator

from procurelink.codecs.decoded import Decoded, EnvelopeRef
from procurelink.codecs.edifact.codec import _check_test, decode_message
from procurelink.codecs.edifact.envelope import Interchange, Message
from procurelink.codecs.edifact.inbound import read_interchanges, read_text
from procurelink.codecs.edifact.problems import STRICT
from procurelink.ports.codec import DecodeContext


def envelope_of(interchange: Interchange, message: Message) -> EnvelopeRef:
    return EnvelopeRef(
        syntax="edifact",
        interchange_control_number=interchange.control,
        group_control_number=message.place.group,
        transaction_control_number=message.ref,
        sender=interchange.sender,
        receiver=interchange.recipient,
    )


def iter_decode(data: bytes, ctx: DecodeContext) -> Iterator[Decoded]:
    """What ``EdifactCodec.decode`` returns, lazily, each document with its envelope."""
    for interchange in read_interchanges(read_text(data), STRICT):
        _check_test(interchange, ctx.options)
        for message in interchange.messages:
            document = decode_message(interchange, message, ctx.partner_id, ctx)
            yield Decoded(envelope_of(interchange, message), document)
