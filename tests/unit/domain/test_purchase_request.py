"""A batch's fingerprint: the same requests spelt otherwise match, other requests do not."""

from __future__ import annotations

import json
from typing import Any

from procurelink.domain.purchase_request import PurchaseRequestBatch

REQUESTS: list[dict[str, Any]] = [
    {"product_code": "ACME-10042", "quantity": "120", "need_date": "2030-06-01", "plant": "WH2"},
    {"product_code": "ACME-30210", "quantity": "10.5", "need_date": "2030-06-10"},
]


def fingerprint(requests: list[dict[str, Any]], batch_id: str = "b-1") -> str:
    body = {"batch_id": batch_id, "requests": requests}
    return PurchaseRequestBatch.model_validate_json(json.dumps(body)).fingerprint()


def test_spelling_does_not_count() -> None:
    respelt = [
        {"need_date": "2030-06-01", "plant": "WH2", "quantity": "1.20E+2",
         "product_code": "ACME-10042", "vendor_ref": None},
        {"product_code": "ACME-30210", "quantity": "10.50", "need_date": "2030-06-10"},
    ]  # fmt: skip
    assert fingerprint(respelt) == fingerprint(REQUESTS)


def test_what_is_asked_for_does() -> None:
    base = fingerprint(REQUESTS)
    changes: list[list[dict[str, Any]]] = [
        [{**REQUESTS[0], "quantity": "121"}, REQUESTS[1]],
        [{**REQUESTS[0], "plant": None}, REQUESTS[1]],
        [REQUESTS[0], {**REQUESTS[1], "reference": "PR-2"}],
        [REQUESTS[0], {**REQUESTS[1], "need_date": "2030-06-11"}],
        [REQUESTS[1], REQUESTS[0]],
        [REQUESTS[0]],
    ]
    assert len({fingerprint(c) for c in changes} | {base}) == len(changes) + 1
    assert fingerprint(REQUESTS, "b-2") != base
