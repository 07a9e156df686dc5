"""What differs between Odoo 16, 17, 18 and 19 on the wire, for the simulated models.

The store keeps Odoo 17's field names (the business code is written against them); a
``Schema`` says what a client of another version sees instead (reference section 6):

* 16: stock.move ``quantity_done`` (+ ``reserved_availability``, the sum of its lines'
  ``reserved_uom_qty``), move lines ``qty_done`` + ``reserved_uom_qty``, no ``picked``; no
  ``discount`` on order lines and vendor prices; ``__last_update`` on every model.
* 18: products ``type`` (consu/service/combo) + ``is_storable`` replace ``detailed_type``;
  ``name_get`` removed; warehouses have ``qc_type_id`` and ``store_type_id`` (the reception
  steps' Quality Control and Storage operation types).
* 19: order lines ``product_uom_id`` / ``tax_ids``; order ``note``; state ``done`` removed
  (``locked`` + ``button_lock``/``button_unlock``); ``acknowledged`` + ``action_acknowledge``
  replace the reminder flags; no ``uom_po_id``; units without ``uom.category``, ``factor``
  inverted, ``relative_factor``/``relative_uom_id``; ``name_search(domain=...)``;
  ``stock.quant.package`` is ``stock.package``; stock.move has no ``name``.

A wire field is plain (stored under its own name), renamed (stored under another name) or
virtual (computed from the stored values, with its own write and search translation).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from procurelink.adapters.odoo_sim.fields import Field, Record

if TYPE_CHECKING:
    from procurelink.adapters.odoo_sim.orm import Env

Write = Callable[[dict[str, Any], Any], None]
Search = Callable[[str, Any], list[Any]]


@dataclass(frozen=True, slots=True)
class WireField:
    field: Field  # what fields_get reports
    internal: str | None = None  # stored name; None for a virtual field
    compute: Callable[[Env, Record], Any] | None = None
    write: Write | None = None
    search: Search | None = None


PRODUCTS = ("product.product", "product.template")
PRODUCT_TYPES = (("consu", "Goods"), ("service", "Service"), ("combo", "Combo"))
NO_DONE = tuple(
    pair
    for pair in (
        ("draft", "RFQ"),
        ("sent", "RFQ Sent"),
        ("to approve", "To Approve"),
        ("purchase", "Purchase Order"),
        ("cancel", "Cancelled"),
    )
)


def _product_type(env: Env, rec: Record) -> str:
    return "service" if rec.get("detailed_type") == "service" else "consu"


def _write_type(vals: dict[str, Any], value: Any) -> None:
    if value == "service":
        vals["detailed_type"] = "service"
    elif vals.get("detailed_type") != "product":
        vals["detailed_type"] = "consu"


def _write_storable(vals: dict[str, Any], value: Any) -> None:
    if value:
        vals["detailed_type"] = "product"
    elif vals.get("detailed_type") == "product":
        vals["detailed_type"] = "consu"


def _search_type(operator: str, value: Any) -> list[Any]:
    kinds = ["service"] if value == "service" else ["consu", "product"]
    if operator == "=":
        return [("detailed_type", "in", kinds)]
    if operator == "!=":
        return [("detailed_type", "not in", kinds)]
    raise ValueError(f"Unsupported operator {operator!r} on product type (simulator)")


def _search_storable(operator: str, value: Any) -> list[Any]:
    positive = (operator == "=") == bool(value)
    if operator not in ("=", "!="):
        raise ValueError(f"Unsupported operator {operator!r} on is_storable (simulator)")
    return [("detailed_type", "=" if positive else "!=", "product")]


def _reference_unit(env: Env, rec: Record) -> int | None:
    if rec.get("uom_type") == "reference":
        return None
    found = env.search(
        "uom.uom", [("category_id", "=", rec.get("category_id")), ("uom_type", "=", "reference")]
    )
    return found[0] if found else None


def _inverted(env: Env, rec: Record) -> float:
    # 16-18: units per reference unit; 19: reference units contained in one unit.
    return 1.0 / float(rec.get("factor") or 1.0)


def _write_inverted(vals: dict[str, Any], value: Any) -> None:
    vals["factor"] = 1.0 / float(value or 1.0)


def _last_update(env: Env, rec: Record) -> Any:
    return rec.get("write_date") or rec.get("create_date")


def _reserved(env: Env, rec: Record) -> float:
    """16's ``reserved_availability``: what the move's lines reserve (nothing once done)."""
    if rec.get("state") in ("done", "cancel"):
        return 0.0
    lines = env.table("stock.move.line").values()
    return sum(
        float(ln.get("reserved_uom_qty") or 0.0) for ln in lines if ln.get("move_id") == rec["id"]
    )


@dataclass(frozen=True, slots=True)
class Schema:
    """The wire view of one Odoo version over the simulator's (17) store."""

    major: int
    renames: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    hidden: Mapping[str, frozenset[str]] = field(default_factory=dict)
    virtual: Mapping[str, Mapping[str, WireField]] = field(default_factory=dict)
    selections: Mapping[tuple[str, str], tuple[tuple[str, str], ...]] = field(default_factory=dict)
    hidden_models: frozenset[str] = frozenset()
    model_renames: Mapping[str, str] = field(default_factory=dict)  # wire name -> stored name
    hidden_methods: Mapping[str, frozenset[str]] = field(default_factory=dict)
    _cache: dict[str, dict[str, WireField]] = field(default_factory=dict, compare=False)

    def fields(self, env: Env, model: str) -> dict[str, WireField]:
        """Wire name -> how to read, write and search it, for ``model``."""
        if model not in self._cache:
            self._cache[model] = self._build(env, model)
        return self._cache[model]

    def is_hidden(self, model: str, name: str) -> bool:
        """A stored field this version does not have (refused like an unknown one)."""
        hidden = self.hidden.get(model, frozenset()) | self.hidden.get("*", frozenset())
        return name in hidden or name in self.renames.get(model, {}).values()

    def stored_model(self, model: str) -> str:
        """The store's name of a wire model name (19's ``stock.package`` is 17's
        ``stock.quant.package``)."""
        return self.model_renames.get(model, model)

    def method_hidden(self, model: str, name: str) -> bool:
        return name in self.hidden_methods.get(model, frozenset()) | self.hidden_methods.get(
            "*", frozenset()
        )

    def _build(self, env: Env, model: str) -> dict[str, WireField]:
        stored = env.fields(model)
        out = {
            name: WireField(spec, name)
            for name, spec in stored.items()
            if not self.is_hidden(model, name)
        }
        for wire, internal in self.renames.get(model, {}).items():
            out[wire] = WireField(stored[internal], internal)
        out.update(self.virtual.get("*", {}))
        out.update(self.virtual.get(model, {}))
        for (m, name), selection in self.selections.items():
            if m == model and name in out:
                out[name] = replace(out[name], field=replace(out[name].field, selection=selection))
        return out


def _schema(major: int) -> Schema:
    hidden: dict[str, set[str]] = {}
    renames: dict[str, dict[str, str]] = {}
    virtual: dict[str, dict[str, WireField]] = {}
    selections: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}
    hidden_methods: dict[str, set[str]] = {}
    hidden_models: set[str] = set()
    model_renames: dict[str, str] = {}

    def hide(model: str, *names: str) -> None:
        hidden.setdefault(model, set()).update(names)

    if major >= 17:
        hide("stock.move.line", "reserved_uom_qty")
    if major <= 17:
        hide("stock.warehouse", "qc_type_id", "store_type_id")
    if major <= 18:
        hide("purchase.order", "locked", "acknowledged")
        hidden_methods.setdefault("purchase.order", set()).update(
            {"button_lock", "action_acknowledge"}
        )
    if major <= 16:
        renames["stock.move"] = {"quantity_done": "quantity"}
        renames["stock.move.line"] = {"qty_done": "quantity"}
        hide("stock.move", "picked")
        hide("stock.move.line", "picked")
        hide("purchase.order.line", "discount")
        hide("product.supplierinfo", "discount")
        virtual["*"] = {
            "__last_update": WireField(_field("datetime", "Last Modified on"), None, _last_update)
        }
        virtual["stock.move"] = {
            "reserved_availability": WireField(
                _field("float", "Quantity Reserved"), None, _reserved
            )
        }
    if major >= 18:
        hidden_methods.setdefault("*", set()).add("name_get")
        for model in PRODUCTS:
            hide(model, "detailed_type")
            virtual[model] = {
                "type": WireField(
                    _field("selection", "Product Type", PRODUCT_TYPES, readonly=False),
                    None,
                    _product_type,
                    _write_type,
                    _search_type,
                ),
                "is_storable": WireField(
                    _field("boolean", "Track Inventory", readonly=False),
                    None,
                    lambda env, rec: rec.get("detailed_type") == "product",
                    _write_storable,
                    _search_storable,
                ),
            }
    if major >= 19:
        renames["res.users"] = {"group_ids": "groups_id"}
        hide("uom.uom", "factor_inv")
        renames["purchase.order.line"] = {"product_uom_id": "product_uom", "tax_ids": "taxes_id"}
        renames["purchase.order"] = {"note": "notes"}
        renames["product.supplierinfo"] = {"product_uom_id": "product_uom"}
        hide("purchase.order", "mail_reminder_confirmed", "mail_reception_confirmed")
        for model in PRODUCTS:
            hide(model, "uom_po_id")
        hide("uom.uom", "category_id", "uom_type")
        hidden_models.add("uom.category")
        hide("stock.move", "name")
        model_renames["stock.package"] = "stock.quant.package"
        hidden_models.add("stock.quant.package")
        virtual["uom.uom"] = {
            "factor": WireField(
                _field("float", "Ratio", readonly=False), None, _inverted, _write_inverted
            ),
            "relative_factor": WireField(_field("float", "Contains"), None, _inverted),
            "relative_uom_id": WireField(
                Field("many2one", "Reference Unit", relation="uom.uom", readonly=True),
                None,
                _reference_unit,
            ),
        }
        selections[("purchase.order", "state")] = NO_DONE
        selections[("purchase.order.line", "state")] = NO_DONE
        hidden_methods.setdefault("purchase.order", set()).add("button_done")
    return Schema(
        major=major,
        renames=renames,
        hidden={k: frozenset(v) for k, v in hidden.items()},
        virtual=virtual,
        selections=selections,
        hidden_models=frozenset(hidden_models),
        model_renames=model_renames,
        hidden_methods={k: frozenset(v) for k, v in hidden_methods.items()},
    )


def _field(
    type_: str,
    string: str,
    selection: tuple[tuple[str, str], ...] = (),
    *,
    readonly: bool = True,
) -> Field:
    return Field(type_, string, selection=selection, readonly=readonly, store=False)


SUPPORTED = (16, 17, 18, 19)
SCHEMAS = {major: _schema(major) for major in SUPPORTED}


def major_of(version: str) -> int:
    """``"18.0"`` -> 18; only the versions the simulator imitates."""
    major = int(version.split(".", 1)[0].removeprefix("saas~"))
    if major not in SCHEMAS:
        raise ValueError(f"the simulator imitates Odoo {SUPPORTED}, not {version}")
    return major
