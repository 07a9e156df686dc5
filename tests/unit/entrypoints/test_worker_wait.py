"""The worker's wait between rounds: stop, new mail, or the poll interval (fallback)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from procurelink import bootstrap
from procurelink.adapters.channels.email.channel import EmailChannel
from procurelink.adapters.partners.yaml_directory import PartnerRegistry
from procurelink.domain.partner_profile import PartnerProfile
from procurelink.entrypoints.worker import STOP, TIMEOUT, wait_for_work
from procurelink.errors import TransientError
from procurelink.settings import Settings


class Mailbox:
    """A MailNotifier whose answer the test decides."""

    def __init__(self, after: float | None = None, fail: bool = False) -> None:
        self.after = after  # seconds until "new mail"; None: none comes
        self.fail = fail
        self.calls = 0

    async def wait_for_mail(self, timeout: float) -> bool:  # noqa: ASYNC109
        self.calls += 1
        if self.fail:
            raise TransientError("IMAP server 127.0.0.1:1 unreachable")
        if self.after is None:
            return False  # a server without IDLE answers at once: "look yourself"
        await asyncio.sleep(self.after)
        return True


async def test_new_mail_wakes_the_worker_before_the_interval() -> None:
    started = time.monotonic()
    woke = await wait_for_work(asyncio.Event(), [("quiet", Mailbox()), ("x", Mailbox(0.1))], 10)
    assert woke == "x"
    assert time.monotonic() - started < 2


async def test_without_mail_the_interval_decides() -> None:
    started = time.monotonic()
    assert await wait_for_work(asyncio.Event(), [("quiet", Mailbox())], 0.3) == TIMEOUT
    assert time.monotonic() - started >= 0.29


async def test_a_failing_idle_falls_back_to_polling_without_spinning() -> None:
    mailbox = Mailbox(fail=True)
    started = time.monotonic()
    assert await wait_for_work(asyncio.Event(), [("down", mailbox)], 0.3) == TIMEOUT
    assert time.monotonic() - started >= 0.29
    assert mailbox.calls == 1


async def test_stop_ends_the_wait_at_once() -> None:
    stop = asyncio.Event()
    asyncio.get_running_loop().call_later(0.05, stop.set)
    started = time.monotonic()
    assert await wait_for_work(stop, [("quiet", Mailbox(after=5))], 10) == STOP
    assert time.monotonic() - started < 2


async def test_no_mail_channels_is_a_plain_sleep() -> None:
    started = time.monotonic()
    assert await wait_for_work(asyncio.Event(), [], 0.2) == TIMEOUT
    assert time.monotonic() - started >= 0.19


def _profile(partner_id: str, channel: dict[str, object], active: bool = True) -> PartnerProfile:
    return PartnerProfile.model_validate(
        {
            "id": partner_id,
            "name": partner_id,
            "odoo": {"partner_id": 1},
            "codec": {"type": "csv"},
            "channels": {"outbound": channel, "inbound": channel},
            "active": active,
        }
    )


async def test_the_worker_waits_on_every_active_mailbox_and_nothing_else(tmp_path: Path) -> None:
    mail = {
        "type": "email",
        "imap": {"host": "127.0.0.1", "tls": "plain", "username": "u", "password": "p"},
        "allowed_senders": ["sales@supplier.test"],
        "smtp": {"host": "127.0.0.1", "tls": "plain"},
        "from_address": "po@acme.test",
        "to_addresses": ["sales@supplier.test"],
    }
    directory = {"type": "directory", "outbox": str(tmp_path / "out"), "inbox": str(tmp_path)}
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'w.db'}", partners_dir=tmp_path)
    runtime = await bootstrap.build_runtime(
        settings,
        erp=object(),  # type: ignore[arg-type]
        partners=PartnerRegistry(
            [
                _profile("mailer", mail),
                _profile("resting", mail, active=False),
                _profile("dropper", directory),
            ]
        ),
    )
    try:
        [(partner_id, channel)] = runtime.mail_notifiers()
        assert partner_id == "mailer"
        assert isinstance(channel, EmailChannel)
    finally:
        await runtime.http.aclose()
        await runtime.deps.store.close()
