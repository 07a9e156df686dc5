"""Provisioning Odoo's automation rules that tell procurelink about changes (17+).

Each ``HookSpec`` becomes one ``base.automation`` (trigger ``on_create_or_write`` on a few
fields, a ``filter_domain``) with one webhook ``ir.actions.server`` posting to
``<base_url>/odoo/hooks/<key>?secret=<secret>`` (reference sections 5.1 and 5.2).

Idempotent: a rule is found by its stable name (archived ones too) and only written when it
differs from the wanted one, so every start may call ``ensure_change_hooks``. Odoo 16 has no
webhook action: nothing is provisioned and the write_date poller is the only source.

The webhook is a hint: 17/18 post it inside the transaction, before commit, with a 1 s
timeout and no retry. The receiver reads the record back later; the poller reconciles.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.ports.erp import HookInfo

log = logging.getLogger("procurelink.odoo.hooks")

WEBHOOK_FROM = 17  # PR 138804: the 'webhook' server action exists from 17.0 on
NAME_PREFIX = "procurelink: "
NO_ARCHIVE_FILTER = {"active_test": False}


@dataclass(frozen=True, slots=True)
class HookSpec:
    key: str  # the URL path segment and the secret's name
    model: str
    title: str
    trigger_fields: tuple[str, ...]
    filter_domain: str  # Odoo evaluates it as Python: a literal domain, as text
    payload_fields: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{NAME_PREFIX}{self.title}"


HOOKS: tuple[HookSpec, ...] = (
    HookSpec(
        key="purchase-order",
        model="purchase.order",
        title="purchase.order changes",
        # date_planned is stored-computed from the lines: a line's new date re-triggers it.
        trigger_fields=("state", "date_planned", "date_order"),
        # Drafts and RFQs are not procurelink's business until confirmed.
        filter_domain="[('state', 'in', ['purchase', 'done', 'cancel'])]",
        payload_fields=("id", "write_date", "state"),
    ),
    HookSpec(
        key="receipt",
        model="stock.picking",
        title="stock.picking receipt state",
        trigger_fields=("state",),
        filter_domain="[('picking_type_code', '=', 'incoming')]",
        payload_fields=("id", "write_date", "state"),
    ),
    HookSpec(
        key="vendor-bill",
        model="account.move",
        title="vendor bill state",
        trigger_fields=("state",),
        filter_domain="[('move_type', 'in', ['in_invoice', 'in_refund'])]",
        payload_fields=("id", "write_date", "state"),
    ),
)
HOOK_KEYS: tuple[str, ...] = tuple(h.key for h in HOOKS)


def hook_url(base_url: str, key: str, secret: str) -> str:
    return f"{base_url.rstrip('/')}/odoo/hooks/{key}?secret={quote(secret, safe='')}"


class ChangeHookProvisioner:
    """Creates or updates the rules of ``HOOKS`` through one ``OdooRpc``."""

    def __init__(self, rpc: OdooRpc, hooks: Sequence[HookSpec] = HOOKS) -> None:
        self._rpc = rpc
        self._hooks = tuple(hooks)
        self._warned_unsupported = False

    async def ensure(self, base_url: str, secrets: Mapping[str, str]) -> list[HookInfo]:
        major = (await self._rpc.server_version()).major
        if major < WEBHOOK_FROM:
            if not self._warned_unsupported:  # once per process, not on every start retry
                log.info("Odoo %s has no webhook action: change hooks off, polling only", major)
                self._warned_unsupported = True
            return []
        wanted = [h for h in self._hooks if h.key in secrets]
        model_ids = await self._model_ids(sorted({h.model for h in wanted}))
        infos: list[HookInfo] = []
        for hook in wanted:
            model_id = model_ids.get(hook.model)
            if model_id is None:  # e.g. account not installed: that rule cannot exist
                log.info("Odoo has no model %s: hook %s skipped", hook.model, hook.key)
                continue
            infos.append(
                await self._ensure_one(
                    hook, model_id, hook_url(base_url, hook.key, secrets[hook.key])
                )
            )
        return infos

    async def _model_ids(self, models: list[str]) -> dict[str, int]:
        rows = await self._rpc.execute_kw(
            "ir.model", "search_read", [[("model", "in", models)]], {"fields": ["model"]}
        )
        return {r["model"]: r["id"] for r in rows}

    async def _field_ids(self, model: str, names: Sequence[str]) -> list[int]:
        rows = await self._rpc.execute_kw(
            "ir.model.fields",
            "search_read",
            [[("model", "=", model), ("name", "in", list(names))]],
            {"fields": ["name"]},
        )
        found = {r["name"]: r["id"] for r in rows}
        return sorted(found[n] for n in names if n in found)

    async def _ensure_one(self, hook: HookSpec, model_id: int, url: str) -> HookInfo:
        trigger_ids = await self._field_ids(hook.model, hook.trigger_fields)
        payload_ids = await self._field_ids(hook.model, hook.payload_fields)
        rule_vals: dict[str, Any] = {
            "name": hook.name,
            "model_id": model_id,
            "trigger": "on_create_or_write",
            "trigger_field_ids": [[6, 0, trigger_ids]],
            "filter_domain": hook.filter_domain,
            "active": True,
        }
        action_vals: dict[str, Any] = {
            "name": hook.name,
            "model_id": model_id,  # must equal the rule's model
            "state": "webhook",
            "usage": "base_automation",
            "webhook_url": url,
            "webhook_field_ids": [[6, 0, payload_ids]],
        }
        existing = await self._rpc.execute_kw(
            "base.automation",
            "search_read",
            [[("name", "=", hook.name), ("model_id", "=", model_id)]],
            {
                "fields": ["trigger", "trigger_field_ids", "filter_domain", "active"],
                "context": NO_ARCHIVE_FILTER,
                "order": "id",
            },
        )
        if not existing:
            rule_id = await self._rpc.execute_kw(
                "base.automation",
                "create",
                [{**rule_vals, "action_server_ids": [[0, 0, action_vals]]}],
            )
            log.info("created Odoo automation rule %r (id %s)", hook.name, rule_id)
            return HookInfo(hook.key, hook.model, int(rule_id), created=True, updated=False)
        rule = existing[0]
        updated = False
        if (
            rule["trigger"] != rule_vals["trigger"]
            or sorted(rule["trigger_field_ids"]) != trigger_ids
            or rule["filter_domain"] != hook.filter_domain
            or not rule["active"]
        ):
            await self._rpc.execute_kw(
                "base.automation",
                "write",
                [[rule["id"]], rule_vals],
                {"context": NO_ARCHIVE_FILTER},
            )
            updated = True
        updated = await self._ensure_action(rule["id"], action_vals) or updated
        if updated:
            log.info("updated Odoo automation rule %r (id %s)", hook.name, rule["id"])
        return HookInfo(hook.key, hook.model, rule["id"], created=False, updated=updated)

    async def _ensure_action(self, rule_id: int, vals: dict[str, Any]) -> bool:
        actions = await self._rpc.execute_kw(
            "ir.actions.server",
            "search_read",
            [[("base_automation_id", "=", rule_id)]],
            {"fields": ["state", "webhook_url", "webhook_field_ids", "model_id"], "order": "id"},
        )
        webhooks = [a for a in actions if a["state"] == "webhook"]
        if not webhooks:
            await self._rpc.execute_kw(
                "base.automation", "write", [[rule_id], {"action_server_ids": [[0, 0, vals]]}]
            )
            return True
        action = webhooks[0]
        wanted_fields = vals["webhook_field_ids"][0][2]
        if (
            action["webhook_url"] == vals["webhook_url"]
            and sorted(action["webhook_field_ids"]) == wanted_fields
        ):
            return False
        # The URL carries the secret: a rotated secret or moved base URL lands here.
        await self._rpc.execute_kw(
            "ir.actions.server",
            "write",
            [
                [action["id"]],
                {
                    "webhook_url": vals["webhook_url"],
                    "webhook_field_ids": vals["webhook_field_ids"],
                },
            ],
        )
        return True
