#!/usr/bin/env bash
# The main job from a fresh clone: set up, index the bundled articles, answer a sample question.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. .venv/bin/activate
sondhani index
sondhani ask "${1:-যুদ্ধে কতজন বেসামরিক মানুষ আহত হয়েছেন?}"
