#!/usr/bin/env bash
# Sets up synth and runs the main job on the built-in defaults; extra arguments go to `synth generate`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/synth generate --envs 12 --out runs/demo "$@"
