"""Odoo search domains: Polish-prefix lists of leaves, evaluated against simulator records.

Supports ``= != < <= > >= =? in "not in" like "not like" ilike "not ilike" =like =ilike
child_of any "not any"``, the prefix operators ``& | !`` with implicit AND, and dotted paths
through many2one and x2many fields. On an x2many path a positive operator matches when any
co-record matches; a negative one when none matches the positive form (Odoo's semantics).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from procurelink.adapters.odoo_sim.fields import X2MANY, Field, Record

if TYPE_CHECKING:
    from procurelink.adapters.odoo_sim.orm import Env

NEGATIVE = {"!=": "=", "not in": "in", "not like": "like", "not ilike": "ilike", "not any": "any"}
OPERATORS = frozenset(
    {"=", "<", "<=", ">", ">=", "=?", "in", "like", "ilike", "=like", "=ilike", "child_of", "any"}
    | NEGATIVE.keys()
)


def validate(env: Env, model: str, domain: Sequence[Any]) -> None:
    """Refuse malformed domains before touching any record (Odoo does it up front too)."""
    if not isinstance(domain, list | tuple):
        raise ValueError(f"Invalid domain {domain!r}")
    for item in domain:
        if item in ("&", "|", "!"):
            continue
        if not isinstance(item, list | tuple) or len(item) != 3:
            raise ValueError(f"Invalid leaf {item!r}")
        path, op, _ = item
        if isinstance(path, int):  # TRUE_LEAF (1, '=', 1) / FALSE_LEAF (0, '=', 1)
            continue
        if op not in OPERATORS:
            raise ValueError(f"Invalid leaf {tuple(item)!r}")
        current = model
        for name in str(path).split("."):
            spec = env.field(current, name, leaf=tuple(item))
            current = spec.relation or current


def matches(env: Env, model: str, record: Record, domain: Sequence[Any]) -> bool:
    stack: list[bool] = []
    for item in reversed(domain):
        if item == "!":
            stack.append(not stack.pop())
        elif item in ("&", "|"):
            first, second = stack.pop(), stack.pop()
            stack.append(first and second if item == "&" else first or second)
        else:
            stack.append(_leaf(env, model, record, item))
    return all(stack)


def _leaf(env: Env, model: str, record: Record, leaf: Sequence[Any]) -> bool:
    path, op, value = leaf
    if isinstance(path, int):
        return bool(path == value)
    field, values = env.path_values(model, record, str(path))
    positive = NEGATIVE.get(op, op)
    test = _operator(env, field, positive, value)
    hit = any(test(v) for v in values)
    return not hit if op in NEGATIVE else hit


def _operator(env: Env, field: Field, op: str, value: Any) -> Callable[[Any], bool]:
    def shown(v: Any) -> Any:
        # A many2one compared with a string compares its display name, as name_search does.
        if field.relation and isinstance(value, str) and v is not None:
            return env.display_name(field.relation, v)
        return v

    if op == "=?":
        return (lambda v: True) if _empty(value) else _operator(env, field, "=", value)
    if op == "=":
        return lambda v: _equal(shown(v), value)
    if op == "in":
        options = value if isinstance(value, list | tuple) else [value]
        return lambda v: any(_equal(shown(v), o) for o in options)
    if op in ("like", "ilike", "=like", "=ilike"):
        pattern = _like_pattern(str(value), wrap=not op.startswith("="), fold=op.endswith("ilike"))
        return lambda v: not _empty(v) and bool(pattern.fullmatch(str(shown(v))))
    if op == "child_of":
        roots = set(value if isinstance(value, list | tuple) else [value])
        return lambda v: v is not None and bool(roots & env.ancestors(field, v))
    if op == "any":
        relation = field.relation or ""
        return lambda v: v is not None and matches(env, relation, env.row(relation, v), value)
    return lambda v: _compare(v, op, value)


def _empty(v: Any) -> bool:
    # Identity checks: 0 and 0.0 compare equal to False but are values, not NULL.
    return v is None or v is False or v == ""


def _equal(v: Any, value: Any) -> bool:
    if value is False or value is None:
        return _empty(v)
    return bool(v == value)


def _compare(v: Any, op: str, value: Any) -> bool:
    if _empty(v) or _empty(value):
        return False
    if op == "<":
        return bool(v < value)
    if op == "<=":
        return bool(v <= value)
    if op == ">":
        return bool(v > value)
    return bool(v >= value)


def _like_pattern(value: str, *, wrap: bool, fold: bool) -> re.Pattern[str]:
    body = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in value)
    if wrap:
        body = f".*{body}.*"
    return re.compile(body, re.IGNORECASE | re.DOTALL if fold else re.DOTALL)


def x2many_values(field: Field, value: Any) -> list[Any]:
    """Values a leaf sees for one field: x2many fields fan out, empty ones match False."""
    if field.type in X2MANY:
        return list(value) or [None]
    return [value]
