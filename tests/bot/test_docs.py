"""README.md documents every `sondhani` subcommand and every option, as sqlite-utils and Datasette test
their docs: a command or option added without a word in the README fails here (beside test_settings.py,
which does the same for .env.example)."""

from __future__ import annotations

import argparse
import re

import pytest

from bot.cli.main import _parser
from tests.support.paths import REPO

README = (REPO / "README.md").read_text("utf-8")


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    (sub,) = [a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def _options(parser: argparse.ArgumentParser) -> list[str]:
    return [s for a in parser._actions for s in a.option_strings if s not in ("-h", "--help")]


def _lines_about(command: str) -> list[str]:
    """README lines that show `sondhani COMMAND` (a synopsis, an example)."""
    return [line for line in README.splitlines() if re.search(rf"\bsondhani {re.escape(command)}\b", line)]


@pytest.mark.parametrize("command", sorted(_subcommands()))
def test_every_subcommand_and_its_options_are_in_the_readme(command: str) -> None:
    lines = _lines_about(command)
    assert lines, f"`sondhani {command}` is not in README.md"
    for option in _options(_subcommands()[command]):
        assert any(re.search(rf"(?<![\w-]){re.escape(option)}\b", line) for line in lines), (
            f"`sondhani {command} {option}` is not in README.md"
        )


def test_the_top_level_options_are_in_the_readme() -> None:
    for option in _options(_parser()):
        assert f"sondhani {option}" in README


def test_the_readme_names_no_subcommand_that_does_not_exist() -> None:
    named = set(re.findall(r"^sondhani ([a-z]+)\b", README, re.M))
    assert named <= set(_subcommands()), named - set(_subcommands())
