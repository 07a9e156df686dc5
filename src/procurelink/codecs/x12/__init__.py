"""ANSI X12 codec for procurement, 004010 and 005010.

Sets and the canonical documents they carry (``reading._DECODERS``, ``codec._body``):

    850 PurchaseOrder (in/out)          855 OrderResponse (in/out)
    860 OrderChange (out; in too)       865 OrderResponse, responds_to "order_change" (in/out)
    856 DespatchAdvice (in)             810 Invoice (in)
    861 GoodsReceipt (out; in too)      842 QualityResult (in)
    830 / 862 DeliverySchedule, kind forecast / shipping (out; in too)
    997 / 999 FunctionalAck (in/out)    TA1 (out, from ``functional_acks``)

Beyond the Codec port: ``X12Codec.validate(data, options)`` (or ``validation.validate``)
collects every problem of a file without raising, each a ``Problem`` with its rule and
place; ``X12Codec.generate_functional_acks(data, ctx)`` (``functional_acks``) renders the
997/999 each inbound group deserves, plus a TA1 for a broken or ack-requesting interchange.

Options read from the partner profile's codec options (``EncodeContext.options`` /
``DecodeContext.options``); all are optional unless marked:

Encode
    ``sender_id`` (required), ``receiver_id`` (required): ISA06/ISA08, padded to 15.
    ``sender_qualifier``, ``receiver_qualifier``: ISA05/ISA07, default ``ZZ``.
    ``application_sender_code``, ``application_receiver_code``: GS02/GS03, default the ids.
    ``version``: ``004010`` (default) or ``005010`` (ISA12 00501, ISA11 repetition ``^``);
    a 999 is written in 005010 unless the option says otherwise.
    ``usage``: ISA15 ``P`` (default) or ``T``.
    ``ack_requested``: ISA14, default false.
    ``element_separator`` (``*``), ``component_separator`` (``>``; ``:`` in 005010),
    ``segment_terminator`` (``~``), ``repetition_separator`` (``^`` in 005010),
    ``segment_suffix``: written after each terminator, default ``\\n``.
    ``charset``: ``ascii`` (default, non-ASCII data is refused) or ``utf-8``.
    860 BCH11 and 865 BCA10 are written only when the date differs from the send date.

Functional acknowledgments (``generate_functional_acks``; the envelope options above
apply, the ids default to the inbound ISA's, reversed)
    ``functional_ack``: ``997`` (default), ``999``, or ``auto`` (999 for 005010 groups).

Both directions
    ``uom_map``: partner unit code -> normalised unit code, consulted before the default
    table of ``units``.
    ``usage``: on decode, interchanges whose ISA15 differs are refused (test data never
    passes as production data).

Decode
    ``charset``: how the bytes are read, default ``utf-8`` (ASCII is a subset).
    ``currency``: used when a set has prices but no CUR segment (850, 855, 860, 865, 810).
    ``ack_status_map``: partner ACK01 code -> canonical line status, over the default table
    (855 and 865).
    ``qty_qualifiers_842``: ``{"inspected": [...], "rejected": [...]}`` QTY01 codes of an
    842, over ``nonconformance842.QTY_QUALIFIERS``.

Error details name ``interchange`` (ISA13), ``group`` (GS06), ``transaction`` (ST02),
``segment_index`` (from ST = 1 inside a set, from ISA = 1 outside), ``segment_id``,
``element_index``, ``rule`` (``rules.Rule``: the check broken, which picks the 997/999/TA1
code) and, where it helps, ``expected`` and ``found``.
"""

from procurelink.codecs.x12.codec import X12Codec

__all__ = ["X12Codec"]
