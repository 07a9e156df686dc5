"""The command line as operators and CI use it."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from procurelink.adapters.store import create_store, migrate
from procurelink.entrypoints.cli.main import app
from procurelink.ports.records import NewJob

runner = CliRunner()

PROFILE = """\
id: acme-test
name: Test Supplier
odoo: {partner_id: 99}
codec: {type: json}
channels: {outbound: {type: directory, outbox: OUT}}
"""


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    partners = tmp_path / "partners"
    partners.mkdir()
    (partners / "t.yaml").write_text(PROFILE.replace("OUT", str(tmp_path / "out")))
    monkeypatch.setenv("PROCURELINK_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("PROCURELINK_PARTNERS_DIR", str(partners))
    monkeypatch.setenv("PROCURELINK_ODOO_PASSWORD", "unused")
    return tmp_path


def test_partners_check_reports_every_problem(env: Path) -> None:
    ok = runner.invoke(app, ["partners", "check"])
    assert ok.exit_code == 0, ok.output
    assert "acme-test" in ok.output
    (env / "partners" / "bad.yaml").write_text(
        "id: bad\nname: B\nodoo: {}\ncodec: {type: edifact-9}\n"
        "channels: {outbound: {type: carrier-pigeon}}\n"
    )
    bad = runner.invoke(app, ["partners", "check"])
    assert bad.exit_code == 1
    assert "bad.yaml: codec.type: unknown codec 'edifact-9'" in bad.output
    assert "bad.yaml: channels.outbound: unknown channel type 'carrier-pigeon'" in bad.output
    assert "bad.yaml: odoo: give partner_id or partner_ref" in bad.output


def test_schema_export_writes_valid_json_schema(tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema", "export", str(tmp_path / "schema")])
    assert result.exit_code == 0, result.output
    written = {p.name for p in (tmp_path / "schema").iterdir()}
    assert "purchase_order.schema.json" in written
    assert "order_response.schema.json" in written
    schema = json.loads((tmp_path / "schema" / "invoice.schema.json").read_text())
    assert schema["properties"]["document_type"]["const"] == "invoice"


async def _dead_job(url: str) -> int:
    await migrate(url)
    store = create_store(url)
    now = datetime.now(UTC)
    async with store.unit_of_work() as uow:
        job_id = await uow.jobs.enqueue(
            NewJob(kind="outbound.deliver", payload={"message_id": "gone"}), now
        )
        claimed = await uow.jobs.claim("w", now, timedelta(minutes=1))
        assert claimed is not None
        await uow.jobs.bury(job_id, "w", "PermanentError: partner said 400", now)
        await uow.commit()
    await store.close()
    return job_id


def test_dlq_list_show_replay(env: Path) -> None:
    job_id = asyncio.run(_dead_job(f"sqlite:///{env / 'cli.db'}"))
    listed = runner.invoke(app, ["dlq", "list"])
    assert listed.exit_code == 0, listed.output
    assert "PermanentError" in listed.output
    assert "outbound.deliver" in listed.output
    shown = runner.invoke(app, ["dlq", "show", str(job_id)])
    assert '"status": "dead"' in shown.output
    replayed = runner.invoke(app, ["dlq", "replay", str(job_id)])
    assert replayed.exit_code == 0, replayed.output
    again = runner.invoke(app, ["dlq", "replay", str(job_id)])
    assert again.exit_code == 1
    assert "not dead-lettered" in again.output
