#!/usr/bin/env bash
# Sets up synth with every extra, makes sure Docker runs (for the docker sandbox tests), lints (ruff check and
# ruff format --check), and runs the whole test suite; extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dsa
scripts/docker.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/python -m pytest -q "$@"
