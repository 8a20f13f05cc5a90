"""The boundary between the library and its callers, checked on the source with `ast`.

retrieval/ is a synchronous library that knows nothing of Telegram and reads no environment: it never
imports `telegram` or `bot`, and never touches `os.environ` or `os.getenv`. bot/ and benchmarks/ use the
library only through `retrieval` (retrieval/__init__.py), never a submodule of it, so a submodule can
be split or renamed by changing that one file.

Inside each package, subsystems (folders) are layered: a lower one never imports a higher one, and a
subsystem never imports the package's top-level facade modules (retrieval's engine, config, evaluation).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import retrieval
from tests.support.paths import REPO

# Lowest first. retrieval's shared records and errors sit below all of these; its engine, config and
# evaluation above them. In bot/, the top-level modules (settings, context, render...) sit between.
RETRIEVAL_LAYERS = ("text", "corpus", "encoders", "web", "feeds", "index", "search")
RETRIEVAL_FACADE = ("retrieval.engine", "retrieval.config", "retrieval.evaluation")
BOT_LAYERS = ("messages", "store", "jobs", "handlers", "server", "cli")


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


def layer_of(path: Path, package: str, layers: tuple[str, ...]) -> int | None:
    """The index of the subsystem folder a file of `package` lives in; None for its top-level modules."""
    parts = path.relative_to(REPO / package).parts
    return layers.index(parts[0]) if len(parts) > 1 and parts[0] in layers else None


def upward_imports(package: str, layers: tuple[str, ...]) -> list[str]:
    """Imports from a subsystem into a higher one (or into a folder the layer list does not know)."""
    found = []
    for path in python_files(package):
        here = layer_of(path, package, layers)
        parts = path.relative_to(REPO / package).parts
        if len(parts) > 1 and here is None:
            found.append(f"{where(path, 1)}: folder {parts[0]!r} is missing from the layer list")
            continue
        for line, module in imported_modules(ast.parse(path.read_text(encoding="utf-8"))):
            names = module.split(".")
            if names[0] != package or len(names) < 2 or names[1] not in layers:
                continue
            there = layers.index(names[1])
            if here is not None and there > here:
                found.append(f"{where(path, line)} ({layers[here]}) imports {module} ({layers[there]})")
    return found


def test_retrieval_subsystems_import_only_downward() -> None:
    found = upward_imports("retrieval", RETRIEVAL_LAYERS)
    found += [
        f"{where(path, line)} imports the facade module {module}"
        for path in python_files("retrieval")
        if layer_of(path, "retrieval", RETRIEVAL_LAYERS) is not None
        for line, module in imported_modules(ast.parse(path.read_text(encoding="utf-8")))
        if module in RETRIEVAL_FACADE
    ]
    assert found == [], "a lower subsystem must not import a higher one:\n" + "\n".join(found)


def test_bot_areas_import_only_downward() -> None:
    found = upward_imports("bot", BOT_LAYERS)
    top_level = [p for p in python_files("bot") if p.parent == REPO / "bot" and p.name != "__main__.py"]
    found += [
        f"{where(path, line)} imports {module}"
        for path in top_level
        for line, module in imported_modules(ast.parse(path.read_text(encoding="utf-8")))
        if module.split(".")[:2] in (["bot", "handlers"], ["bot", "server"], ["bot", "cli"])
    ]
    assert found == [], "a lower area of bot/ must not import a higher one:\n" + "\n".join(found)


def test_benchmarks_import_nothing_from_tests() -> None:
    """Benchmarks print numbers about the product; what needs test doubles lives in tests/suites."""
    found = [
        f"{where(path, line)} imports {module}"
        for path in python_files("benchmarks")
        for line, module in imported_modules(ast.parse(path.read_text(encoding="utf-8")))
        if module.split(".")[0] == "tests"
    ]
    assert found == [], "benchmarks/ must not import tests/:\n" + "\n".join(found)


def module_graph(package: str) -> dict[str, set[str]]:
    """Each module of the package and the package's modules it imports (type-checking imports included)."""
    modules = {
        ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__"): path
        for path in python_files(package)
    }
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        imported = {module for _, module in imported_modules(ast.parse(path.read_text(encoding="utf-8")))}
        graph[name] = {m for m in imported if m in modules and m != name and m != package}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One import cycle through each module that is on one (depth-first search)."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for other in sorted(graph[module]):
            if state.get(other) == 1:
                found.append(path[path.index(other) :] + [module, other])
            elif other not in state:
                visit(other, [*path, module])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [])
    return found


def test_no_import_cycles() -> None:
    """Modules form layers, even for the type checker: a cycle means two modules are really one."""
    found = [" -> ".join(cycle) for package in ("retrieval", "bot") for cycle in cycles(module_graph(package))]
    assert found == [], "import cycles:\n" + "\n".join(found)
