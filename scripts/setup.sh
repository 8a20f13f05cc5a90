#!/usr/bin/env bash
# Create .venv and install Sondhani with its dev extra. torch comes first, pinned to the CPU build:
# left to choose, pip pulls gigabytes of CUDA packages through sentence-transformers.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
. .venv/bin/activate
python -m pip install --quiet "torch==2.13.0"
python -m pip install --quiet -e ".[dev]"
