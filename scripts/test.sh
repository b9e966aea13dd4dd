#!/usr/bin/env bash
# Sets up synth with every extra, makes sure Docker runs (for the docker sandbox tests), and runs the whole
# test suite; extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dsa
scripts/docker.sh
exec .venv/bin/python -m pytest -q "$@"
