"""X12 data types (R, DT, N0) read with their location, so every error says where it was."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from typing import Any, TypeVar

from procurelink.codecs.x12.syntax import Segment
from procurelink.errors import InvalidDate, InvalidDocument, MalformedMessage, ProcurelinkError

E = TypeVar("E", bound=ProcurelinkError)

# R type: optional sign, digits with an optional point; no exponent, no thousands separators.
DECIMAL_PATTERN = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")
_DECIMAL = DECIMAL_PATTERN
_DIGITS = re.compile(r"\d{1,9}")
_DATE8 = re.compile(r"\d{8}")
_DATE6 = re.compile(r"\d{6}")
_TIME = re.compile(r"(\d{2})(\d{2})(?:(\d{2})\d{0,2})?")
_IMPLIED = re.compile(r"-?\d+")


@dataclass(frozen=True, slots=True)
class Place:
    """Where in the envelope a segment sits.

    ``base`` is the ST segment's number minus one: inside a transaction set segment_index
    counts from ST = 1 (the position a 997 AK3 reports); outside it counts from ISA = 1.
    """

    interchange: str | None = None
    group: str | None = None
    transaction: str | None = None
    base: int = 0

    def error(
        self,
        cls: type[E],
        message: str,
        segment: Segment | None = None,
        element: int | None = None,
        **details: Any,
    ) -> E:
        where: dict[str, Any] = {
            "interchange": self.interchange,
            "group": self.group,
            "transaction": self.transaction,
        }
        if segment is not None:
            where["segment_index"] = segment.number - self.base
            where["segment_id"] = segment.tag
        if element is not None:
            where["element_index"] = element
        return cls(message, **where, **details)


def required(place: Place, segment: Segment, index: int) -> str:
    value = segment.get(index)
    if not value:
        raise place.error(
            InvalidDocument,
            "mandatory element is empty",
            segment,
            index,
            expected="a value",
            rule="mandatory_element",
        )
    return value


def optional(segment: Segment, index: int) -> str | None:
    return segment.get(index) or None


def decimal(place: Place, segment: Segment, index: int) -> Decimal | None:
    value = segment.get(index)
    if not value:
        return None
    if not _DECIMAL.fullmatch(value):
        raise place.error(
            MalformedMessage,
            "not a decimal number",
            segment,
            index,
            found=value[:40],
            rule="invalid_character",
        )
    return Decimal(value)


def required_decimal(place: Place, segment: Segment, index: int) -> Decimal:
    value = decimal(place, segment, index)
    if value is None:
        raise place.error(
            InvalidDocument,
            "mandatory number is empty",
            segment,
            index,
            expected="a number",
            rule="mandatory_element",
        )
    return value


def integer(place: Place, segment: Segment, index: int) -> int | None:
    value = segment.get(index)
    if not value:
        return None
    if not _DIGITS.fullmatch(value):
        raise place.error(
            MalformedMessage,
            "not a whole number",
            segment,
            index,
            found=value[:40],
            rule="invalid_character",
        )
    return int(value)


def date8(place: Place, segment: Segment, index: int) -> date | None:
    """A CCYYMMDD date (transaction sets from 4010 on, GS04)."""
    value = segment.get(index)
    if not value:
        return None
    if not _DATE8.fullmatch(value):
        raise place.error(
            InvalidDate,
            "date is not CCYYMMDD",
            segment,
            index,
            found=value[:40],
            rule="invalid_date",
        )
    return _date(place, segment, index, int(value[:4]), value[4:])


def required_date(place: Place, segment: Segment, index: int) -> date:
    required(place, segment, index)
    value = date8(place, segment, index)
    assert value is not None  # required() refused an empty element
    return value


def date6(place: Place, segment: Segment, index: int) -> date:
    """A YYMMDD date (ISA09), pivoting at 2000 as edi.md section 5.7 says."""
    value = segment.get(index)
    if not _DATE6.fullmatch(value):
        raise place.error(
            InvalidDate, "date is not YYMMDD", segment, index, found=value[:40], rule="invalid_date"
        )
    return _date(place, segment, index, 2000 + int(value[:2]), value[2:])


def _date(place: Place, segment: Segment, index: int, year: int, month_day: str) -> date:
    try:
        return date(year, int(month_day[:2]), int(month_day[2:]))
    except ValueError:
        raise place.error(
            InvalidDate,
            "not a calendar date",
            segment,
            index,
            found=segment.get(index),
            rule="invalid_date",
        ) from None


def time_of_day(place: Place, segment: Segment, index: int) -> time | None:
    """A TM element: HHMM, optionally SS and up to two decimal seconds (dropped)."""
    value = segment.get(index)
    if not value:
        return None
    match = _TIME.fullmatch(value)
    if match is None:
        raise place.error(
            MalformedMessage,
            "time is not HHMM[SS]",
            segment,
            index,
            found=value[:40],
            rule="invalid_time",
        )
    hour, minute, second = (int(g) if g else 0 for g in match.groups())
    if hour > 23 or minute > 59 or second > 59:
        raise place.error(
            MalformedMessage, "not a time of day", segment, index, found=value, rule="invalid_time"
        )
    return time(hour, minute, second)


def format_time(value: time) -> str:
    return value.strftime("%H%M%S" if value.second else "%H%M")


def implied(place: Place, segment: Segment, index: int, decimals: int = 2) -> Decimal | None:
    """An Nn element: digits with ``decimals`` implied places (TDS01 335580 = 3355.80)."""
    value = segment.get(index)
    if not value:
        return None
    if not _IMPLIED.fullmatch(value):
        raise place.error(
            MalformedMessage,
            "not a number with implied decimals",
            segment,
            index,
            found=value[:40],
            rule="invalid_character",
        )
    return Decimal(value).scaleb(-decimals)


def format_implied(value: Decimal, decimals: int = 2) -> str:
    scaled = value.scaleb(decimals)
    if scaled != scaled.to_integral_value():
        raise InvalidDocument("amount has more decimals than the element implies", found=str(value))
    return str(int(scaled))


def sscc(place: Place, segment: Segment, index: int) -> str:
    """An SSCC-18 (MAN02 with MAN01 GM): the ``00`` AI of a 20-digit value stripped, the
    GS1 mod-10 check digit verified (edi.md sections 2.5 and 5.7)."""
    value = required(place, segment, index)
    digits = value[2:] if len(value) == 20 and value.startswith("00") else value
    # isascii: str.isdigit() accepts superscripts such as "²", which int() refuses.
    if not (len(digits) == 18 and digits.isascii() and digits.isdigit()):
        raise place.error(
            InvalidDocument,
            "not an 18-digit SSCC",
            segment,
            index,
            found=value[:40],
            rule="invalid_code",
        )
    if not gs1_check_digit_ok(digits):
        raise place.error(
            InvalidDocument,
            "SSCC check digit is wrong",
            segment,
            index,
            found=value,
            rule="check_digit",
        )
    return digits


def gs1_check_digit_ok(digits: str) -> bool:
    """GS1 mod-10: weights 3 and 1 from the right, the check digit excluded."""
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def check_line_count(place: Place, ctt: Segment | None, actual: int, what: str) -> None:
    """CTT01 against the lines read; a set without CTT is not checked (CTT is optional)."""
    if ctt is not None and integer(place, ctt, 1) != actual:
        raise place.error(
            MalformedMessage,
            f"CTT01 does not match the number of {what} lines",
            ctt,
            1,
            expected=actual,
            found=ctt.get(1),
            rule="count_mismatch",
        )


def format_decimal(value: Decimal) -> str:
    """R type as written by careful senders: no exponent, no trailing zeros."""
    if not value.is_finite():
        raise InvalidDocument("a number is not finite", found=str(value))
    if value == 0:
        return "0"
    # Not Decimal.normalize(): it rounds to the context precision, and input is never rounded.
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_date(value: date) -> str:
    return value.strftime("%Y%m%d")


def hash_total(values: list[Decimal]) -> str:
    """CTT02: the sum ignoring signs and points, cut on the left to 10 digits (edi.md 1.5)."""
    total = sum(int(format_decimal(v).replace("-", "").replace(".", "")) for v in values)
    return str(total)[-10:]
