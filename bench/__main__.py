"""Run every benchmark: `python -m bench` (what `make bench` does)."""

from __future__ import annotations

import asyncio
import sys

from bench import edi_decode, odoo_apply, pipeline


def main() -> None:
    # `python -m bench.edi_decode MEASURE FILE SYNTAX REPEATS` is one measurement's child
    # process; `python -m bench` runs them all.
    edi_decode.main()
    sys.stdout.flush()
    asyncio.run(pipeline.main())
    asyncio.run(odoo_apply.main())


if __name__ == "__main__":
    main()
