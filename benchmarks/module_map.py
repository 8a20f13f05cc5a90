"""The module map of bot/ and retrieval/: folders, modules per folder, import levels and arrows.

    python -m benchmarks.module_map [ROOT]

ROOT defaults to this checkout; point it at a `git worktree` of an older commit to compare. An arrow is
one module importing another of the same package (function-level imports included: they are
dependencies too). The level of a module is 0 when it imports none of its package's modules, else one
more than the highest level it imports; a cycle would make levels undefined and is reported instead.
"Upward" counts arrows that go against the subsystem order tests/test_boundaries.py enforces.
"""

from __future__ import annotations

import argparse
import ast
from collections import Counter
from pathlib import Path

PACKAGES = ("retrieval", "bot")


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, package: str, known: set[str]) -> set[str]:
    """The package's modules that `path` imports (a `from pkg.sub import name` of a module counts it)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            if name.split(".")[0] == package and name in known:
                found.add(name)
    return found


def levels(graph: dict[str, set[str]]) -> dict[str, int] | None:
    """Longest import chain below each module; None when the graph has a cycle."""
    level: dict[str, int] = {}
    visiting: set[str] = set()

    def visit(module: str) -> int | None:
        if module in level:
            return level[module]
        if module in visiting:
            return None
        visiting.add(module)
        below = [visit(m) for m in graph[module]]
        visiting.discard(module)
        if any(b is None for b in below):
            return None
        level[module] = 1 + max((b for b in below if b is not None), default=-1)
        return level[module]

    for module in graph:
        if visit(module) is None:
            return None
    return level


def subsystem(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 else "(top)"


def report(root: Path, package: str) -> None:
    paths = sorted((root / package).rglob("*.py"))
    names = {module_name(root, p): p for p in paths}
    known = set(names)
    graph = {m: imports_of(p, package, known) - {m} for m, p in names.items()}
    arrows = sum(len(v) for v in graph.values())
    modules = [p for p in paths if p.name != "__init__.py"]
    folders = Counter(
        p.relative_to(root / package).parts[0] if p.parent != root / package else "(top)" for p in modules
    )
    level = levels({m: {d for d in deps if d != package} for m, deps in graph.items()})
    print(f"## {package}/ ({root})")
    print(
        f"modules: {len(modules)} (besides __init__), folders: {len(folders) - ('(top)' in folders)}, arrows: {arrows}"
    )
    print("import levels:", "cycle" if level is None else max(level.values(), default=0) + 1)
    print("| folder | modules |")
    print("|---|---|")
    for folder, count in sorted(folders.items()):
        print(f"| {folder} | {count} |")
    order = _subsystem_order(package)
    if order:
        rank = {name: i for i, name in enumerate(order)}
        upward = [
            f"{m} -> {d}"
            for m, deps in graph.items()
            for d in deps
            if subsystem(m) in rank and subsystem(d) in rank and rank[subsystem(d)] > rank[subsystem(m)]
        ]
        print(f"imports upward (against {' < '.join(order)}): {len(upward)}")
        for line in upward:
            print("  ", line)
    print()


def _subsystem_order(package: str) -> list[str]:
    """The order tests/test_boundaries.py checks, read from it so there is one list."""
    boundaries = Path(__file__).resolve().parents[1] / "tests" / "test_boundaries.py"
    tree = ast.parse(boundaries.read_text(encoding="utf-8"))
    wanted = f"{package.upper()}_LAYERS"
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == wanted for t in node.targets):
            value = ast.literal_eval(node.value)
            return [name for layer in value for name in (layer if isinstance(layer, tuple) else (layer,))]
    return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", nargs="?", type=Path, default=Path(__file__).resolve().parents[1])
    args = parser.parse_args()
    for package in PACKAGES:
        report(args.root.resolve(), package)


if __name__ == "__main__":
    main()
