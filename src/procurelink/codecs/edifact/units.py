"""EDIFACT unit codes (6411: UN/ECE Rec 20 and legacy codes) <-> normalised units (edi.md 5.6).

The partner's ``uom_map`` (partner code -> normalised code) is consulted first in both
directions: ``EA`` vs ``PCE`` vs ``H87`` all mean "unit" for us, but a partner may use ``CS``
for a case of 100.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from procurelink.errors import ConfigurationError

# Several partner codes may mean one normalised unit; the first one listed is what we write.
# PCE first because the sample partners (and most EANCOM guides of D.96A) use it.
_DEFAULT: tuple[tuple[str, str], ...] = (
    ("PCE", "unit"),
    ("EA", "unit"),
    ("C62", "unit"),
    ("H87", "unit"),
    ("NAR", "unit"),
    ("DZN", "dozen"),
    ("KGM", "kg"),
    ("GRM", "g"),
    ("TNE", "t"),
    ("LBR", "lb"),
    ("MTR", "m"),
    ("FOT", "ft"),
    ("LTR", "l"),
    ("MTK", "m2"),
    ("MTQ", "m3"),
    ("BX", "box"),
    ("CS", "case"),
    ("CT", "carton"),
    ("PX", "pallet"),
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
        return self._partner.get(code) or _TO_NORMAL.get(code)

    def to_partner(self, unit: str) -> str | None:
        return self._partner_reverse.get(unit) or _FROM_NORMAL.get(unit)
