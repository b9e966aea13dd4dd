"""One endpoint shared by every rollout of a worker: the openai client, the in-flight cap, retries and
the running usage total. Thread-safe; many rollouts call it at once."""

from __future__ import annotations

import random
import threading
import time
from contextlib import nullcontext
from functools import lru_cache
from typing import Any, Callable

import openai
from pydantic import BaseModel

from synth.model.endpoint import ModelConfig
from synth.model.providers import Provider, get_provider
from synth.model.retry import Retryable, call_with_retry
from synth.model.slots import SharedSlots, shared_slots
from synth.model.usage import Usage, UsageMeter


class Completion(BaseModel):
    message: dict[str, Any]  # choices[0].message, every field the server sent
    finish_reason: str | None
    usage: Usage  # this call, retries and backoff included in latency


class ChatClient:
    """`concurrency` caps this process's requests in flight; `shared`, a cap shared with other processes."""

    def __init__(self, config: ModelConfig, *, concurrency: int | None = None, shared: SharedSlots | None = None):
        self.config = config
        self.provider: Provider = get_provider(config.provider)
        self._key = config.api_key()
        self._openai = openai.OpenAI(
            api_key=self._key, base_url=config.resolved_base_url, timeout=config.timeout_s, max_retries=0
        )
        self.slots = threading.BoundedSemaphore(concurrency or config.concurrency)
        self.shared = shared
        self.meter = UsageMeter()
        self._rng = random.Random(0)  # backoff jitter only; never shapes data

    def redact(self, text: str) -> str:
        return text.replace(self._key, "***") if self._key and self._key != "EMPTY" else text

    def _body(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None) -> dict[str, Any]:
        c = self.config
        body: dict[str, Any] = {"model": c.model, "messages": messages}
        if tools:
            body["tools"] = tools
        if c.temperature is not None:
            body["temperature"] = c.temperature
        if c.top_p is not None:
            body["top_p"] = c.top_p
        if c.max_tokens is not None:
            body[self.provider.max_tokens_field] = c.max_tokens
        body.update(self.provider.thinking_body(c.thinking))
        return body

    def complete(
        self,
        messages: list[dict[str, Any]],
        tools: list[dict[str, Any]] | None = None,
        *,
        on_fault: Callable[[str], None] = lambda fault: None,
    ) -> Completion:
        """One chat completion; transient failures are retried, each retry reported to `on_fault`.
        Raises ModelError (or ContextLengthExceeded) when the request cannot succeed."""
        body = self._body(messages, tools)
        retries = 0

        def once() -> dict[str, Any]:
            # The client's generic POST (its documented way to call any endpoint) takes the body as JSON:
            # the typed chat.completions.create re-validates every message and costs ~5x the CPU on long contexts.
            with self.slots, self.shared or nullcontext():
                data = self._openai.post("/chat/completions", body=body, cast_to=object)
            if not isinstance(data, dict) or not data.get("choices"):
                raise Retryable("the reply has no choices")
            return data

        def retried(fault: str, delay: float) -> None:
            nonlocal retries
            retries += 1
            on_fault(f"retry:{fault}")

        start = time.monotonic()
        try:
            data = call_with_retry(
                once,
                max_attempts=self.config.max_attempts,
                backoff_s=self.config.backoff_s,
                max_backoff_s=self.config.max_backoff_s,
                on_retry=retried,
                rng=self._rng,
            )
        except Exception as exc:
            self.meter.add(Usage(retries=retries, latency_s=time.monotonic() - start))
            exc.args = tuple(self.redact(str(a)) for a in exc.args)
            raise
        choice = data["choices"][0]
        usage = Usage.of_response(data.get("usage"), time.monotonic() - start)
        usage = usage.model_copy(update={"retries": retries})
        self.meter.add(usage)
        return Completion(message=choice.get("message") or {}, finish_reason=choice.get("finish_reason"), usage=usage)


@lru_cache(maxsize=8)
def shared_client(config: ModelConfig) -> ChatClient:
    """One client per endpoint and process, so every rollout of a worker shares its connections and cap; in a
    Ray run, the cap is also shared with every other worker (see synth.model.slots)."""
    return ChatClient(config, shared=shared_slots(config))
