"""Atheris harness: the EDIFACT tokenizer (bytes -> text -> interchanges -> segments)."""

from __future__ import annotations

import atheris

from procurelink_fuzz import main, own_errors_only

with atheris.instrument_imports(include=["procurelink"]):
    from procurelink.codecs.edifact.charsets import decode
    from procurelink.codecs.edifact.syntax import interchanges


def tokenize_all(data: bytes) -> None:
    for interchange in interchanges(decode(data)):
        for segment in interchange.segments:
            # Components are split lazily: ask for them so that path is fuzzed too.
            segment.values()


one_input = own_errors_only(tokenize_all)

if __name__ == "__main__":
    main(one_input)
