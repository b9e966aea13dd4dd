#!/usr/bin/env bash
# Sets up synth with every extra and runs the whole test suite; extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dsa
exec .venv/bin/python -m pytest -q "$@"
