"""Automation rules with webhook server actions (Odoo 17+, reference sections 5.1 and 5.2).

Models: ``ir.model`` and ``ir.model.fields`` (seeded from the simulator's own schema, so a
client can look up model and field ids as on a real database), ``base.automation`` and
``ir.actions.server`` (only ``state='webhook'`` does something here).

Triggering: Odoo's write triggers also fire when a stored computed field is recomputed
(a receipt's ``state`` follows its moves). The simulator's business methods often change
rows directly instead of going through ``Env.write``, so rules are evaluated by comparing
the trigger fields of the rule's model before and after each writing RPC call
(``watch`` / ``due``): whatever path changed the value, the rule sees it.

Delivery imitates 17/18: one POST per record and action, JSON body with ``_model``, ``_id``,
``_action`` and the selected fields read with ``load=None``; 1 s timeout, no retry, errors
ignored, sent from a background thread so the RPC answer never waits on the receiver.
"""

from __future__ import annotations

import ast
import contextlib
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

from procurelink.adapters.odoo_sim import domain as domains
from procurelink.adapters.odoo_sim.fields import Field, ModelSpec, char, m2o, o2m
from procurelink.adapters.odoo_sim.orm import MAGIC

if TYPE_CHECKING:
    from procurelink.adapters.odoo_sim.orm import Env

WEBHOOK_TIMEOUT = 1.0  # Odoo 17: requests.post(..., timeout=1)
WRITE_TRIGGERS = frozenset({"on_create_or_write", "on_write", "on_create", "on_state_set"})
TRIGGERS = (
    ("on_create_or_write", "On save"),
    ("on_create", "On creation"),
    ("on_write", "On update"),
    ("on_state_set", "State is set to"),
    ("on_unlink", "On deletion"),
    ("on_change", "On UI change"),
    ("on_time", "Based on date field"),
    ("on_webhook", "On webhook"),
)
ACTION_STATES = (
    ("code", "Execute Code"),
    ("object_write", "Update Record"),
    ("webhook", "Send Webhook Notification"),
)


def _m2m(relation: str, string: str) -> Field:
    return Field("many2many", string, relation=relation)


MODELS = [
    ModelSpec("ir.model", "Models", {"name": char("Model Description"), "model": char("Model")}),
    ModelSpec(
        "ir.model.fields",
        "Fields",
        {
            "name": char("Field Name", required=True),
            "model": char("Model Name"),
            "model_id": m2o("ir.model", "Model"),
            "ttype": char("Field Type"),
            "field_description": char("Field Label"),
        },
    ),
    ModelSpec(
        "base.automation",
        "Automation Rule",
        {
            "name": char("Automation Rule Name", required=True),
            "model_id": m2o("ir.model", "Model", required=True),
            "trigger": Field("selection", "Trigger", selection=TRIGGERS, required=True),
            "trigger_field_ids": _m2m("ir.model.fields", "Trigger Fields"),
            "filter_domain": char("Apply on"),
            "filter_pre_domain": char("Before Update Domain"),
            "action_server_ids": o2m("ir.actions.server", "base_automation_id", "Actions"),
            "active": Field("boolean", "Active"),
        },
        defaults={"active": True},
    ),
    ModelSpec(
        "ir.actions.server",
        "Server Actions",
        {
            "name": char("Action Name", required=True),
            "model_id": m2o("ir.model", "Model", required=True),
            "state": Field("selection", "Type", selection=ACTION_STATES, required=True),
            "usage": char("Usage"),
            "base_automation_id": m2o("base.automation", "Automation Rule"),
            "webhook_url": char("Webhook URL"),
            "webhook_field_ids": _m2m("ir.model.fields", "Webhook Fields"),
        },
        defaults={"state": "code", "usage": "ir_actions_server"},
    ),
]


def seed_ir_models(env: Env) -> None:
    """One ``ir.model`` per simulated model and one ``ir.model.fields`` per field."""
    for name, spec in sorted(env.store.models.items()):
        model_id = env.create("ir.model", {"name": spec.description, "model": name})
        for fname, fspec in {**MAGIC, **spec.fields}.items():
            env.create(
                "ir.model.fields",
                {
                    "name": fname,
                    "model": name,
                    "model_id": model_id,
                    "ttype": fspec.type,
                    "field_description": fspec.string,
                },
            )


@dataclass(frozen=True, slots=True)
class _Rule:
    id: int
    name: str
    model: str
    trigger_fields: tuple[str, ...]
    domain: list[Any]
    actions: tuple[tuple[int, str, str, tuple[str, ...]], ...]  # id, name, url, fields


@dataclass(frozen=True, slots=True)
class Watch:
    rules: tuple[_Rule, ...]
    before: dict[str, dict[int, tuple[Any, ...]]]  # per model: record id -> watched values


@dataclass(frozen=True, slots=True)
class WebhookCall:
    url: str
    payload: dict[str, Any]


def watch(env: Env) -> Watch | None:
    """The watched values of every model with an active write-triggered rule (None: none)."""
    rules = _active_rules(env)
    if not rules:
        return None
    return Watch(rules, {m: _values(env, m, rules) for m in {r.model for r in rules}})


def due(env: Env, watched: Watch | None) -> list[WebhookCall]:
    """The webhook calls the rules make for what changed since ``watch``."""
    if watched is None:
        return []
    calls: list[WebhookCall] = []
    for model, before in watched.before.items():
        after = _values(env, model, watched.rules)
        for rule in (r for r in watched.rules if r.model == model):
            index = _field_index(env, model, watched.rules, rule)
            for rid, values in after.items():
                old = before.get(rid)
                changed = old is None or any(old[i] != values[i] for i in index)
                if not changed:
                    continue
                record = env.table(model)[rid]
                if rule.domain and not domains.matches(env, model, record, rule.domain):
                    continue
                calls.extend(_calls(env, rule, rid))
    return calls


def fire(calls: Sequence[WebhookCall]) -> None:
    """Fire and forget, as Odoo: one short-lived thread, 1 s timeout, errors swallowed."""
    if calls:
        threading.Thread(target=_send, args=(list(calls),), daemon=True).start()


def _send(calls: list[WebhookCall]) -> None:
    with httpx.Client(timeout=WEBHOOK_TIMEOUT) as client:
        for call in calls:
            # Odoo only logs a failure: a lost call is the poller's job to catch up.
            with contextlib.suppress(httpx.HTTPError):
                client.post(
                    call.url,
                    content=json.dumps(call.payload, sort_keys=True, default=str),
                    headers={"Content-Type": "application/json"},
                )


def _active_rules(env: Env) -> tuple[_Rule, ...]:
    rules: list[_Rule] = []
    for row in env.table("base.automation").values():
        if not row.get("active") or row.get("trigger") not in WRITE_TRIGGERS:
            continue
        model = env.row("ir.model", row["model_id"])["model"]
        field_names = tuple(
            env.row("ir.model.fields", f)["name"] for f in row.get("trigger_field_ids") or []
        )
        actions = []
        for aid in env.search("ir.actions.server", [("base_automation_id", "=", row["id"])]):
            action = env.row("ir.actions.server", aid)
            if action.get("state") == "webhook" and action.get("webhook_url"):
                fields = tuple(
                    env.row("ir.model.fields", f)["name"]
                    for f in action.get("webhook_field_ids") or []
                )
                actions.append((aid, str(action["name"]), str(action["webhook_url"]), fields))
        # Odoo evaluates filter_domain with safe_eval; literal domains are all the sim reads.
        domain = ast.literal_eval(row["filter_domain"]) if row.get("filter_domain") else []
        rules.append(
            _Rule(
                row["id"],
                row["name"],
                model,
                field_names or ("write_date",),
                domain,
                tuple(actions),
            )
        )
    return tuple(rules)


def _watched_fields(model: str, rules: Sequence[_Rule]) -> list[str]:
    return sorted({f for r in rules if r.model == model for f in r.trigger_fields})


def _field_index(env: Env, model: str, rules: Sequence[_Rule], rule: _Rule) -> list[int]:
    names = _watched_fields(model, rules)
    return [names.index(f) for f in rule.trigger_fields]


def _values(env: Env, model: str, rules: Sequence[_Rule]) -> dict[int, tuple[Any, ...]]:
    names = _watched_fields(model, rules)
    return {
        rid: tuple(env.value(model, rec, n) for n in names) for rid, rec in env.table(model).items()
    }


def _calls(env: Env, rule: _Rule, rid: int) -> list[WebhookCall]:
    out = []
    for aid, name, url, fields in rule.actions:
        payload: dict[str, Any] = {"_model": rule.model, "_id": rid, "_action": f"{name}(#{aid})"}
        if fields:
            payload.update(env.read(rule.model, [rid], list(fields), load=None)[0])
        out.append(WebhookCall(url, payload))
    return out
