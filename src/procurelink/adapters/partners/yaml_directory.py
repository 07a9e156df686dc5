"""Load and validate partner profiles from a directory of YAML files.

``${NAME}`` in a value is replaced by the environment variable NAME, so secrets stay out of
the files. Every problem in every file is collected, so `procurelink partners check` can
show them all at once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from procurelink.domain.partner_profile import PartnerProfile
from procurelink.errors import ConfigurationError

_ENV = re.compile(r"\$\{([A-Z0-9_]+)\}")

# Extra checks per profile (channel and codec options), supplied by the composition root.
ProfileCheck = Callable[[PartnerProfile], list[str]]


@dataclass(frozen=True, slots=True)
class ProfileProblem:
    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


def _expand(value: Any, env: Mapping[str, str], missing: list[str]) -> Any:
    if isinstance(value, str):

        def sub(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in env:
                missing.append(name)
                return ""
            return env[name]

        return _ENV.sub(sub, value)
    if isinstance(value, dict):
        return {k: _expand(v, env, missing) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, env, missing) for v in value]
    return value


def _format_validation(exc: ValidationError) -> list[str]:
    return [
        f"{'.'.join(str(p) for p in err['loc']) or '(root)'}: {err['msg']}" for err in exc.errors()
    ]


def load_profiles(
    directory: Path,
    env: Mapping[str, str] | None = None,
    check: ProfileCheck | None = None,
) -> tuple[list[PartnerProfile], list[ProfileProblem]]:
    """Every valid profile in ``directory`` and every problem found."""
    env = os.environ if env is None else env
    profiles: list[PartnerProfile] = []
    problems: list[ProfileProblem] = []
    if not directory.is_dir():
        return [], [ProfileProblem(str(directory), "partners directory does not exist")]
    seen: dict[str, str] = {}
    files = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])
    for path in files:
        name = path.name
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            problems.append(ProfileProblem(name, f"cannot read YAML: {exc}"))
            continue
        if not isinstance(raw, dict):
            problems.append(ProfileProblem(name, "expected a mapping at the top level"))
            continue
        missing: list[str] = []
        data = _expand(raw, env, missing)
        for var in missing:
            problems.append(ProfileProblem(name, f"environment variable {var} is not set"))
        try:
            profile = PartnerProfile.model_validate(data)
        except ValidationError as exc:
            problems.extend(ProfileProblem(name, msg) for msg in _format_validation(exc))
            continue
        if profile.id in seen:
            problems.append(
                ProfileProblem(name, f"id {profile.id!r} already used by {seen[profile.id]}")
            )
            continue
        seen[profile.id] = name
        has_vendor = profile.odoo.partner_id is not None or profile.odoo.partner_ref is not None
        if profile.kind == "supplier" and not has_vendor:
            problems.append(ProfileProblem(name, "odoo: give partner_id or partner_ref"))
        if check is not None:
            problems.extend(ProfileProblem(name, msg) for msg in check(profile))
        profiles.append(profile)
    if not files:
        problems.append(ProfileProblem(str(directory), "no *.yaml partner profiles found"))
    return profiles, problems


class PartnerRegistry:
    """The PartnerDirectory port over loaded profiles."""

    def __init__(self, profiles: list[PartnerProfile]) -> None:
        self._by_id = {p.id: p for p in profiles}
        self._by_odoo: dict[int, PartnerProfile] = {}
        for profile in profiles:
            if profile.odoo.partner_id is not None:
                self._by_odoo[profile.odoo.partner_id] = profile

    def resolve_refs(self, ids_by_ref: Mapping[str, int]) -> None:
        """Bind profiles that name their Odoo vendor by ``ref`` to the vendor's id."""
        for profile in self._by_id.values():
            ref = profile.odoo.partner_ref
            if profile.odoo.partner_id is None and ref and ref in ids_by_ref:
                self._by_odoo[ids_by_ref[ref]] = profile

    def get(self, partner_id: str) -> PartnerProfile | None:
        return self._by_id.get(partner_id)

    def by_odoo_partner(self, odoo_partner_id: int) -> PartnerProfile | None:
        return self._by_odoo.get(odoo_partner_id)

    def all(self) -> list[PartnerProfile]:
        return list(self._by_id.values())

    @classmethod
    def from_directory(cls, directory: Path, check: ProfileCheck | None = None) -> PartnerRegistry:
        profiles, problems = load_profiles(directory, check=check)
        if problems:
            raise ConfigurationError(
                "invalid partner profiles:\n" + "\n".join(f"  {p}" for p in problems),
                problems=[str(p) for p in problems],
            )
        return cls(profiles)
