"""What every atheris harness here shares: the rule that only procurelink errors may escape.

A harness module defines ``one_input(data: bytes) -> None`` and calls ``main(one_input)``.
libFuzzer options (``-runs``, ``-seed``, ``-max_total_time``, corpus directories) pass through
on the command line; the seed corpus is ``tests/fixtures/edi`` (copies of shared/samples/edi
plus the project's own extra samples), see ``seed_files``.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path

import atheris

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "tests" / "fixtures" / "edi"

with atheris.instrument_imports(include=["procurelink"]):
    from procurelink.errors import ProcurelinkError


def seed_files(syntax: str) -> list[Path]:
    """The sample files of ``syntax`` ("x12" or "edifact") that start a corpus."""
    pattern = "*.x12" if syntax == "x12" else "*.edi"
    return sorted((SEEDS / syntax).glob(pattern))


def own_errors_only(target: Callable[[bytes], object]) -> Callable[[bytes], None]:
    """``target`` run once per input; a ProcurelinkError is an answer, anything else a crash."""

    def one_input(data: bytes) -> None:
        with contextlib.suppress(ProcurelinkError):
            target(data)

    return one_input


def main(one_input: Callable[[bytes], None]) -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
