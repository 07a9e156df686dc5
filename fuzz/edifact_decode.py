"""Atheris harness: EDIFACT full decode, validation and CONTRLs of arbitrary bytes."""

from __future__ import annotations

import dataclasses

import atheris

from procurelink_fuzz import main, own_errors_only

with atheris.instrument_imports(include=["procurelink"]):
    from procurelink.codecs.edifact import EdifactCodec
    from procurelink.codecs.edifact.validation import acknowledgments, validate
    from procurelink.ports.codec import DecodeContext

codec = EdifactCodec()
CTX = DecodeContext(partner_id="steelworks", correlation_id="fuzz", message_id="fuzz", options={})


# A partner mapping (profile ``mapping``) rewrites segments before the mappers read them.
MAPPED = dataclasses.replace(
    CTX, options={"mapping": {"delivery_date_qualifier": "64", "item_ids": ["SA", "BP"]}}
)


def decode(data: bytes) -> None:
    codec.decode(data, CTX)


def decode_mapped(data: bytes) -> None:
    codec.decode(data, MAPPED)


def report(data: bytes) -> None:
    validate(data, CTX)


def acks(data: bytes) -> None:
    acknowledgments(data, CTX, only_requested=False)


# Each step on its own: one raising an own error must not hide a crash in the next.
_steps = [own_errors_only(step) for step in (decode, decode_mapped, report, acks)]


def one_input(data: bytes) -> None:
    for step in _steps:
        step(data)


if __name__ == "__main__":
    main(one_input)
