"""What every message mapper needs: its context, and the header values most messages share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from procurelink.codecs.edifact.elements import dtm_date, format_decimal, integer, optional
from procurelink.codecs.edifact.memo import Memo, remember, text_key
from procurelink.codecs.edifact.problems import COUNT_DIFFERS, MISSING, Place
from procurelink.codecs.edifact.reader import MessageData
from procurelink.codecs.edifact.syntax import Segment
from procurelink.codecs.edifact.units import UnitMap
from procurelink.codecs.edifact.writer import OutSegment
from procurelink.domain.values import PaymentTerms


@dataclass(frozen=True, slots=True)
class MessageContext:
    """A message being mapped: where it is, the partner's units and options, the ids to use."""

    place: Place
    units: UnitMap
    options: Mapping[str, Any]
    ids: dict[str, str]
    version: str  # "D96A" / "D01B": per-directory lengths on encode
    memo: Memo  # values already built in this decode (see ``memo``)


def document_number(m: MessageContext, data: MessageData) -> str:
    """BGM 1004 (D.01B: first component of C106, which reading component 1 covers)."""
    bgm = data.bgm
    if bgm is None:
        raise m.place.error("message without BGM", syntax_error=MISSING, expected="BGM")
    number = bgm.get(2, 1)
    if not number:
        raise m.place.error(
            "BGM document number is empty", bgm, 2, 1, syntax_error=MISSING, expected="a value"
        )
    return number


def header_date(m: MessageContext, data: MessageData, *qualifiers: str) -> date | None:
    for qualifier in qualifiers:
        segment = data.dates.get(qualifier)
        if segment is not None:
            return shared_date(m.memo, m.place, segment)
    return None


def shared_date(memo: Memo, place: Place, segment: Segment) -> date:
    """``dtm_date`` of a DTM, one date object for every DTM of the same text in this decode."""
    key = text_key(segment)
    table = memo.dates
    found = table.get(key)  # one lookup: a key's hash is computed again for each
    if found is not None:
        return found
    return remember(table, key, dtm_date(place, segment))


def required_date(m: MessageContext, data: MessageData, *qualifiers: str) -> date:
    found = header_date(m, data, *qualifiers)
    if found is None:
        raise m.place.error(
            "message without its document date",
            syntax_error=MISSING,
            expected=[f"DTM+{q}" for q in qualifiers],
        )
    return found


def currency(m: MessageContext, data: MessageData) -> str | None:
    if data.currency is not None:
        return optional(data.currency, 1, 2)
    fallback = m.options.get("currency")
    return str(fallback) if fallback else None


def payment_terms(m: MessageContext, data: MessageData) -> PaymentTerms | None:
    """PAT's terms; one instance for every PAT of the same text in this decode."""
    pat = data.pat
    if pat is None:
        return None
    key = text_key(pat)
    terms: PaymentTerms | None = m.memo.terms.get(key)
    if terms is not None:
        return terms
    days = integer(m.place, pat, 3, 4) if pat.get(3, 3) in ("D", "") else None
    terms = PaymentTerms(net_days=days, description=optional(pat, 2, 4))
    return remember(m.memo.terms, key, terms)


def check_line_count(m: MessageContext, data: MessageData) -> None:
    cnt = data.line_count
    if cnt is not None and cnt.get(1, 2) != str(len(data.lines)):
        raise m.place.error(
            "CNT+2 does not match the number of LIN groups",
            cnt,
            1,
            2,
            kind="malformed",
            syntax_error=COUNT_DIFFERS,
            expected=len(data.lines),
            found=cnt.get(1, 2)[:20],
        )


def format_date(value: date) -> str:
    return value.strftime("%Y%m%d")


def dtm(qualifier: str, value: date) -> OutSegment:
    return ("DTM", (qualifier, format_date(value), "102"))


def write_payment_terms(terms: PaymentTerms) -> OutSegment:
    """PAT+1++5:3:D:30: net days after the invoice date (edi.md section 4.1)."""
    description = ("", "", "", terms.description) if terms.description else ""
    days = ("5", "3", "D", str(terms.net_days)) if terms.net_days is not None else ""
    return ("PAT", "1", description, days)


def moa(qualifier: str, amount: Decimal) -> OutSegment:
    return ("MOA", (qualifier, format_decimal(amount) if amount == 0 else format(amount, "f")))
