"""Build, serve and (for tests) run the Odoo simulator."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import uvicorn
from starlette.applications import Starlette

from procurelink.adapters.odoo_sim.access import seed_buyer, seed_groups
from procurelink.adapters.odoo_sim.automation import seed_ir_models
from procurelink.adapters.odoo_sim.clock import SimClock
from procurelink.adapters.odoo_sim.orm import Env, Store
from procurelink.adapters.odoo_sim.registry import HOOKS, MODELS
from procurelink.adapters.odoo_sim.seed import seed_base, seed_demo
from procurelink.adapters.odoo_sim.service import SimOdoo, SimUser
from procurelink.adapters.odoo_sim.transports import ROUTES
from procurelink.adapters.odoo_sim.versions import major_of

DEFAULT_DB = "procurelink"
ADMIN_API_KEY = "5f0c3b0e6a1d4c2b9e8f7a6b5c4d3e2f1a0b9c8d"
DEFAULT_USERS = (SimUser("admin", "admin", (ADMIN_API_KEY,), "Administrator"),)
SUPERUSER_ID = 1


def create_app(
    *,
    seed: bool = True,
    version: str = "17.0",
    db: str = DEFAULT_DB,
    users: Sequence[SimUser] = DEFAULT_USERS,
    clock: SimClock | None = None,
) -> Starlette:
    """A fresh simulator with its own in-memory database; ``app.state.odoo`` is the server.

    ``version`` ("16.0" to "19.0") picks the field names, states, methods and routes the
    simulator shows (``versions``; JSON-2 and ``/web/version`` from 19 on).
    Users get uids from 2 on (uid 1 is Odoo's superuser, which cannot log in remotely).
    Without ``seed`` only the records the ORM needs exist (company, currency, units, the
    plant and its receipt type, chatter subtypes, the users).
    """
    store = Store(models=MODELS, hooks=HOOKS, clock=clock or SimClock(), major=major_of(version))
    env = Env(store, SUPERUSER_ID)
    seed_base(env)
    seed_ir_models(env)
    all_groups = seed_groups(env)  # the users given here are administrators
    sim = SimOdoo(store=store, db=db, version=version)
    for user in users:
        name = user.name or user.login
        partner = env.create("res.partner", {"name": name, "parent_id": 1})
        uid = env.create(
            "res.users",
            {
                "name": name,
                "login": user.login,
                "partner_id": partner,
                "company_id": 1,
                "groups_id": [[6, 0, all_groups]],
            },
        )
        sim.users[uid] = user
    if seed:
        seed_demo(env)
        seed_buyer(env)
    app = Starlette(routes=ROUTES)
    app.state.odoo = sim
    return app


async def serve(
    host: str = "127.0.0.1",
    port: int = 8069,
    *,
    app: Starlette | None = None,
    log_level: str = "warning",
) -> None:
    """Run the simulator inside the caller's event loop until cancelled."""
    config = uvicorn.Config(
        app or create_app(), host=host, port=port, log_level=log_level, lifespan="off"
    )
    await uvicorn.Server(config).serve()


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@contextmanager
def running(app: Starlette | None = None, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve the simulator on a free port in a background thread; yields its base URL.

    A thread (not a task) so that one server can outlive pytest-asyncio's per-test loops.
    """
    port = free_port(host)
    config = uvicorn.Config(
        app or create_app(), host=host, port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"odoo-sim:{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the Odoo simulator did not start")
        time.sleep(0.01)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
