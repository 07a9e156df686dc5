from __future__ import annotations

from pathlib import Path

import pytest

from procurelink.adapters.partners.yaml_directory import PartnerRegistry, load_profiles
from procurelink.errors import ConfigurationError

GOOD = """\
id: steelworks
name: Steelworks GmbH
odoo: {partner_ref: SW-V-88120}
identifiers: {x12: {qualifier: ZZ, id: STEELWORKS}}
codec: {type: x12-004010}
channels:
  outbound: {type: directory, outbox: /tmp/out}
  inbound: {type: directory, inbox: /tmp/in}
tolerances: {date_shift_days: 2}
shared_secret: "${SW_SECRET}"
"""


def write(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text)


def test_valid_profile_loads_with_secret_from_environment(tmp_path: Path) -> None:
    write(tmp_path, "sw.yaml", GOOD)
    profiles, problems = load_profiles(tmp_path, env={"SW_SECRET": "xyz"})
    assert problems == []
    [profile] = profiles
    assert profile.tolerances.date_shift_days == 2
    assert profile.shared_secret is not None
    assert profile.shared_secret.get_secret_value() == "xyz"
    assert "xyz" not in repr(profile)  # secrets never show up in logs or reprs


def test_every_problem_is_reported_with_its_file(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", GOOD)
    write(tmp_path, "b.yaml", GOOD)  # same id again
    write(tmp_path, "c.yaml", "id: Bad Id\nname: x\n")
    write(tmp_path, "d.yaml", "- not a mapping\n")
    write(tmp_path, "e.yaml", "id: [unclosed\n")
    _, problems = load_profiles(tmp_path, env={})
    text = "\n".join(map(str, problems))
    assert "a.yaml: environment variable SW_SECRET is not set" in text
    assert "b.yaml: id 'steelworks' already used by a.yaml" in text
    assert "c.yaml: id: String should match pattern" in text
    assert "c.yaml: codec: Field required" in text
    assert "d.yaml: expected a mapping" in text
    assert "e.yaml: cannot read YAML" in text


def test_extra_check_and_registry_lookups(tmp_path: Path) -> None:
    write(tmp_path, "sw.yaml", GOOD.replace('shared_secret: "${SW_SECRET}"\n', ""))
    _, problems = load_profiles(tmp_path, env={}, check=lambda p: [f"{p.id} checked"])
    assert [str(p) for p in problems] == ["sw.yaml: steelworks checked"]
    registry = PartnerRegistry.from_directory(tmp_path)
    assert registry.by_odoo_partner(42) is None
    registry.resolve_refs({"SW-V-88120": 42})
    found = registry.by_odoo_partner(42)
    assert found is not None
    assert found.id == "steelworks"


def test_registry_refuses_an_invalid_directory(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"no \*\.yaml partner profiles"):
        PartnerRegistry.from_directory(tmp_path)
