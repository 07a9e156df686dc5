"""ANSI X12 codec: 850 purchase orders and 855 acknowledgments, 004010 and 005010.

Options read from the partner profile's codec options (``EncodeContext.options`` /
``DecodeContext.options``); all are optional unless marked:

Encode
    ``sender_id`` (required), ``receiver_id`` (required): ISA06/ISA08, padded to 15.
    ``sender_qualifier``, ``receiver_qualifier``: ISA05/ISA07, default ``ZZ``.
    ``application_sender_code``, ``application_receiver_code``: GS02/GS03, default the ids.
    ``version``: ``004010`` (default) or ``005010`` (ISA12 00501, ISA11 repetition ``^``).
    ``usage``: ISA15 ``P`` (default) or ``T``.
    ``ack_requested``: ISA14, default false.
    ``element_separator`` (``*``), ``component_separator`` (``>``; ``:`` in 005010),
    ``segment_terminator`` (``~``), ``repetition_separator`` (``^`` in 005010),
    ``segment_suffix``: written after each terminator, default ``\\n``.
    ``charset``: ``ascii`` (default, non-ASCII data is refused) or ``utf-8``.

Both directions
    ``uom_map``: partner unit code -> normalised unit code, consulted before the default
    table of ``units``.
    ``usage``: on decode, interchanges whose ISA15 differs are refused (test data never
    passes as production data).

Decode
    ``charset``: how the bytes are read, default ``utf-8`` (ASCII is a subset).
    ``currency``: used when an 850/855 has prices but no CUR segment.
    ``ack_status_map``: partner ACK01 code -> canonical line status, over the default table.

Error details name ``interchange`` (ISA13), ``group`` (GS06), ``transaction`` (ST02),
``segment_index`` (from ST = 1 inside a set, from ISA = 1 outside), ``segment_id``,
``element_index`` and, where it helps, ``expected`` and ``found``.
"""

from procurelink.codecs.x12.codec import X12Codec

__all__ = ["X12Codec"]
