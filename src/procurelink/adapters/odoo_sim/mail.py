"""Chatter: ``message_post`` on mail.thread models (reference sections 2.3 and 5.4), and
activities (``mail.activity``) with Odoo 17's defaults."""

from __future__ import annotations

import html
from typing import Any

from procurelink.adapters.odoo_sim.fields import Field, ModelSpec, Record, char, computed, m2o
from procurelink.adapters.odoo_sim.orm import Env, Hooks

SUBTYPES = {"mail.mt_comment": "Discussions", "mail.mt_note": "Note"}
THREAD_MODELS = ("purchase.order", "stock.picking", "res.partner")


def _subtype(env: Env, xmlid: str) -> int:
    name = SUBTYPES.get(xmlid)
    found = env.search("mail.message.subtype", [("name", "=", name)], limit=1) if name else []
    if not found:
        raise ValueError(f"External ID not found in the system: {xmlid}")
    return found[0]


def message_post(
    env: Env,
    model: str,
    ids: list[int],
    *,
    body: str = "",
    subject: str | None = None,
    message_type: str = "notification",
    subtype_xmlid: str | None = None,
    subtype_id: int | bool = False,
    body_is_html: bool = False,
    author_id: int | None = None,
    **_: Any,
) -> int:
    """Keyword-only like Odoo 17; returns the new mail.message id (``@api.returns``)."""
    if len(ids) != 1:
        raise ValueError(f"Expected singleton: {model}{tuple(ids)!r}")
    env.row(model, ids[0])
    if model == "purchase.order" and env.context.get("mark_rfq_as_sent"):
        order = env.row(model, ids[0])
        if order["state"] == "draft":
            env.write(model, ids, {"state": "sent"})
    # A plain-text body is escaped and wrapped by the html field's sanitizer.
    text = body if body_is_html else f"<p>{html.escape(body)}</p>" if body else ""
    user = env.table("res.users").get(env.uid) or {}
    return env.create(
        "mail.message",
        {
            "model": model,
            "res_id": ids[0],
            "body": text,
            "subject": subject or False,
            "message_type": message_type,
            "subtype_id": subtype_id or _subtype(env, subtype_xmlid or "mail.mt_note"),
            "author_id": author_id or user.get("partner_id") or False,
            "date": env.now,
        },
    )


def _activity_model(env: Env, rec: Record) -> Any:
    model = env.table("ir.model").get(rec.get("res_model_id") or 0)
    return model.get("model") if model else None


def model_id(env: Env, model: str) -> int | None:
    found = env.search("ir.model", [("model", "=", model)], limit=1)
    return found[0] if found else None


def _prepare_activity(env: Env, vals: dict[str, Any]) -> None:
    # default_get: ``default_res_model`` in the context names the document model, and the
    # activity type then defaults to To-Do (``_default_activity_type``); given explicitly
    # in vals, the model does not select a default type (Odoo 17 reads only the context).
    context_model = env.context.get("default_res_model")
    if context_model and not vals.get("res_model_id"):
        vals["res_model_id"] = model_id(env, str(context_model)) or False
        if "activity_type_id" not in vals:
            todo = env.search(
                "ir.model.data",
                [("module", "=", "mail"), ("name", "=", "mail_activity_data_todo")],
                limit=1,
            )
            vals["activity_type_id"] = (
                env.row("ir.model.data", todo[0])["res_id"] if todo else False
            )
    vals.setdefault("user_id", env.uid)
    vals.setdefault("date_deadline", env.now[:10])
    note = vals.get("note")
    if isinstance(note, str) and note and not note.lstrip().startswith("<"):
        vals["note"] = f"<p>{note}</p>"  # the html sanitizer wraps loose text in a paragraph


MODELS = [
    ModelSpec(
        "mail.activity.type",
        "Activity Type",
        {
            "name": char("Name", required=True),
            "res_model": char("Model"),
            "active": Field("boolean", "Active"),
        },
        order="id",
        defaults={"active": True},
    ),
    ModelSpec(
        "mail.activity",
        "Activity",
        {
            "res_model_id": m2o("ir.model", "Document Model", required=True),
            "res_model": computed("char", "Related Document Model", _activity_model),
            "res_id": Field("many2one_reference", "Related Document ID"),
            "activity_type_id": m2o("mail.activity.type", "Activity Type"),
            "summary": char("Summary"),
            "note": Field("html", "Note"),
            "date_deadline": Field("date", "Due Date", required=True),
            "user_id": m2o("res.users", "Assigned to", required=True),
        },
        order="date_deadline ASC, id ASC",
        rec_name="summary",
    ),
]
HOOKS = {"mail.activity": Hooks(prepare_create=_prepare_activity)}
