"""Applying acknowledgments to Odoo: naive per-line writes vs procurelink's batched write.

Workload: ORDERS confirmed purchase orders of LINES lines each; ACKS acknowledgments spread
evenly over them, each changing the date and quantity of ACK_LINES distinct lines (so every
line changes exactly once: ACKS x ACK_LINES = ORDERS x LINES).

* naive: what a straightforward integration does per acknowledgment: one RPC ``write`` on
  ``purchase.order.line`` per changed line, and one chatter note.
* batched: procurelink's effects, the acknowledgments of one order merged into one
  ``OdooGateway.apply_acknowledgment`` (one ``write`` of the order with ``(1, id, vals)``
  line commands, one chatter note).
* prestaged (real Odoo only): an experiment, not procurelink's path (see below): the batched
  write where each changed line's command also sets its one open receipt move to the new
  demand (a nested ``move_ids`` command), after one ``search_read`` of the lines' moves.

Each runs on its own, identically created orders: one order after another, and with as many
orders in flight as the instance's concurrency limit allows (``max_concurrency``, default 4:
what procurelink's workers do, and what a naive integration could do too;
BENCH_APPLY_WIDTHS=1 leaves those runs out). The final line dates and quantities and every
stock move of the lines (demand, reserved quantity, date, deadline, state) are read back and
compared across all runs. RPC calls are counted at the HTTP layer (an httpx request hook), so
nothing the gateway does is hidden. The instance rate limiter is lifted for all: it is a
deliberate throttle, not what is measured here.

Against the simulator always; against a real Odoo too when ODOO_URL, ODOO_DB, ODOO_USER and
ODOO_PASSWORD are set (and ODOO_API_KEY, for JSON-2 on 19). Sizes: BENCH_APPLY_ORDERS,
BENCH_APPLY_LINES, BENCH_APPLY_ACK_LINES.

Measured on the local Odoo 17 CE (2 cores shared with other work, threaded server), one
order in flight; final state identical in every run:

  4 orders x 40 lines (40 acknowledgments, 160 line changes), load 1-2, three runs: naive
      200 calls / 31-36 s (median 31.5 s), batched 8 calls / 22-24 s (median 22.7 s),
      prestaged 12 calls / 7.2-8.5 s (median 7.4 s). Batched: 25x fewer calls, 1.3-1.6x
      less wall time (median 1.4x); prestaged: 16.7x fewer calls, 4.2-4.4x (median 4.25x).
  the same, load 3-5, five runs: naive 62-104 s (median 83 s), batched 49-56 s (median
      54 s), prestaged 9.7-17 s (median 10 s): 1.1-2.0x (median 1.7x) and 5.8-8.5x (median
      6.6x). As an API-key user without a password (one run): 76 / 42 / 15 s, no different
      (the credential check is cached, below).
  10 orders x 40 lines (100 acknowledgments, 400 line changes), load 3-4, one run: naive
      500 calls / 132 s, batched 20 / 84 s (1.6x), prestaged 30 / 30 s (4.4x).
  earlier, 20 orders: naive 1000 calls / 407 s, batched 40 / 263 s (1.5x).

And on a local Odoo 19.0 CE over JSON-2 with an API key (ODOO_API_KEY), 4 orders x 40 lines,
load 2-3, one run: naive 200 calls / 39.9 s, batched 8 / 39.7 s (1.0x), prestaged 12 / 11.1 s
(3.6x): 19's calls are cheaper still, and its per-line stock work is the same story.

Four orders in flight change little (one Python process serves them; once, 4 orders: naive
36 s one at a time, 31 s four at a time; batched 29 s and 31 s).

Where the time goes (cProfile and per-query SQL timing inside ``odoo shell``, on freshly
confirmed orders, machine quiet unless said):

  authentication: not per call. ``res.users.check`` is ormcached per (uid, credential), so a
      warm call pays no PBKDF2 (~20 ms for a trivial call over XML-RPC). The 600,000-round
      check (0.25-0.5 s) comes back after each registry cache clear: a product created, an
      access-right or module change, another Odoo process signalling one; a shared instance
      can pay it often (the 0.26 s "per call" measured earlier). An API-key user without a
      password pays 6,000 rounds there (~3 ms; measured 0.03 s vs 0.5 s after a clear).
  Odoo's work per changed line: 150-165 ms and 121 SQL queries (SQL 2.5 s of 6.5 s for 40
      lines), the same for a 10- or 40-line order write, a write per line each flushed as
      its own request, or purchase.order.line writes grouped by equal values (138-200 ms a
      line, within the noise): linear, not superlinear (the 0.31 s a line measured earlier
      was load). 83% of it is purchase_stock's ``_create_or_update_picking``, line by line:
      a delta stock.move (18%, half of it the price unit through the taxes), its
      ``_action_confirm`` (53%: ``_merge_moves`` 42%, which writes the kept move, with its
      ``_action_assign``, a chatter line on the receipt and orderpoint searches, and
      unlinks the delta move) and assignment; 12% is the chatter note on the order per
      quantity change; the deadline update on the move 3%. ``tracking_disable`` changes
      nothing measurable (8.3 s vs 10.5 s, same queries less 76, within the noise): it
      drops tracking values only, not these notes. (Lines written one by one with a flush
      and a cache reset between them, as separate requests would, the receipt's "initial
      demand updated" notes name the delta move's quantity as the old one, "3.0 -> 13.0"
      where one write says "10.0 -> 13.0": an Odoo quirk; chatter text is not compared.)

So batching saves the per-call overhead only (a naive call costs ~155 ms, a line in the
batched write ~140 ms): ~1.2-2x. The
4x wall-time target is not reached by procurelink's write on Odoo 17 over RPC.

prestaged shows what would: when the receipt move already carries the new demand,
purchase_stock finds nothing left to push and creates, confirms, merges and unlinks no
move: 1,834 SQL queries instead of 4,856 for a 40-line order, 2-3.6x less server time, the
same order and receipt chatter, moves, move lines and activities. It is not procurelink's
path: the move ids cost a third call per order (16.7x fewer calls, below the 20x target),
it writes stock moves (stock rights for the integration user), and it reproduces
purchase_stock only where the delta move would have merged into that one open move (same
unit, price unit in the company currency at today's rate, description, packaging, deadline;
nothing received, nothing chained, a quantity above zero, a date not earlier than the
move's): the client cannot see all of that. Checked on a 4-line order with decreases,
increases, earlier and later dates: the same, except the line cut to zero, whose move Odoo
cancels and prestaged leaves assigned with no demand.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx

from procurelink.adapters.odoo import mapping
from procurelink.adapters.odoo.gateway import OdooGateway
from procurelink.adapters.odoo.settings import OdooSettings
from procurelink.adapters.odoo_sim.server import create_app, running
from procurelink.ports.erp import AcknowledgmentWrite, LineUpdate

ORDERS = int(os.environ.get("BENCH_APPLY_ORDERS", "100"))
# The simulator snapshots its whole database per writing call (its rollback): it slows
# down with size, so it runs a tenth of the orders unless told otherwise.
SIM_ORDERS = int(os.environ.get("BENCH_APPLY_SIM_ORDERS", "10"))
LINES = int(os.environ.get("BENCH_APPLY_LINES", "40"))
ACK_LINES = int(os.environ.get("BENCH_APPLY_ACK_LINES", "4"))
ACKS_PER_ORDER = LINES // ACK_LINES
BASE_DAY = date(2026, 6, 1)


@dataclass
class Counter:
    calls: int = 0

    async def hook(self, request: httpx.Request) -> None:
        self.calls += 1


@dataclass(frozen=True)
class Run:
    calls: int
    seconds: float


def _gateway(settings: OdooSettings, counter: Counter) -> OdooGateway:
    client = httpx.AsyncClient(
        base_url=settings.url.rstrip("/"),
        timeout=settings.timeout,
        event_hooks={"request": [counter.hook]},
    )
    return OdooGateway(settings, client=client)


async def _setup(gw: OdooGateway, count: int) -> list[list[int]]:
    """``count`` confirmed orders; returns their line ids in order."""
    rpc = gw.rpc
    dialect = await gw.dialect()
    tag = uuid.uuid4().hex[:8].upper()
    vendor = await rpc.execute_kw(
        "res.partner", "create", [{"name": f"bench vendor {tag}", "supplier_rank": 1}]
    )
    [uom] = await rpc.execute_kw("uom.uom", "search", [[("name", "=", "Units")]], {"limit": 1})
    product = await rpc.execute_kw(
        "product.product",
        "create",
        [
            {
                "name": f"bench item {tag}",
                "default_code": f"B-{tag}",
                **dialect.storable_product(uom),
            }
        ],
    )
    [ptype] = await rpc.execute_kw(
        "stock.picking.type",
        "search",
        [[("code", "=", "incoming"), ("warehouse_id", "!=", False)]],
        {"limit": 1, "order": "id"},
    )
    lines: list[list[int]] = []
    for _ in range(count):
        oid = await rpc.execute_kw(
            "purchase.order",
            "create",
            [
                {
                    "partner_id": vendor,
                    "picking_type_id": ptype,
                    "order_line": [
                        [
                            0,
                            0,
                            {
                                "product_id": product,
                                "product_qty": 10.0,
                                "price_unit": 1.0,
                                "date_planned": f"{BASE_DAY} 12:00:00",
                            },
                        ]
                        for _ in range(LINES)
                    ],
                }
            ],
        )
        await rpc.execute_kw("purchase.order", "button_confirm", [[oid]])
        [row] = await rpc.execute_kw("purchase.order", "read", [[oid]], {"fields": ["order_line"]})
        lines.append(sorted(row["order_line"]))
    return lines


def _acks(order_lines: list[list[int]], order_ids: list[int]) -> list[AcknowledgmentWrite]:
    """ACKS_PER_ORDER acknowledgments per order, each moving ACK_LINES lines."""
    acks = []
    for oid, lines in zip(order_ids, order_lines, strict=True):
        for a in range(ACKS_PER_ORDER):
            chunk = lines[a * ACK_LINES : (a + 1) * ACK_LINES]
            acks.append(
                AcknowledgmentWrite(
                    order_odoo_id=oid,
                    vendor_ref=None,
                    lines=tuple(
                        LineUpdate(
                            odoo_line_id=lid,
                            date_planned=BASE_DAY + timedelta(days=1 + (i + a) % 9),
                            product_qty=Decimal(11 + (i + a) % 7),
                        )
                        for i, lid in enumerate(chunk)
                    ),
                    note=f"acknowledgment {a + 1}",
                )
            )
    return acks


async def _order_ids(gw: OdooGateway, lines: list[list[int]]) -> list[int]:
    firsts = [ls[0] for ls in lines]
    rows = await gw.rpc.execute_kw(
        "purchase.order.line", "read", [firsts], {"fields": ["order_id"], "load": None}
    )
    by_line = {r["id"]: r["order_id"] for r in rows}
    return [int(by_line[f]) for f in firsts]


async def _in_flight(jobs: list[list[AcknowledgmentWrite]], work: Any, parallel: int) -> None:
    """Run each order's acknowledgments in order, ``parallel`` orders at a time."""
    slots = asyncio.Semaphore(parallel)

    async def one(group: list[AcknowledgmentWrite]) -> None:
        async with slots:
            for ack in group:
                await work(ack)

    await asyncio.gather(*(one(g) for g in jobs))


def _per_order(acks: list[AcknowledgmentWrite]) -> list[list[AcknowledgmentWrite]]:
    per_order: dict[int, list[AcknowledgmentWrite]] = defaultdict(list)
    for ack in acks:
        per_order[ack.order_odoo_id].append(ack)
    return list(per_order.values())


async def naive(
    gw: OdooGateway, counter: Counter, acks: list[AcknowledgmentWrite], parallel: int = 1
) -> Run:
    start_calls, t0 = counter.calls, time.perf_counter()

    async def apply(ack: AcknowledgmentWrite) -> None:
        for line in ack.lines:
            assert line.date_planned is not None
            assert line.product_qty is not None
            await gw.rpc.execute_kw(
                "purchase.order.line",
                "write",
                [
                    [line.odoo_line_id],
                    {
                        # date and quantity in one write, as apply_acknowledgment does: a
                        # quantity written alone would let Odoo recompute the date.
                        "product_qty": float(line.product_qty),
                        "date_planned": f"{line.date_planned} 12:00:00",
                    },
                ],
            )
        await gw.rpc.execute_kw(
            "purchase.order",
            "message_post",
            [[ack.order_odoo_id]],
            {"body": ack.note, "message_type": "comment", "subtype_xmlid": "mail.mt_note"},
        )

    await _in_flight(_per_order(acks), apply, parallel)
    return Run(counter.calls - start_calls, time.perf_counter() - t0)


def merge(acks: list[AcknowledgmentWrite]) -> list[AcknowledgmentWrite]:
    """procurelink's batching: all pending acknowledgments of an order in one write."""
    per_order: dict[int, list[AcknowledgmentWrite]] = defaultdict(list)
    for ack in acks:
        per_order[ack.order_odoo_id].append(ack)
    merged = []
    for oid, group in per_order.items():
        latest: dict[int, LineUpdate] = {}
        for ack in group:  # later acknowledgments win, line by line
            latest.update({ln.odoo_line_id: ln for ln in ack.lines})
        merged.append(
            AcknowledgmentWrite(
                order_odoo_id=oid,
                vendor_ref=None,
                lines=tuple(latest.values()),
                note="; ".join(a.note for a in group),
            )
        )
    return merged


async def batched(
    gw: OdooGateway, counter: Counter, acks: list[AcknowledgmentWrite], parallel: int = 1
) -> Run:
    start_calls, t0 = counter.calls, time.perf_counter()
    await _in_flight([[w] for w in merge(acks)], gw.apply_acknowledgment, parallel)
    return Run(counter.calls - start_calls, time.perf_counter() - t0)


async def _final(gw: OdooGateway, lines: list[list[int]]) -> list[list[Any]]:
    """Per line: date, quantity, and its stock moves (demand, date, deadline, state and
    reserved quantity): a strategy that skipped Odoo's own move handling would show here."""
    ids = [lid for ls in lines for lid in ls]
    rows = await gw.rpc.execute_kw(
        "purchase.order.line", "read", [ids], {"fields": ["date_planned", "product_qty"]}
    )
    by_id = {r["id"]: (str(r["date_planned"]), float(r["product_qty"])) for r in rows}
    moves = await gw.rpc.execute_kw(
        "stock.move",
        "search_read",
        [[("purchase_line_id", "in", ids)]],
        {
            "fields": [
                "purchase_line_id",
                "product_uom_qty",
                "quantity",
                "date",
                "date_deadline",
                "state",
            ]
        },
    )
    by_line: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for m in moves:
        by_line[mapping.m2o_id(m["purchase_line_id"]) or 0].append(
            (
                float(m["product_uom_qty"]),
                float(m["quantity"]),
                str(m["date"]),
                str(m["date_deadline"]),
                m["state"],
            )
        )
    return [[(*by_id[lid], sorted(by_line[lid])) for lid in ls] for ls in lines]


async def prestaged(
    gw: OdooGateway, counter: Counter, acks: list[AcknowledgmentWrite], parallel: int = 1
) -> Run:
    """Experiment, not procurelink's path: the order write also sets each changed line's
    open receipt move to the new demand (a nested ``move_ids`` command), so purchase_stock
    finds no quantity left to push and creates, confirms, merges and unlinks no delta move.
    One ``search_read`` of the moves first: three calls per order, not two."""
    start_calls, t0 = counter.calls, time.perf_counter()

    async def apply(write: AcknowledgmentWrite) -> None:
        line_ids = [ln.odoo_line_id for ln in write.lines]
        moves = await gw.rpc.execute_kw(
            "stock.move",
            "search_read",
            [[("purchase_line_id", "in", line_ids)]],
            {"fields": ["purchase_line_id", "state", "move_dest_ids"]},
        )
        per_line: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for m in moves:
            per_line[mapping.m2o_id(m["purchase_line_id"]) or 0].append(m)
        commands = []
        for ln in write.lines:
            assert ln.date_planned is not None
            assert ln.product_qty is not None
            vals: dict[str, Any] = {
                "product_qty": float(ln.product_qty),
                "date_planned": f"{ln.date_planned} 12:00:00",
            }
            mine = per_line[ln.odoo_line_id]
            # Only the plain case: one move, still open (so nothing received), not chained;
            # the bench's lines share their move's unit. Anything else keeps Odoo's path.
            plain = len(mine) == 1 and mine[0]["state"] not in ("done", "cancel")
            if plain and not mine[0]["move_dest_ids"]:
                vals["move_ids"] = [[1, mine[0]["id"], {"product_uom_qty": float(ln.product_qty)}]]
            commands.append([1, ln.odoo_line_id, vals])
        await gw.rpc.execute_kw(
            "purchase.order", "write", [[write.order_odoo_id], {"order_line": commands}]
        )
        await gw.rpc.execute_kw(
            "purchase.order",
            "message_post",
            [[write.order_odoo_id]],
            {"body": write.note, "message_type": "comment", "subtype_xmlid": "mail.mt_note"},
        )

    await _in_flight([[w] for w in merge(acks)], apply, parallel)
    return Run(counter.calls - start_calls, time.perf_counter() - t0)


MODES = (("naive", naive), ("batched", batched))
# The prestaged experiment runs against a real Odoo only: the simulator has no delta moves
# to skip.
REAL_MODES = (*MODES, ("prestaged", prestaged))
# BENCH_APPLY_WIDTHS=1 leaves out the runs with several orders in flight (one Python
# process serves them all on Odoo 17: they change nothing but take as long again).
WIDTHS = os.environ.get("BENCH_APPLY_WIDTHS", "")


async def compare(
    label: str, settings: OdooSettings, orders: int, modes_run: tuple[Any, ...] = MODES
) -> None:
    counter = Counter()
    gw = _gateway(settings, counter)
    parallel = settings.max_concurrency
    widths = [int(w) for w in WIDTHS.split(",")] if WIDTHS else [1, parallel]
    modes = [(name, run, width) for width in widths for name, run in modes_run]
    runs: dict[tuple[str, int], Run] = {}
    finals = []
    try:
        await gw.dialect()  # version probe and login outside the measured runs
        for name, run, width in modes:
            lines = await _setup(gw, orders)
            acks = _acks(lines, await _order_ids(gw, lines))
            runs[name, width] = await run(gw, counter, acks, width)
            finals.append(await _final(gw, lines))
    finally:
        await gw.close()
        await _close_client(gw)
    same = all(f == finals[0] for f in finals)
    acks_count = orders * ACKS_PER_ORDER
    print(
        f"odoo apply [{label}] {acks_count} acks x {ACK_LINES} lines on {orders} orders "
        f"({orders * LINES} line changes)"
    )
    for (name, width), r in runs.items():
        print(f"  {name:9s} {width} in flight {r.calls:6d} RPC calls  {r.seconds:8.2f} s")
    for width in widths:
        n = runs["naive", width]
        for name, _ in modes_run[1:]:
            b = runs[name, width]
            print(
                f"  ratio {name}, {width} in flight: {n.calls / max(b.calls, 1):6.1f}x fewer "
                f"calls  {n.seconds / max(b.seconds, 1e-9):6.1f}x less wall time"
            )
    n, b = runs["naive", 1], runs["batched", widths[-1]]
    print(
        f"  naive one at a time vs procurelink ({widths[-1]} in flight): "
        f"{n.seconds / max(b.seconds, 1e-9):6.1f}x less wall time  final state identical: {same}"
    )
    if not same:
        raise SystemExit("the runs left different line dates/quantities or stock moves")


async def _close_client(gw: OdooGateway) -> None:
    # The gateway does not own an injected client: its creator closes it.
    await gw.rpc._client.aclose()


async def main() -> None:
    if os.environ.get("BENCH_APPLY_REAL_ONLY") != "1":
        await _simulator()
    await _real()


async def _simulator() -> None:
    with running(create_app(seed=False)) as url:
        await compare(
            "simulator 17",
            OdooSettings(
                url=url, db="procurelink", user="admin", password="admin", max_calls_per_second=1e6
            ),
            SIM_ORDERS,
        )


async def _real() -> None:
    names = ("ODOO_URL", "ODOO_DB", "ODOO_USER", "ODOO_PASSWORD")
    if all(os.environ.get(n) for n in names):
        url, db, user, password = (os.environ[n] for n in names)
        await compare(
            f"real Odoo at {url}",
            OdooSettings(
                url=url,
                db=db,
                user=user,
                password=password,
                # With an API key too, 19 is spoken to over JSON-2 (bearer key).
                api_key=os.environ.get("ODOO_API_KEY") or None,
                timeout=120,
                max_calls_per_second=1e6,
            ),
            ORDERS,
            REAL_MODES,
        )
