"""Run the atheris harnesses of this folder, one after the other (``make fuzz``, the CI test).

    python fuzz/run.py [--seconds N | --runs N] [--seed S] [--corpus DIR] [HARNESS ...]

Each harness fuzzes its own corpus directory ``DIR/<harness>`` (default ``var/fuzz/corpus``),
created from the samples and kept between runs, so a long run builds on the last one.
A crash, a Python exception other than a procurelink error, is written to
``var/fuzz/crashes/<harness>-crash-<sha1>``; replay it with
``python fuzz/<harness>.py var/fuzz/crashes/<file>``. Exit status 1 when any harness failed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
REPO = FUZZ.parent
HARNESSES = {
    "x12_tokenizer": "x12",
    "x12_decode": "x12",
    "edifact_tokenizer": "edifact",
    "edifact_decode": "edifact",
}
SEEDS = {"x12": "*.x12", "edifact": "*.edi"}
# Inputs past this size only slow the search: every sample is under 1.2 kB.
MAX_LEN = 4096


def prepare_corpus(root: Path, harness: str) -> Path:
    corpus = root / harness
    corpus.mkdir(parents=True, exist_ok=True)
    syntax = HARNESSES[harness]
    for seed in sorted((REPO / "tests" / "fixtures" / "edi" / syntax).glob(SEEDS[syntax])):
        target = corpus / seed.name
        if not target.exists():
            shutil.copyfile(seed, target)
    return corpus


def command(harness: str, corpus: Path, crashes: Path, args: argparse.Namespace) -> list[str]:
    budget = [f"-runs={args.runs}"] if args.runs else [f"-max_total_time={args.seconds}"]
    return [
        sys.executable,
        str(FUZZ / f"{harness}.py"),
        *budget,
        f"-seed={args.seed}",
        f"-max_len={MAX_LEN}",
        f"-artifact_prefix={crashes}/{harness}-",
        "-print_final_stats=1",
        str(corpus),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("harnesses", nargs="*", help=f"default all: {', '.join(HARNESSES)}")
    parser.add_argument("--seconds", type=int, default=300, help="per harness")
    parser.add_argument("--runs", type=int, default=0, help="a fixed number of inputs instead")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, default=REPO / "var" / "fuzz" / "corpus")
    parser.add_argument("--crashes", type=Path, default=REPO / "var" / "fuzz" / "crashes")
    args = parser.parse_args()
    unknown = set(args.harnesses) - set(HARNESSES)
    if unknown:
        parser.error(f"unknown harness: {', '.join(sorted(unknown))}")
    args.crashes.mkdir(parents=True, exist_ok=True)
    failed = []
    for harness in args.harnesses or list(HARNESSES):
        corpus = prepare_corpus(args.corpus, harness)
        print(f"== {harness}: corpus {corpus}", flush=True)
        result = subprocess.run(command(harness, corpus, args.crashes, args), check=False)
        if result.returncode != 0:
            failed.append(harness)
    if failed:
        print(f"crashed: {', '.join(failed)} (inputs in {args.crashes})", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
