"""The outbound webhook channel against a real HTTP server (uvicorn on loopback) that checks
the Standard Webhooks signature the way a supplier's system would."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from channel_contract import OutboundChannelContract, UnreachableOutboundContract, payload
from fastapi import FastAPI, Request, Response

from procurelink.adapters.channels.http.channel import HttpWebhookChannel
from procurelink.adapters.channels.http.settings import HttpWebhookSettings
from procurelink.entrypoints.listen import BackgroundServer, next_free_port
from procurelink.errors import PermanentError, TransientError
from procurelink.security.webhooks import SignatureError, verify_standard

SECRET = "supplier-shared-secret"


class WebhookPeer:
    """The supplier's endpoint: keeps what verified, answers with a chosen status."""

    def __init__(self) -> None:
        self.received: dict[str, bytes] = {}
        self.refused: list[str] = []
        self.status = 200
        app = FastAPI()

        @app.post("/orders")
        async def orders(request: Request) -> Response:
            body = await request.body()
            name = request.headers["x-procurelink-filename"]
            try:
                verify_standard(SECRET, body, request.headers)
            except SignatureError:
                self.refused.append(name)
                return Response(status_code=401)
            if self.status < 300:
                self.received[name] = body
            return Response(status_code=self.status)

        self.server = BackgroundServer(app, "127.0.0.1", next_free_port("127.0.0.1", 18400))

    async def delivered(self) -> dict[str, bytes]:
        return dict(self.received)

    def channel(self, secret: str = SECRET) -> HttpWebhookChannel:
        url = f"{self.server.url}/orders"
        return HttpWebhookChannel("p1", HttpWebhookSettings(url=url, timeout_seconds=5), secret)


@pytest.fixture
async def peer() -> AsyncIterator[WebhookPeer]:
    peer = WebhookPeer()
    await peer.server.start()
    try:
        yield peer
    finally:
        await peer.server.stop()


@pytest.fixture
def outbound(peer: WebhookPeer) -> HttpWebhookChannel:
    return peer.channel()


@pytest.fixture
def unreachable() -> HttpWebhookChannel:
    port = next_free_port("127.0.0.1", 18500)  # nothing listens there
    settings = HttpWebhookSettings(url=f"http://127.0.0.1:{port}/orders", timeout_seconds=2)
    return HttpWebhookChannel("p1", settings, SECRET)


class TestHttpWebhookOutbound(OutboundChannelContract):
    pass


class TestHttpWebhookUnreachable(UnreachableOutboundContract):
    pass


async def test_server_errors_are_transient_and_client_errors_permanent(
    peer: WebhookPeer,
) -> None:
    channel = peer.channel()
    peer.status = 503
    with pytest.raises(TransientError):
        await channel.send(payload("a.json", b"{}"))
    peer.status = 422
    with pytest.raises(PermanentError) as err:
        await channel.send(payload("a.json", b"{}"))
    assert not isinstance(err.value, TransientError)
    assert await peer.delivered() == {}


async def test_a_wrong_secret_is_refused_by_the_supplier(peer: WebhookPeer) -> None:
    with pytest.raises(PermanentError):
        await peer.channel(secret="not-the-agreed-secret").send(payload("a.json", b"{}"))
    assert peer.refused == ["a.json"]
    assert await peer.delivered() == {}
