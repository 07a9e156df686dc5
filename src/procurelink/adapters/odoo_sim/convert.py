"""Field values between the wire (what RPC clients send and read) and the store."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from procurelink.adapters.odoo_sim.clock import DATETIME_FORMAT
from procurelink.adapters.odoo_sim.faults import InvalidTextRepresentation, ValidationError
from procurelink.adapters.odoo_sim.fields import NUMERIC, X2MANY, Field

if TYPE_CHECKING:
    from procurelink.adapters.odoo_sim.orm import Env

DATE_FORMAT = "%Y-%m-%d"


def to_wire(env: Env, field: Field, value: Any, *, load: str | None) -> Any:
    """``read()`` conventions: many2one as ``[id, display_name]``, empty values ``False``."""
    if field.type == "many2one":
        if value is None:
            return False
        return value if load is None else [value, env.display_name(field.relation or "", value)]
    if field.type in X2MANY:
        return list(value or [])
    if field.type in ("integer", "many2one_reference"):
        return int(value or 0)
    if field.type in NUMERIC:
        return float(value or 0.0)
    if field.type == "boolean":
        return bool(value)
    return False if value is None else value


def from_wire(
    env: Env, model: str, name: str, field: Field, value: Any, creating: bool = False
) -> Any:
    """Check and convert a value of ``create``/``write`` (x2many commands are applied apart)."""
    if field.type in ("integer", "many2one_reference"):
        return int(value or 0)
    if field.type in NUMERIC:
        return float(value or 0.0)
    if field.type == "boolean":
        return bool(value)
    if value is False or value is None:
        return None
    if field.type == "many2one" and isinstance(value, list | tuple):
        # A read() pair written back. Odoo 17's Many2one takes only a tuple as (id, name),
        # and RPC brings lists: write() clears the field silently, create() sends the list
        # to PostgreSQL, which refuses it (both seen on the real 17).
        if not creating:
            return None
        raise InvalidTextRepresentation(
            f"invalid input syntax for type integer: {value!r} ({model}.{name})"
        )
    if field.type == "many2one":
        target = value
        if not isinstance(target, int) or not env.exists(field.relation or "", target):
            # PostgreSQL's foreign-key violation, converted by Odoo's retrying().
            raise_constraint(env, model, name, field)
        return target
    if field.type == "datetime":
        return parse_datetime(str(value))
    if field.type == "date":
        return datetime.strptime(str(value)[:10], DATE_FORMAT).strftime(DATE_FORMAT)
    if field.type == "selection" and value not in {k for k, _ in field.selection}:
        raise ValueError(f"Wrong value for {model}.{name}: {value!r}")
    if not isinstance(value, str):
        raise ValueError(f"Wrong value for {model}.{name}: {value!r}")
    return value


def parse_datetime(value: str) -> str:
    """Odoo 17 accepts ``YYYY-MM-DD HH:MM:SS`` or a bare date; ISO ``T`` and offsets fail."""
    if len(value) == 10:
        return datetime.strptime(value, DATE_FORMAT).strftime(DATETIME_FORMAT)
    return datetime.strptime(value[:19], DATETIME_FORMAT).strftime(DATETIME_FORMAT)


def raise_constraint(env: Env, model: str, name: str, field: Field) -> None:
    """The NOT NULL / foreign-key violation as Odoo's ``retrying()`` converts it."""
    spec = env.spec(model)
    raise ValidationError(
        "The operation cannot be completed:\n"
        "- Create/update: a mandatory field is not set.\n"
        "- Delete: another model requires the record being deleted. "
        "If possible, archive it instead.\n\n"
        f"Model: {spec.description} ({model})\nField: {field.string} ({name})"
    )
