#!/usr/bin/env bash
# Correctness check, benchmark table and tile sweep of the DSA kernels on a GPU machine.
# Usage: bash bench/dsa_gpu.sh [extra bench/dsa.py flags]; the log goes to ${OUT:-.}/dsa.log
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHONUNBUFFERED=1 python3 bench/dsa.py --check --tune "$@" 2>&1 | tee "${OUT:-.}/dsa.log"
