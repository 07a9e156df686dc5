"""Run every benchmark: `python -m bench` (what `make bench` does)."""

from __future__ import annotations

import asyncio

from bench import pipeline


def main() -> None:
    asyncio.run(pipeline.main())


if __name__ == "__main__":
    main()
