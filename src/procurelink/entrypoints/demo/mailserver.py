"""A real mail server on loopback for the demo and the e-mail channel's tests.

Debian's ``dovecot-imapd`` is started with a configuration generated into a temporary
directory: loopback only, free ports, plain-text logins (and STARTTLS/IMAPS with a throw-away
certificate), users from a passwd-file, Maildir storage. Run as root it runs as ``nobody``:
the same unprivileged set-up an operator's would be. The Debian service itself is never used
(our instance has its own base_dir), so a system Dovecot, running or not, is irrelevant.

Dovecot only stores and serves mail; ``MailRelay`` is the SMTP side: an aiosmtpd server that
delivers every accepted message into the recipient's Dovecot INBOX with IMAP APPEND, so what
procurelink mails a supplier lands in the supplier's mailbox and the supplier's answer in ours.
"""

from __future__ import annotations

import asyncio
import grp
import imaplib
import logging
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

log = logging.getLogger(__name__)

DOVECOT = Path("/usr/sbin/dovecot")
UNPRIVILEGED = "nobody"
INSTALL_HINT = "apt-get install -y dovecot-imapd"


class DovecotMissing(RuntimeError):
    """Debian's dovecot-imapd is not installed here."""


def dovecot_installed() -> bool:
    return DOVECOT.exists()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class Dovecot:
    host: str
    port: int  # IMAP, STARTTLS offered
    tls_port: int  # IMAPS, TLS from the first byte
    root: Path
    users: Mapping[str, str]  # address -> password

    @property
    def ca_file(self) -> str:
        """The self-signed certificate the server presents (for 127.0.0.1)."""
        return str(self.root / "cert.pem")

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def append(self, user: str, raw: bytes, folder: str = "INBOX") -> None:
        """Deliver ``raw`` into ``user``'s ``folder`` (blocking; IMAP APPEND)."""
        with imaplib.IMAP4(self.host, self.port, timeout=10) as client:
            client.login(user, self.users[user])
            status, data = client.append(f'"{folder}"', "", None, raw)
            if status != "OK":
                raise RuntimeError(f"APPEND to {user}/{folder} failed: {data!r}")


def _make_certificate(root: Path) -> None:
    # A throw-away certificate for 127.0.0.1, so STARTTLS and IMAPS work for real.
    subprocess.run(  # noqa: S603 - fixed arguments, no outside input
        [  # noqa: S607 - openssl comes with Dovecot's dependencies (ssl-cert)
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
instance_name = procurelink-{port}
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
  # Mode 0 turns off the penalty that slows logins from an IP after failed ones.
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


@contextmanager
def run_dovecot(users: Mapping[str, str]) -> Iterator[Dovecot]:
    """A Dovecot with ``users`` (address -> password) until the block ends."""
    if not dovecot_installed():
        raise DovecotMissing(f"{DOVECOT} is missing: install it with `{INSTALL_HINT}`")
    as_root = os.geteuid() == 0
    account = pwd.getpwnam(UNPRIVILEGED) if as_root else pwd.getpwuid(os.geteuid())
    group = grp.getgrgid(account.pw_gid).gr_name
    # Under /tmp, not a caller's private temp dir: that may be mode 0700 and owned by root,
    # so `nobody` could not reach its own mail directory.
    root = Path(tempfile.mkdtemp(prefix="procurelink-dovecot-"))
    port, tls_port = free_port(), free_port()
    _make_certificate(root)
    for sub in ("run", "state", "mail"):
        (root / sub).mkdir()
    (root / "passwd").write_text("".join(f"{u}:{{PLAIN}}{p}::::::\n" for u, p in users.items()))
    config = root / "dovecot.conf"
    config.write_text(_config(root, port, tls_port, account.pw_name, group))
    if as_root:
        for path in (root, *root.rglob("*")):
            os.chown(path, account.pw_uid, account.pw_gid)
    process = subprocess.Popen(  # noqa: S603 - our own config file, no outside input
        [str(DOVECOT), "-F", "-c", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        user=account.pw_uid if as_root else None,
        group=account.pw_gid if as_root else None,
        extra_groups=[] if as_root else None,
    )
    server = Dovecot("127.0.0.1", port, tls_port, root, dict(users))
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


@dataclass
class _Delivery:
    dovecot: Dovecot
    delivered: list[tuple[str, bytes]] = field(default_factory=list)

    # aiosmtpd finds its hooks by these names.
    async def handle_RCPT(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address not in self.dovecot.users:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or b""
        try:
            for rcpt in envelope.rcpt_tos:
                await asyncio.to_thread(self.dovecot.append, rcpt, raw)
                self.delivered.append((rcpt, raw))
        except (OSError, RuntimeError, imaplib.IMAP4.error) as exc:
            log.warning("mail relay could not deliver into Dovecot: %s", exc)
            return "451 4.3.0 mailbox unavailable, try again"
        return "250 delivered"


@dataclass
class MailRelay:
    host: str
    port: int
    delivery: _Delivery

    @property
    def delivered(self) -> list[tuple[str, bytes]]:
        return self.delivery.delivered


@contextmanager
def run_mail_relay(dovecot: Dovecot) -> Iterator[MailRelay]:
    """An SMTP server on loopback delivering into ``dovecot``'s mailboxes."""
    delivery = _Delivery(dovecot)
    port = free_port()
    controller = Controller(delivery, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield MailRelay("127.0.0.1", port, delivery)
    finally:
        controller.stop()
