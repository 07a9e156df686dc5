"""A partner's mapping differences (``PartnerProfile.mapping``) as the X12 and EDIFACT codecs
apply them: a rewrite of the segments between mapper and envelope, in both directions.

Outbound, the mapper writes procurelink's default mapping and the syntax's dialect module
(``x12/dialect.py``, ``edifact/dialect.py``) rewrites the set/message body: the delivery-date
qualifier, the item id kinds and their order, the segments the partner does not want. Inbound,
the partner's codes are read back to the defaults before the mapper sees the segments. The
mappers never branch on a partner, and a partner without ``mapping`` costs nothing.

The profile's ``mapping`` reaches the codec as the ``mapping`` codec option (like ``uom_map``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from pydantic import ValidationError

from procurelink.domain.partner_profile import ITEM_ID_FIELDS, PartnerMapping
from procurelink.errors import ConfigurationError

S = TypeVar("S")


def mapping_of(options: Mapping[str, Any]) -> PartnerMapping | None:
    """The partner's mapping from the codec options, or None when it changes nothing."""
    raw = options.get("mapping")
    # The decode path asks once per set: the common "nothing differs" is answered unvalidated.
    if not raw or (isinstance(raw, Mapping) and not any(raw.values())):
        return None
    if isinstance(raw, PartnerMapping):
        mapping = raw
    else:
        try:
            mapping = PartnerMapping.model_validate(raw)
        except ValidationError as exc:
            errors = [
                {"loc": ".".join(str(p) for p in e["loc"]), "msg": e["msg"]}
                for e in exc.errors(include_url=False, include_input=False)
            ]
            raise ConfigurationError(
                "partner mapping is invalid", option="mapping", errors=errors
            ) from None
    return None if mapping == PartnerMapping() else mapping


def check_omittable(mapping: PartnerMapping, structural: frozenset[str], syntax: str) -> None:
    for selector in mapping.omit:
        tag = selector.split(":", 1)[0]
        if tag in structural:
            raise ConfigurationError(
                f"{syntax} segment {tag} carries the document's structure and cannot be omitted",
                option="mapping.omit",
                found=selector,
            )


def without_omitted(
    segments: Sequence[S],
    selectors: Iterable[str],
    loops: Mapping[str, frozenset[str]],
    tag_of: Callable[[S], str],
    qualifier_of: Callable[[S], str],
) -> list[S]:
    """``segments`` without those a selector names; a loop's head takes its members along."""
    wanted = [(s.split(":", 1)[0], s.split(":", 1)[1] if ":" in s else None) for s in selectors]
    kept: list[S] = []
    dropping: frozenset[str] = frozenset()
    for segment in segments:
        tag = tag_of(segment)
        if tag in dropping:
            continue
        dropping = frozenset()
        if any(t == tag and q in (None, qualifier_of(segment)) for t, q in wanted):
            dropping = loops.get(tag, frozenset())
            continue
        kept.append(segment)
    return kept


def ordered_ids(ids: Iterable[tuple[str, str]], kinds: Sequence[str]) -> list[tuple[str, str]]:
    """Item ids (kind, value) as the partner wants them: its kinds, in its order, with its
    codes; ids of a canonical field the partner does not list are left out."""
    by_field: dict[str, str] = {}
    for kind, value in ids:
        field = ITEM_ID_FIELDS.get(kind)
        if field is not None and value:
            by_field.setdefault(field, value)
    return [
        (kind, by_field[ITEM_ID_FIELDS[kind]]) for kind in kinds if ITEM_ID_FIELDS[kind] in by_field
    ]


def default_kind(kind: str, defaults: Mapping[str, str]) -> str:
    """The code procurelink's mapper uses for the field a partner's id kind carries."""
    field = ITEM_ID_FIELDS.get(kind)
    return defaults[field] if field is not None else kind
