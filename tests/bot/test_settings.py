"""Every setting is documented in .env.example, and .env.example names nothing that doesn't exist."""

from __future__ import annotations

import re

import pytest
from pydantic import AliasChoices, ValidationError

from bot.settings import Settings
from tests.support.paths import REPO


def _env_names(field: str) -> set[str]:
    info = Settings.model_fields[field]
    alias = info.validation_alias
    if isinstance(alias, AliasChoices):
        return {str(choice) for choice in alias.choices}
    assert alias is None, f"{field}: an alias Settings does not use yet ({alias!r})"
    return {f"SONDHANI_{field.upper()}"}


def test_env_example_documents_every_setting() -> None:
    documented = set(re.findall(r"^([A-Z_]+)=", (REPO / ".env.example").read_text("utf-8"), re.M))
    for field in Settings.model_fields:
        assert _env_names(field) & documented, f"{field} is missing from .env.example"
    known = set().union(*(_env_names(f) for f in Settings.model_fields))
    assert documented <= known, f"unknown names in .env.example: {documented - known}"


def test_env_example_values_are_valid_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for line in (REPO / ".env.example").read_text("utf-8").splitlines():
        if re.match(r"^[A-Z_]+=", line):
            name, value = line.split("=", 1)
            monkeypatch.setenv(name, value)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.chroma_url is None and settings.telegram_bot_token is None and settings.admin_ids == frozenset()


def test_admin_ids_parse_and_reject(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SONDHANI_ADMIN_IDS", " 12, 34 ,")
    assert Settings(_env_file=None).admin_ids == frozenset({12, 34})  # type: ignore[call-arg]
    monkeypatch.setenv("SONDHANI_ADMIN_IDS", "12,bob")
    with pytest.raises(ValidationError):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_readme_test_command_is_what_ci_runs() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    assert "bash scripts/test.sh" in readme
    assert "scripts/test.sh" in (REPO / ".ci" / "run").read_text("utf-8")


def test_timezone_defaults_to_dhaka_and_takes_iana_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SONDHANI_TIMEZONE", raising=False)
    assert Settings(_env_file=None).zone.key == "Asia/Dhaka"  # type: ignore[call-arg]
    monkeypatch.setenv("SONDHANI_TIMEZONE", "Asia/Kolkata")
    assert Settings(_env_file=None).zone.key == "Asia/Kolkata"  # type: ignore[call-arg]


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "Asia", "", "../etc/passwd", "/etc/localtime"])
def test_unknown_timezone_is_a_settings_error(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv("SONDHANI_TIMEZONE", name)
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None)  # type: ignore[call-arg]
    (error,) = caught.value.errors()
    assert error["loc"] == ("timezone",)
    assert "SONDHANI_TIMEZONE" in error["msg"] and "not a known time zone" in error["msg"]


@pytest.mark.parametrize("secret", ["has space", "semi;colon", "ঢাকা", "x" * 257])
def test_webhook_secret_outside_telegrams_alphabet_is_a_settings_error(
    monkeypatch: pytest.MonkeyPatch, secret: str
) -> None:
    monkeypatch.setenv("SONDHANI_WEBHOOK_SECRET", secret)
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None)  # type: ignore[call-arg]
    (error,) = caught.value.errors()
    assert error["loc"] == ("webhook_secret",) and "A-Z, a-z, 0-9, _ and -" in error["msg"]
    monkeypatch.setenv("SONDHANI_WEBHOOK_SECRET", "Ok_secret-123")
    assert Settings(_env_file=None).webhook_secret == "Ok_secret-123"  # type: ignore[call-arg]
