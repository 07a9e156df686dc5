"""Chatter: ``message_post`` on mail.thread models (reference sections 2.3 and 5.4)."""

from __future__ import annotations

import html
from typing import Any

from procurelink.adapters.odoo_sim.orm import Env

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
