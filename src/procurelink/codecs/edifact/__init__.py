"""UN/EDIFACT codec: procurement messages of directories D.96A and D.01B, syntax 3 and 4.

Decoded (UNH 0065 -> document): ORDERS -> PurchaseOrder, ORDCHG -> OrderChange, ORDRSP ->
OrderResponse, DESADV -> DespatchAdvice, INVOIC -> Invoice (credit notes: BGM 381), RECADV ->
GoodsReceipt, DELFOR -> DeliverySchedule, APERAK -> ApplicationResponse, CONTRL ->
FunctionalAck. Encoded: PurchaseOrder -> ORDERS, OrderChange -> ORDCHG, OrderResponse ->
ORDRSP, DespatchAdvice -> DESADV, Invoice -> INVOIC, GoodsReceipt -> RECADV,
DeliverySchedule -> DELFOR, FunctionalAck -> CONTRL. Both directions of a message live in
separate modules (``desadv`` decodes, ``desadv_out`` encodes; ``recadv`` encodes,
``recadv_in`` decodes ...). ``validation.acknowledgments(data, ctx)`` builds the CONTRL each
inbound interchange deserves (render it with ``encode``); ``validation.validate`` lists every
problem of a file.

Options read from the partner profile's codec options (``EncodeContext.options`` /
``DecodeContext.options``); all are optional unless marked:

Encode (envelope)
    ``sender_id`` (required), ``recipient_id`` (required): UNB S002/S003 0004/0010.
    ``sender_qualifier``, ``recipient_qualifier``: 0007, default ``14`` (GLN).
    ``syntax``: UNB S001, default ``UNOC:3`` (UNOA, UNOB, UNOC ... UNOY; ``:4`` writes
    8-digit UNB dates). Data the level cannot carry is refused, never altered.
    ``version``: ``D96A`` (default) or ``D01B``: UNH S009 and the text lengths (IMD 7008 35 or
    256 characters, FTX 4440 70 or 512; longer texts are split at spaces over components).
    ``ack_requested``: UNB 0031 = 1 (ask for a CONTRL). ``test``: UNB 0035 = 1.
    ``application_ref``: UNB 0026, default the message type (none for CONTRL).
    ``segment_suffix``: written after each terminator, default ``\\n``; ``una``: write the
    UNA service string advice, default true.
    UNB 0020 is ``ctx.interchange_control_number``; the message is UNH 0062 ``1``; UNT and
    UNZ counts come from the written segments.

Both directions
    ``uom_map``: partner unit code (6411) -> normalised unit, over the table of ``units``.
    ``test``: on decode, interchanges whose UNB 0035 differs are refused (test data never
    passes as production data).

Decode
    ``currency``: used when a message has prices but no CUX.

The tokenizer reads UNA (or the defaults ``:+.? '``), the release character, CR/LF between
segments, several interchanges per file (each with its own UNA), several messages per
interchange and UNG/UNE groups. Bytes are read as the first UNB's syntax level says (UNOC as
latin-1, UNOW/UNOY as UTF-8); bytes not valid for the level are read in the encoding
charset-normalizer recognises (procurelink.text_encoding) or refused as unknown_encoding, and
characters outside the level's repertoire are refused with their offset.
``streaming.decode_stream`` decodes a binary stream one message at a time, with the same
checks and mappers, so that an interchange of any size is decoded in constant memory (its
bytes must be valid for the declared level: the stream is not searched for another encoding).

Error details name ``interchange`` (UNB 0020), ``group`` (UNG 0048), ``message`` (UNH 0062),
``segment_index`` (from UNH = 1 inside a message, from UNB = 1 outside), ``segment_id``,
``element_index``, ``component_index``, ``syntax_error`` (the CONTRL 0085 code) and, where it
helps, ``expected`` and ``found``.
"""

from procurelink.codecs.edifact.codec import EdifactCodec

__all__ = ["EdifactCodec"]
