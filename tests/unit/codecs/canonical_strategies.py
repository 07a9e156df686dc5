"""Building blocks of canonical documents for the codecs' property tests, per character set.

X12 and EDIFACT round-trip the same canonical documents; what differs is what a text may hold.
X12 values never contain the delimiters (there is no escape); EDIFACT values may hold every
printable character of the level, service characters included (the release character
escapes them), and long texts, which the writer splits at spaces over components, so they are
words of at most 12 characters joined by single spaces (a split always lands on a space).
``Blocks(charset)`` builds the strategies for one character set; the document strategies of
``strategies`` (X12) and ``edifact_strategies`` are built from them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from procurelink.domain.parties import Address, Contact, IdScheme, Item, Party, PartyRole

IDS = {"document_id": "doc", "partner_id": "steelworks", "correlation_id": "corr-1"}
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
amounts = st.decimals(min_value=0, max_value=10**9, places=3)
positive = st.decimals(min_value=Decimal("0.001"), max_value=10**9, places=3)
line_numbers = st.from_regex(r"[0-9A-Z]{1,6}", fullmatch=True)
gtins = st.from_regex(r"[0-9]{8}|[0-9]{12,14}", fullmatch=True)
currencies = st.sampled_from(["EUR", "USD", "CHF"])


def none_if_empty(model: Any) -> Any:
    return model if model.model_dump(exclude_none=True) else None


def _with_check_digit(body: str) -> str:
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


ssccs = st.from_regex(r"[0-9]{17}", fullmatch=True).map(_with_check_digit)


@dataclass(frozen=True, slots=True)
class Charset:
    alphabet: str
    long_texts: bool  # True: names, streets, descriptions may exceed one element


# Printable ASCII without the delimiters of either default X12 version (* > ~ and : ^).
X12 = Charset("".join(chr(c) for c in range(0x20, 0x7F) if chr(c) not in "*>~:^"), False)
# Printable latin-1 (UNOC) with every EDIFACT service character.
EDIFACT = Charset("".join(chr(c) for c in [*range(0x20, 0x7F), *range(0xA0, 0x100)]), True)


class Blocks:
    """Texts, contacts, addresses, items and parties whose values ``charset`` can carry."""

    def __init__(self, charset: Charset) -> None:
        self.alphabet = charset.alphabet
        self.text = st.text(charset.alphabet, min_size=1, max_size=30).map(str.strip).filter(bool)
        self.maybe_text = st.none() | self.text
        word = st.text(charset.alphabet.replace(" ", ""), min_size=1, max_size=12)
        self.long_text = (
            st.lists(word, min_size=1, max_size=25).map(" ".join)
            if charset.long_texts
            else self.text
        )
        self.maybe_long = st.none() | self.long_text
        self.contacts = st.builds(
            Contact, name=self.maybe_text, phone=self.maybe_text, email=self.maybe_text
        ).map(none_if_empty)
        self.addresses = st.builds(
            Address,
            street=self.maybe_long,
            city=self.maybe_text,
            postcode=self.maybe_text,
            region=self.maybe_text,
            country=st.none() | st.sampled_from(["DE", "FR", "US"]),
        ).map(none_if_empty)
        self.items = st.builds(
            Item,
            buyer_item=self.maybe_text,
            supplier_item=self.maybe_text,
            gtin=st.none() | gtins,
            description=self.maybe_long,
        )

    def parties(
        self,
        roles: Sequence[PartyRole],
        with_contact: Callable[[PartyRole], bool] = lambda role: True,
    ) -> st.SearchStrategy[tuple[Party, ...]]:
        """Some of ``roles``, in that order (the order the codec writes them)."""

        @st.composite
        def build(draw: st.DrawFn) -> tuple[Party, ...]:
            result = []
            for role in (r for r in roles if draw(st.booleans())):
                party_id = draw(self.maybe_text)
                scheme = draw(st.sampled_from([s for s in IdScheme if s != IdScheme.ODOO]))
                result.append(
                    Party(
                        role=role,
                        name=draw(self.maybe_long),
                        id=party_id,
                        id_scheme=scheme if party_id else None,
                        address=draw(self.addresses),
                        vat_id=draw(self.maybe_text),
                        contact=draw(self.contacts) if with_contact(role) else None,
                    )
                )
            return tuple(result)

        return build()
