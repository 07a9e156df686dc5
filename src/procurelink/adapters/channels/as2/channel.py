"""Send documents to a partner over AS2 and prove delivery with its MDN.

Sync MDN: the MDN comes back in the HTTP response; ``send`` returns only once it is
verified (signature with a valid partner certificate, our Message-ID, the MIC of what we
signed). Async MDN: ``send`` records the message in ``PendingMdns`` and returns a receipt
marked ``mdn: pending``; ``AsyncMdnProcessor`` settles it when the MDN is POSTed to us.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime

import httpx

from procurelink.adapters.channels.as2 import errors
from procurelink.adapters.channels.as2.credentials import Credentials, load_credentials
from procurelink.adapters.channels.as2.mdn import PendingMdns
from procurelink.adapters.channels.as2.messages import OutgoingMessage, build_message
from procurelink.adapters.channels.as2.peers import mime_document, organization
from procurelink.adapters.channels.as2.receipts import verify_mdn
from procurelink.adapters.channels.as2.settings import As2Settings
from procurelink.errors import ConfigurationError
from procurelink.ports.channel import DeliveryReceipt, OutboundPayload

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,120}$")


class As2Channel:
    name = "as2"

    def __init__(
        self,
        partner_id: str,
        settings: As2Settings,
        client: httpx.AsyncClient | None = None,
        pending: PendingMdns | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if settings.mdn_mode == "async" and pending is None:
            raise ConfigurationError(
                f"partner {partner_id}: AS2 async MDNs need a store for pending messages"
            )
        self.credentials: Credentials = load_credentials(partner_id, settings)
        self._org = organization(self.credentials)  # raises ConfigurationError
        self._client = client
        self._pending = pending
        self._clock = clock

    async def send(self, payload: OutboundPayload) -> DeliveryReceipt:
        creds = self.credentials
        settings = creds.settings
        if settings.partner_url is None:
            raise ConfigurationError(f"partner {creds.partner_id}: AS2 channel has no partner_url")
        url = str(settings.partner_url)
        now = self._clock()
        encrypt_to = creds.encryption_cert(now) if settings.encrypt else None
        if settings.encrypt and encrypt_to is None:
            raise errors.no_encryption_certificate(creds.partner_id)
        try:
            outgoing = await asyncio.to_thread(
                build_message,
                creds,
                self._org,
                encrypt_to,
                body=payload.body,
                filename=payload.filename,
                content_type=payload.content_type,
                message_id=_message_id(payload.idempotency_key, settings.message_id_domain),
                now=now,
            )
        except Exception as exc:  # pyas2lib/oscrypto raise plain exceptions too
            raise errors.build_error(creds.partner_id, exc) from exc
        # The receipt, however late, must lead back to the message we stored.
        outgoing = replace(outgoing, sent=replace(outgoing.sent, reference=payload.idempotency_key))
        if settings.mdn_mode == "async":
            assert self._pending is not None  # checked in __init__
            # Before the POST: the partner may answer before the response reaches us.
            await self._pending.add(outgoing.sent)
        response = await self._post(url, outgoing)
        if settings.mdn_mode == "async":
            return self._receipt(url, outgoing, response.status_code, {"mdn": "pending"})
        return await self._settle(url, outgoing, response)

    async def _post(self, url: str, outgoing: OutgoingMessage) -> httpx.Response:
        settings = self.credentials.settings
        timeout = httpx.Timeout(settings.timeout_seconds, connect=settings.connect_timeout_seconds)
        try:
            if self._client is not None:
                response = await self._client.post(
                    url, content=outgoing.body, headers=outgoing.headers, timeout=timeout
                )
            else:
                async with httpx.AsyncClient(verify=settings.verify_tls) as client:
                    response = await client.post(
                        url, content=outgoing.body, headers=outgoing.headers, timeout=timeout
                    )
        except httpx.HTTPError as exc:
            raise errors.transport_error(url, exc) from exc
        if response.status_code >= 300:
            raise errors.status_error(url, response.status_code, response.text)
        return response

    async def _settle(
        self, url: str, outgoing: OutgoingMessage, response: httpx.Response
    ) -> DeliveryReceipt:
        if not response.content:
            raise errors.mdn_missing(url, response.status_code)
        raw = mime_document(response.headers, response.content)
        report = await asyncio.to_thread(
            verify_mdn, self.credentials, raw, outgoing.sent, self._clock()
        )
        if report.problem is not None:
            raise errors.mdn_untrusted(self.credentials.partner_id, report)
        if not report.positive:
            raise errors.mdn_refused(self.credentials.partner_id, report)
        return self._receipt(
            url,
            outgoing,
            response.status_code,
            {
                "mdn": report.disposition,
                "mdn_message_id": report.mdn_message_id,
                "mdn_signed_by": report.signed_by,
            },
        )

    def _receipt(
        self, url: str, outgoing: OutgoingMessage, status: int, extra: Mapping[str, object]
    ) -> DeliveryReceipt:
        sent = outgoing.sent
        details = {
            "status": status,
            "message_id": sent.message_id,
            "mic": sent.mic,
            "mic_algorithm": sent.mic_algorithm,
            **extra,
        }
        return DeliveryReceipt(self.name, url, datetime.now(UTC), details)


def _message_id(idempotency_key: str, domain: str) -> str:
    """A Message-ID stable across retries of one delivery.

    A retry after a lost MDN then carries the same Message-ID, which lets the partner's AS2
    server answer "duplicate-document" (a positive warning) instead of processing it twice.
    """
    left = idempotency_key if _SAFE_ID.match(idempotency_key) else None
    if left is None:
        left = hashlib.sha256(idempotency_key.encode()).hexdigest()[:40]
    return f"procurelink-{left}@{domain}"
