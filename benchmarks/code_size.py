"""Module and function sizes of `bot/` and `retrieval/`: modules over 300 lines and the largest functions, rerunnable.

Usage: python -m benchmarks.code_size [ROOT] [--top N]

ROOT defaults to this checkout; point it at another checkout (a `git worktree` of an older commit) to
print the "before" table. Lines are physical lines of the file; a function's size runs from its `def`
(decorators included) to its last line, so nested functions count inside their parent too.
"""

from __future__ import annotations

import argparse
import ast
from dataclasses import dataclass
from pathlib import Path

PACKAGES = ("bot", "retrieval")


@dataclass(frozen=True)
class FunctionSize:
    """One function or method and its length in lines."""

    module: str
    name: str
    lines: int


def module_lines(root: Path) -> dict[str, int]:
    """Line count of every Python module under the packages, keyed by path relative to ROOT."""
    return {
        str(path.relative_to(root)): len(path.read_text(encoding="utf-8").splitlines())
        for package in PACKAGES
        for path in sorted((root / package).rglob("*.py"))
    }


def function_sizes(root: Path) -> list[FunctionSize]:
    """Every function and method under the packages, largest first."""
    sizes = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None:
                    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                    lines = node.end_lineno - first + 1
                    sizes.append(FunctionSize(str(path.relative_to(root)), node.name, lines))
    return sorted(sizes, key=lambda size: -size.lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--top", type=int, default=5, help="rows in each table (default 5)")
    args = parser.parse_args()
    root: Path = args.root.resolve()

    modules = sorted(module_lines(root).items(), key=lambda item: -item[1])
    functions = function_sizes(root)
    over = [name for name, lines in modules if lines > 300]
    print(f"{root}: {len(modules)} modules, {len(functions)} functions; modules over 300 lines: {len(over)}")
    print("\n| module | lines |\n|---|---|")
    for name, lines in modules[: args.top]:
        print(f"| {name} | {lines} |")
    print("\n| function | module | lines |\n|---|---|---|")
    for size in functions[: args.top]:
        print(f"| {size.name} | {size.module} | {size.lines} |")


if __name__ == "__main__":
    main()
