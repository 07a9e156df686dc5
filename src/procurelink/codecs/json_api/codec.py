"""JsonCodec: canonical documents as UTF-8 JSON, the codec of partners with a REST API.

Decode accepts one JSON object or a list of objects, each with ``document_type``. The
decoding context's ``partner_id`` always replaces the document's: a supplier must never
speak for another. ``correlation_id`` is kept from the document when present, else taken
from the context; a missing ``document_id`` becomes ``json:<message_id>:<index>``.
No options are read.
"""

from __future__ import annotations

import json
import logging
import re
from decimal import Decimal
from typing import Any, NoReturn

from pydantic import ValidationError

from procurelink.domain.catalog import DOCUMENT_TYPES, parse_document
from procurelink.domain.document import Document
from procurelink.errors import EmptyMessage, InvalidDocument, MalformedMessage
from procurelink.ports.codec import DecodeContext, EncodeContext, Encoded
from procurelink.text_encoding import decode_declared

log = logging.getLogger(__name__)

CONTENT_TYPE = "application/json"
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]")


class JsonCodec:
    """Every canonical document type, both ways."""

    name = "json"
    encodes = frozenset(DOCUMENT_TYPES)
    decodes = frozenset(DOCUMENT_TYPES)

    def encode(self, document: Document, ctx: EncodeContext) -> Encoded:
        document_type = str(getattr(document, "document_type", ""))
        if document_type not in DOCUMENT_TYPES:
            raise InvalidDocument("not a canonical document", document_type=document_type)
        filename = f"{document_type}_{_UNSAFE_FILENAME.sub('_', document.document_id)}.json"
        return Encoded(
            body=document.model_dump_json().encode("utf-8"),
            filename=filename,
            content_type=CONTENT_TYPE,
        )

    def decode(self, data: bytes, ctx: DecodeContext) -> list[Document]:
        payload = _load(data)
        items = payload if isinstance(payload, list) else [payload]
        if not items:
            raise EmptyMessage("the JSON list holds no documents")
        return [_document(item, index, ctx) for index, item in enumerate(items)]


def _load(data: bytes) -> Any:
    # JSON is UTF-8 (RFC 8259); a partner's UTF-16 or Windows-1252 export is read as what it
    # is rather than refused, and bytes no encoding fits are refused as UnknownEncoding.
    decoded = decode_declared(data, "utf-8", "JSON message")
    if decoded.detected:
        log.warning("JSON message is not UTF-8; read as %s", decoded.encoding)
    text = decoded.text.removeprefix("\ufeff")
    if not text.strip():
        raise EmptyMessage()
    try:
        # Decimals stay decimal: a float must never touch a quantity or price.
        return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise MalformedMessage(
            f"invalid JSON: {exc.msg}", line=exc.lineno, column=exc.colno, offset=exc.pos
        ) from None
    except (ValueError, RecursionError) as exc:
        # Over-long integers and absurd nesting: refuse like any other malformed input.
        raise MalformedMessage(f"invalid JSON: {exc}"[:200]) from None


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a number")


def _document(item: Any, index: int, ctx: DecodeContext) -> Document:
    if not isinstance(item, dict):
        raise InvalidDocument("a JSON document must be an object", index=index)
    document_type = item.get("document_type")
    if not isinstance(document_type, str) or document_type not in DOCUMENT_TYPES:
        raise InvalidDocument(
            "unknown or missing document_type",
            index=index,
            found=str(document_type)[:40],
            expected=sorted(DOCUMENT_TYPES),
        )
    fields = {
        **item,
        "partner_id": ctx.partner_id,
        "correlation_id": item.get("correlation_id") or ctx.correlation_id,
        "document_id": item.get("document_id") or f"json:{ctx.message_id}:{index}",
    }
    try:
        return parse_document(fields)
    except ValidationError as exc:
        errors = [
            {"loc": ".".join(str(p) for p in err["loc"]), "msg": err["msg"], "type": err["type"]}
            for err in exc.errors(include_url=False, include_input=False)
        ]
        raise InvalidDocument(
            "document does not match the canonical schema", index=index, errors=errors
        ) from None
