#!/usr/bin/env bash
# Set up (idempotent) and run the whole test suite: the command README.md shows and CI runs.
# The fast checks (scripts/check: lint, format, strict typing) come first; any finding fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
bash scripts/check
. .venv/bin/activate
python -m pytest -q -p no:cacheprovider "$@"
