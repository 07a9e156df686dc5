"""The `procurelink` command line."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from procurelink import bootstrap
from procurelink.domain.catalog import json_schemas
from procurelink.entrypoints.api.app import create_app
from procurelink.entrypoints.cli.edi import edi_app
from procurelink.entrypoints.cli.odoo import odoo_app
from procurelink.entrypoints.cli.planning import planning_keys_app
from procurelink.entrypoints.cli.rfq import rfq_app
from procurelink.entrypoints.listen import BackgroundServer
from procurelink.entrypoints.worker import run_worker, until_stopped
from procurelink.errors import ProcurelinkError
from procurelink.ports.records import ExceptionStatus, JobStatus
from procurelink.settings import Settings

app = typer.Typer(
    help="procurelink: Odoo <-> supplier procurement middleware.", no_args_is_help=True
)
partners_app = typer.Typer(help="Partner profiles.", no_args_is_help=True)
dlq_app = typer.Typer(help="Dead-lettered jobs.", no_args_is_help=True)
exceptions_app = typer.Typer(help="The exception queue buyers work from.", no_args_is_help=True)
schema_app = typer.Typer(help="Canonical JSON Schema.", no_args_is_help=True)
apikeys_app = typer.Typer(help="Suppliers' API keys.", no_args_is_help=True)
app.add_typer(partners_app, name="partners")
app.add_typer(dlq_app, name="dlq")
app.add_typer(exceptions_app, name="exceptions")
app.add_typer(schema_app, name="schema")
app.add_typer(apikeys_app, name="apikeys")
app.add_typer(edi_app, name="edi")
app.add_typer(rfq_app, name="rfq")
app.add_typer(planning_keys_app, name="planning-keys")
app.add_typer(odoo_app, name="odoo")

out = Console(soft_wrap=True)
err = Console(stderr=True)
T = TypeVar("T")
ONCE_DEMO = "run the scenario to completion, print a summary and exit"
ONCE_WORKER = "one poll of every source, then drain all due jobs, then exit"
PARTNERS_DIR_HELP = "defaults to PROCURELINK_PARTNERS_DIR"
DEMO_DIR = Path("var/demo")


def _run(coro: Awaitable[T]) -> T:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # Libraries that narrate every connection at INFO: keep their warnings only.
    for noisy in ("httpx", "asyncssh", "asyncssh.sftp", "aioimaplib", "pyas2lib", "mail.log"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        return asyncio.run(coro)  # type: ignore[arg-type]
    except ProcurelinkError as exc:
        err.print(f"[red]error[/red] [{exc.code}] {exc.message}")
        raise typer.Exit(1) from exc


async def _with_runtime(fn: Callable[[bootstrap.Runtime], Awaitable[T]]) -> T:
    settings = Settings()
    await bootstrap.migrate(settings)
    runtime = await bootstrap.build_runtime(settings)
    try:
        return await fn(runtime)
    finally:
        await runtime.close()


@app.command()
def demo(
    once: Annotated[
        bool, typer.Option("--once", help="run the scenario, print a summary, exit")
    ] = False,
    workdir: Annotated[Path, typer.Option(help="where the demo keeps its files")] = Path(
        "var/demo"
    ),
) -> None:
    """Run procurelink with the Odoo simulator and five demo suppliers, all in one process."""
    from procurelink.entrypoints.demo.scenario import run_demo

    code = _run(run_demo(workdir=workdir, once=once, console=out))
    raise typer.Exit(code)


@app.command()
def serve() -> None:
    """Serve the supplier API and the buyer console."""

    async def main(runtime: bootstrap.Runtime) -> None:
        s = runtime.settings
        server = BackgroundServer(create_app(runtime), s.api_host, s.api_port)
        await server.start()
        out.print(f"console on {server.url}/console (buyers sign in with their Odoo login)")
        # After the API is up: Odoo may post a hint as soon as the rule exists.
        hooks = await runtime.provision_odoo_hooks()
        if hooks:
            out.print(f"Odoo change hooks: {', '.join(h.key for h in hooks)}")
        sftp = bootstrap.embedded_sftp_server(runtime)
        if sftp is not None:
            await sftp.start()
            out.print(
                f"SFTP server on {s.sftp_server_host}:{sftp.port}, host key {sftp.public_host_key}"
            )

        async def wait(stop: asyncio.Event) -> None:
            await stop.wait()
            await server.stop()
            if sftp is not None:
                await sftp.close()

        await until_stopped(wait, runtime.share_odoo_limits)

    _run(_with_runtime(main))


@app.command()
def worker(
    once: Annotated[
        bool, typer.Option("--once", help="one poll of every source, drain, exit")
    ] = False,
) -> None:
    """Poll Odoo and partner sources and run jobs."""

    async def main(runtime: bootstrap.Runtime) -> None:
        if once:
            results = await runtime.run_once()
            outcomes = {
                k: sum(1 for r in results if r.outcome == k) for k in ("done", "retry", "dead")
            }
            out.print(f"ran {len(results)} job(s): {outcomes}")
            return
        interval = runtime.settings.poll_interval_seconds
        await until_stopped(
            lambda stop: run_worker(runtime, stop, interval), runtime.share_odoo_limits
        )

    _run(_with_runtime(main))


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema."""
    settings = Settings()
    _run(bootstrap.migrate(settings))
    out.print("database schema is up to date")


@app.command("odoo-sim")
def odoo_sim(
    port: Annotated[int, typer.Option(help="port to listen on")] = 8069,
    host: Annotated[str, typer.Option(help="interface to bind")] = "127.0.0.1",
    odoo_version: Annotated[
        int, typer.Option(min=16, max=19, help="Odoo version to imitate: 16, 17, 18 or 19")
    ] = 17,
) -> None:
    """Run the built-in Odoo simulator (seeded with demo data)."""
    out.print(
        f"Odoo {odoo_version} simulator on http://{host}:{port} (db procurelink, admin/admin)"
    )
    _run(bootstrap.serve_odoo_simulator(host, port, f"{odoo_version}.0"))


@partners_app.command("check")
def partners_check(
    directory: Annotated[
        Path | None, typer.Argument(help="defaults to PROCURELINK_PARTNERS_DIR")
    ] = None,
) -> None:
    """Validate every partner profile; exit 1 with readable errors."""
    folder = directory or Settings().partners_dir
    profiles, problems = bootstrap.load_partner_profiles(folder)
    for profile in profiles:
        out.print(
            f"[green]ok[/green] {profile.id}: {profile.name} "
            f"({profile.kind}, {profile.codec.type} via "
            f"{profile.channels.outbound.type if profile.channels.outbound else 'API'})"
        )
    for problem in problems:
        err.print(f"[red]error[/red] {problem}")
    raise typer.Exit(1 if problems else 0)


@dlq_app.command("list")
def dlq_list() -> None:
    """Dead-lettered jobs with their last error."""

    async def main(runtime: bootstrap.Runtime) -> None:
        table = Table("id", "kind", "partner", "attempts", "last error")
        for job in await runtime.queries.jobs(status=JobStatus.DEAD):
            table.add_row(
                str(job.id),
                job.kind,
                job.partner_id or "",
                str(job.attempts),
                (job.last_error or "").splitlines()[0][:100] if job.last_error else "",
            )
        out.print(table)

    _run(_with_runtime(main))


@dlq_app.command("show")
def dlq_show(job_id: int) -> None:
    """One job in full."""

    async def main(runtime: bootstrap.Runtime) -> None:
        job = await runtime.queries.job(job_id)
        if job is None:
            err.print(f"no job {job_id}")
            raise typer.Exit(1)
        data: dict[str, Any] = {k: getattr(job, k) for k in job.__slots__}
        out.print_json(json.dumps(data, default=str))

    _run(_with_runtime(main))


@dlq_app.command("replay")
def dlq_replay(job_id: int) -> None:
    """Put a dead job back in the queue with fresh attempts."""

    async def main(runtime: bootstrap.Runtime) -> bool:
        return await bootstrap.replay_job(runtime, job_id)

    if not _run(_with_runtime(main)):
        err.print(f"job {job_id} is not dead-lettered")
        raise typer.Exit(1)
    out.print(f"job {job_id} queued again")


@exceptions_app.command("list")
def exceptions_list(
    status: Annotated[str, typer.Option(help="open|approved|rejected|resolved|all")] = "open",
) -> None:
    """Exceptions awaiting (or past) a buyer's decision."""

    async def main(runtime: bootstrap.Runtime) -> None:
        wanted = None if status == "all" else ExceptionStatus(status)
        table = Table("id", "status", "partner", "order", "reason", "message")
        for x in await runtime.queries.exceptions(status=wanted):
            table.add_row(
                str(x.id),
                x.status,
                x.partner_id or "",
                x.order_number or "",
                x.reason_code,
                x.message,
            )
        out.print(table)

    _run(_with_runtime(main))


def _decide(action: str, exception_id: int, by: str, note: str | None) -> None:
    async def main(runtime: bootstrap.Runtime) -> None:
        await getattr(runtime.approvals, action)(exception_id, by, note)
        await runtime.runner.drain()

    _run(_with_runtime(main))
    out.print(f"exception {exception_id}: {action} done")


@exceptions_app.command("approve")
def exceptions_approve(
    exception_id: int,
    by: Annotated[str, typer.Option(help="who approves")] = "cli",
    note: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Approve the change an exception proposes; it is written to Odoo."""
    _decide("approve", exception_id, by, note)


@exceptions_app.command("reject")
def exceptions_reject(
    exception_id: int,
    by: Annotated[str, typer.Option()] = "cli",
    note: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Refuse the change an exception proposes; the order stands as committed."""
    _decide("reject", exception_id, by, note)


@exceptions_app.command("dismiss")
def exceptions_dismiss(
    exception_id: int,
    by: Annotated[str, typer.Option()] = "cli",
    note: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Close an informational exception."""
    _decide("dismiss", exception_id, by, note)


@apikeys_app.command("create")
def apikeys_create(
    partner_id: str, label: Annotated[str | None, typer.Option(help="what it is for")] = None
) -> None:
    """Create an API key for a supplier; the key is printed once and never stored."""

    async def main(runtime: bootstrap.Runtime) -> str:
        key, token = await runtime.supplier_access.create_key(partner_id, label)
        err.print(
            f"created {key.key_id} for {partner_id}; store this key now, it is not shown again:"
        )
        return token

    print(_run(_with_runtime(main)))


@apikeys_app.command("list")
def apikeys_list(partner_id: Annotated[str | None, typer.Argument()] = None) -> None:
    """API keys (ids only) with their partner and state."""

    async def main(runtime: bootstrap.Runtime) -> None:
        table = Table("key id", "partner", "label", "created", "state")
        for key in await runtime.supplier_access.keys(partner_id):
            table.add_row(
                key.key_id,
                key.partner_id,
                key.label or "",
                f"{key.created_at:%Y-%m-%d %H:%M}",
                "active" if key.active else f"revoked {key.revoked_at:%Y-%m-%d}",
            )
        out.print(table)

    _run(_with_runtime(main))


@apikeys_app.command("revoke")
def apikeys_revoke(key_id: str) -> None:
    """Revoke a key at once (tokens issued with it stop working too)."""

    async def main(runtime: bootstrap.Runtime) -> bool:
        return await runtime.supplier_access.revoke(key_id)

    if not _run(_with_runtime(main)):
        err.print(f"no active key {key_id}")
        raise typer.Exit(1)
    out.print(f"{key_id} revoked")


@schema_app.command("export")
def schema_export(directory: Path) -> None:
    """Write the JSON Schema of every canonical document to DIRECTORY."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, schema in json_schemas().items():
        (directory / f"{name}.schema.json").write_text(json.dumps(schema, indent=2) + "\n")
        out.print(f"wrote {directory / (name + '.schema.json')}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
