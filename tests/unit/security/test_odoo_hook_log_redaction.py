"""The Odoo hook secret travels in the URL: access-log lines must not carry it."""

from __future__ import annotations

import logging

from procurelink.entrypoints.api.odoo_hooks import _RedactSecrets


def test_access_log_line_hides_the_secret() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "POST", "/odoo/hooks/receipt?secret=abc123&x=1", "1.1", 200),
        None,
    )
    assert _RedactSecrets().filter(record)
    line = record.getMessage()
    assert "abc123" not in line
    assert "/odoo/hooks/receipt?secret=***&x=1" in line
