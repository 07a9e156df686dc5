"""SFTP channels against the real embedded asyncssh server (and OpenSSH's sftp client)."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import asyncssh
import pytest
from pydantic import ValidationError
from sftp_world import PASSWORDS, Login, client_settings

from procurelink.adapters.channels.sftp.channel import SftpChannel
from procurelink.adapters.channels.sftp.settings import SftpSettings
from procurelink.adapters.channels.sftp_server.channel import EmbeddedSftpChannel
from procurelink.adapters.channels.sftp_server.chroot import SupplierSftpServer
from procurelink.adapters.channels.sftp_server.passwords import hash_password, verify_password
from procurelink.adapters.channels.sftp_server.server import EmbeddedSftpServer
from procurelink.adapters.channels.sftp_server.settings import (
    EmbeddedSftpSettings,
    SftpServerSettings,
    SupplierAccount,
)
from procurelink.errors import PermanentError, TransientError
from procurelink.ports.channel import OutboundPayload

# asyncssh moves up to 4 MiB per request: three requests, so a transfer can be cut midway.
BIG = os.urandom(10 * 1024 * 1024)
MIDWAY = 4 * 1024 * 1024


def payload(name: str, body: bytes, key: str = "k-1") -> OutboundPayload:
    return OutboundPayload("p1", name, "application/edi-x12", body, "corr-1", key)


def home_channel(homes: Path, username: str = "acme", **options: object) -> EmbeddedSftpChannel:
    settings = EmbeddedSftpSettings.model_validate({"root": homes, "username": username} | options)
    return EmbeddedSftpChannel(username, settings)


# -- a real embedded server with two suppliers -----------------------------------------------

# Every operation of the client channel logs in anew: cheap hashes keep the suite fast.
CHEAP = 2**10


@pytest.fixture(scope="session")
def supplier_key() -> asyncssh.SSHKey:
    return asyncssh.generate_private_key("ssh-ed25519")


@pytest.fixture(scope="session")
def accounts(supplier_key: asyncssh.SSHKey) -> tuple[SupplierAccount, ...]:
    public = supplier_key.export_public_key().decode()
    return (
        SupplierAccount(
            username="acme",
            password_hash=hash_password(PASSWORDS["acme"], cost=CHEAP),
            authorized_keys=(public,),
        ),
        SupplierAccount(
            username="beta", password_hash=hash_password(PASSWORDS["beta"], cost=CHEAP)
        ),
    )


@pytest.fixture
async def server(
    tmp_path: Path, accounts: tuple[SupplierAccount, ...]
) -> AsyncIterator[EmbeddedSftpServer]:
    settings = SftpServerSettings(
        port=0, root=tmp_path / "homes", host_key_path=tmp_path / "host_key", suppliers=accounts
    )
    async with EmbeddedSftpServer(settings) as running:
        yield running


@pytest.fixture
def homes(tmp_path: Path) -> Path:
    return tmp_path / "homes"


@pytest.fixture
def login(server: EmbeddedSftpServer) -> Login:
    """``async with login("acme") as sftp``: a supplier's asyncssh SFTP session."""

    def connect(username: str) -> AbstractAsyncContextManager[asyncssh.SFTPClient]:
        return _session(server, username)

    return connect


class _session:  # noqa: N801 - used like a function
    def __init__(self, server: EmbeddedSftpServer, username: str) -> None:
        self._server, self._username = server, username

    async def __aenter__(self) -> asyncssh.SFTPClient:
        self._conn = await asyncssh.connect(
            "127.0.0.1",
            self._server.port,
            username=self._username,
            password=PASSWORDS[self._username],
            known_hosts=([asyncssh.import_public_key(self._server.public_host_key)], [], []),
            client_keys=None,
            agent_path=None,
            config=[],
        )
        self._sftp = await self._conn.start_sftp_client()
        return self._sftp

    async def __aexit__(self, *exc: object) -> None:
        self._conn.abort()


# -- who we talk to, who talks to us -----------------------------------------------------------


async def test_host_key_mismatch_is_permanent_and_names_the_key_seen(
    server: EmbeddedSftpServer,
) -> None:
    impostor = asyncssh.generate_private_key("ssh-ed25519").export_public_key().decode()
    channel = SftpChannel("p1", client_settings(server, host_keys=[impostor]))
    with pytest.raises(PermanentError) as caught:
        await channel.send(payload("a.x12", b"A"))
    assert server.host_key is not None
    assert server.host_key.get_fingerprint("sha256") in caught.value.message
    assert isinstance(caught.value.__cause__, asyncssh.HostKeyNotVerifiable)


async def test_a_pinned_fingerprint_is_enough_and_a_wrong_one_is_refused(
    server: EmbeddedSftpServer, homes: Path
) -> None:
    assert server.host_key is not None
    good = server.host_key.get_fingerprint("sha256")
    await SftpChannel("p1", client_settings(server, host_keys=[good])).send(payload("a.x12", b"A"))
    assert (homes / "acme/in/a.x12").read_bytes() == b"A"
    wrong = SftpChannel("p1", client_settings(server, host_keys=["SHA256:" + "B" * 43]))
    with pytest.raises(PermanentError, match=good.replace("+", r"\+")):
        await wrong.poll()


async def test_wrong_password_is_permanent_and_not_echoed(server: EmbeddedSftpServer) -> None:
    channel = SftpChannel("p1", client_settings(server, password="not-the-password"))
    with pytest.raises(PermanentError, match="authentication refused") as caught:
        await channel.poll()
    assert "not-the-password" not in str(caught.value.to_dict())


@pytest.mark.filterwarnings("ignore:Warning. bcrypt.kdf:UserWarning")
async def test_private_key_login(
    server: EmbeddedSftpServer, supplier_key: asyncssh.SSHKey, homes: Path
) -> None:
    # Few bcrypt rounds: the test is about the login, not the key's strength.
    key_text = supplier_key.export_private_key("openssh", passphrase="pp", rounds=2).decode()
    settings = client_settings(
        server, password=None, private_key=key_text, private_key_passphrase="pp"
    )
    await SftpChannel("p1", settings).send(payload("k.x12", b"K"))
    assert (homes / "acme/in/k.x12").read_bytes() == b"K"
    bad = client_settings(server, password=None, private_key=key_text, private_key_passphrase="x")
    with pytest.raises(PermanentError, match="private key cannot be read") as caught:
        await SftpChannel("p1", bad).send(payload("k2.x12", b"K"))
    assert "PRIVATE KEY" not in caught.value.message


def test_settings_insist_on_a_pinned_host_key() -> None:
    base = {"host": "h", "username": "u", "password": "p"}
    with pytest.raises(ValidationError, match="pin the server's host key"):
        SftpSettings.model_validate(base)
    with pytest.raises(ValidationError, match="public key line or a SHA256"):
        SftpSettings.model_validate(base | {"host_keys": ["not a key"]})
    assert SftpSettings.model_validate(base | {"insecure_skip_host_key_check": True})


async def test_skipping_the_host_key_check_is_logged(
    server: EmbeddedSftpServer, caplog: pytest.LogCaptureFixture
) -> None:
    settings = client_settings(server, host_keys=[], insecure_skip_host_key_check=True)
    with caplog.at_level(logging.WARNING):
        assert await SftpChannel("p1", settings).poll() == []
    assert "host key NOT checked" in caplog.text


# -- interrupted transfers ---------------------------------------------------------------------


def cut_connection_after(monkeypatch: pytest.MonkeyPatch, method: str, offset: int) -> None:
    """The server drops the connection when a transfer reaches ``offset``."""
    original = getattr(SupplierSftpServer, method)

    def cutting(self: SupplierSftpServer, file_obj: object, at: int, *args: object) -> object:
        if at >= offset:
            self.connection.abort()
            raise asyncssh.SFTPConnectionLost("cut by the test")
        return original(self, file_obj, at, *args)

    monkeypatch.setattr(SupplierSftpServer, method, cutting)


async def test_upload_cut_midway_is_transient_and_leaves_no_file_under_its_name(
    server: EmbeddedSftpServer, homes: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel = SftpChannel("p1", client_settings(server))
    cut_connection_after(monkeypatch, "write", MIDWAY)
    with pytest.raises(TransientError):
        await channel.send(payload("big.x12", BIG))
    await asyncio.sleep(0.05)  # the server discards the partial upload as the session ends
    assert not (homes / "acme/in/big.x12").exists()
    assert list((homes / ".staging/acme").iterdir()) == []
    monkeypatch.undo()
    await channel.send(payload("big.x12", BIG))  # the retry starts over
    assert (homes / "acme/in/big.x12").read_bytes() == BIG
    assert [p.name for p in (homes / "acme/in").iterdir() if p.is_file()] == ["big.x12"]


async def test_download_cut_midway_returns_only_complete_files(
    server: EmbeddedSftpServer, homes: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = homes / "acme/out"
    (out / "small.x12").write_bytes(b"small")
    os.utime(out / "small.x12", (1_000_000, 1_000_000))  # older: read first
    (out / "big.x12").write_bytes(BIG)
    channel = SftpChannel("p1", client_settings(server))
    cut_connection_after(monkeypatch, "read", MIDWAY)
    assert [i.filename for i in await channel.poll()] == ["small.x12"]
    (out / "small.x12").unlink()
    with pytest.raises(TransientError):
        await channel.poll()
    monkeypatch.undo()
    assert [i.body for i in await channel.poll()] == [BIG]


async def test_a_file_still_being_uploaded_is_not_captured(login: Login, homes: Path) -> None:
    channel = home_channel(homes)
    async with login("acme") as sftp:
        fh = await sftp.open("/in/855.x12", "wb")
        await fh.write(b"ISA*first half")
        assert await channel.poll() == []
        await fh.write(b" and the rest", 14)
        await fh.close()
        assert [i.body for i in await channel.poll()] == [b"ISA*first half and the rest"]


async def test_a_client_leaving_without_closing_its_file_publishes_nothing(
    server: EmbeddedSftpServer, homes: Path
) -> None:
    conn = await asyncssh.connect(
        "127.0.0.1", server.port, username="acme", password=PASSWORDS["acme"],
        known_hosts=None, client_keys=None, agent_path=None, config=[],
    )  # fmt: skip
    sftp = await conn.start_sftp_client()
    fh = await sftp.open("/in/855.x12", "wb")
    await fh.write(b"ISA*half")
    sftp.exit()  # EOF on the SFTP channel with the file still open
    await sftp.wait_closed()
    conn.close()
    await asyncio.sleep(0.05)
    assert await home_channel(homes).poll() == []
    assert list((homes / ".staging/acme").iterdir()) == []


async def test_a_restart_discards_uploads_cut_by_a_crash(
    server: EmbeddedSftpServer, homes: Path
) -> None:
    leftover = homes / ".staging/acme/0123.upload"
    leftover.write_bytes(b"ISA*half")
    await server.close()
    await server.start()
    assert not leftover.exists()
    assert await home_channel(homes).poll() == []


# -- the jail ----------------------------------------------------------------------------------


async def test_paths_cannot_leave_the_home(login: Login, homes: Path) -> None:
    (homes / "beta/in/secret.x12").write_bytes(b"beta's")
    (homes / "acme/out/leak").symlink_to(homes / "beta/in/secret.x12")
    async with login("acme") as sftp:
        assert await sftp.realpath("/../../..") == "/"
        for escape in ("../beta/in/secret.x12", "/../../beta/in/secret.x12", "/etc/passwd"):
            with pytest.raises(asyncssh.SFTPNoSuchFile):
                await sftp.stat(escape)
        with pytest.raises(asyncssh.SFTPPermissionDenied):
            await sftp.open("/out/leak", "rb")  # a symlink pointing outside
        with pytest.raises(asyncssh.SFTPPermissionDenied):
            await sftp.symlink("/etc/passwd", "/in/passwd")
        with pytest.raises(asyncssh.SFTPPermissionDenied):
            await sftp.open("/../../escape.x12", "wb")  # normalised to /escape.x12
    assert not (homes / "escape.x12").exists()
    assert not (homes.parent / "escape.x12").exists()


async def test_a_supplier_writes_only_where_it_may(login: Login, homes: Path) -> None:
    (homes / "acme/in/processed/old.x12").write_bytes(b"old")
    async with login("acme") as sftp:
        for forbidden in (
            "/top.x12",
            "/out/top.x12",
            "/in/processed/x.x12",
            "//in/processed/x.x12",
            "/in/sub/../error/x",
        ):
            with pytest.raises(asyncssh.SFTPPermissionDenied):
                await sftp.open(forbidden, "wb")
        with pytest.raises(asyncssh.SFTPPermissionDenied):
            await sftp.mkdir("/in/sub")
        await sftp.mkdir("/out/archive")  # a supplier may organise what it fetched
        with pytest.raises(asyncssh.SFTPPermissionDenied):
            await sftp.remove("/in/processed/old.x12")
        async with sftp.open("/in/x.x12", "wb") as fh:
            await fh.write(b"x")
        with pytest.raises(asyncssh.SFTPPermissionDenied):
            await sftp.rename("/in/x.x12", "/in/processed/x.x12")
        assert sorted(await sftp.listdir("/in/processed")) == [".", "..", "old.x12"]


async def test_two_suppliers_never_see_each_other(login: Login, homes: Path) -> None:
    async with login("acme") as acme, login("beta") as beta:
        async with acme.open("/in/acme-only.x12", "wb") as fh:
            await fh.write(b"acme")
        assert "acme-only.x12" not in await beta.listdir("/in")
        with pytest.raises(asyncssh.SFTPNoSuchFile):
            await beta.stat("/../acme/in/acme-only.x12")
    assert await home_channel(homes, "beta").poll() == []
    assert [i.filename for i in await home_channel(homes, "acme").poll()] == ["acme-only.x12"]


async def test_unknown_user_and_wrong_password_are_refused(server: EmbeddedSftpServer) -> None:
    for user, password in (("nobody", "x"), ("acme", PASSWORDS["beta"])):
        with pytest.raises(asyncssh.PermissionDenied):
            await asyncssh.connect(
                "127.0.0.1", server.port, username=user, password=password,
                known_hosts=None, client_keys=None, agent_path=None, config=[],
            )  # fmt: skip


# -- delivery and acknowledgment rules ---------------------------------------------------------


async def test_an_existing_name_is_never_overwritten(
    server: EmbeddedSftpServer, homes: Path
) -> None:
    channel = SftpChannel("p1", client_settings(server))
    await channel.send(payload("po.x12", b"v1"))
    receipt = await channel.send(payload("po.x12", b"v1"))  # a retry: already there
    assert receipt.details["already_present"] is True
    with pytest.raises(PermanentError, match="already exists"):
        await channel.send(payload("po.x12", b"v2", key="k-2"))
    assert (homes / "acme/in/po.x12").read_bytes() == b"v1"
    local = home_channel(homes)
    await local.send(payload("po.x12", b"v1"))
    assert (await local.send(payload("po.x12", b"v1"))).details["already_present"] is True
    with pytest.raises(PermanentError, match="already exists"):
        await local.send(payload("po.x12", b"v2"))


async def test_acknowledging_twice_is_harmless(server: EmbeddedSftpServer, homes: Path) -> None:
    (homes / "acme/out/855.x12").write_bytes(b"ack")
    (homes / "acme/in/856.x12").write_bytes(b"asn")
    for channel in (SftpChannel("p1", client_settings(server)), home_channel(homes)):
        [item] = await channel.poll()
        await channel.acknowledge(item, accepted=True)
        await channel.acknowledge(item, accepted=True)  # a retry after a crash
        assert await channel.poll() == []
    assert [p.name for p in (homes / "acme/out/archive").iterdir()] == ["855.x12"]
    assert [p.name for p in (homes / "acme/in/processed").iterdir()] == ["856.x12"]


async def test_a_file_replaced_after_reading_is_not_archived(
    server: EmbeddedSftpServer, homes: Path
) -> None:
    target = homes / "acme/out/855.x12"
    target.write_bytes(b"first")
    channel = SftpChannel("p1", client_settings(server))
    [item] = await channel.poll()
    target.write_bytes(b"second version")
    await channel.acknowledge(item, accepted=True)
    assert [i.body for i in await channel.poll()] == [b"second version"]


async def test_oversized_files_are_returned_unread_for_refusal(
    server: EmbeddedSftpServer, homes: Path
) -> None:
    (homes / "acme/out/huge.x12").write_bytes(b"x" * 2000)
    (homes / "acme/in/huge.x12").write_bytes(b"x" * 2000)
    for channel in (
        SftpChannel("p1", client_settings(server, max_file_bytes=1000)),
        home_channel(homes, max_file_bytes=1000),
    ):
        [item] = await channel.poll()
        assert item.body == b""
        assert (item.metadata["oversized"], item.metadata["size"]) == ("true", "2000")
        await channel.acknowledge(item, accepted=False, reason="2000 bytes, limit 1000")
    assert (homes / "acme/out/error/huge.x12.reason.txt").read_text() == "2000 bytes, limit 1000\n"
    assert (homes / "acme/in/error/huge.x12").exists()


async def test_delete_after_capture(server: EmbeddedSftpServer, homes: Path) -> None:
    (homes / "acme/out/855.x12").write_bytes(b"ack")
    channel = SftpChannel("p1", client_settings(server, after_capture="delete"))
    [item] = await channel.poll()
    await channel.acknowledge(item, accepted=True)
    assert list((homes / "acme/out").iterdir()) == []


def test_password_hashes() -> None:
    stored = hash_password("pw")
    assert verify_password("pw", stored)
    assert not verify_password("pW", stored)
    assert not verify_password("pw", "garbage")
    with pytest.raises(ValidationError, match="never the password itself"):
        SupplierAccount(username="x", password_hash="pw")


# -- interoperability --------------------------------------------------------------------------


async def test_openssh_sftp_batch_upload(
    server: EmbeddedSftpServer, supplier_key: asyncssh.SSHKey, homes: Path, tmp_path: Path
) -> None:
    binary = shutil.which("sftp")
    if binary is None:
        pytest.skip("OpenSSH sftp client not installed: interoperability NOT tested")
    key_file = tmp_path / "id_ed25519"
    key_file.write_bytes(supplier_key.export_private_key())
    key_file.chmod(0o600)
    known_hosts = tmp_path / "known_hosts"
    known_hosts.write_text(f"[127.0.0.1]:{server.port} {server.public_host_key}\n")
    (tmp_path / "855.x12").write_bytes(b"ISA*from openssh~")
    batch = tmp_path / "batch"
    batch.write_text(f"put {tmp_path / '855.x12'} /in/855.x12\nls /in\n")
    proc = await asyncio.create_subprocess_exec(
        binary, "-F", "/dev/null", "-b", str(batch), "-P", str(server.port), "-i", str(key_file),
        "-o", f"UserKnownHostsFile={known_hosts}", "-o", "StrictHostKeyChecking=yes",
        "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "acme@127.0.0.1",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), 15)
    assert proc.returncode == 0, err.decode()
    assert "855.x12" in out.decode()
    [item] = await home_channel(homes).poll()
    assert (item.filename, item.body) == ("855.x12", b"ISA*from openssh~")
