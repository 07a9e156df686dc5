"""Domain evaluation of the simulator (seeded data)."""

from __future__ import annotations

from typing import Any

import pytest

from procurelink.adapters.odoo_sim.orm import Env
from procurelink.adapters.odoo_sim.server import create_app


@pytest.fixture(scope="module")
def env() -> Env:
    return Env(create_app().state.odoo.store, 2)


def names(env: Env, domain: list[Any]) -> list[str]:
    ids = env.search("res.partner", domain, order="id")
    return [env.table("res.partner")[i]["name"] for i in ids]


SUPPLIERS = ["Steelworks GmbH", "Polymer Parts Ltd", "Fastener Direct Inc"]


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ([("supplier_rank", ">", 0)], SUPPLIERS),
        ([("ref", "=", "PP-V-20451")], ["Polymer Parts Ltd"]),
        ([("ref", "in", ["SW-V-88120", "FD-V-31007"])], ["Steelworks GmbH", "Fastener Direct Inc"]),
        ([("supplier_rank", ">", 0), ("ref", "not in", ["SW-V-88120"])], SUPPLIERS[1:]),
        ([("name", "ilike", "polymer")], ["Polymer Parts Ltd"]),
        ([("name", "like", "polymer")], []),
        ([("name", "=like", "Steel%")], ["Steelworks GmbH"]),
        (
            ["|", ("ref", "=", "SW-V-88120"), ("ref", "=", "FD-V-31007")],
            [SUPPLIERS[0], SUPPLIERS[2]],
        ),
        (["&", ("supplier_rank", ">", 0), "!", ("ref", "=", "SW-V-88120")], SUPPLIERS[1:]),
        ([("supplier_rank", ">", 0), ("email", "=?", False)], SUPPLIERS),
        ([("supplier_rank", ">", 0), ("ref", "=?", "FD-V-31007")], ["Fastener Direct Inc"]),
        ([("ref", "!=", False), ("supplier_rank", ">=", 1)], SUPPLIERS),
        ([("parent_id", "child_of", 1), ("is_company", "=", False)], ["Administrator"]),
    ],
)
def test_partner_domains(env: Env, domain: list[Any], expected: list[str]) -> None:
    assert names(env, domain) == expected


def test_dotted_paths_and_x2many(env: Env) -> None:
    assert env.search("purchase.order", [("partner_id.ref", "=", "SW-V-88120")], order="id") == [
        1,
        2,
    ]
    with_nut = env.search(
        "purchase.order", [("order_line.product_id.default_code", "=", "ACME-10043")]
    )
    assert sorted(with_nut) == [5, 6]
    no_nut = env.search("purchase.order", [("order_line.product_id", "not in", [2])])
    assert sorted(no_nut) == [1, 2, 3, 4]
    assert env.search("purchase.order", [("order_line", "any", [("product_qty", ">", 5000)])]) == [
        6
    ]


def test_many2one_compared_with_a_string_uses_the_display_name(env: Env) -> None:
    assert env.search("purchase.order", [("partner_id", "ilike", "fastener")], order="id") == [5, 6]


def test_order_offset_limit(env: Env) -> None:
    assert env.search("purchase.order", [], order="name desc", limit=2) == [6, 5]
    assert env.search("purchase.order", [], order="name asc", offset=4) == [5, 6]


def test_invalid_leaves_raise_value_error(env: Env) -> None:
    with pytest.raises(ValueError, match=r"Invalid field purchase.order.nope"):
        env.search("purchase.order", [("nope", "=", 1)])
    with pytest.raises(ValueError, match="Invalid leaf"):
        env.search("purchase.order", [("name", "~", 1)])
    with pytest.raises(ValueError, match='Invalid "order"'):
        env.search("purchase.order", [], order="nope asc")
