"""Documents one transaction set at a time, each with its envelope; from bytes or a stream.

``X12Codec.decode`` returns a list, which is right for the files partners send but not for
a file of a gigabyte. ``decode_stream`` reads a binary stream in chunks and yields each set's
document as soon as its SE is read, so memory holds one chunk and one set however large the
file. Both helpers decode exactly as ``decode`` does (same walk, same mappers, same errors).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from procurelink.codecs.decoded import Decoded, EnvelopeRef
from procurelink.codecs.x12.envelope import TransactionSet
from procurelink.codecs.x12.reading import decode_set, read_sets, sets_of, text_chunks, walk_chunks
from procurelink.codecs.x12.syntax import raise_error
from procurelink.ports.codec import DecodeContext

CHUNK_SIZE = 1 << 20


def envelope_of(transaction: TransactionSet) -> EnvelopeRef:
    group = transaction.group
    interchange = group.interchange
    return EnvelopeRef(
        syntax="x12",
        interchange_control_number=interchange.control,
        group_control_number=group.control,
        transaction_control_number=transaction.control,
        sender=interchange.sender_id,
        receiver=interchange.receiver_id,
    )


def iter_decode(data: bytes, ctx: DecodeContext) -> Iterator[Decoded]:
    """What ``X12Codec.decode`` returns, lazily, each document with its envelope."""
    for transaction in read_sets(data, ctx.options, raise_error):
        yield Decoded(envelope_of(transaction), decode_set(transaction, ctx))


def decode_stream(
    stream: BinaryIO, ctx: DecodeContext, chunk_size: int = CHUNK_SIZE
) -> Iterator[Decoded]:
    """``iter_decode`` over a binary stream read ``chunk_size`` bytes at a time."""
    chunks = text_chunks(stream, ctx.options, chunk_size)
    for transaction in sets_of(walk_chunks(chunks, ctx.options, raise_error)):
        yield Decoded(envelope_of(transaction), decode_set(transaction, ctx))
