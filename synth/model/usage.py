"""Token and latency accounting for model calls: per rollout, per proposer conversation, per run."""

from __future__ import annotations

import threading
from typing import Any

from pydantic import BaseModel


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    reasoning_tokens: int = 0  # part of completion_tokens
    calls: int = 0  # completed model calls
    retries: int = 0  # failed attempts that were retried
    latency_s: float = 0.0  # time spent waiting for the model, retries and backoff included

    def __add__(self, other: "Usage") -> "Usage":
        return Usage(**{k: getattr(self, k) + getattr(other, k) for k in Usage.model_fields})

    @classmethod
    def of_response(cls, usage: dict[str, Any] | None, latency_s: float) -> "Usage":
        """From a chat completion's `usage` object; servers that report nothing count zero tokens."""
        usage = usage or {}
        details = usage.get("completion_tokens_details") or {}
        return cls(
            prompt_tokens=int(usage.get("prompt_tokens") or 0),
            completion_tokens=int(usage.get("completion_tokens") or 0),
            reasoning_tokens=int(details.get("reasoning_tokens") or usage.get("reasoning_tokens") or 0),
            calls=1,
            latency_s=latency_s,
        )


class UsageMeter:
    """A thread-safe running total (one per client: the whole run's calls through one endpoint)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._total = Usage()

    def add(self, usage: Usage) -> None:
        with self._lock:
            self._total = self._total + usage

    @property
    def total(self) -> Usage:
        with self._lock:
            return self._total.model_copy()
