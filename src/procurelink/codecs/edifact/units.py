"""EDIFACT unit codes (6411: UN/ECE Rec 20 and legacy codes) <-> normalised units (edi.md 5.6).

The partner's ``uom_map`` (partner code -> normalised code) is consulted first in both
directions: ``EA`` vs ``PCE`` vs ``H87`` all mean "unit" for us, but a partner may use ``CS``
for a case of 100.
"""

from __future__ import annotations

from procurelink.codecs.units import PartnerUnits

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


class UnitMap(PartnerUnits):
    """Both directions of the unit table, with the partner's overrides in front."""

    DEFAULT = _DEFAULT
