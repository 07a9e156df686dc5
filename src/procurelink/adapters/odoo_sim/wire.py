"""The RPC boundary of the generic ORM methods: wire names in, wire names out.

Clients name fields as their Odoo version does (``versions.Schema``); the store keeps 17's
names. Field lists, domains, ``order`` strings and values are translated on the way in,
rows and ``fields_get`` on the way out. A field the version does not have is refused with
Odoo's own message. Dotted domain paths are translated on their first segment only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from procurelink.adapters.odoo_sim.convert import to_wire
from procurelink.adapters.odoo_sim.fields import X2MANY
from procurelink.adapters.odoo_sim.versions import SCHEMAS, Schema, WireField

if TYPE_CHECKING:
    from procurelink.adapters.odoo_sim.orm import Env


def schema(env: Env) -> Schema:
    return SCHEMAS[env.store.major]


def _wire(env: Env, model: str) -> dict[str, WireField]:
    return schema(env).fields(env, model)


def _invalid(model: str, name: str) -> ValueError:
    return ValueError(f"Invalid field {name!r} on model {model!r}")


def _get(env: Env, model: str, name: str) -> WireField | None:
    found = _wire(env, model).get(name)
    if found is None and schema(env).is_hidden(model, name):
        raise _invalid(model, name)
    return found


def read(
    env: Env, model: str, ids: Sequence[int], names: Sequence[str] | None, load: str | None
) -> list[dict[str, Any]]:
    wire = _wire(env, model)
    names = list(names) if names else list(wire)
    for name in names:
        if name not in wire:
            raise _invalid(model, name)
    stored = [f.internal for n in names if (f := wire[n]).internal] or ["id"]
    out = []
    for row in env.read(model, ids, stored, load):
        record = env.row(model, row["id"])
        new = {"id": row["id"]}
        for name in names:
            f = wire[name]
            if f.internal is not None:
                new[name] = row[f.internal]
            else:
                assert f.compute is not None
                new[name] = to_wire(env, f.field, f.compute(env, record), load=load)
        out.append(new)
    return out


def domain(env: Env, model: str, terms: Sequence[Any] | None) -> list[Any]:
    out: list[Any] = []
    for term in terms or []:
        if not (isinstance(term, list | tuple) and len(term) == 3 and isinstance(term[0], str)):
            out.append(term)
            continue
        path, operator, value = term
        first, dot, rest = path.partition(".")
        f = _get(env, model, first)
        if f is None or f.internal == first:
            out.append(term)
        elif f.internal is not None:
            out.append((f"{f.internal}{dot}{rest}", operator, value))
        elif f.search is not None and not dot:
            out.extend(f.search(operator, value))
        else:
            kind = "condition" if env.store.major >= 19 else "leaf"  # 19's Domain class
            raise ValueError(f"Invalid field {model}.{first} in {kind} {tuple(term)!r}")
    return out


def order(env: Env, model: str, spec: str | None) -> str | None:
    if not spec:
        return spec
    parts = []
    for part in spec.split(","):
        words = part.split()
        f = _get(env, model, words[0]) if words else None
        if f is not None and f.internal is None:
            raise ValueError(f'Invalid "order" specified ({spec}).')
        if f is not None and f.internal is not None:
            words[0] = f.internal
        parts.append(" ".join(words))
    return ", ".join(parts)


def values(env: Env, model: str, vals: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in vals.items():
        f = _get(env, model, name)
        if f is None:
            out[name] = value  # unknown everywhere: the ORM refuses it
        elif f.internal is not None:
            is_x2many = f.field.type in X2MANY and f.field.relation
            out[f.internal] = _commands(env, f.field.relation or "", value) if is_x2many else value
        elif f.write is not None:
            f.write(out, value)
    return out


def _commands(env: Env, co_model: str, value: Any) -> Any:
    """x2many commands carry the co-model's values: ``(0, 0, vals)`` and ``(1, id, vals)``."""
    if not isinstance(value, list | tuple):
        return value
    out = []
    for command in value:
        is_vals = isinstance(command, list | tuple) and len(command) == 3
        if is_vals and command[0] in (0, 1) and isinstance(command[2], Mapping):
            command = [command[0], command[1], values(env, co_model, command[2])]
        out.append(command)
    return out


def field_names(env: Env, model: str, names: Sequence[str] | None) -> list[str] | None:
    if not names:
        return None
    for name in names:
        if _get(env, model, name) is None:
            raise _invalid(model, name)
    return list(names)


def describe(env: Env, model: str) -> dict[str, dict[str, Any]]:
    return {name: f.field.describe() for name, f in _wire(env, model).items()}
