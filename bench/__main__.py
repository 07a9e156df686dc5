"""Run every benchmark: `python -m bench` (what `make bench` does)."""

from __future__ import annotations

import asyncio

from bench import odoo_apply, pipeline


def main() -> None:
    asyncio.run(pipeline.main())
    asyncio.run(odoo_apply.main())


if __name__ == "__main__":
    main()
