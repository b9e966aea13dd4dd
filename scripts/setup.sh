#!/usr/bin/env bash
# Sets up synth on Debian: bubblewrap, a virtual environment in .venv, the package in editable mode.
# Usage: scripts/setup.sh [--dsa]   (--dsa adds the CPU build of PyTorch and Triton for synth.dsa)
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
missing=()
command -v bwrap >/dev/null || missing+=(bubblewrap)
python3 -c "import ensurepip" 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
pip=(.venv/bin/python -m pip install -q --disable-pip-version-check)
if [ "${1:-}" = "--dsa" ]; then
  "${pip[@]}" "torch==2.13.0"   # the CPU build; a plain `torch` would pull a multi-GB CUDA build
  "${pip[@]}" -e ".[test,dsa]"
else
  "${pip[@]}" -e ".[test]"
fi
