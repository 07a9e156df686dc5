"""`procurelink serve`'s embedded SFTP server, built from partner profiles, feeding intake."""

from __future__ import annotations

from pathlib import Path

import asyncssh
from pydantic import SecretStr

from procurelink import bootstrap
from procurelink.adapters.channels.sftp_server.passwords import hash_password
from procurelink.settings import Settings

PROFILE = """\
id: beta
name: Beta Fasteners
odoo: {partner_id: 77}
codec: {type: json}
channels:
  outbound: {type: sftp-server, root: "ROOT", username: beta, password_hash: "HASH"}
  inbound: {type: sftp-server, root: "ROOT", username: beta, password_hash: "HASH"}
"""


async def test_supplier_pushes_a_file_that_intake_captures(tmp_path: Path) -> None:
    root = tmp_path / "sftp"
    partners = tmp_path / "partners"
    partners.mkdir()
    (partners / "beta.yaml").write_text(
        PROFILE.replace("ROOT", str(root)).replace("HASH", hash_password("s3cret", cost=2**10))
    )
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'w.db'}",
        partners_dir=partners,
        odoo_password=SecretStr("unused"),
        odoo_url="http://127.0.0.1:9",
        sftp_server_port=0,
        sftp_server_root=root,
        sftp_server_host_key=tmp_path / "host_key",
    )
    await bootstrap.migrate(settings)
    runtime = await bootstrap.build_runtime(settings)
    server = bootstrap.embedded_sftp_server(runtime)
    assert server is not None
    await server.start()
    try:
        async with (
            asyncssh.connect(
                "127.0.0.1",
                port=server.port,
                username="beta",
                password="s3cret",
                known_hosts=None,
                client_keys=None,
                agent_path=None,
            ) as conn,
            conn.start_sftp_client() as sftp,
            sftp.open("in/ack.json", "wb") as fh,
        ):
            await fh.write(b'{"document_type": "order_response"}')
        captured = []
        for profile in runtime.deps.partners.all():
            channel = runtime.deps.router.inbound(profile)
            assert channel is not None
            items = await channel.poll()
            captured.extend(i.filename for i in items)
        assert captured == ["ack.json"]
        report = await runtime.poll_sources()
        assert [c.accepted for c in report.captured] == [True]
        assert (root / "beta" / "in" / "processed" / "ack.json").exists()
    finally:
        await server.close()
        await runtime.close()
