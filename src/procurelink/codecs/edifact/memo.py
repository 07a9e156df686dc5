"""Canonical values one decode has already built, shared between its messages and lines.

The canonical models are frozen, so one instance can stand wherever an equal value belongs:
the parties of every order of one sender, a unit price or quantity repeated on many lines.
A value is remembered by the raw text it was read from (the segment's elements, with the
service characters that split them) and only after it was read and validated without a
problem, so the same text gives the same value, and a hit spares both the mapping and
pydantic's validation of that part of the document.

Values whose standalone validation fails are never shared: the mapper then hands over the
plain fields as before, so the whole document's ValidationError (every error, with its
location) stays exactly what it was.

Quantities and unit prices are often all different (a file of distinct articles): the first
time a text is read its plain fields are remembered and validated with the document as
before, and only the second time is one instance validated on its own and shared from then
on (``promote``), so a value seen once costs a lookup and no validation of its own.

Each table is emptied when it reaches ``LIMIT`` entries: a stream decoder keeps one memo for
a whole interchange of any size, and a long-running worker must not grow with it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from procurelink.codecs.edifact.syntax import Segment
from procurelink.codecs.edifact.units import UnitMap
from procurelink.domain.parties import Contact, Party
from procurelink.domain.values import Money, PaymentTerms, Quantity

LIMIT = 1024
# ``table.get(key, ABSENT)``: one lookup (a tuple's hash is computed anew each time) where a
# remembered value may be None.
ABSENT = object()
Key = tuple[Any, ...]
V = TypeVar("V")
M = TypeVar("M", bound=BaseModel)


class Memo:
    """The tables of one decode (or one stream), with the partner's unit table they assume."""

    __slots__ = ("contacts", "dates", "parties", "prices", "quantities", "terms", "units")

    def __init__(self, units: UnitMap) -> None:
        # Quantities are read through ``units``: a memo serves one partner's options only.
        self.units = units
        self.parties: dict[Key, Party | None] = {}  # None: a role the model does not have
        self.contacts: dict[Key, Contact | None] = {}
        self.terms: dict[Key, PaymentTerms] = {}
        # Plain fields until a text is seen the second time (``promote``).
        self.quantities: dict[Key, Quantity | dict[str, Any]] = {}
        self.prices: dict[Key, tuple[Money | dict[str, Any], Decimal]] = {}  # price, basis
        self.dates: dict[Key, date] = {}


def remember(table: dict[Key, V], key: Key, value: V) -> V:
    """``value`` stored under ``key`` (the table emptied first when full); returns it."""
    if len(table) >= LIMIT:
        table.clear()
    table[key] = value
    return value


def promote(
    table: dict[Key, M | dict[str, Any]], key: Key, fields: dict[str, Any], model: type[M]
) -> M | dict[str, Any]:
    """The second sight of ``fields``: one ``model`` instance for it from now on, or the
    plain fields again when they do not make a valid one on their own."""
    try:
        value = model.model_validate(fields)
    except ValidationError:
        return fields
    table[key] = value
    return value


def text_key(segment: Segment) -> Key:
    """What every value read from ``segment`` depends on: its elements as written and the
    characters that split and release them."""
    service = segment.service
    return (segment.escaped, service.component, service.release, *segment.elements)
