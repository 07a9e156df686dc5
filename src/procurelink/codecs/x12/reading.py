"""Reading X12: bytes -> envelope items -> canonical documents, one set at a time.

``walk`` and ``decode_set`` serve both the decoder (whose report raises) and the validator
(whose report records); ``_DECODERS`` is the behaviour map from ST01 to the set mappers.
"""

from __future__ import annotations

import codecs
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, BinaryIO, TypeVar

from pydantic import ValidationError

from procurelink.codecs.collector import collector_paused
from procurelink.codecs.x12 import (
    asn856,
    changeack865,
    dialect,
    funcack997,
    invoice810,
    nonconformance842,
    po850,
    po860,
    poack855,
    receiving861,
    schedule830,
)
from procurelink.codecs.x12.context import ReadContext
from procurelink.codecs.x12.elements import Place
from procurelink.codecs.x12.envelope import (
    InterchangeHeader,
    Item,
    TransactionSet,
    read_interchange,
)
from procurelink.codecs.x12.rules import Rule
from procurelink.codecs.x12.syntax import Report, tokenize_chunks
from procurelink.codecs.x12.units import UnitMap
from procurelink.domain.document import Document
from procurelink.errors import ConfigurationError, EmptyMessage, InvalidDocument, MalformedMessage
from procurelink.ports.codec import DecodeContext
from procurelink.text_encoding import EDI_CANDIDATES, decode_declared

T = TypeVar("T")
Decoder = Callable[[TransactionSet, ReadContext], Document]

log = logging.getLogger(__name__)


def _decode_850(ts: TransactionSet, ctx: ReadContext) -> Document:
    return po850.decode(ts, ctx.units, ctx.default_currency, dict(ctx.ids))


def _decode_855(ts: TransactionSet, ctx: ReadContext) -> Document:
    return poack855.decode(ts, ctx.units, ctx.options, ctx.group_date, ctx.ids)


# ST01 -> mapper to the canonical document.
_DECODERS: dict[str, Decoder] = {
    "850": _decode_850,
    "855": _decode_855,
    "860": po860.decode,
    "865": changeack865.decode,
    "856": asn856.decode,
    "810": invoice810.decode,
    "861": receiving861.decode,
    "830": schedule830.decode,
    "862": schedule830.decode,
    "842": nonconformance842.decode,
    "997": funcack997.decode,
    "999": funcack997.decode,
}


def read_sets(data: bytes, options: Mapping[str, Any], report: Report) -> Iterator[TransactionSet]:
    """Every transaction set of the bytes, envelopes checked through ``report``."""
    return sets_of(walk(data, options, report))


def sets_of(items: Iterable[Item]) -> Iterator[TransactionSet]:
    for item in items:
        if isinstance(item, TransactionSet):
            yield item


def walk(data: bytes, options: Mapping[str, Any], report: Report) -> Iterator[Item]:
    """Interchange headers, group headers, sets and group ends in file order, lazily."""
    yield from walk_chunks((decode_text(data, options),), options, report)


def walk_chunks(
    chunks: Iterable[str], options: Mapping[str, Any], report: Report
) -> Iterator[Item]:
    """``walk`` over text arriving in chunks (see ``text_chunks``)."""
    empty = True
    for raw in tokenize_chunks(chunks, report):
        empty = False
        for item in read_interchange(raw, report):
            if isinstance(item, InterchangeHeader):
                _check_usage(item, options, report)
            yield item
    if empty:  # only white space: the tokenizer found no interchange at all
        raise EmptyMessage()


def text_chunks(stream: BinaryIO, options: Mapping[str, Any], size: int = 1 << 20) -> Iterator[str]:
    """The text of a binary stream read ``size`` bytes at a time, decoded as ``decode_text``
    decodes whole bytes, so that a file of any size is read in constant memory."""
    charset = _charset(options)
    try:
        decoder = codecs.getincrementaldecoder(charset)()
    except LookupError as exc:
        raise ConfigurationError("unknown charset option", charset=charset) from exc
    consumed = 0
    first = True
    while True:
        data = stream.read(size)
        pending = len(decoder.getstate()[0])
        try:
            text = decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            raise MalformedMessage(
                "message is not valid text in the partner's charset",
                charset=charset,
                offset=consumed - pending + exc.start,
                rule=Rule.ISA_SYNTAX,
            ) from None
        consumed += len(data)
        if first and text:
            text, first = text.removeprefix("\ufeff"), False
        if text:
            yield text
        if not data:
            return


def _charset(options: Mapping[str, Any]) -> str:
    charset = str(options.get("charset", "utf-8"))
    # Non-ASCII still decodes; the sender's characters are kept, not refused on input.
    return "utf-8" if charset.lower() == "ascii" else charset


def decode_text(data: bytes, options: Mapping[str, Any]) -> str:
    """The message's text in the partner's charset; bytes not valid in it are read as the
    encoding charset-normalizer recognises, or refused (UnknownEncoding, an ISA syntax error)."""
    charset = _charset(options)
    try:
        decoded = decode_declared(
            data, charset, "X12 message", EDI_CANDIDATES, rule=Rule.ISA_SYNTAX
        )
    except LookupError as exc:
        raise ConfigurationError("unknown charset option", charset=charset) from exc
    if decoded.detected:
        log.warning("X12 message is not valid %s; read as %s", charset, decoded.encoding)
    return decoded.text.removeprefix("\ufeff")


def _check_usage(
    interchange: InterchangeHeader, options: Mapping[str, Any], report: Report
) -> None:
    # Test interchanges must never reach Odoo as production data (edi.md ISA15).
    expected = str(options.get("usage", "P"))
    if interchange.usage != expected:
        report(
            InvalidDocument(
                "interchange usage indicator does not match the partner's mode",
                interchange=interchange.control,
                segment_id="ISA",
                element_index=15,
                expected=expected,
                found=interchange.usage,
                rule=Rule.ISA_USAGE,
            )
        )


def decode_set(transaction: TransactionSet, ctx: DecodeContext) -> Document:
    """The canonical document of one set; raises the first problem found."""
    transaction = dialect.inbound(transaction, ctx.options)  # the partner's codes -> ours
    group = transaction.group
    place = transaction.place
    decoder = _DECODERS.get(transaction.set_id)
    if decoder is None:
        raise place.error(
            InvalidDocument,
            "transaction set not supported by this codec",
            found=transaction.set_id[:10],
            expected=sorted(_DECODERS),
            rule=Rule.SET_NOT_SUPPORTED,
        )
    if group.date is None:
        raise place.error(InvalidDocument, "group date is missing", rule=Rule.GS_DATE)
    ids = {
        "document_id": ":".join(
            (
                "x12",
                group.interchange.sender_id,
                group.interchange.control,
                group.control,
                transaction.control,
            )
        ),
        "partner_id": ctx.partner_id,
        "correlation_id": ctx.correlation_id,
    }
    read_ctx = ReadContext(UnitMap(ctx.options), ctx.options, group.date, ids)
    with collector_paused():
        return _validated(place, lambda: decoder(transaction, read_ctx))


def _validated(place: Place, build: Callable[[], T]) -> T:
    """Run a mapper; a canonical-model violation becomes InvalidDocument with its place."""
    try:
        return build()
    except ValidationError as exc:
        errors = [
            {"loc": ".".join(str(p) for p in err["loc"]), "msg": err["msg"]}
            for err in exc.errors(include_url=False, include_input=False)
        ]
        raise place.error(
            InvalidDocument,
            "transaction set breaks the canonical model",
            errors=errors,
            rule=Rule.CANONICAL_MODEL,
        ) from None
