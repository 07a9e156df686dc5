"""A real Dovecot IMAP server for the e-mail channel's tests (ARCHITECTURE.md §7).

Debian's ``dovecot-imapd`` is started with a configuration generated into a temporary
directory: loopback only, a free port, plain-text logins without TLS, users from a
passwd-file, Maildir storage. When the tests run as root it runs as ``nobody`` (Dovecot
refuses nothing as root, so running it unprivileged is what proves the set-up works the way
an operator's would); otherwise as the current user. The Debian service itself is never
used: our instance has its own base_dir, so a system Dovecot (running or not) is irrelevant.

Without Dovecot the tests skip with a loud reason on a laptop and fail under ``CI=true``.
"""

from __future__ import annotations

import asyncio
import grp
import imaplib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

import pytest

DOVECOT = Path("/usr/sbin/dovecot")
UNPRIVILEGED = "nobody"

# name -> password; the fixture creates exactly these accounts.
USERS = {"orders@acme.test": "imap-secret", "other@acme.test": "other-secret"}


@dataclass(frozen=True)
class Dovecot:
    host: str
    port: int  # IMAP, STARTTLS offered
    tls_port: int  # IMAPS, TLS from the first byte
    root: Path

    @property
    def ca_file(self) -> str:
        """The self-signed certificate the server presents (for 127.0.0.1)."""
        return str(self.root / "cert.pem")

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def require_dovecot() -> None:
    if DOVECOT.exists():
        return
    reason = (
        f"{DOVECOT} is missing: install Debian's dovecot-imapd "
        "(apt-get install -y dovecot-imapd) to run the e-mail channel tests"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _make_certificate(root: Path) -> None:
    # A throw-away certificate for 127.0.0.1, so STARTTLS and IMAPS are tested for real.
    subprocess.run(
        [  # openssl comes with Dovecot's dependencies (ssl-cert)
            "openssl",
            "req",
            "-x509",
            # An EC key: generated in milliseconds where RSA takes a second or more.
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(root / "key.pem"),
            "-out",
            str(root / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )


def _config(root: Path, port: int, tls_port: int, user: str, group: str) -> str:
    return f"""\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
instance_name = procurelink-test-{port}
log_path = {root}/dovecot.log
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
# Plain-text logins without TLS: the channel's "plain" mode, loopback only.
disable_plaintext_auth = no
auth_mechanisms = plain login
# Tests log in with a wrong password on purpose; the default 2 s penalty only slows them.
auth_failure_delay = 0
# IDLE notices new mail through inotify; this is the fallback when inotify is unavailable.
mailbox_idle_check_interval = 1 secs
mail_location = maildir:{root}/mail/%u
mail_uid = {user}
mail_gid = {group}
first_valid_uid = 0
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
mail_plugins =
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={user} gid={group} home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
  }}
}}
service imap {{
  process_limit = 32
}}
service anvil {{
  chroot =
  # Mode 0 turns off the penalty that slows logins from an IP after failed ones: the tests
  # fail a login on purpose and must not slow down the tests after it.
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


@contextmanager
def run_dovecot() -> Iterator[Dovecot]:
    require_dovecot()
    as_root = os.geteuid() == 0
    account = pwd.getpwnam(UNPRIVILEGED) if as_root else pwd.getpwuid(os.geteuid())
    group = _group_name(account.pw_gid)
    # Under /tmp, not pytest's tmp_path: that one is mode 0700 and owned by root, so
    # `nobody` could not reach its own mail directory.
    root = Path(tempfile.mkdtemp(prefix="procurelink-dovecot-"))
    port, tls_port = free_port(), free_port()
    _make_certificate(root)
    for sub in ("run", "state", "mail"):
        (root / sub).mkdir()
    (root / "passwd").write_text("".join(f"{u}:{{PLAIN}}{p}::::::\n" for u, p in USERS.items()))
    config = root / "dovecot.conf"
    config.write_text(_config(root, port, tls_port, account.pw_name, group))
    if as_root:
        for path in (root, *root.rglob("*")):
            os.chown(path, account.pw_uid, account.pw_gid)
    process = subprocess.Popen(
        [str(DOVECOT), "-F", "-c", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        user=account.pw_uid if as_root else None,
        group=account.pw_gid if as_root else None,
        extra_groups=[] if as_root else None,
    )
    server = Dovecot("127.0.0.1", port, tls_port, root)
    try:
        _wait_until_answering(server, process)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
        shutil.rmtree(root, ignore_errors=True)


def _group_name(gid: int) -> str:
    return grp.getgrgid(gid).gr_name


def _wait_until_answering(server: Dovecot, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            raise RuntimeError(f"dovecot exited with {process.returncode}: {output}{server.log()}")
        try:
            with socket.create_connection((server.host, server.port), timeout=1) as sock:
                if sock.recv(64).startswith(b"* OK"):
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"dovecot did not answer on port {server.port}: {server.log()}")


# --- the supplier's side, through the standard library's imaplib -------------------------
# Independent of the channel under test: what it sees is what any mail client would see.

SUPPLIER = "sales@supplier.test"
MAILBOX_USER = "orders@acme.test"


def supplier_mail(
    attachments: dict[str, bytes],
    *,
    sender: str = SUPPLIER,
    subject: str = "Order response",
    message_id: str | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = f"Supplier Sales <{sender}>"
    message["To"] = MAILBOX_USER
    message["Subject"] = subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = message_id or make_msgid(domain="supplier.test")
    message.set_content("Please find our documents attached.\n")
    for name, body in attachments.items():
        message.add_attachment(body, maintype="application", subtype="octet-stream", filename=name)
    # CRLF, as on the wire (imaplib would convert bare LFs anyway).
    return message.as_bytes(policy=policy.SMTP)


class Mailbox:
    """One account on the test Dovecot, driven with imaplib."""

    def __init__(self, server: Dovecot, user: str = MAILBOX_USER) -> None:
        self._server = server
        self._user = user

    def _connect(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4(self._server.host, self._server.port, timeout=5)
        client.login(self._user, USERS[self._user])
        return client

    async def create(self, *folders: str) -> None:
        def run() -> None:
            with self._connect() as client:
                for folder in folders:
                    client.create(f'"{folder}"')

        await asyncio.to_thread(run)

    async def append(self, folder: str, raw: bytes, flags: str = "") -> None:
        def run() -> None:
            with self._connect() as client:
                status, data = client.append(f'"{folder}"', flags, None, raw)
                assert status == "OK", data

        await asyncio.to_thread(run)

    async def messages(self, folder: str) -> list[EmailMessage]:
        def run() -> list[EmailMessage]:
            with self._connect() as client:
                status, _ = client.select(f'"{folder}"', readonly=True)
                if status != "OK":
                    return []
                _, data = client.uid("SEARCH", "ALL")
                found = []
                for uid in data[0].split():
                    _, parts = client.uid("FETCH", uid, "(BODY.PEEK[])")
                    raw = parts[0][1] if isinstance(parts[0], tuple) else b""
                    parsed = message_from_bytes(raw, policy=policy.default)
                    assert isinstance(parsed, EmailMessage)
                    found.append(parsed)
                return found

        return await asyncio.to_thread(run)

    async def attachment_names(self, folder: str) -> list[str]:
        return sorted(
            str(part.get_filename())
            for message in await self.messages(folder)
            for part in message.iter_attachments()
        )
