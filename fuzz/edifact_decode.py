"""Atheris harness: EDIFACT full decode, validation and CONTRLs of arbitrary bytes."""

from __future__ import annotations

import atheris

from procurelink_fuzz import main, own_errors_only

with atheris.instrument_imports(include=["procurelink"]):
    from procurelink.codecs.edifact import EdifactCodec
    from procurelink.codecs.edifact.validation import acknowledgments, validate
    from procurelink.ports.codec import DecodeContext

codec = EdifactCodec()
CTX = DecodeContext(partner_id="steelworks", correlation_id="fuzz", message_id="fuzz", options={})


def decode(data: bytes) -> None:
    codec.decode(data, CTX)


def report(data: bytes) -> None:
    validate(data, CTX)


def acks(data: bytes) -> None:
    acknowledgments(data, CTX, only_requested=False)


# Each step on its own: one raising an own error must not hide a crash in the next.
_steps = [own_errors_only(step) for step in (decode, report, acks)]


def one_input(data: bytes) -> None:
    for step in _steps:
        step(data)


if __name__ == "__main__":
    main(one_input)
