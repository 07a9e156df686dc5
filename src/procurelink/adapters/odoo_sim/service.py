"""The simulated Odoo server behind the transports: services ``common``, ``object``, ``db``.

Each ``object`` call checks the credentials and runs as one transaction: the store is
restored when the call raises (Odoo rolls back), and kept when it returns, even if the
transport then fails to serialise the result (the ``None`` pitfall).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from procurelink.adapters.odoo_sim import access, automation, wire
from procurelink.adapters.odoo_sim.faults import AccessDenied, Unauthorized
from procurelink.adapters.odoo_sim.methods import Method, call, call_named, lookup, resolve
from procurelink.adapters.odoo_sim.orm import Env, Store
from procurelink.adapters.odoo_sim.registry import METHODS


class OperationalError(Exception):
    """What psycopg2 raises for an unknown database."""

    __module__ = "psycopg2"


class SerializationFailure(Exception):
    """A concurrent-update conflict after Odoo's own retries; inject it to test retries."""

    __module__ = "psycopg2.errors"


@dataclass(frozen=True, slots=True)
class SimUser:
    login: str
    password: str
    api_keys: tuple[str, ...] = ()
    name: str = ""


@dataclass(slots=True)
class SimOdoo:
    store: Store
    db: str
    version: str = "17.0"
    users: dict[int, SimUser] = field(default_factory=dict)
    injected: list[BaseException] = field(default_factory=list)
    calls: int = 0

    def inject(self, exc: BaseException) -> None:
        """Make the next ``object`` call fail with ``exc`` (after the credential check)."""
        self.injected.append(exc)

    def dispatch(self, service: str, method: str, params: Sequence[Any]) -> Any:
        handler = {"common": self._common, "object": self._object, "db": self._db}.get(service)
        if handler is None:
            raise Exception(f"No such service: {service}")
        return handler(method, list(params))

    @property
    def major(self) -> int:
        return self.store.major

    def version_info(self) -> dict[str, Any]:
        major, _, minor = self.version.partition(".")
        return {
            "server_version": self.version,
            "server_version_info": [int(major), int(minor or 0), 0, "final", 0, ""],
            "server_serie": self.version,
            "protocol_version": 1,
        }

    def _common(self, method: str, params: list[Any]) -> Any:
        if method == "version":
            return self.version_info()
        if method == "login":
            return self._authenticate(*params[:3])
        if method == "authenticate":
            return self._authenticate(*params[:3])
        raise NameError(f"Method not available {method}")

    def _db(self, method: str, params: list[Any]) -> Any:
        if method == "list":
            return [self.db]
        if method == "server_version":
            return self.version
        raise NameError(f"Method not available {method}")

    def _authenticate(self, db: str, login: str, secret: str) -> int | bool:
        self._check_db(db)
        # AccessDenied is swallowed by common.authenticate: bad credentials give False.
        for uid, user in self.users.items():
            if user.login == login and secret in (user.password, *user.api_keys):
                return uid
        # Users created over the API (res.users create with a password).
        for uid, row in self.store.tables.get("res.users", {}).items():
            if (
                row.get("login") == login
                and row.get("active", True)
                and access.password_matches(row, secret)
            ):
                return uid
        return False

    def _check_db(self, db: str) -> None:
        if db != self.db:
            raise OperationalError(f'connection failed: FATAL:  database "{db}" does not exist')

    def _check(self, db: str, uid: Any, secret: Any) -> None:
        self._check_db(db)
        user = self.users.get(uid) if isinstance(uid, int) else None
        if user is not None and secret in (user.password, *user.api_keys):
            return
        row = self.store.tables.get("res.users", {}).get(uid) if isinstance(uid, int) else None
        if row is None or not row.get("active", True) or not access.password_matches(row, secret):
            raise AccessDenied()

    def _object(self, method: str, params: list[Any]) -> Any:
        if method == "execute_kw":
            db, uid, secret, model, name, *rest = params
            args = rest[0] if rest else []
            kwargs = dict(rest[1]) if len(rest) > 1 and rest[1] else {}
        elif method == "execute":
            db, uid, secret, model, name, *args = params
            kwargs = {}
        else:
            raise NameError(f"Method not available {method}")
        self._check(db, uid, secret)
        env = self._begin(uid, kwargs.pop("context", None))
        target = resolve(METHODS, env, model, name)
        model = wire.schema(env).stored_model(model)
        access.check(env, model, access.operation_of(name), args)
        return self._transaction(target, lambda: call(target, env, model, args, kwargs))

    def json2(self, token: str | None, model: str, name: str, body: dict[str, Any]) -> Any:
        """``POST /json/2/<model>/<method>``: bearer API key (never a password), named args."""
        uid = self._bearer(token)
        ids = body.pop("ids", None) or []
        env = self._begin(uid, body.pop("context", None))
        target = lookup(METHODS, env, model, name)
        model = wire.schema(env).stored_model(model)
        access.check(env, model, access.operation_of(name), [ids, body.get("vals")])
        result = self._transaction(target, lambda: call_named(target, env, model, ids, body))
        if target.returns_records and isinstance(result, int) and not isinstance(result, bool):
            return [result]  # recordsets become id lists (create, message_post)
        return result

    def _bearer(self, token: str | None) -> int:
        for uid, user in self.users.items():
            if token and token in user.api_keys:
                return uid
        raise Unauthorized("Invalid apikey")

    def _begin(self, uid: int, context: Any) -> Env:
        self.calls += 1
        if self.injected:
            raise self.injected.pop(0)
        return Env(self.store, uid, context or {})

    def _transaction(self, target: Method, run: Callable[[], Any]) -> Any:
        if not target.writes:
            return run()
        saved = self.store.snapshot()
        env = Env(self.store, 1)
        watched = automation.watch(env)
        try:
            result = run()
        except BaseException:
            self.store.restore(saved)
            raise
        # 17/18 post webhooks inside the transaction, before the RPC answer: a receiver
        # reading back at once may race the caller; the thread never delays the answer.
        automation.fire(automation.due(env, watched))
        return result
