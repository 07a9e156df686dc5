"""Partner unit codes <-> procurelink's normalised units (edi.md §5.6), for every syntax.

Each syntax subclasses ``PartnerUnits`` with its default table; the partner profile's
``uom_map`` (partner code -> normalised unit) is consulted first, in both directions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from procurelink.errors import ConfigurationError


class PartnerUnits:
    DEFAULT: ClassVar[tuple[tuple[str, str], ...]] = ()
    _to_normal: ClassVar[dict[str, str]] = {}
    _from_normal: ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        cls._to_normal = dict(cls.DEFAULT)
        # The first code listed for a unit is the one written.
        cls._from_normal = {}
        for code, unit in cls.DEFAULT:
            cls._from_normal.setdefault(unit, code)

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
        return self._partner.get(code) or self._to_normal.get(code)

    def to_partner(self, unit: str) -> str | None:
        return self._partner_reverse.get(unit) or self._from_normal.get(unit)
