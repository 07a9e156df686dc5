"""x2many write commands ``(0..6, id, vals)`` (``odoo.fields.Command``, reference section 2.2)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from procurelink.adapters.odoo_sim.fields import Field

if TYPE_CHECKING:
    from procurelink.adapters.odoo_sim.orm import Env

CREATE, UPDATE, DELETE, UNLINK, LINK, CLEAR, SET = range(7)


def apply_commands(env: Env, model: str, rid: int, name: str, spec: Field, value: Any) -> None:
    if not isinstance(value, list | tuple):
        raise ValueError(f"Wrong value for {model}.{name}: {value!r}")
    if value and all(isinstance(v, int) for v in value):
        value = [[SET, 0, list(value)]]  # a bare id list means SET, as in Odoo
    for command in value:
        if not isinstance(command, list | tuple) or not command:
            raise ValueError(f"Wrong value for {model}.{name}: {value!r}")
        if spec.type == "one2many":
            _one2many(env, rid, spec, command)
        else:
            _many2many(env, model, rid, name, spec, command)


def _one2many(env: Env, rid: int, spec: Field, command: Sequence[Any]) -> None:
    co_model, inverse = spec.relation or "", spec.inverse or ""
    code = command[0]
    linked = env.search(co_model, [(inverse, "=", rid)])
    if code == CREATE:
        env.create(co_model, {**command[2], inverse: rid})
    elif code == UPDATE:
        env.write(co_model, [command[1]], command[2])
    elif code == DELETE:
        env.unlink(co_model, [command[1]])
    elif code in (UNLINK, CLEAR):
        _detach(env, co_model, inverse, [command[1]] if code == UNLINK else linked)
    elif code == LINK:
        env.write(co_model, [command[1]], {inverse: rid})
    elif code == SET:
        wanted = list(command[2])
        _detach(env, co_model, inverse, [i for i in linked if i not in wanted])
        env.write(co_model, wanted, {inverse: rid})
    else:
        raise ValueError(f"Unknown command {code!r}")


def _detach(env: Env, co_model: str, inverse: str, ids: list[int]) -> None:
    # Clearing a required inverse (order_id, ondelete cascade) deletes the row.
    if env.field(co_model, inverse).required:
        env.unlink(co_model, ids)
    else:
        env.write(co_model, ids, {inverse: False})


def _many2many(env: Env, model: str, rid: int, name: str, spec: Field, command: Any) -> None:
    record = env.table(model)[rid]
    current: list[int] = list(record.get(name) or [])
    code = command[0]
    if code == CREATE:
        current.append(env.create(spec.relation or "", command[2]))
    elif code == UPDATE:
        env.write(spec.relation or "", [command[1]], command[2])
    elif code in (DELETE, UNLINK):
        current = [i for i in current if i != command[1]]
        if code == DELETE:
            env.unlink(spec.relation or "", [command[1]])
    elif code == LINK and command[1] not in current:
        current.append(command[1])
    elif code == CLEAR:
        current = []
    elif code == SET:
        current = list(command[2])
    record[name] = current
