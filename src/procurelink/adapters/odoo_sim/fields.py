"""Field and model declarations of the simulator (what ``fields_get`` reports)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from procurelink.adapters.odoo_sim.orm import Env

Record = dict[str, Any]
Compute = Callable[["Env", Record], Any]

RELATIONAL = frozenset({"many2one", "one2many", "many2many"})
X2MANY = frozenset({"one2many", "many2many"})
NUMERIC = frozenset({"integer", "float", "monetary"})


@dataclass(frozen=True, slots=True)
class Field:
    type: str
    string: str
    relation: str | None = None
    inverse: str | None = None  # one2many: the many2one on the co-model
    selection: tuple[tuple[str, str], ...] = ()
    required: bool = False
    readonly: bool = False
    compute: Compute | None = None
    store: bool = True  # as fields_get reports it; computed values are evaluated on read

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": self.type,
            "string": self.string,
            "required": self.required,
            "readonly": self.readonly,
            "store": self.store,
        }
        if self.relation:
            out["relation"] = self.relation
        if self.inverse:
            out["relation_field"] = self.inverse
        if self.type == "selection":
            out["selection"] = [list(pair) for pair in self.selection]
        return out


def char(string: str, **kw: Any) -> Field:
    return Field("char", string, **kw)


def m2o(relation: str, string: str, **kw: Any) -> Field:
    return Field("many2one", string, relation=relation, **kw)


def o2m(relation: str, inverse: str, string: str, **kw: Any) -> Field:
    return Field("one2many", string, relation=relation, inverse=inverse, **kw)


def computed(type_: str, string: str, fn: Compute, *, store: bool = True, **kw: Any) -> Field:
    return Field(type_, string, compute=fn, store=store, readonly=True, **kw)


@dataclass(frozen=True, slots=True)
class ModelSpec:
    name: str
    description: str
    fields: Mapping[str, Field]
    order: str = "id"
    rec_name: str = "name"
    display_name: Compute | None = None
    defaults: Mapping[str, Any] = field(default_factory=dict)
