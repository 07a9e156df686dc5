"""Planning keys: only a configured key's exact secret names its client; suppliers' keys and
anything else are refused alike; the settings hold no key and refuse a malformed entry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from procurelink.entrypoints.cli.main import app
from procurelink.errors import AuthenticationError, ConfigurationError
from procurelink.security import api_keys
from procurelink.services.planning_access import (
    PlanningAccess,
    new_planning_key,
)
from procurelink.settings import Settings


def test_a_configured_key_names_its_client_and_nothing_else_gets_in() -> None:
    mrp, mrp_key = new_planning_key("mrp")
    aps, aps_key = new_planning_key("aps")
    _, unconfigured = new_planning_key("mrp")
    _, supplier_key, _ = api_keys.new_api_key()
    access = PlanningAccess({"mrp": mrp, "aps": aps})
    assert access.authenticate(mrp_key) == "mrp"
    assert access.authenticate(aps_key) == "aps"
    key_id, secret = mrp_key.split(".")
    for bad in (
        f"{key_id}.{secret[:-1]}",
        f"{aps.key_id}.{secret}",  # another client's id with this secret
        unconfigured,
        supplier_key,
        secret,
        "",
    ):
        with pytest.raises(AuthenticationError) as refused:
            access.authenticate(bad)
        assert refused.value.message == "invalid planning credentials"
    with pytest.raises(AuthenticationError):
        PlanningAccess({}).authenticate(mrp_key)


def test_a_planning_key_is_no_supplier_key() -> None:
    credential, token = new_planning_key("mrp")
    assert token.startswith("pl_") and credential.key_id == token.split(".")[0]
    assert api_keys.split_token(token) is None  # what supplier authentication parses
    assert credential.key_sha256 == api_keys.digest(token.split(".", 1)[1])
    assert token not in repr(credential)


def test_client_names_and_settings_entries_are_checked() -> None:
    with pytest.raises(ConfigurationError):
        new_planning_key("two words")
    one, _ = new_planning_key("a")
    with pytest.raises(ConfigurationError):
        PlanningAccess({"a": one, "b": one})
    for entry in (
        {"key_id": "pk_0123", "key_sha256": "a" * 64},  # a supplier-kind id
        {"key_id": "pl_0123", "key_sha256": "the-key-itself"},
    ):
        with pytest.raises(ValidationError):
            Settings(planning_clients={"mrp": entry})  # type: ignore[dict-item]


def test_cli_prints_the_key_once_and_keeps_only_its_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PROCURELINK_PLANNING_CLIENTS", raising=False)
    toml = tmp_path / "procurelink.toml"
    toml.write_text('odoo_db = "prod"')
    runner = CliRunner()
    made = runner.invoke(app, ["planning-keys", "create", "mrp.main", "--toml", str(toml)])
    assert made.exit_code == 0, made.output
    key = made.stdout.strip()
    assert key.startswith("pl_") and "\n" not in key
    assert key not in toml.read_text() and key.split(".")[1] not in toml.read_text()
    settings = Settings()
    assert settings.odoo_db == "prod"
    assert PlanningAccess(settings.planning_clients).authenticate(key) == "mrp.main"
    listed = runner.invoke(app, ["planning-keys", "list"])
    assert key.split(".")[0] in listed.stdout and key not in listed.stdout

    again = runner.invoke(app, ["planning-keys", "create", "mrp.main", "--toml", str(toml)])
    assert again.exit_code == 1
    assert "already has a planning client 'mrp.main'" in again.stderr

    printed = runner.invoke(app, ["planning-keys", "create", "aps"])
    assert printed.exit_code == 0
    env = printed.stderr.split("PROCURELINK_PLANNING_CLIENTS=", 1)[1].splitlines()[0]
    monkeypatch.setenv("PROCURELINK_PLANNING_CLIENTS", env)
    access = PlanningAccess(Settings().planning_clients)
    assert access.authenticate(printed.stdout.strip()) == "aps"
    assert json.loads(env)["aps"]["key_id"] == printed.stdout.split(".")[0]
