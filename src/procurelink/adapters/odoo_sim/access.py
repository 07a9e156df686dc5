"""Access rights of the simulator: groups, model ACLs and Odoo's AccessError text.

Only the refusals an integration user meets are modelled, as a real Odoo 17 answered them
to a user with Purchase / User, Inventory / User and Invoicing / Billing (and Internal
User): settings (``ir.config_parameter``, ``base.automation``) need Administration /
Settings; users, companies and ``ir.model.data`` need Administration / Access Rights;
contacts and bank accounts are written only by Contact Creation (or the purchase and
inventory administrators for contacts). Every other model is open to internal users.

Groups are records of ``res.groups`` with their xml ids in ``ir.model.data`` (so clients
find them as on a real database); a user's groups are ``res.users.groups_id`` (19:
``group_ids``). The superuser (uid 1) passes every check, as in Odoo.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from procurelink.adapters.odoo_sim.faults import AccessError
from procurelink.adapters.odoo_sim.fields import Field, ModelSpec, char
from procurelink.adapters.odoo_sim.orm import Hooks

if TYPE_CHECKING:
    from procurelink.adapters.odoo_sim.orm import Env

SUPERUSER_ID = 1
SETTINGS = "Administration/Settings"
ACCESS_RIGHTS = "Administration/Access Rights"
CONTACT_CREATION = "Extra Rights/Contact Creation"
PURCHASE_ADMIN = "Purchase/Administrator"
STOCK_ADMIN = "Inventory/Administrator"
# 19 lists a group as "privilege/name", or its bare name without a privilege (verified on a
# real 19.0): Settings became "Role / Administrator", Contact Creation "Contact/Creation".
LABELS_19 = {
    SETTINGS: "Role / Administrator",
    ACCESS_RIGHTS: "Access Rights",
    CONTACT_CREATION: "Contact/Creation",
}

# xml id -> (category, name): what res.groups.full_name shows as "category / name".
GROUPS: dict[str, tuple[str, str]] = {
    "base.group_user": ("User types", "Internal User"),
    "base.group_system": ("Administration", "Settings"),
    "base.group_erp_manager": ("Administration", "Access Rights"),
    "base.group_partner_manager": ("Extra Rights", "Contact Creation"),
    "purchase.group_purchase_user": ("Purchase", "User"),
    "purchase.group_purchase_manager": ("Purchase", "Administrator"),
    "stock.group_stock_user": ("Inventory", "User"),
    "stock.group_stock_manager": ("Inventory", "Administrator"),
    "account.group_account_invoice": ("Invoicing", "Billing"),
    "account.group_account_manager": ("Invoicing", "Billing Administrator"),
}

# res.groups.implied_ids: Odoo adds a group's implied groups to its users, so a Purchase
# administrator is a Purchase user too (has_group answers yes for both).
IMPLIED: dict[str, tuple[str, ...]] = {
    "purchase.group_purchase_manager": ("purchase.group_purchase_user",),
    "stock.group_stock_manager": ("stock.group_stock_user",),
    "account.group_account_manager": ("account.group_account_invoice",),
    "base.group_system": ("base.group_erp_manager",),
}

# res.users.SELF_WRITEABLE_FIELDS (17): what a user may change on its own record.
SELF_WRITEABLE = frozenset(
    {"signature", "action_id", "company_id", "email", "name", "image_1920", "lang", "tz"}
)
WRITES = ("write", "create", "unlink")
ALL = ("read", *WRITES)
# (model, operation) -> the groups (category/name, as the error lists them) allowed.
ACL: dict[tuple[str, str], tuple[str, ...]] = {
    **{("ir.config_parameter", op): (SETTINGS,) for op in ALL},
    **{("base.automation", op): (SETTINGS,) for op in ALL},
    **{("ir.model.data", op): (ACCESS_RIGHTS,) for op in ALL},
    **{("res.users", op): (ACCESS_RIGHTS,) for op in WRITES},
    **{("res.company", op): (ACCESS_RIGHTS,) for op in WRITES},
    **{("res.groups", op): (ACCESS_RIGHTS,) for op in WRITES},
    **{("res.partner.bank", op): (CONTACT_CREATION,) for op in WRITES},
    **{("res.partner", op): (CONTACT_CREATION, STOCK_ADMIN, PURCHASE_ADMIN) for op in WRITES},
}
HEADS = {
    "read": "You are not allowed to access '{kind}' ({model}) records.",
    "write": "You are not allowed to modify '{kind}' ({model}) records.",
    "create": "You are not allowed to create '{kind}' ({model}) records.",
    "unlink": "You are not allowed to delete '{kind}' ({model}) records.",
}
# Generic ORM methods and the access they need; business methods need read access (their
# first step reads or searches the records, as ir.config_parameter.set_param shows).
OPERATIONS = {
    "create": "create",
    "write": "write",
    "unlink": "unlink",
    # Odoo looks the xml id up as superuser: no access right of ir.model.data is needed.
    "check_object_reference": "lookup",
}

MODELS = [
    ModelSpec(
        "res.groups",
        "Access Groups",
        {
            "name": char("Name", required=True),
            "category": char("Application"),
            "full_name": Field("char", "Group Name", readonly=True),
        },
        order="name",
    ),
    ModelSpec(
        "ir.config_parameter",
        "System Parameter",
        {"key": char("Key", required=True), "value": Field("text", "Value", required=True)},
        order="key",
        rec_name="key",
    ),
]


def seed_groups(env: Env) -> list[int]:
    """Create the groups and their xml ids; their ids (the administrator gets them all)."""
    ids = []
    for xmlid, (category, name) in GROUPS.items():
        gid = env.create(
            "res.groups", {"name": name, "category": category, "full_name": f"{category} / {name}"}
        )
        module, _, local = xmlid.partition(".")
        env.create(
            "ir.model.data", {"module": module, "name": local, "model": "res.groups", "res_id": gid}
        )
        ids.append(gid)
    return ids


# The seeded database's buyer: a Purchase and Inventory user, no administrator, who signs in
# to procurelink's console (the demo prints these).
BUYER_LOGIN = "buyer"
BUYER_PASSWORD = "buyer"  # noqa: S105 - the simulator's demo user
BUYER_GROUPS = ("base.group_user", "purchase.group_purchase_user", "stock.group_stock_user")


def seed_buyer(env: Env) -> int:
    """Create the demo buyer (after the demo data, so that no seeded id moves)."""
    wanted = {tuple(x.split(".", 1)) for x in BUYER_GROUPS}
    groups = [
        row["res_id"]
        for row in env.table("ir.model.data").values()
        if row.get("model") == "res.groups" and (row["module"], row["name"]) in wanted
    ]
    partner = env.create("res.partner", {"name": "Bea Buyer"})
    return env.create(
        "res.users",
        {
            "name": "Bea Buyer",
            "login": BUYER_LOGIN,
            "password": BUYER_PASSWORD,
            "partner_id": partner,
            "company_id": 1,
            "groups_id": [[6, 0, groups]],
        },
    )


def hashed(password: str) -> str:
    return "sha256$" + hashlib.sha256(password.encode()).hexdigest()


def password_matches(user: dict[str, Any], secret: Any) -> bool:
    stored = user.get("password")
    return bool(stored) and isinstance(secret, str) and stored == hashed(secret)


def hash_password(env: Env, vals: dict[str, Any]) -> None:
    """res.users create/write: keep only the hash of a new password."""
    if vals.get("password"):
        vals["password"] = hashed(str(vals["password"]))


HOOKS = {"res.users": Hooks(prepare_create=hash_password)}


def has_group(env: Env, model: str, ids: list[int], group_ext_id: str) -> bool:
    """res.users.has_group (18+, a record method): whether the user (the record, else the
    caller) is in the group named by its xml id, implied groups included."""
    uid = ids[0] if ids else env.uid
    user = env.table("res.users").get(uid) or {}
    names = {
        (row["res_id"]): f"{row['module']}.{row['name']}"
        for row in env.table("ir.model.data").values()
        if row.get("model") == "res.groups"
    }
    held = {names[gid] for gid in user.get("groups_id") or [] if gid in names}
    held |= {implied for xmlid in held for implied in IMPLIED.get(xmlid, ())}
    return group_ext_id in held


def has_group_17(env: Env, model: str, *args: Any) -> bool:
    """res.users.has_group of 16/17: an ``api.model`` method that answers for the caller
    only; given record ids over RPC it fails as Odoo's does (a Python TypeError)."""
    if len(args) != 1:
        raise TypeError(
            f"Users.has_group() takes 2 positional arguments but {len(args) + 1} were given"
        )
    return has_group(env, model, [], str(args[0]))


def check_object_reference(
    env: Env, model: str, module: str, xml_id: str, raise_on_access_error: bool = False
) -> list[Any]:
    """ir.model.data.check_object_reference: [model, id] of an xml id, for any internal
    user (Odoo looks the id up as superuser; only reading the target is checked)."""
    for row in env.table("ir.model.data").values():
        if (row["module"], row["name"]) == (module, xml_id):
            return [row["model"], row["res_id"]]
    raise ValueError(f"External ID not found in the system: {module}.{xml_id}")


def operation_of(method: str) -> str:
    return OPERATIONS.get(method, "read")


def _self_write(env: Env, model: str, operation: str, args: Sequence[Any]) -> bool:
    """res.users.write on one's own record, safe fields only: Odoo writes it as superuser."""
    if (model, operation) != ("res.users", "write") or len(args) < 2:
        return False
    ids, vals = args[0], args[1]
    ids = [ids] if isinstance(ids, int) else list(ids or [])
    return (
        ids == [env.uid]
        and isinstance(vals, dict)
        and all(k in SELF_WRITEABLE or k.startswith("context_") for k in vals)
    )


def check(env: Env, model: str, operation: str, args: Sequence[Any] = ()) -> None:
    """Odoo's ``ir.model.access.check``: AccessError with the allowed groups listed.

    ``args``: the call's positional arguments (``write``'s ids and values).
    """
    allowed = ACL.get((model, operation))
    if allowed is None or env.uid == SUPERUSER_ID or _self_write(env, model, operation, args):
        return
    user = env.table("res.users").get(env.uid) or {}
    mine = set()
    for gid in user.get("groups_id") or []:
        group = env.table("res.groups").get(gid)
        if group:
            mine.add(f"{group['category']}/{group['name']}")
    if mine & set(allowed):
        return
    head = HEADS[operation].format(kind=env.spec(model).description, model=model)
    if env.store.major >= 19:
        allowed = tuple(LABELS_19.get(g, g) for g in allowed)
    groups = "\n".join(f"\t- {g}" for g in sorted(allowed))
    raise AccessError(
        f"{head}\n\nThis operation is allowed for the following groups:\n{groups}"
        "\n\nContact your administrator to request access if necessary."
    )
