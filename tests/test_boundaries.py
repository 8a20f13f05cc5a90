"""The boundary between the library and its callers, checked on the source with `ast`.

retrieval/ is a synchronous library that knows nothing of Telegram and reads no environment: it never
imports `telegram` or `bot`, and never touches `os.environ` or `os.getenv`. bot/ and benchmarks/ use the
library only through `retrieval` (retrieval/__init__.py), never a submodule of it, so a submodule can
be split or renamed by changing that one file.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import retrieval
from tests.support.paths import REPO


def python_files(package: str) -> list[Path]:
    return sorted((REPO / package).rglob("*.py"))


def imported_modules(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, module) of every import, absolute names only (`from . import x` is package-local)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def environment_reads(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """`os.environ` / `os.getenv` / `os.putenv` used as attributes, or imported by name from os."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "os":
            if node.attr in {"environ", "environb", "getenv", "getenvb", "putenv"}:
                yield node.lineno, f"os.{node.attr}"
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            for alias in node.names:
                if alias.name in {"environ", "environb", "getenv", "getenvb", "putenv"}:
                    yield node.lineno, f"from os import {alias.name}"


def where(path: Path, line: int) -> str:
    return f"{path.relative_to(REPO)}:{line}"


def test_the_library_imports_neither_telegram_nor_the_bot() -> None:
    found = [
        f"{where(path, line)} imports {module}"
        for path in python_files("retrieval")
        for line, module in imported_modules(ast.parse(path.read_text(encoding="utf-8")))
        if module.split(".")[0] in {"telegram", "bot"}
    ]
    assert found == [], "retrieval/ must not know about Telegram or the bot:\n" + "\n".join(found)


def test_the_library_reads_no_environment() -> None:
    found = [
        f"{where(path, line)} uses {what}"
        for path in python_files("retrieval")
        for line, what in environment_reads(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert found == [], "retrieval/ takes its configuration from its caller (EngineConfig):\n" + "\n".join(found)


def test_callers_use_only_the_library_surface() -> None:
    found = [
        f"{where(path, line)} imports {module}"
        for package in ("bot", "benchmarks")
        for path in python_files(package)
        for line, module in imported_modules(ast.parse(path.read_text(encoding="utf-8")))
        if module.startswith("retrieval.")
    ]
    assert found == [], "import from `retrieval` (retrieval/__init__.py), not a submodule:\n" + "\n".join(found)


def test_callers_import_only_exported_names() -> None:
    """`from retrieval import uploads` would reach a submodule too: every name must be in __all__."""
    found = [
        f"{where(path, node.lineno)} imports retrieval.{alias.name}"
        for package in ("bot", "benchmarks")
        for path in python_files(package)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == "retrieval"
        for alias in node.names
        if alias.name not in retrieval.__all__
    ]
    assert found == [], "not in retrieval.__all__:\n" + "\n".join(found)


def test_every_exported_name_resolves() -> None:
    """Each name in retrieval.__all__ loads from the submodule the lazy table names (and none is missing)."""
    assert sorted(retrieval.__all__) == sorted(retrieval._HOMES)
    submodules = {
        path.stem if path.parent.name == "retrieval" else path.parent.name for path in python_files("retrieval")
    }
    # importing retrieval.x sets the package's attribute x to the module, hiding an exported name x
    assert submodules.isdisjoint(retrieval.__all__)
    for name in retrieval.__all__:
        assert getattr(retrieval, name) is not None, name
