"""Canonical documents as stored, and their business identity."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from procurelink.domain.document import Document
from procurelink.ports.records import StoredDocument
from procurelink.services.context import Deps


def stored_document(
    deps: Deps, document: Document, message_id: str | None, key: str | None
) -> StoredDocument:
    return StoredDocument(
        id=document.document_id,
        document_type=document.document_type,
        partner_id=document.partner_id,
        correlation_id=document.correlation_id,
        body=json.loads(document.model_dump_json()),
        created_at=deps.clock.now(),
        message_id=message_id,
        business_key=key,
        schema_version=document.schema_version,
    )


def business_key(document: Document) -> str:
    """Identity of a business document across channels and envelopes.

    Envelope data (control numbers, document ids, correlation) is left out, so the same
    acknowledgment re-sent in a new interchange, by e-mail or via the portal is recognised.
    """
    content: dict[str, Any] = json.loads(
        document.model_dump_json(exclude={"document_id", "correlation_id", "schema_version"})
    )
    digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:32]
    return f"{content.get('document_type')}:{content.get('order_number', '')}:{digest}"
