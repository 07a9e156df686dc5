"""Remote-callable methods and ``call_kw`` (reference section 1.2, ``odoo.api.call_kw``).

Model-level methods (``@api.model``) get ``args`` as they are; record methods take the id
list from ``args[0]``; JSON-2 (``call_named``) passes ``ids`` and named arguments only.
The generic ORM methods speak the client's version through ``wire``. Business methods
register per model in ``registry.py``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from procurelink.adapters.odoo_sim import access, wire
from procurelink.adapters.odoo_sim.faults import (
    AccessError,
    NotFound,
    UnprocessableEntity,
    UserError,
)
from procurelink.adapters.odoo_sim.orm import Env


@dataclass(frozen=True, slots=True)
class Method:
    fn: Callable[..., Any]
    model_level: bool = False
    writes: bool = True  # read-only methods skip the transaction snapshot
    returns_records: bool = False  # JSON-2 answers a recordset as an id list


def search(
    env: Env,
    model: str,
    domain: Sequence[Any],
    offset: int = 0,
    limit: int | None = None,
    order: str | None = None,
) -> list[int]:
    return env.search(
        model,
        _active_only(env, model, wire.domain(env, model, domain)),
        offset,
        limit,
        _order(env, model, order),
    )


def _active_only(env: Env, model: str, domain: list[Any]) -> list[Any]:
    """Odoo's ``active_test``: a search on a model with ``active`` leaves archived records
    out unless the domain names ``active`` itself or the context sets ``active_test``
    false (``BaseModel._search``)."""
    if "active" not in env.fields(model) or not env.context.get("active_test", True):
        return domain
    if any(isinstance(leaf, list | tuple) and leaf and leaf[0] == "active" for leaf in domain):
        return domain
    return [("active", "=", True), *domain]


def _order(env: Env, model: str, order: str | None) -> str | None:
    return wire.order(env, model, order)


def search_count(env: Env, model: str, domain: Sequence[Any], limit: int | None = None) -> int:
    return len(
        env.search(model, _active_only(env, model, wire.domain(env, model, domain)), 0, limit)
    )


def search_read(
    env: Env,
    model: str,
    domain: Sequence[Any] | None = None,
    fields: Sequence[str] | None = None,
    offset: int = 0,
    limit: int | None = None,
    order: str | None = None,
    load: str | None = "_classic_read",
) -> list[Any]:
    ids = search(env, model, domain or [], offset, limit, order)
    return wire.read(env, model, ids, fields, load)


def read(
    env: Env,
    model: str,
    ids: list[int],
    fields: Sequence[str] | None = None,
    load: str | None = "_classic_read",
) -> list[dict[str, Any]]:
    return wire.read(env, model, ids, fields, load)


def create(env: Env, model: str, vals_list: Any) -> int | list[int]:
    if isinstance(vals_list, Mapping):
        return env.create(model, wire.values(env, model, vals_list))
    return [env.create(model, wire.values(env, model, vals)) for vals in vals_list]


def write(env: Env, model: str, ids: list[int], vals: Mapping[str, Any]) -> bool:
    schema = wire.schema(env)
    if model == "res.partner" and schema.major >= 19 and ids:
        # 19's res.partner.write reads the old value of every written field first: an
        # unknown one is a bare KeyError (HTTP 500 "builtins.KeyError"), not "Invalid field".
        known = schema.fields(env, model)
        for name in vals:
            if name not in known:
                raise KeyError(name)
    env.write(model, ids, wire.values(env, model, vals))
    return True


def unlink(env: Env, model: str, ids: list[int]) -> bool:
    env.unlink(model, ids)
    return True


def fields_get(
    env: Env,
    model: str,
    allfields: Sequence[str] | None = None,
    attributes: Sequence[str] | None = None,
) -> dict[str, Any]:
    out = {}
    for name, info in wire.describe(env, model).items():
        if allfields and name not in allfields:
            continue
        out[name] = {k: v for k, v in info.items() if not attributes or k in attributes}
    return out


def name_get(env: Env, model: str, ids: list[int]) -> list[list[Any]]:
    """Deprecated in 17 (``display_name`` replaces it), removed in 18."""
    return [[i, env.display_name(model, i)] for i in ids if env.exists(model, i)]


def name_search(
    env: Env,
    model: str,
    name: str = "",
    args: Sequence[Any] | None = None,
    operator: str = "ilike",
    limit: int = 100,
) -> list[list[Any]]:
    domain = _active_only(env, model, wire.domain(env, model, args))
    if name:
        domain.append((env.spec(model).rec_name, operator, name))
    return name_get(env, model, env.search(model, domain, 0, limit))


def name_search_19(
    env: Env,
    model: str,
    name: str = "",
    domain: Sequence[Any] | None = None,
    operator: str = "ilike",
    limit: int = 100,
) -> list[list[Any]]:
    """19 renamed the ``args`` parameter to ``domain``."""
    return name_search(env, model, name, domain, operator, limit)


def context_get(env: Env, model: str) -> dict[str, Any]:
    """res.users: the caller's context; JSON-2 clients read their uid from it (D19)."""
    return {"lang": "en_US", "tz": False, "uid": env.uid}


def check_access_rights(env: Env, model: str, operation: str, raise_exception: bool = True) -> bool:
    return True


GENERIC: dict[str, Method] = {
    "search": Method(search, model_level=True, writes=False),
    "search_count": Method(search_count, model_level=True, writes=False),
    "search_read": Method(search_read, model_level=True, writes=False),
    "read": Method(read, writes=False),
    "create": Method(create, model_level=True, returns_records=True),
    "write": Method(write),
    "unlink": Method(unlink),
    "fields_get": Method(fields_get, model_level=True, writes=False),
    "name_get": Method(name_get, writes=False),
    "name_search": Method(name_search, model_level=True, writes=False),
    "check_access_rights": Method(check_access_rights, model_level=True, writes=False),
}


# Private methods every model of a real Odoo 18 has (checked on one, ``res.partner``): 18
# asks whether the method exists before looking at its name, so a private name that does
# not exist there (``_read`` is gone in 18) is an AttributeError, not an AccessError.
PRIVATE_18 = frozenset(
    {
        "_search",
        "_write",
        "_create",
        "_read_group",
        "_read_format",
        "_fetch_query",
        "_check_company",
        "_compute_display_name",
        "_filter_access_rules",
        "_flush_search",
        "_where_calc",
    }
)


def _missing(schema_major: int, model: str, name: str) -> AttributeError:
    if schema_major >= 18:  # 18 and 19 name the method as model.method
        return AttributeError(f"The method '{model}.{name}' does not exist")
    return AttributeError(f"The method '{name}' does not exist on the model '{model}'")


def resolve(methods: Mapping[str, Mapping[str, Method]], env: Env, model: str, name: str) -> Method:
    schema = wire.schema(env)
    # 16-17 refuse a private name before looking the model up; 18-19 look the model up first.
    if name.startswith("_") and schema.major <= 17:
        raise AccessError(f"Private methods (such as {name}) cannot be called remotely.")
    if model in schema.hidden_models:
        raise UserError(f"Object {model} doesn't exist")  # as for any unknown model
    stored = schema.stored_model(model)
    env.spec(stored)
    if name.startswith("_"):
        if schema.major == 18 and name not in PRIVATE_18:
            raise _missing(schema.major, model, name)
        such = f"'{model}.{name}'"  # 18 and 19 name the model too
        raise AccessError(f"Private methods (such as {such}) cannot be called remotely.")
    method = methods.get(stored, {}).get(name) or GENERIC.get(name)
    if schema.major >= 19 and name == "name_search":
        method = Method(name_search_19, model_level=True, writes=False)
    if schema.major <= 17 and (stored, name) == ("res.users", "has_group"):
        method = Method(access.has_group_17, model_level=True, writes=False)
    if method is None or schema.method_hidden(stored, name):
        raise _missing(schema.major, model, name)
    return method


def call(
    method: Method, env: Env, model: str, args: Sequence[Any], kwargs: Mapping[str, Any]
) -> Any:
    if method.model_level:
        return method.fn(env, model, *args, **kwargs)
    if not args:
        raise TypeError(f"{method.fn.__name__}() missing the record ids (args[0])")
    ids = args[0]
    ids = [ids] if isinstance(ids, int) else list(ids)
    return method.fn(env, model, ids, *args[1:], **kwargs)


def call_named(
    method: Method, env: Env, model: str, ids: list[int], kwargs: Mapping[str, Any]
) -> Any:
    """JSON-2: ids and named arguments bound to the Python signature (422 when they don't)."""
    if method.model_level and ids:
        raise UnprocessableEntity(f"cannot call {model}.{method.fn.__name__} with ids")
    head: list[Any] = [env, model] if method.model_level else [env, model, ids]
    try:
        inspect.signature(method.fn).bind(*head, **kwargs)
    except TypeError as exc:
        raise UnprocessableEntity(str(exc)) from None
    return method.fn(*head, **kwargs)


def lookup(methods: Mapping[str, Mapping[str, Method]], env: Env, model: str, name: str) -> Method:
    """JSON-2's resolution: an unknown model or method is HTTP 404."""
    schema = wire.schema(env)
    if schema.stored_model(model) not in env.store.models or model in schema.hidden_models:
        raise NotFound(f"the model {model!r} does not exist")
    try:
        return resolve(methods, env, model, name)
    except AttributeError as exc:
        raise NotFound(str(exc)) from None
