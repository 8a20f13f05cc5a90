#!/usr/bin/env bash
# Set up (idempotent) and run the whole test suite: the command README.md shows and CI runs.
# Lint, format and strict typing (what pyproject.toml configures) come first; any finding fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
. .venv/bin/activate
CODE=(bot retrieval tests benchmarks)
ruff check "${CODE[@]}"
ruff format --check "${CODE[@]}"
mypy --strict "${CODE[@]}"
python -m pytest -q -p no:cacheprovider "$@"
