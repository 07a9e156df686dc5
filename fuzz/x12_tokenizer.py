"""Atheris harness: the X12 tokenizer (bytes -> text -> interchanges -> segments)."""

from __future__ import annotations

import atheris

from procurelink_fuzz import main, own_errors_only

with atheris.instrument_imports(include=["procurelink"]):
    from procurelink.codecs.x12.reading import decode_text
    from procurelink.codecs.x12.syntax import raise_error, tokenize


def tokenize_all(data: bytes) -> None:
    for interchange in tokenize(decode_text(data, {}), raise_error):
        for _segment in interchange.segments:
            pass


one_input = own_errors_only(tokenize_all)

if __name__ == "__main__":
    main(one_input)
