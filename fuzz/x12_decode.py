"""Atheris harness: X12 full decode, validation and functional acks of arbitrary bytes."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import atheris

from procurelink_fuzz import main, own_errors_only

with atheris.instrument_imports(include=["procurelink"]):
    from procurelink.codecs.x12 import X12Codec
    from procurelink.ports.codec import DecodeContext, EncodeContext

codec = X12Codec()
OPTIONS = {"currency": "EUR"}
DECODE = DecodeContext(
    partner_id="steelworks", correlation_id="fuzz", message_id="fuzz", options=OPTIONS
)
ENCODE = EncodeContext(
    partner_id="steelworks",
    correlation_id="fuzz",
    now=datetime(2024, 1, 1),
    interchange_control_number=1,
    group_control_number=1,
    options={
        "sender_qualifier": "ZZ",
        "sender_id": "ACMEMFG",
        "receiver_qualifier": "ZZ",
        "receiver_id": "STEELWORKS",
    },
)


# A partner mapping (profile ``mapping``) rewrites segments before the mappers read them.
MAPPED = dataclasses.replace(
    DECODE,
    options={
        **OPTIONS,
        "mapping": {"delivery_date_qualifier": "010", "item_ids": ["VP", "IN", "UP"]},
    },
)


def decode(data: bytes) -> None:
    codec.decode(data, DECODE)


def decode_mapped(data: bytes) -> None:
    codec.decode(data, MAPPED)


def validate(data: bytes) -> None:
    codec.validate(data, OPTIONS)


def acks(data: bytes) -> None:
    codec.generate_functional_acks(data, ENCODE)


# Each step on its own: one raising an own error must not hide a crash in the next.
_steps = [own_errors_only(step) for step in (decode, decode_mapped, validate, acks)]


def one_input(data: bytes) -> None:
    for step in _steps:
        step(data)


if __name__ == "__main__":
    main(one_input)
