"""EDIFACT data values read with their location: numbers, dates (DTM), required values.

The date and number rules are shared by the mappers (which raise) and the validator (which
collects): ``dtm_problem`` and ``number_problem`` return a Problem or None, and the readers
raise what they return.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from procurelink.codecs.edifact.problems import MISSING, Place, Problem
from procurelink.codecs.edifact.syntax import Segment
from procurelink.errors import InvalidDocument

# Optional sign, digits with one decimal mark (either '.' or ',': ISO 9735 lets receivers
# accept both), no exponent, no thousands separators.
_NUMBER = re.compile(r"-?(?:\d+[.,]?\d*|[.,]\d+)")
# DTM 2379 format -> (regex of the value, strptime pattern of its first date).
DATE_FORMATS: dict[str, tuple[re.Pattern[str], str]] = {
    "102": (re.compile(r"\d{8}"), "%Y%m%d"),
    "203": (re.compile(r"\d{12}"), "%Y%m%d%H%M"),
    "204": (re.compile(r"\d{14}"), "%Y%m%d%H%M%S"),
    "101": (re.compile(r"\d{6}"), "%y%m%d"),
    "718": (re.compile(r"\d{8}-\d{8}"), "%Y%m%d"),
}


def required(place: Place, segment: Segment, element: int, component: int = 1) -> str:
    value = segment.get(element, component)
    if not value:
        raise place.error(
            "mandatory value is empty",
            segment,
            element,
            component,
            syntax_error=MISSING,
            expected="a value",
        )
    return value


def optional(segment: Segment, element: int, component: int = 1) -> str | None:
    return segment.get(element, component) or None


def number_problem(place: Place, segment: Segment, element: int, component: int) -> Problem | None:
    value = segment.get(element, component)
    if value and not _NUMBER.fullmatch(value):
        return place.problem("not a decimal number", segment, element, component, found=value[:40])
    return None


def decimal(place: Place, segment: Segment, element: int, component: int) -> Decimal | None:
    return decimal_of(place, segment, segment.get(element, component), element, component)


def decimal_of(
    place: Place, segment: Segment, value: str, element: int, component: int
) -> Decimal | None:
    """``decimal`` of a value the caller already took out of ``segment`` (one split of a
    composite serves several of its components)."""
    if not value:
        return None
    if value.isdecimal():  # plain digits (most quantities): what _NUMBER's \d+ accepts
        return Decimal(value)
    if not _NUMBER.fullmatch(value):
        problem = number_problem(place, segment, element, component)
        assert problem is not None  # the same pattern refused the same value
        raise problem.exception()
    return Decimal(value.replace(",", ".") if "," in value else value)


def required_decimal(
    place: Place, segment: Segment, element: int, component: int, value: str | None = None
) -> Decimal:
    """A number that must be there; ``value`` when the caller has already read it."""
    if value is None:
        value = segment.get(element, component)
    number = decimal_of(place, segment, value, element, component)
    if number is None:
        raise place.error(
            "mandatory number is empty",
            segment,
            element,
            component,
            syntax_error=MISSING,
            expected="a number",
        )
    return number


def integer(place: Place, segment: Segment, element: int, component: int = 1) -> int | None:
    value = segment.get(element, component)
    if not value:
        return None
    if not value.isdigit() or not value.isascii() or len(value) > 15:
        raise place.error(
            "not a whole number", segment, element, component, kind="malformed", found=value[:40]
        )
    return int(value)


def dtm_problem(place: Place, segment: Segment) -> Problem | None:
    """What is wrong with the C507 date of a DTM segment, or None."""
    value, fmt = segment.get(1, 2), segment.get(1, 3) or "102"
    if not value:
        return place.problem(
            "DTM without a date", segment, 1, 2, kind="invalid_date", syntax_error=MISSING
        )
    rule = DATE_FORMATS.get(fmt)
    if rule is None:
        return None  # week numbers, periods ...: a mapper that needs them says so
    pattern, strptime = rule
    if not pattern.fullmatch(value):
        return place.problem(
            f"date does not match format {fmt}",
            segment,
            1,
            2,
            kind="invalid_date",
            found=value[:40],
        )
    first = value.split("-", 1)[0]
    try:
        first_datetime(first, strptime)
    except ValueError:
        return place.problem(
            "not a calendar date", segment, 1, 2, kind="invalid_date", found=value[:40]
        )
    return None


def dtm_datetime(place: Place, segment: Segment) -> datetime:
    """The (first) date and time of a DTM; formats without a time give midnight."""
    parts = segment.components(1)
    value = parts[1] if len(parts) > 1 else ""
    rule = DATE_FORMATS.get(parts[2] if len(parts) > 2 and parts[2] else "102")
    if value and rule is not None and rule[0].fullmatch(value):
        # The common case in one pass; anything else takes the checks below for its error.
        try:
            return first_datetime(value.split("-", 1)[0], rule[1])
        except ValueError:
            pass
    problem = dtm_problem(place, segment)
    fmt = segment.get(1, 3) or "102"
    if problem is None and fmt not in DATE_FORMATS:
        problem = place.problem(
            "date format not supported",
            segment,
            1,
            3,
            kind="invalid",
            found=fmt[:10],
            expected=sorted(DATE_FORMATS),
        )
    if problem is not None:
        raise problem.exception()
    value = segment.get(1, 2).split("-", 1)[0]
    return first_datetime(value, DATE_FORMATS[fmt][1])


def first_datetime(value: str, pattern: str) -> datetime:
    """``datetime.strptime`` of a value its format's regex has checked.

    CCYYMMDD (formats 102 and 718, most dates of a message) is read by slicing: strptime's
    locale and regex machinery was the largest single cost of decoding a message.
    """
    if pattern == "%Y%m%d":
        return datetime(int(value[:4]), int(value[4:6]), int(value[6:8]))
    return datetime.strptime(value, pattern)


def dtm_date(place: Place, segment: Segment) -> date:
    parts = segment.components(1)
    value = parts[1] if len(parts) > 1 else ""
    # The common case, CCYYMMDD with the default or explicit format 102, without a datetime.
    plain = len(parts) < 3 or parts[2] in ("", "102")
    if plain and len(value) == 8 and value.isdigit() and value.isascii():
        try:
            return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
        except ValueError:
            pass  # not a calendar date: dtm_datetime says so
    return dtm_datetime(place, segment).date()


def format_decimal(value: Decimal) -> str:
    """A number as careful senders write it: no exponent, no trailing zeros after the mark."""
    if not value.is_finite():
        raise InvalidDocument("a number is not finite", found=str(value))
    if value == 0:
        return "0"
    # Not Decimal.normalize(): it rounds to the context precision; input is never rounded.
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_amount(value: Decimal) -> str:
    """Money amounts keep their scale (``600.00`` stays ``600.00``)."""
    if not value.is_finite():
        raise InvalidDocument("an amount is not finite", found=str(value))
    return format(value, "f")


def split_text(text: str, width: int) -> list[str]:
    """Pieces of at most ``width`` characters, cut at a space where there is one.

    The space a cut lands on is dropped, so joining the pieces with one space gives the text
    back (edi.md section 5.7); only a word longer than ``width`` is cut inside.
    """
    pieces: list[str] = []
    while len(text) > width:
        cut = text.rfind(" ", 1, width + 1)
        if cut <= 0:
            pieces.append(text[:width])
            text = text[width:]
        else:
            pieces.append(text[:cut])
            text = text[cut + 1 :]
    pieces.append(text)
    return pieces
