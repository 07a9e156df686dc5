"""A small in-memory ORM with Odoo's semantics: records per model, CRUD, x2many commands.

One ``Env`` is one RPC call = one transaction (the dispatcher snapshots and restores the
store around it). Computed fields are evaluated when read; business rules hook in through
``Hooks`` so this module stays generic.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from procurelink.adapters.odoo_sim import domain as domains
from procurelink.adapters.odoo_sim.clock import SimClock
from procurelink.adapters.odoo_sim.commands import apply_commands
from procurelink.adapters.odoo_sim.convert import from_wire, raise_constraint, to_wire
from procurelink.adapters.odoo_sim.faults import MissingError, UserError
from procurelink.adapters.odoo_sim.fields import X2MANY, Field, ModelSpec, Record

MAGIC = {
    "id": Field("integer", "ID", readonly=True),
    "display_name": Field("char", "Display Name", readonly=True, store=False),
    "create_date": Field("datetime", "Created on", readonly=True),
    "create_uid": Field("many2one", "Created by", relation="res.users", readonly=True),
    "write_date": Field("datetime", "Last Updated on", readonly=True),
    "write_uid": Field("many2one", "Last Updated by", relation="res.users", readonly=True),
}


@dataclass(frozen=True, slots=True)
class Hooks:
    """Business rules of one model, called by the generic CRUD methods."""

    prepare_create: Callable[[Env, dict[str, Any]], None] | None = None
    after_create: Callable[[Env, int], None] | None = None
    before_write: Callable[[Env, list[int], dict[str, Any]], None] | None = None
    after_write: Callable[[Env, list[int], dict[str, Any], dict[int, Record]], None] | None = None
    before_unlink: Callable[[Env, list[int]], None] | None = None
    after_unlink: Callable[[Env, list[Record]], None] | None = None


@dataclass(slots=True)
class Store:
    models: Mapping[str, ModelSpec]
    hooks: Mapping[str, Hooks]
    clock: SimClock
    major: int = 17  # the Odoo version imitated on the wire (``versions``)
    tables: dict[str, dict[int, Record]] = field(default_factory=dict)
    next_ids: dict[str, int] = field(default_factory=dict)
    sequences: dict[str, int] = field(default_factory=dict)

    def snapshot(self) -> tuple[Any, ...]:
        # Records hold scalars and id lists only: copying two levels is enough, and far
        # cheaper than deepcopy (which made every write call cost the whole database).
        tables = {
            model: {rid: _copy_record(rec) for rid, rec in rows.items()}
            for model, rows in self.tables.items()
        }
        return tables, dict(self.next_ids), dict(self.sequences)

    def restore(self, state: tuple[Any, ...]) -> None:
        self.tables, self.next_ids, self.sequences = state


def _copy_record(record: Record) -> Record:
    return {k: copy.deepcopy(v) if isinstance(v, list | dict) else v for k, v in record.items()}


class Env:
    def __init__(self, store: Store, uid: int, context: Mapping[str, Any] | None = None) -> None:
        self.store = store
        self.uid = uid
        self.context: Mapping[str, Any] = context or {}
        self._now: str | None = None

    @property
    def now(self) -> str:
        """The transaction instant, taken on first use (Odoo: the transaction start)."""
        if self._now is None:
            self._now = self.store.clock.tick()
        return self._now

    def with_context(self, **context: Any) -> Env:
        """Same transaction (and instant), other context."""
        child = Env(self.store, self.uid, {**self.context, **context})
        child._now = self.now
        return child

    # -- metadata ----------------------------------------------------------------------
    def spec(self, model: str) -> ModelSpec:
        try:
            return self.store.models[model]
        except KeyError:
            raise UserError(f"Object {model} doesn't exist") from None

    def fields(self, model: str) -> dict[str, Field]:
        return {**MAGIC, **self.spec(model).fields}

    def field(self, model: str, name: str, *, leaf: Any = None) -> Field:
        found = self.fields(model).get(name)
        if found is None:
            if leaf is not None:
                term = "condition" if self.store.major >= 19 else "leaf"  # 19's Domain class
                raise ValueError(f"Invalid field {model}.{name} in {term} {leaf!r}")
            raise ValueError(f"Invalid field {name!r} on model {model!r}")
        return found

    def next_sequence(self, code: str) -> int:
        self.store.sequences[code] = self.store.sequences.get(code, 0) + 1
        return self.store.sequences[code]

    # -- rows and values ---------------------------------------------------------------
    def table(self, model: str) -> dict[int, Record]:
        self.spec(model)
        return self.store.tables.setdefault(model, {})

    def exists(self, model: str, rid: int) -> bool:
        return rid in self.table(model)

    def row(self, model: str, rid: int) -> Record:
        found = self.table(model).get(rid)
        if found is None:
            self.missing(model, [rid])
        return found  # type: ignore[return-value]

    def missing(self, model: str, ids: Sequence[int]) -> None:
        raise MissingError(
            "Record does not exist or has been deleted.\n"
            f"(Record: {model}{tuple(ids)!r}, User: {self.uid})"
        )

    def value(self, model: str, record: Record, name: str) -> Any:
        """The internal value: many2one id or None, x2many id list, scalars as stored."""
        if name == "display_name":
            return self.display_name(model, record["id"])
        spec = self.field(model, name)
        if spec.compute is not None:
            return spec.compute(self, record)
        if spec.type == "one2many":
            return self.search(spec.relation or "", [(spec.inverse, "=", record["id"])])
        return record.get(name, [] if spec.type == "many2many" else None)

    def display_name(self, model: str, rid: int) -> str:
        spec = self.spec(model)
        record = self.table(model).get(rid)
        if record is None:
            return f"{model},{rid}"
        if spec.display_name is not None:
            return str(spec.display_name(self, record))
        return str(record.get(spec.rec_name) or f"{model},{rid}")

    def path_values(self, model: str, record: Record, path: str) -> tuple[Field, list[Any]]:
        names = path.split(".")
        records, current = [record], model
        for name in names[:-1]:
            spec = self.field(current, name)
            ids: list[int] = []
            for rec in records:
                value = self.value(current, rec, name)
                ids.extend(value if isinstance(value, list) else [value] if value else [])
            current = spec.relation or current
            records = [self.row(current, i) for i in ids if self.exists(current, i)]
        last = self.field(current, names[-1])
        values = [
            v
            for rec in records
            for v in domains.x2many_values(last, self.value(current, rec, names[-1]))
        ]
        return last, values or [None]

    def ancestors(self, spec: Field, rid: int) -> set[int]:
        """``rid`` and its parents, for ``child_of`` on models with a ``parent_id``."""
        model, seen = spec.relation or "", set()
        current: int | None = rid
        while current and current not in seen and self.exists(model, current):
            seen.add(current)
            current = self.table(model)[current].get("parent_id")
        return seen

    # -- ORM methods -------------------------------------------------------------------
    def search(
        self,
        model: str,
        domain: Sequence[Any],
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
    ) -> list[int]:
        domains.validate(self, model, domain)
        rows = [r for r in self.table(model).values() if domains.matches(self, model, r, domain)]
        rows = self._sorted(model, rows, order or self.spec(model).order)
        end = None if not limit else offset + limit
        return [r["id"] for r in rows[offset:end]]

    def _sorted(self, model: str, rows: list[Record], order: str) -> list[Record]:
        keys = []
        for part in order.split(","):
            words = part.split()
            if (
                not words
                or words[0] not in self.fields(model)
                or len(words) > 2
                or (len(words) == 2 and words[1].lower() not in ("asc", "desc"))
            ):
                raise ValueError(f'Invalid "order" specified ({order}).')
            keys.append((words[0], len(words) == 2 and words[1].lower() == "desc"))
        for name, desc in reversed(keys):
            # PostgreSQL puts NULLs last ascending and first descending.
            def key(r: Record, name: str = name) -> tuple[int, Any]:
                v = self.value(model, r, name)
                return (1, 0) if v is None or v is False else (0, v)

            rows.sort(key=key, reverse=desc)
        return rows

    def read(
        self,
        model: str,
        ids: Sequence[int],
        fields: Sequence[str] | None = None,
        load: str | None = "_classic_read",
    ) -> list[dict[str, Any]]:
        specs = self.fields(model)
        names = list(fields) if fields else list(specs)
        for name in names:
            self.field(model, name)
        out = []
        # Odoo 17 ``read`` skips ids that do not exist (``_read_format`` leaves them out):
        # no MissingError, so reading a deleted record gives ``[]``. write and the business
        # methods still raise MissingError for them.
        for rid in ids:
            record = self.table(model).get(rid)
            if record is None:
                continue
            row = {"id": rid}
            for name in names:
                row[name] = to_wire(self, specs[name], self.value(model, record, name), load=load)
            out.append(row)
        return out

    def create(self, model: str, vals: Mapping[str, Any]) -> int:
        vals = dict(vals)
        for name in vals:
            self.field(model, name)
        spec = self.spec(model)
        hooks = self.store.hooks.get(model, Hooks())
        for name, default in spec.defaults.items():
            if name not in vals:
                vals[name] = default(self) if callable(default) else default
        if hooks.prepare_create is not None:
            hooks.prepare_create(self, vals)
        for name, fspec in spec.fields.items():
            value = vals.get(name)
            if fspec.required and (value is None or value is False or value == ""):
                raise_constraint(self, model, name, fspec)
        rid = self.store.next_ids.get(model, 1)
        self.store.next_ids[model] = rid + 1
        stamp = {"create_date": self.now, "write_date": self.now}
        record: Record = {"id": rid, **stamp, "create_uid": self.uid, "write_uid": self.uid}
        self.table(model)[rid] = record
        self._assign(model, [rid], vals, creating=True)
        if hooks.after_create is not None:
            hooks.after_create(self, rid)
        return rid

    def write(self, model: str, ids: Sequence[int], vals: Mapping[str, Any]) -> None:
        ids = list(ids)
        for name in vals:
            if self.store.major >= 19 and name not in self.fields(model):
                # 19's write() words it "in", create() and read() keep "on model".
                raise ValueError(f"Invalid field {name!r} in {model!r}")
            self.field(model, name)
        absent = [i for i in ids if not self.exists(model, i)]
        if absent:
            self.missing(model, absent)
        hooks = self.store.hooks.get(model, Hooks())
        if hooks.before_write is not None:
            hooks.before_write(self, ids, dict(vals))
        old = {i: dict(self.table(model)[i]) for i in ids}
        self._assign(model, ids, vals)
        self.touch(model, ids)
        if hooks.after_write is not None:
            hooks.after_write(self, ids, dict(vals), old)

    def touch(self, model: str, ids: Sequence[int]) -> None:
        """Stamp ``write_date`` as Odoo does on write and on recomputed stored fields."""
        for rid in ids:
            self.table(model)[rid].update(write_date=self.now, write_uid=self.uid)

    def _assign(
        self, model: str, ids: list[int], vals: Mapping[str, Any], creating: bool = False
    ) -> None:
        specs = self.fields(model)
        # Scalars first: co-records created by x2many commands read their parent's values.
        ordered = sorted(vals.items(), key=lambda item: specs[item[0]].type in X2MANY)
        for name, value in ordered:
            spec = specs[name]
            if name in MAGIC or (spec.compute is not None and spec.readonly):
                continue  # log-access and computed fields: silently dropped, like Odoo
            if spec.type in X2MANY:
                for rid in ids:
                    apply_commands(self, model, rid, name, spec, value)
                continue
            converted = from_wire(self, model, name, spec, value, creating)
            for rid in ids:
                self.table(model)[rid][name] = converted

    def unlink(self, model: str, ids: Sequence[int]) -> None:
        ids = [i for i in ids if self.exists(model, i)]
        hooks = self.store.hooks.get(model, Hooks())
        if hooks.before_unlink is not None:
            hooks.before_unlink(self, ids)
        for name, spec in self.spec(model).fields.items():
            if spec.type == "one2many" and spec.compute is None:
                children = [c for rid in ids for c in self.value(model, self.row(model, rid), name)]
                if children and self.field(spec.relation or "", spec.inverse or "").required:
                    self.unlink(spec.relation or "", children)  # ondelete='cascade'
        gone = [self.table(model).pop(rid) for rid in ids]
        if hooks.after_unlink is not None and gone:
            hooks.after_unlink(self, gone)
