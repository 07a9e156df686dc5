"""`procurelink planning-keys`: keys of planning engines posting purchase requests.

A planning client lives in the settings (``planning_clients``: its key id and the SHA-256 of
its secret), not in the database: the key opens one endpoint, and whoever may change the
settings is whoever may deploy procurelink. The key itself is printed once, on stdout alone,
so ``KEY=$(procurelink planning-keys create mrp --toml procurelink.toml)`` keeps it out of
the terminal. Revoking is deleting the entry and restarting `serve`.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from procurelink.errors import ProcurelinkError
from procurelink.services.planning_access import PlanningCredential, new_planning_key
from procurelink.settings import Settings

planning_keys_app = typer.Typer(help="Planning engines' API keys.", no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


@planning_keys_app.command("create")
def planning_keys_create(
    client: str,
    toml: Annotated[
        Path | None,
        typer.Option("--toml", help="add the client to this settings file (procurelink.toml)"),
    ] = None,
) -> None:
    """Create a planning engine's key: printed once, only its hash goes to the settings."""
    try:
        credential, token = new_planning_key(client)
    except ProcurelinkError as exc:
        err.print(f"[red]error[/red] {escape(exc.message)}")
        raise typer.Exit(2) from exc
    entry = _toml_entry(client, credential)
    if toml is None:
        err.print("add this planning client to procurelink.toml:", markup=False)
        err.print(entry, markup=False, highlight=False)
        as_env = {client: {"key_id": credential.key_id, "key_sha256": credential.key_sha256}}
        err.print(
            "or merge it into PROCURELINK_PLANNING_CLIENTS="
            + json.dumps(as_env, separators=(",", ":")),
            markup=False,
            highlight=False,
        )
    else:
        problem = _add_to_toml(toml, client, entry)
        if problem is not None:
            err.print(f"[red]error[/red] {escape(problem)}")
            raise typer.Exit(1)
        err.print(f"added planning client {client} ({credential.key_id}) to {toml}", markup=False)
    err.print("store this key now, it is not shown again:")
    print(token)


@planning_keys_app.command("list")
def planning_keys_list() -> None:
    """Planning clients in the settings (key ids only)."""
    table = Table("client", "key id")
    for name, credential in sorted(Settings().planning_clients.items()):
        table.add_row(name, credential.key_id)
    out.print(table)


def _toml_entry(client: str, credential: PlanningCredential) -> str:
    # The name quoted: a '.' in a bare key would make a nested table.
    return (
        f'[planning_clients."{client}"]\n'
        f'key_id = "{credential.key_id}"\n'
        f'key_sha256 = "{credential.key_sha256}"\n'
    )


def _add_to_toml(path: Path, client: str, entry: str) -> str | None:
    """Append ``entry`` to the settings file; why not, if it cannot be."""
    try:
        before = path.read_text() if path.exists() else ""
        current = tomllib.loads(before)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        return f"{path}: {exc}"
    if client in current.get("planning_clients", {}):
        return f"{path} already has a planning client {client!r}; remove it first"
    after = before + ("\n" if before and not before.endswith("\n") else "") + "\n" + entry
    try:
        tomllib.loads(after)
    except tomllib.TOMLDecodeError as exc:
        # e.g. planning_clients written as an inline table, which cannot be extended.
        return f"{path}: cannot add [planning_clients.{client}] to it ({exc})"
    path.write_text(after)
    return None
