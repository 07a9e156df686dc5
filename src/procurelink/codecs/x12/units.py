"""X12 unit codes (code list 355) <-> normalised unit codes (edi.md section 5.6).

The partner's ``uom_map`` (partner code -> normalised code) is consulted first in both
directions, because partners differ: one sends ``CA`` for a case of 100, another ``PC`` for
what we call a unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from procurelink.errors import ConfigurationError

# Several partner codes may mean one normalised unit; the first one listed is what we write.
_DEFAULT: tuple[tuple[str, str], ...] = (
    ("EA", "unit"),
    ("PC", "unit"),
    ("UN", "unit"),
    ("DZ", "dozen"),
    ("KG", "kg"),
    ("GR", "g"),
    ("LB", "lb"),
    ("MR", "m"),
    ("FT", "ft"),
    ("LT", "l"),
    ("SM", "m2"),
    ("CR", "m3"),
    ("BX", "box"),
    ("CA", "case"),
    ("CT", "carton"),
    ("PL", "pallet"),
)
_TO_NORMAL = dict(_DEFAULT)
_FROM_NORMAL: dict[str, str] = {}
for _code, _unit in _DEFAULT:
    _FROM_NORMAL.setdefault(_unit, _code)


class UnitMap:
    """Both directions of the unit table, with the partner's overrides in front."""

    def __init__(self, options: Mapping[str, Any]) -> None:
        raw = options.get("uom_map") or {}
        if not isinstance(raw, Mapping):
            raise ConfigurationError("uom_map must map partner codes to units", option="uom_map")
        self._partner: dict[str, str] = {str(k): str(v) for k, v in raw.items()}
        self._partner_reverse: dict[str, str] = {}
        for code, unit in self._partner.items():
            self._partner_reverse.setdefault(unit, code)

    def to_normal(self, code: str) -> str | None:
        """Normalised unit of a partner code, or None when neither table knows it."""
        return self._partner.get(code) or _TO_NORMAL.get(code)

    def to_partner(self, unit: str) -> str | None:
        return self._partner_reverse.get(unit) or _FROM_NORMAL.get(unit)
