"""EdifactCodec: the Codec port for UN/EDIFACT D.96A and D.01B (see the package docstring)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import ValidationError

from procurelink.codecs.collector import collector_paused
from procurelink.codecs.edifact import dialect, messages
from procurelink.codecs.edifact.common import MessageContext
from procurelink.codecs.edifact.envelope import Interchange, Message
from procurelink.codecs.edifact.inbound import read_interchanges, read_text
from procurelink.codecs.edifact.memo import Memo
from procurelink.codecs.edifact.problems import NOT_SUPPORTED_HERE, STRICT, Place
from procurelink.codecs.edifact.units import UnitMap
from procurelink.codecs.edifact.writer import EnvelopeSettings, write_interchange
from procurelink.domain.document import Document
from procurelink.errors import InvalidDocument
from procurelink.ports.codec import DecodeContext, EncodeContext, Encoded, Envelope

T = TypeVar("T")
CONTENT_TYPE = "application/edifact"
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]")


class EdifactCodec:
    """UN/EDIFACT procurement messages; see the package docstring for options."""

    name = "edifact"
    syntax = "edifact"  # SyntaxAcknowledging: control numbers live in the EDIFACT namespace
    encodes = frozenset(messages.ENCODERS)
    decodes = frozenset(messages.DECODED_TYPES)

    def encode(self, document: Document, ctx: EncodeContext) -> Encoded:
        document_type = str(getattr(document, "document_type", type(document).__name__))
        encoder = messages.ENCODERS.get(document_type)
        if encoder is None:
            raise InvalidDocument(
                "EDIFACT codec cannot encode this document type", document_type=document_type
            )
        settings = EnvelopeSettings.from_options(ctx.options)
        units = UnitMap(ctx.options)
        m = MessageContext(
            place=Place(),
            units=units,
            options=ctx.options,
            ids={},
            version=settings.version,
            memo=Memo(units),
        )
        message_type, number, body = encoder(m, document)
        data, reference = write_interchange(
            settings,
            message_type,
            dialect.outbound(body, ctx.options),
            ctx.now,
            ctx.interchange_control_number,
        )
        filename = f"{message_type}_{_UNSAFE_FILENAME.sub('_', number)}_{reference}.edi"
        return Encoded(body=data, filename=filename, content_type=CONTENT_TYPE)

    def decode(self, data: bytes, ctx: DecodeContext) -> list[Document]:
        # The whole result is kept anyway; see ``collector`` for why the collector waits.
        with collector_paused():
            return _decode_all(data, ctx)

    def envelopes(self, data: bytes, options: Mapping[str, Any]) -> list[Envelope]:
        """SyntaxAcknowledging: the interchanges of ``data`` (see ``syntax_acks``)."""
        # Imported here: the adapter builds on ``validation``, which imports this module.
        from procurelink.codecs.edifact import syntax_acks

        return syntax_acks.envelopes(data, options)

    def functional_ack_files(
        self, data: bytes, ctx: EncodeContext, always: bool = False
    ) -> list[Encoded]:
        """SyntaxAcknowledging: the CONTRLs ``data`` deserves (see ``syntax_acks``)."""
        from procurelink.codecs.edifact import syntax_acks

        return syntax_acks.functional_ack_files(data, ctx, always)


def _decode_all(data: bytes, ctx: DecodeContext) -> list[Document]:
    # A function of its own so that the segments die with its frame while the collector is
    # still paused: the collection that follows then walks only the documents.
    documents: list[Document] = []
    memo = Memo(UnitMap(ctx.options))  # shared by the messages of this decode only
    for interchange in read_interchanges(read_text(data), STRICT):
        _check_test(interchange, ctx.options)
        for message in interchange.messages:
            documents.append(decode_message(interchange, message, ctx.partner_id, ctx, memo))
    return documents


def decode_message(
    interchange: Interchange,
    message: Message,
    partner_id: str,
    ctx: DecodeContext,
    memo: Memo | None = None,
) -> Document:
    """One message to its canonical document (also used by the validator).

    ``memo`` (built from ``ctx.options``) lets the messages of one decode share the values
    they have in common; without it the message gets its own.
    """
    message = dialect.inbound(message, ctx.options)  # the partner's codes -> ours
    decoder = messages.DECODERS.get(message.type)
    if decoder is None:
        raise message.place.error(
            "message type not supported by this codec",
            message.header,
            2,
            1,
            syntax_error=NOT_SUPPORTED_HERE,
            found=message.type[:10],
            expected=sorted(messages.DECODERS),
        )
    if memo is None:
        memo = Memo(UnitMap(ctx.options))
    m = MessageContext(
        place=message.place,
        units=memo.units,
        options=ctx.options,
        ids={
            "document_id": ":".join(
                ("edifact", interchange.sender, interchange.control, message.ref)
            ),
            "partner_id": partner_id,
            "correlation_id": ctx.correlation_id,
        },
        version=(message.version + message.release).upper(),
        memo=memo,
    )
    with collector_paused():
        return _validated(message.place, lambda: decoder(m, interchange, message))


def _check_test(interchange: Interchange, options: Mapping[str, Any]) -> None:
    # Test interchanges must never reach Odoo as production data (UNB 0035).
    expected = bool(options.get("test", False))
    if interchange.test != expected:
        raise InvalidDocument(
            "interchange test indicator does not match the partner's mode",
            interchange=interchange.control,
            segment_id="UNB",
            element_index=11,
            expected="1" if expected else "",
            found="1" if interchange.test else "",
        )


def _validated(place: Place, build: Callable[[], T]) -> T:
    """Run a mapper; a canonical-model violation becomes InvalidDocument with its place."""
    try:
        return build()
    except ValidationError as exc:
        errors = [
            {"loc": ".".join(str(p) for p in err["loc"]), "msg": err["msg"]}
            for err in exc.errors(include_url=False, include_input=False)
        ]
        raise place.error("message breaks the canonical model", errors=errors) from None
