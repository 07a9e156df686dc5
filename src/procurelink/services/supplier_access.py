"""Who a supplier's API call comes from: API keys and OAuth2 client-credential tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from procurelink.errors import AuthenticationError, UnknownPartner
from procurelink.ports.records import ApiKey
from procurelink.security import api_keys, tokens
from procurelink.services.context import Deps

TOKEN_TTL = timedelta(hours=1)
# One message for every refusal, so a caller cannot tell a wrong key id from a wrong secret.
REFUSED = "invalid or revoked credentials"


@dataclass(frozen=True, slots=True)
class IssuedToken:
    access_token: str
    expires_in: int


class SupplierAccess:
    def __init__(self, deps: Deps, signing_key: str) -> None:
        self._deps = deps
        self._signing_key = signing_key

    async def create_key(self, partner_id: str, label: str | None = None) -> tuple[ApiKey, str]:
        """A new key for ``partner_id``; the returned token is shown once and never stored."""
        if self._deps.partners.get(partner_id) is None:
            raise UnknownPartner(f"no partner profile {partner_id!r}", partner_id=partner_id)
        key_id, token, digest = api_keys.new_api_key()
        key = ApiKey(key_id, partner_id, digest, self._deps.clock.now(), label=label)
        async with self._deps.store.unit_of_work() as uow:
            await uow.api_keys.add(key)
            await uow.commit()
        return key, token

    async def revoke(self, key_id: str) -> bool:
        async with self._deps.store.unit_of_work() as uow:
            done = await uow.api_keys.revoke(key_id, self._deps.clock.now())
            await uow.commit()
        return done

    async def keys(self, partner_id: str | None = None) -> list[ApiKey]:
        async with self._deps.store.unit_of_work() as uow:
            return await uow.api_keys.list(partner_id)

    async def check_key(self, key_id: str, secret: str) -> str:
        """The partner id an API key belongs to, or AuthenticationError."""
        async with self._deps.store.unit_of_work() as uow:
            key = await uow.api_keys.get(key_id)
        if key is None or not key.active or not api_keys.secret_matches(secret, key.secret_sha256):
            raise AuthenticationError(REFUSED)
        profile = self._deps.partners.get(key.partner_id)
        if profile is None or not profile.active:
            raise AuthenticationError(REFUSED)
        return key.partner_id

    async def authenticate(self, bearer: str) -> str:
        """Partner id for a bearer credential: an API key or an access token."""
        parts = api_keys.split_token(bearer)
        if parts is not None:
            return await self.check_key(*parts)
        try:
            claims = tokens.verify(bearer, self._signing_key)
        except tokens.TokenError as exc:
            raise AuthenticationError(REFUSED) from exc
        # A token dies with its key: revocation takes effect before the token expires.
        async with self._deps.store.unit_of_work() as uow:
            key = await uow.api_keys.get(claims.key_id)
        if key is None or not key.active or key.partner_id != claims.partner_id:
            raise AuthenticationError(REFUSED)
        return claims.partner_id

    async def issue_token(self, client_id: str, client_secret: str) -> IssuedToken:
        """OAuth2 client credentials: client id = key id, client secret = the key's secret."""
        partner_id = await self.check_key(client_id, client_secret)
        token = tokens.issue(
            partner_id, client_id, self._signing_key, self._deps.clock.now(), TOKEN_TTL
        )
        return IssuedToken(token, int(TOKEN_TTL.total_seconds()))
