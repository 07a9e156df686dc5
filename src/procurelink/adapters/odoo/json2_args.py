"""Positional ``execute_kw`` arguments -> JSON-2's named arguments (reference 1.5, 2.3).

JSON-2 binds the body to the Python signature, so names must match it exactly. The ORM
methods the adapter uses are listed with their parameter names (19 signatures); any other
method is taken as a record method whose only positional argument is the id list, other
arguments must then come as keywords.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from procurelink.errors import ErpError

# method -> (is @api.model, names of the positional parameters after the ids)
SIGNATURES: dict[str, tuple[bool, tuple[str, ...]]] = {
    "search": (True, ("domain", "offset", "limit", "order")),
    "search_read": (True, ("domain", "fields", "offset", "limit", "order")),
    "search_count": (True, ("domain", "limit")),
    "create": (True, ("vals_list",)),
    "fields_get": (True, ("allfields", "attributes")),
    "name_search": (True, ("name", "domain", "operator", "limit")),
    "context_get": (True, ()),
    "read": (False, ("fields", "load")),
    "write": (False, ("vals",)),
    "unlink": (False, ()),
    "copy": (False, ("default",)),
    "has_group": (False, ("group_ext_id",)),
}


def named_arguments(
    method: str, args: list[Any], kwargs: Mapping[str, Any], where: Mapping[str, Any]
) -> dict[str, Any]:
    model_level, names = SIGNATURES.get(method, (False, ()))
    body: dict[str, Any] = {}
    rest = list(args)
    if not model_level:
        ids = rest.pop(0) if rest else []
        body["ids"] = [ids] if isinstance(ids, int) else list(ids)
    if len(rest) > len(names):
        raise ErpError(
            f"JSON-2 takes named arguments: pass the arguments of {method} as keywords",
            **where,
        )
    body.update(zip(names, rest, strict=False))
    for key, value in kwargs.items():
        # 19 renamed name_search's ``args`` to ``domain``.
        body["domain" if method == "name_search" and key == "args" else key] = value
    if method == "create" and isinstance(body.get("vals_list"), Mapping):
        body["vals_list"] = [body["vals_list"]]  # the caller gets one id back (rpc.py)
    return body
