"""What every Odoo transport offers, and the HTTP round trip they share.

A transport speaks one wire protocol (XML-RPC, JSON-RPC, JSON-2) to one database as one
user. ``rpc.OdooRpc`` picks one, shares the instance limits and normalises results; the
transports only move calls and translate failures (``errors``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from procurelink.adapters.odoo.errors import connection_failure


@dataclass(frozen=True, slots=True)
class ServerVersion:
    """``server_version_info`` of ``common.version()`` (or ``/web/version`` on 19)."""

    major: int
    minor: int
    text: str

    @classmethod
    def parse(cls, info: Mapping[str, Any]) -> ServerVersion:
        parts = info.get("server_version_info") or info.get("version_info") or [0, 0]
        text = str(info.get("server_version") or info.get("version") or "")
        # SaaS builds say e.g. "saas~18.3": the numbers in version_info are what counts.
        return cls(major=int(parts[0]), minor=int(parts[1]), text=text)


class Transport(Protocol):
    """One wire protocol. ``execute_kw`` takes Odoo's positional ``args`` convention."""

    name: str

    async def version(self) -> dict[str, Any]:
        """The server's version, without logging in."""
        ...

    async def authenticate(self) -> int:
        """The uid; ``AuthenticationError`` when Odoo refuses the credentials."""
        ...

    async def execute_kw(
        self, model: str, method: str, args: list[Any], kwargs: dict[str, Any]
    ) -> Any: ...


async def send(
    client: httpx.AsyncClient, verb: str, path: str, where: Mapping[str, Any], **kw: Any
) -> httpx.Response:
    """One HTTP request; connection failures and timeouts become ``ErpUnavailable``."""
    try:
        return await client.request(verb, path, **kw)
    except httpx.HTTPError as exc:
        raise connection_failure(exc, **where) from exc
