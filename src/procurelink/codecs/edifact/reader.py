"""One pass over a business message's segments into its groups: header, parties, lines, packages,
summary. ORDERS, ORDCHG, ORDRSP, DESADV and INVOIC share this reader and differ only in
mapping (edi.md section 4.9: the segment groups are the same positionally in D.96A and D.01B).

A segment belongs to the group opened by the last trigger segment (NAD, RFF, LIN, CPS, TAX,
ALC, UNS), which is how the standard's segment groups nest; numbering of the groups (SGn)
differs between messages and is never needed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from procurelink.codecs.edifact.elements import decimal, dtm_date, optional
from procurelink.codecs.edifact.problems import Place
from procurelink.codecs.edifact.syntax import Segment


@dataclass(slots=True)
class Ref:
    segment: Segment
    value: str
    line: str | None
    date: date | None = None


@dataclass(slots=True)
class PartyData:
    nad: Segment
    refs: dict[str, str] = field(default_factory=dict)
    contact_name: str | None = None
    comms: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Amounts:
    """A TAX or ALC group, or a line: its own MOA amounts by qualifier."""

    segment: Segment
    summary: bool
    amounts: dict[str, Decimal] = field(default_factory=dict)


class LineData:
    """A LIN group. Built for every line of a message: a plain class whose containers the
    reader makes directly (a dataclass's default factories cost a third more). References,
    notes, amounts and GINs are rare in a line: until the reader adds the first one they are
    the shared empty ``NO_REFS``, ``NO_TEXT``, ``NO_AMOUNTS`` and ``NO_SEGMENTS``, which
    cannot be changed."""

    __slots__ = (
        "amounts",
        "dates",
        "description",
        "gins",
        "ids",
        "lin",
        "notes",
        "prices",
        "quantities",
        "refs",
        "tax",
    )

    def __init__(self, lin: Segment) -> None:
        self.lin = lin
        # The first id of each type (7143 -> id): ids are looked up by type, and the first
        # one of a type wins.
        self.ids: dict[str, str] = {}
        self.description: list[str] = []
        self.quantities: dict[str, Segment] = {}
        self.dates: dict[str, Segment] = {}
        self.prices: dict[str, Segment] = {}
        self.amounts: Mapping[str, Decimal] = NO_AMOUNTS
        self.refs: Mapping[str, Ref] = NO_REFS
        self.notes: Sequence[str] = NO_TEXT
        self.tax: Segment | None = None
        self.gins: Sequence[Segment] = NO_SEGMENTS

    def first_id(self, *types: str) -> str | None:
        ids = self.ids
        for kind in types:
            if kind in ids:
                return ids[kind]
        return None


NO_REFS: Mapping[str, Ref] = MappingProxyType({})
NO_AMOUNTS: Mapping[str, Decimal] = MappingProxyType({})
NO_TEXT: Sequence[str] = ()
NO_SEGMENTS: Sequence[Segment] = ()
_new = object.__new__


@dataclass(slots=True)
class PackageData:
    cps: Segment
    pac: Segment | None = None
    gins: list[Segment] = field(default_factory=list)
    lines: list[LineData] = field(default_factory=list)


@dataclass(slots=True)
class MessageData:
    bgm: Segment | None = None
    dates: dict[str, Segment] = field(default_factory=dict)
    refs: dict[str, Ref] = field(default_factory=dict)
    parties: list[PartyData] = field(default_factory=list)
    currency: Segment | None = None
    pat: Segment | None = None
    tdt: Segment | None = None
    tod: Segment | None = None
    notes: list[str] = field(default_factory=list)
    lines: list[LineData] = field(default_factory=list)
    packages: list[PackageData] = field(default_factory=list)
    totals: dict[str, Decimal] = field(default_factory=dict)
    taxes: list[Amounts] = field(default_factory=list)
    charges: list[Amounts] = field(default_factory=list)
    line_count: Segment | None = None


class _Reader:
    def __init__(self, place: Place) -> None:
        self.place = place
        self.data = MessageData()
        self.context = "header"
        self.party: PartyData | None = None
        self.ref: Ref | None = None
        self.line: LineData | None = None
        self.package: PackageData | None = None
        self.group: Amounts | None = None
        self.summary = False

    def feed(self, segment: Segment) -> None:
        handler = _HANDLERS.get(segment.tag)
        if handler is not None:
            handler(self, segment)

    def _bgm(self, s: Segment) -> None:
        self.data.bgm = s

    def _dtm(self, s: Segment) -> None:
        context = self.context
        if context == "line":  # most DTMs: ``get(1)`` written out
            line = self.line
            if line is not None:
                elements = s.elements
                qualifier = (
                    elements[0].partition(s.service.component)[0]
                    if elements and not s.escaped
                    else s.get(1)
                )
                line.dates.setdefault(qualifier, s)
        elif context == "rff" and self.ref is not None:
            self.ref.date = dtm_date(self.place, s)
        elif context == "header":
            self.data.dates.setdefault(s.get(1), s)

    def _rff(self, s: Segment) -> None:
        ref = Ref(s, s.get(1, 2), optional(s, 1, 3))
        line = self.line
        if self.context == "line" and line is not None:
            refs = line.refs
            if not isinstance(refs, dict):
                refs = line.refs = {}
            refs.setdefault(s.get(1), ref)
            return
        if self.context == "nad" and self.party is not None:
            self.party.refs.setdefault(s.get(1), ref.value)
            return
        if self.context in ("header", "rff"):
            self.data.refs.setdefault(s.get(1), ref)
            self.ref = ref
            self.context = "rff"

    def _nad(self, s: Segment) -> None:
        self.party = PartyData(s)
        self.data.parties.append(self.party)
        self.context = "nad"

    def _cta(self, s: Segment) -> None:
        if self.context == "nad" and self.party is not None:
            self.party.contact_name = optional(s, 2, 2) or optional(s, 2, 1)

    def _com(self, s: Segment) -> None:
        if self.context == "nad" and self.party is not None:
            number, channel = [*s.components(1), "", ""][:2]  # C076: number, channel
            self.party.comms.setdefault(channel, number)

    def _cux(self, s: Segment) -> None:
        self.data.currency = self.data.currency or s
        self._header_level()

    def _pat(self, s: Segment) -> None:
        self.data.pat = self.data.pat or s
        self._header_level()

    def _tdt(self, s: Segment) -> None:
        self.data.tdt = self.data.tdt or s
        self._header_level()

    def _tod(self, s: Segment) -> None:
        self.data.tod = self.data.tod or s
        self._header_level()

    def _header_level(self) -> None:
        if self.context in ("nad", "rff"):
            self.context = "header"

    def _ftx(self, s: Segment) -> None:
        text = " ".join(p for p in s.components(4) if p)
        if not text:
            return
        line = self.line
        if self.context == "line" and line is not None:
            notes = line.notes
            if not isinstance(notes, list):
                notes = line.notes = []
            notes.append(text)
        else:
            self.data.notes.append(text)

    def _cps(self, s: Segment) -> None:
        self.package = PackageData(s)
        self.data.packages.append(self.package)
        self.context = "cps"

    def _pac(self, s: Segment) -> None:
        if self.package is not None and self.package.pac is None:
            self.package.pac = s

    def _gin(self, s: Segment) -> None:
        line = self.line
        if self.context == "line" and line is not None:
            gins = line.gins
            if not isinstance(gins, list):
                gins = line.gins = []
            gins.append(s)
        elif self.package is not None:
            self.package.gins.append(s)

    def _lin(self, s: Segment) -> None:
        # LineData.__init__ written out: a frame less for every line.
        line = _new(LineData)
        line.lin = s
        ids: dict[str, str] = {}
        line.ids = ids
        line.description = []
        line.quantities = {}
        line.dates = {}
        line.prices = {}
        line.amounts = NO_AMOUNTS
        line.refs = NO_REFS
        line.notes = NO_TEXT
        line.tax = None
        line.gins = NO_SEGMENTS
        self.line = line
        elements = s.elements
        if len(elements) > 2:  # LIN without C212 (no GTIN) is common: no IndexError for it
            if s.escaped:
                _add_id(ids, s.components(3))
            else:  # ``_add_id`` written out; the first id of a new line
                parts = elements[2].split(s.service.component)
                if parts[0]:
                    ids[parts[1] if len(parts) > 1 else ""] = parts[0]
        self.data.lines.append(line)
        if self.package is not None:
            self.package.lines.append(line)
        self.context = "line"

    def _pia(self, s: Segment) -> None:
        if self.line is None:
            return
        ids = self.line.ids
        if s.escaped:
            for element in range(2, len(s.elements) + 1):
                _add_id(ids, s.components(element))
            return
        # Without release characters each C212 is its element split at the component
        # separator: ``components`` and ``_add_id`` written out (a PIA follows most LINs).
        separator = s.service.component
        for raw in s.elements[1:]:
            parts = raw.split(separator)
            if parts[0]:
                ids.setdefault(parts[1] if len(parts) > 1 else "", parts[0])

    def _imd(self, s: Segment) -> None:
        line = self.line
        if line is not None:
            elements = s.elements
            parts = (
                elements[2].split(s.service.component)
                if len(elements) > 2 and not s.escaped
                else s.components(3)
            )
            text = " ".join(filter(None, parts[3:5]))
            if text:
                line.description.append(text)

    def _qty(self, s: Segment) -> None:
        line = self.line
        if line is not None and self.context == "line":
            elements = s.elements  # ``get(1, 1)`` written out, as for PRI and DTM
            qualifier = (
                elements[0].partition(s.service.component)[0]
                if elements and not s.escaped
                else s.get(1, 1)
            )
            line.quantities.setdefault(qualifier, s)

    def _pri(self, s: Segment) -> None:
        line = self.line
        if line is not None and self.context == "line":
            elements = s.elements
            qualifier = (
                elements[0].partition(s.service.component)[0]
                if elements and not s.escaped
                else s.get(1, 1)
            )
            line.prices.setdefault(qualifier, s)

    def _moa(self, s: Segment) -> None:
        qualifier = s.get(1, 1)
        amount = decimal(self.place, s, 1, 2)
        if amount is None:
            return
        group = self.group if self.context in ("tax", "alc") else None
        if group is not None and qualifier not in group.amounts:
            group.amounts[qualifier] = amount
            return
        if self.summary:
            self.data.totals.setdefault(qualifier, amount)
        elif self.context == "line" and self.line is not None:
            amounts = self.line.amounts
            if not isinstance(amounts, dict):
                amounts = self.line.amounts = {}
            amounts.setdefault(qualifier, amount)
        else:
            self.data.totals.setdefault(qualifier, amount)

    def _tax(self, s: Segment) -> None:
        if self.context == "line" and self.line is not None and not self.summary:
            self.line.tax = self.line.tax or s
            return
        self.group = Amounts(s, self.summary)
        self.data.taxes.append(self.group)
        self.context = "tax"

    def _alc(self, s: Segment) -> None:
        if self.context == "line" and not self.summary:
            return  # line allowances are already in the line amount (MOA+203)
        self.group = Amounts(s, self.summary)
        self.data.charges.append(self.group)
        self.context = "alc"

    def _uns(self, s: Segment) -> None:
        self.summary = True
        self.context = "summary"

    def _cnt(self, s: Segment) -> None:
        if s.get(1, 1) == "2":
            self.data.line_count = s


def _add_id(ids: dict[str, str], parts: list[str]) -> None:
    """An item number (C212: id, type) when the id is there and is the first of its type;
    one split per composite."""
    if parts and parts[0]:
        ids.setdefault(parts[1] if len(parts) > 1 else "", parts[0])


# Segment tag -> the reader's method for it (``_nad`` reads NAD ...), looked up once here
# rather than by name for every segment.
_HANDLERS: dict[str, Callable[[_Reader, Segment], None]] = {
    name[1:].upper(): method
    for name, method in vars(_Reader).items()
    if len(name) == 4 and name[0] == "_" and name[1:].isalpha() and callable(method)
}


def read_message(place: Place, segments: list[Segment]) -> MessageData:
    reader = _Reader(place)
    handlers = _HANDLERS
    for segment in segments:
        handler = handlers.get(segment.tag)
        if handler is not None:
            handler(reader, segment)
    return reader.data
