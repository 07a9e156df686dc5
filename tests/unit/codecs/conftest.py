"""Fixtures of the codec tests (helpers live in x12_support, which tests import)."""

from __future__ import annotations

import pytest
from x12_support import decode_ctx

from procurelink.ports.codec import DecodeContext


@pytest.fixture
def dctx() -> DecodeContext:
    return decode_ctx()
