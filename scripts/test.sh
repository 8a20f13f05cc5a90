#!/usr/bin/env bash
# Set up (idempotent) and run the whole test suite: the command README.md shows and CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
. .venv/bin/activate
python -m pytest -q -p no:cacheprovider "$@"
