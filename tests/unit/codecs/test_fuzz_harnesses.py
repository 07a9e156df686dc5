"""The atheris harnesses of fuzz/ still run: a short, seeded libFuzzer run of each (CI).

Longer runs are ``make fuzz``; this only proves that each harness starts, fuzzes from the
sample corpus and finds no crash in a fixed number of inputs with a fixed seed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parents[3] / "fuzz" / "run.py"
# Inputs per harness: a few seconds each on a shared CI core (decoding costs ~5 ms a run).
RUNS = {"x12_tokenizer": 2000, "edifact_tokenizer": 2000, "x12_decode": 250, "edifact_decode": 250}


@pytest.mark.parametrize("harness", sorted(RUNS))
def test_harness_fuzzes_without_a_crash(harness: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(RUN),
            "--runs",
            str(RUNS[harness]),
            "--seed",
            "1",
            "--corpus",
            str(tmp_path / "corpus"),
            "--crashes",
            str(tmp_path / "crashes"),
            harness,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert f"Done {RUNS[harness]} runs" in output
    # The samples were read as the seed corpus, and nothing was written as a crash.
    loaded = re.search(r"INITED .* corp: (\d+)/", output)
    assert loaded is not None and int(loaded.group(1)) >= 5, output[-2000:]
    assert not any((tmp_path / "crashes").iterdir())


_PROBE = """
import sys
sys.path.insert(0, {fuzz!r})
from procurelink_fuzz import main, own_errors_only
from procurelink.errors import InvalidDocument

def target(data: bytes) -> None:
    if data.startswith(b"own"):
        raise InvalidDocument("an answer, not a crash")
    if data.startswith(b"foreign"):
        raise KeyError("a crash")

main(own_errors_only(target))
"""


@pytest.mark.parametrize(("content", "crashes"), [(b"own error", False), (b"foreign", True)])
def test_only_procurelink_errors_pass(tmp_path: Path, content: bytes, crashes: bool) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(_PROBE.format(fuzz=str(RUN.parent)))
    (tmp_path / "input").write_bytes(content)
    result = subprocess.run(
        [sys.executable, str(probe), str(tmp_path / "input")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert (result.returncode != 0) is crashes, output[-2000:]
    assert ("KeyError" in output) is crashes
