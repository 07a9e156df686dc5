"""The envelope's own checks: ISA fields, control numbers and counts (edi.md 1.2, 1.5).

Each reports its problem (see ``syntax.Report``) instead of raising, so that the decoder
stops at the first and the validator goes on.
"""

from __future__ import annotations

import re
from typing import Any

from procurelink.codecs.x12.elements import Place, date6, integer
from procurelink.codecs.x12.rules import Rule
from procurelink.codecs.x12.syntax import Report, Segment
from procurelink.errors import InvalidDate, InvalidDocument, MalformedMessage

CONTROL = re.compile(r"[0-9]{1,9}")


def check_isa(isa: Segment, report: Report) -> None:
    control = isa.get(13)
    place = Place(interchange=control)
    if len(isa.elements) != 16:
        bad(
            report,
            place,
            "ISA must have 16 elements",
            isa,
            expected=16,
            found=len(isa.elements),
            rule=Rule.ISA_SYNTAX,
        )
    if not CONTROL.fullmatch(control):
        bad(
            report,
            place,
            "ISA13 is not numeric",
            isa,
            13,
            found=control[:20],
            rule=Rule.ISA_CONTROL,
        )
    try:
        date6(place, isa, 9)
    except InvalidDocument as error:
        # Same check as any date; the TA1 names it as an interchange date (note 014).
        report(
            place.error(InvalidDate, error.message, isa, 9, found=isa.get(9), rule=Rule.ISA_DATE)
        )
    if isa.get(15) not in ("P", "T"):
        bad(
            report,
            place,
            "unknown usage indicator",
            isa,
            15,
            expected="P or T",
            found=isa.get(15),
            rule=Rule.ISA_USAGE,
        )


def bad(report: Report, place: Place, message: str, *where: Any, **details: Any) -> None:
    """Report a malformed envelope at ``where`` (segment, element)."""
    report(place.error(MalformedMessage, message, *where, **details))


def check_count(
    place: Place, segment: Segment, actual: int, message: str, rule: Rule, report: Report
) -> None:
    try:
        declared = integer(place, segment, 1)
    except InvalidDocument:
        declared = None
    if declared != actual:
        bad(report, place, message, segment, 1, expected=actual, found=segment.get(1), rule=rule)


def check_control(place: Place, segment: Segment, control: str, rule: Rule, report: Report) -> None:
    found = segment.get(2)
    # Some senders do not pad the trailer's copy; equal numbers are the same control number.
    same = found == control or (
        CONTROL.fullmatch(found) is not None
        and CONTROL.fullmatch(control) is not None
        and int(found) == int(control)
    )
    if not same:
        bad(
            report,
            place,
            f"{segment.tag}02 does not match the header's control number",
            segment,
            2,
            expected=control,
            found=found[:20],
            rule=rule,
        )
