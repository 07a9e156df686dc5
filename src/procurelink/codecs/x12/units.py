"""X12 unit codes (code list 355) <-> normalised unit codes (edi.md section 5.6).

The partner's ``uom_map`` (partner code -> normalised code) is consulted first in both
directions, because partners differ: one sends ``CA`` for a case of 100, another ``PC`` for
what we call a unit.
"""

from __future__ import annotations

from procurelink.codecs.units import PartnerUnits

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


class UnitMap(PartnerUnits):
    """Both directions of the unit table, with the partner's overrides in front."""

    DEFAULT = _DEFAULT
