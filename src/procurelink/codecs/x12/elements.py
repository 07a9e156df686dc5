"""X12 data types (R, DT, N0) read with their location, so every error says where it was."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from procurelink.codecs.x12.syntax import Segment
from procurelink.errors import InvalidDate, InvalidDocument, MalformedMessage, ProcurelinkError

E = TypeVar("E", bound=ProcurelinkError)

# R type: optional sign, digits with an optional point; no exponent, no thousands separators.
_DECIMAL = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")
_DIGITS = re.compile(r"\d{1,9}")
_DATE8 = re.compile(r"\d{8}")
_DATE6 = re.compile(r"\d{6}")


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
            InvalidDocument, "mandatory element is empty", segment, index, expected="a value"
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
            MalformedMessage, "not a decimal number", segment, index, found=value[:40]
        )
    return Decimal(value)


def required_decimal(place: Place, segment: Segment, index: int) -> Decimal:
    value = decimal(place, segment, index)
    if value is None:
        raise place.error(
            InvalidDocument, "mandatory number is empty", segment, index, expected="a number"
        )
    return value


def integer(place: Place, segment: Segment, index: int) -> int | None:
    value = segment.get(index)
    if not value:
        return None
    if not _DIGITS.fullmatch(value):
        raise place.error(MalformedMessage, "not a whole number", segment, index, found=value[:40])
    return int(value)


def date8(place: Place, segment: Segment, index: int) -> date | None:
    """A CCYYMMDD date (transaction sets from 4010 on, GS04)."""
    value = segment.get(index)
    if not value:
        return None
    if not _DATE8.fullmatch(value):
        raise place.error(InvalidDate, "date is not CCYYMMDD", segment, index, found=value[:40])
    return _date(place, segment, index, int(value[:4]), value[4:])


def date6(place: Place, segment: Segment, index: int) -> date:
    """A YYMMDD date (ISA09), pivoting at 2000 as edi.md section 5.7 says."""
    value = segment.get(index)
    if not _DATE6.fullmatch(value):
        raise place.error(InvalidDate, "date is not YYMMDD", segment, index, found=value[:40])
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
        ) from None


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
