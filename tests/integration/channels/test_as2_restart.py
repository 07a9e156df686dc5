"""An asynchronous MDN that arrives after procurelink restarted is still matched and recorded.

procurelink (ACME) sends with ``mdn_mode: async``; the supplier's AS2 server (procurelink's
receiver, as SUPPLIER) POSTs its signed MDN while procurelink is down, so the MDN is kept
by a stand-in and delivered again to a freshly started receiver over the same database.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from as2_support import Inbox, Switchboard, identity, serving, settings
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from procurelink.adapters.bus.memory import InProcessBus
from procurelink.adapters.channels.as2.channel import As2Channel
from procurelink.adapters.channels.as2.mdn import StorePendingMdns
from procurelink.adapters.channels.as2.receiver import create_as2_receiver
from procurelink.adapters.clock import SystemClock
from procurelink.adapters.store import SqlStore, create_store, migrate
from procurelink.bootstrap import mdn_recorder
from procurelink.ports.channel import OutboundPayload
from procurelink.ports.records import Direction, RawMessage
from procurelink.services.context import Deps
from procurelink.services.delivery_receipts import DeliveryReceiptService

A, B = identity("ACME"), identity("SUPPLIER")
EDI = b"UNA:+.? 'UNB+UNOC:3+ACME:14+SUPPLIER:14+261130:0200+1'UNZ+0+1'"
MESSAGE_ID = "msg-restart-1"


@dataclass
class DownProcurelink:
    """Stands in for procurelink while it is down: keeps what is POSTed, answers 503."""

    posted: list[tuple[dict[str, str], bytes]] = field(default_factory=list)

    async def receive(self, request: Request) -> Response:
        headers = {k: v for k, v in request.headers.items() if k not in ("host", "content-length")}
        self.posted.append((headers, await request.body()))
        return PlainTextResponse("restarting", status_code=503)


@pytest.fixture(scope="module")
def board() -> AsyncIterator[Switchboard]:
    board = Switchboard()
    with serving(board) as url:
        board.url = url
        yield board


async def open_store(path: Path) -> SqlStore:
    url = f"sqlite+aiosqlite:///{path}"
    await migrate(url)
    return create_store(url)


def deps(store: SqlStore) -> Deps:
    # Only the store and the clock are used by delivery receipts.
    return Deps(
        store=store,
        clock=SystemClock(),
        partners=None,
        router=None,
        erp=None,
        bus=InProcessBus(),  # type: ignore[arg-type]
    )


async def test_an_mdn_after_a_restart_is_matched_and_recorded(
    board: Switchboard, tmp_path: Path
) -> None:
    database = tmp_path / "procurelink.db"
    down = DownProcurelink()
    down_app = Starlette(routes=[Route("/mdn", down.receive, methods=["POST"])])
    down_url = board.plug("down-acme", down_app)
    inbox = Inbox()
    supplier = settings(B, A, as2_id="SUPPLIER", partner_as2_id="ACME")
    supplier_url = board.plug("restart-b", create_as2_receiver({"acme": supplier}, inbox.capture))
    ours = settings(
        A,
        B,
        as2_id="ACME",
        partner_as2_id="SUPPLIER",
        partner_url=supplier_url,
        mdn_mode="async",
        mdn_url=down_url + "mdn",
    )

    # 1. The first procurelink process stores the message and sends it; then it goes down.
    first = await open_store(database)
    async with first.unit_of_work() as uow:
        await uow.messages.add(
            RawMessage(
                id=MESSAGE_ID,
                direction=Direction.OUTBOUND,
                partner_id="supplier",
                channel="as2",
                body=EDI,
                sha256="0" * 64,
                received_at=datetime.now(UTC),
                correlation_id="corr-restart",
                filename="ORDERS_P00042_1.edi",
                content_type="application/edifact",
            )
        )
        await uow.commit()
    async with httpx.AsyncClient() as client:
        channel = As2Channel("supplier", ours, client=client, pending=StorePendingMdns(first))
        receipt = await channel.send(
            OutboundPayload(
                partner_id="supplier",
                filename="ORDERS_P00042_1.edi",
                content_type="application/edifact",
                body=EDI,
                correlation_id="corr-restart",
                idempotency_key=MESSAGE_ID,
            )
        )
        assert receipt.details["mdn"] == "pending"
        for _ in range(250):
            if down.posted:
                break
            await asyncio.sleep(0.02)
    assert [i.body for i in inbox.items] == [EDI]
    [(headers, body)] = down.posted  # the MDN, refused with 503 while we were down
    await first.close()

    # 2. A new process over the same database: the MDN is matched and recorded.
    second = await open_store(database)
    try:
        acme = settings(A, B, as2_id="ACME", partner_as2_id="SUPPLIER")
        restarted = create_as2_receiver(
            {"supplier": acme},
            Inbox().capture,
            pending=StorePendingMdns(second),
            on_mdn=mdn_recorder(DeliveryReceiptService(deps(second))),
        )
        url = board.plug("acme-again", restarted)
        async with httpx.AsyncClient() as client:
            answer = await client.post(url + "mdn", content=body, headers=headers)
            assert answer.status_code == 200, answer.text
            again = await client.post(url + "mdn", content=body, headers=headers)
            assert again.status_code == 400  # nothing is waiting any more

        async with second.unit_of_work() as uow:
            effect = await uow.effects.get(f"receipt:as2:{MESSAGE_ID}")
            assert effect is not None and effect.kind == "delivery_receipt"
            assert effect.correlation_id == "corr-restart"
            assert effect.result["positive"] is True
            assert effect.result["disposition"].startswith("processed")
            assert effect.result["message_ref"] == receipt.details["message_id"]
            pending = await uow.pending_receipts.get("as2", receipt.details["message_id"])
            assert pending is not None and pending.resolved_at is not None
            assert pending.outbound_message_id == MESSAGE_ID
            entries = await uow.audit.list(correlation_id="corr-restart")
            assert [e.action for e in entries] == ["delivery_receipt"]
            assert "ORDERS_P00042_1.edi" in entries[0].subject
    finally:
        await second.close()
