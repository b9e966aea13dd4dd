"""Deterministic seeds and content-hash ids: every id is a pure function of its inputs."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def digest(*parts: Any, length: int = 16) -> str:
    return hashlib.sha256(canonical_json(list(parts)).encode()).hexdigest()[:length]


def derive_seed(*parts: Any) -> int:
    """A 63-bit seed from any JSON-able parts (never Python's salted hash())."""
    return int(digest(*parts, length=16), 16) & (2**63 - 1)


def env_id(template: str, version: str, seed: int, instance: str | None = None) -> str:
    return (
        f"env-{digest(template, version, seed)}"
        if instance is None
        else f"env-{digest(template, version, seed, instance)}"
    )
