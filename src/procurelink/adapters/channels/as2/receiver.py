"""Receive AS2 messages from partners: an ASGI sub-application, mounted by the API.

Capture first (ARCHITECTURE.md §1): the positive MDN is produced only after ``capture`` has
stored the bytes. When capture fails the partner gets a 503 and no MDN, so its AS2 server
retries; a negative MDN would be final for most of them. Messages that fail decryption or
verification, come unsigned from a partner that must sign, or are signed with a certificate
that is not valid now, are refused with a negative MDN naming why, and nothing is captured.

Routes: ``POST /`` takes messages; ``POST /mdn`` takes asynchronous MDNs for our own
messages (when a ``PendingMdns`` store is given), the URL to put in ``mdn_url``.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import httpx
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from procurelink.adapters.channels.as2.credentials import Credentials, load_credentials
from procurelink.adapters.channels.as2.mdn import AsyncMdnProcessor, OnMdn, PendingMdns
from procurelink.adapters.channels.as2.messages import (
    OutgoingMdn,
    ParsedMessage,
    build_mdn,
    parse_message,
)
from procurelink.adapters.channels.as2.peers import CONFIRM_TEXT, mime_document, organization
from procurelink.adapters.channels.as2.settings import As2Settings
from procurelink.errors import ConfigurationError
from procurelink.ports.channel import InboundItem

log = logging.getLogger(__name__)
CHANNEL = "as2"


class CaptureOutcome(Protocol):
    """What capture reports (``services.intake.CaptureResult`` fits)."""

    @property
    def accepted(self) -> bool: ...

    @property
    def reason(self) -> str | None: ...


Capture = Callable[[InboundItem], Awaitable[CaptureOutcome]]


@dataclass(frozen=True, slots=True)
class _Relationship:
    creds: Credentials
    org: Any  # pyas2lib Organization, keys loaded once


def create_as2_receiver(
    partners: Mapping[str, As2Settings],
    capture: Capture,
    *,
    pending: PendingMdns | None = None,
    on_mdn: OnMdn | None = None,
    client: httpx.AsyncClient | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Starlette:
    """An ASGI app receiving AS2 for ``partners`` (procurelink partner id -> settings)."""
    relationships: dict[tuple[str, str], _Relationship] = {}
    for partner_id, settings in partners.items():
        key = (settings.as2_id, settings.partner_as2_id)
        if key in relationships:
            raise ConfigurationError(
                f"partners {relationships[key].creds.partner_id} and {partner_id} both use "
                f"AS2 ids {key[1]} -> {key[0]}"
            )
        creds = load_credentials(partner_id, settings)
        relationships[key] = _Relationship(creds, organization(creds))
    receiver = _Receiver(relationships, capture, client, clock)
    routes = [Route("/", receiver.receive, methods=["POST"])]
    if pending is not None:
        by_partner = {r.creds.partner_id: r.creds for r in relationships.values()}
        processor = AsyncMdnProcessor(by_partner, pending, on_mdn, clock)
        routes.append(Route("/mdn", _MdnEndpoint(processor).receive, methods=["POST"]))
    return Starlette(routes=routes)


class _Receiver:
    def __init__(
        self,
        relationships: Mapping[tuple[str, str], _Relationship],
        capture: Capture,
        client: httpx.AsyncClient | None,
        clock: Callable[[], datetime],
    ) -> None:
        self._relationships = relationships
        self._capture = capture
        self._client = client
        self._clock = clock

    async def receive(self, request: Request) -> Response:
        body = await request.body()
        ours = email.utils.unquote(request.headers.get("as2-to", "").strip())
        theirs = email.utils.unquote(request.headers.get("as2-from", "").strip())
        relationship = self._relationships.get((ours, theirs))
        creds = relationship.creds if relationship else None
        org = relationship.org if relationship else None
        now = self._clock()
        raw = mime_document(request.headers, body)
        parsed = await asyncio.to_thread(parse_message, creds, org, raw, now)
        if creds is None or not parsed.accepted:
            log.warning(
                "as2 message refused: %s",
                parsed.reason or parsed.detail,
                extra={"as2_from": theirs, "as2_to": ours, "message_id": parsed.message_id},
            )
            text = f"The AS2 message was refused: {parsed.reason or parsed.detail}."
            return await self._answer(parsed, parsed.status, parsed.detail, text, None)
        try:
            outcome = await self._capture(_item(creds, parsed, now))
        except Exception:
            # Not captured, so not acknowledged: the partner's server will send it again.
            log.exception("as2 capture failed", extra={"partner_id": creds.partner_id})
            return PlainTextResponse("not stored; please retry", status_code=503)
        if outcome.accepted:
            return await self._answer(parsed, "processed", None, CONFIRM_TEXT, creds)
        reason = _one_line(outcome.reason or "not accepted")
        text = f"The AS2 message was stored but not accepted: {reason}."
        return await self._answer(parsed, "processed/Warning", reason, text, creds)

    async def _answer(
        self,
        parsed: ParsedMessage,
        status: str,
        detail: str | None,
        text: str,
        authenticated: Credentials | None,
    ) -> Response:
        ok = status.lower().startswith("processed") and parsed.accepted
        if parsed.mdn_request is None:
            return PlainTextResponse(text, status_code=200 if ok else 400)
        mdn = await asyncio.to_thread(build_mdn, parsed, status, detail, text)
        # Only an authenticated partner chooses where we POST (else: a request forger could
        # make us call any URL); refusals are answered in the response itself.
        if mdn.asynchronous_url and authenticated is not None:
            task = BackgroundTask(self._send_async_mdn, mdn, authenticated)
            return PlainTextResponse("MDN follows asynchronously", background=task)
        return Response(mdn.body, headers=mdn.headers)

    async def _send_async_mdn(self, mdn: OutgoingMdn, creds: Credentials) -> None:
        url = mdn.asynchronous_url or ""
        settings = creds.settings
        timeout = httpx.Timeout(settings.timeout_seconds, connect=settings.connect_timeout_seconds)
        try:
            if self._client is not None:
                response = await self._client.post(
                    url, content=mdn.body, headers=mdn.headers, timeout=timeout
                )
            else:
                async with httpx.AsyncClient(verify=settings.verify_tls) as client:
                    response = await client.post(
                        url, content=mdn.body, headers=mdn.headers, timeout=timeout
                    )
            response.raise_for_status()
        except httpx.HTTPError as exc:
            log.warning(
                "as2 async MDN not delivered to %s: %s",
                url,
                type(exc).__name__,
                extra={"partner_id": creds.partner_id},
            )


class _MdnEndpoint:
    def __init__(self, processor: AsyncMdnProcessor) -> None:
        self._processor = processor

    async def receive(self, request: Request) -> Response:
        raw = mime_document(request.headers, await request.body())
        result = await self._processor.process(raw)
        if result.problem is not None:
            return PlainTextResponse(f"MDN not accepted: {result.problem}", status_code=400)
        return PlainTextResponse("MDN received")


def _item(creds: Credentials, parsed: ParsedMessage, now: datetime) -> InboundItem:
    metadata = {
        "as2_message_id": parsed.message_id or "",
        "as2_from": creds.settings.partner_as2_id,
        "as2_to": creds.settings.as2_id,
        "encrypted": str(parsed.encrypted).lower(),
        "compressed": str(parsed.compressed).lower(),
    }
    if parsed.signed_by:
        metadata["signed_by"] = parsed.signed_by
    return InboundItem(
        partner_id=creds.partner_id,
        channel=CHANNEL,
        filename=parsed.filename,
        content_type=parsed.content_type or "application/octet-stream",
        body=parsed.body,
        received_at=now,
        # AS2 is pushed: nothing to acknowledge later, the MDN is the acknowledgment.
        handle=parsed.message_id or "",
        metadata=metadata,
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())[:200]
