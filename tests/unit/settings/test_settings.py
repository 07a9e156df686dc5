from __future__ import annotations

from pathlib import Path

import pytest

from procurelink.settings import Settings


def test_toml_file_and_environment_with_environment_winning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "procurelink.toml").write_text(
        'odoo_url = "https://erp.example"\nodoo_db = "prod"\npartners_dir = "/etc/pl/partners"\n'
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PROCURELINK_ODOO_DB", "staging")
    monkeypatch.setenv("PROCURELINK_ODOO_API_KEY", "k-123")
    settings = Settings()
    assert settings.odoo_url == "https://erp.example"
    assert settings.odoo_db == "staging"
    assert settings.partners_dir == Path("/etc/pl/partners")
    odoo = settings.odoo()
    assert odoo.api_key is not None
    assert odoo.api_key.get_secret_value() == "k-123"
    assert "k-123" not in repr(settings)


def test_database_url_normalised_for_the_async_drivers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROCURELINK_DATABASE_URL", "postgresql://pl@db.example/pl")
    assert Settings().store().database_url.startswith("postgresql+psycopg://")
