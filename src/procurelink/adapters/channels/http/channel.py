"""POST a document as the body, HMAC-signed, with an Idempotency-Key stable across retries."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from procurelink.adapters.channels.http.settings import HttpWebhookSettings
from procurelink.errors import PermanentError, TransientError
from procurelink.ports.channel import DeliveryReceipt, OutboundPayload
from procurelink.security.webhooks import HmacScheme, standard_headers

# Statuses after which the same request can succeed later.
_RETRYABLE = {408, 409, 425, 429}


class HttpWebhookChannel:
    name = "http-webhook"

    def __init__(
        self,
        partner_id: str,
        settings: HttpWebhookSettings,
        secret: str | None,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self._partner_id = partner_id
        self._settings = settings
        self._secret = secret
        self._client = client

    async def send(self, payload: OutboundPayload) -> DeliveryReceipt:
        url = str(self._settings.url)
        headers = {
            "Content-Type": payload.content_type,
            "Idempotency-Key": payload.idempotency_key,
            "X-Procurelink-Correlation-Id": payload.correlation_id,
            "X-Procurelink-Filename": payload.filename,
        }
        if self._secret:
            headers.update(self._signature(payload))
        try:
            if self._client is not None:
                response = await self._client.post(
                    url,
                    content=payload.body,
                    headers=headers,
                    timeout=self._settings.timeout_seconds,
                )
            else:
                async with httpx.AsyncClient(verify=self._settings.verify_tls) as client:
                    response = await client.post(
                        url,
                        content=payload.body,
                        headers=headers,
                        timeout=self._settings.timeout_seconds,
                    )
        except httpx.TimeoutException as exc:
            raise TransientError(f"POST {url} timed out") from exc
        except httpx.TransportError as exc:
            raise TransientError(f"POST {url} failed: {type(exc).__name__}") from exc
        status = response.status_code
        if status >= 500 or status in _RETRYABLE:
            raise TransientError(f"POST {url} answered {status}", status=status)
        if status >= 400:
            raise PermanentError(
                f"POST {url} answered {status}: {response.text[:200]}", status=status
            )
        return DeliveryReceipt(self.name, url, datetime.now(UTC), {"status": status})

    def _signature(self, payload: OutboundPayload) -> dict[str, str]:
        assert self._secret is not None
        now = datetime.now(UTC)
        s = self._settings
        if s.signature == "hmac-sha256":
            scheme = HmacScheme(
                s.hmac_header, s.hmac_prefix, s.hmac_encoding, s.hmac_timestamp_header
            )
            return scheme.headers(self._secret, payload.body, now)
        # The idempotency key is the webhook id: stable across retries, so the receiver's
        # de-duplication by webhook-id works.
        return standard_headers(self._secret, payload.idempotency_key, payload.body, now)
