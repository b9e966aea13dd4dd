"""The model agent: an OpenAI-compatible endpoint (DeepSeek API, vLLM, SGLang) driven through the
shared rollout loop, keeping DeepSeek-V3.2's thinking-in-tool-use rule.

One instance per rollout (it holds that rollout's usage, faults and context view); the ChatClient it
talks through is shared by all rollouts of a worker.
"""

from __future__ import annotations

from typing import Any

from synth.agent.base import AgentError
from synth.model.client import ChatClient
from synth.model.context import ContextWindow, estimate_tokens, request_messages
from synth.model.reply import normalize_reply
from synth.model.retry import ModelError
from synth.model.usage import Usage

MAX_RESAMPLES = 2  # replies with neither an answer nor a tool call, sampled again at most this often


class ModelAgent:
    name = "model"

    def __init__(self, client: ChatClient, *, max_resamples: int = MAX_RESAMPLES):
        self.client, self.config = client, client.config
        self.max_resamples = max_resamples
        self.usage = Usage()
        self.faults: list[str] = []
        self.context = ContextWindow(
            self.config.context_management, self.config.context_window, self.config.context_share
        )
        self._calls_made = 0
        self._known_tokens: int | None = None  # context size the server last reported
        self._known_at = 0  # ... for the stored messages up to this index

    def agent_config(self, max_turns: int) -> dict[str, Any]:
        """Stored with every trajectory: enough to reproduce the sampling (never the URL or key)."""
        return {"agent": self.name, **self.config.identity(), "max_turns": max_turns}

    def _tokens(self, messages: list[dict[str, Any]]) -> int:
        if self._known_tokens is None:
            return estimate_tokens(self.context.view(messages))
        return self._known_tokens + estimate_tokens(messages[self._known_at :])

    def _complete(self, view: list[dict[str, Any]], tools: list[dict[str, Any]] | None):
        request = request_messages(view, self.client.provider.echo_reasoning_as)
        retries = 0

        def on_fault(fault: str) -> None:
            nonlocal retries
            retries += 1
            self.faults.append(fault)

        try:
            completion = self.client.complete(request, tools, on_fault=on_fault)
        except ModelError as exc:
            self.usage = self.usage + Usage(retries=retries)
            raise AgentError(str(exc), reason=exc.reason) from None
        self.usage = self.usage + completion.usage
        return completion

    def _compact(self, messages: list[dict[str, Any]], tokens: int) -> bool:
        """Apply the context management once; False when there was nothing left to drop."""
        management = self.context.management
        if management == "discard-all":
            done = self.context.discard(messages, 1.0, tokens)
        elif management == "discard-75%":
            done = self.context.discard(messages, 0.75, tokens)
        elif management == "summary":
            try:
                summary = self._complete(self.context.view(messages) + [ContextWindow.summary_request()], None)
                text = (summary.message.get("content") or "").strip()
            except AgentError as exc:
                self.faults.append(f"summary_failed:{exc.reason}")
                text = ""
            done = self.context.summarize(messages, text or "(no summary could be made)", tokens)
        else:
            return False
        if done:
            self.faults.append(self.context.events[-1])
            self._known_tokens = None
        return done

    def act(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> dict[str, Any]:
        tokens = self._tokens(messages) if self.context.management != "none" else 0
        if self.context.over(tokens):
            self._compact(messages, tokens)
        offered = {t["function"]["name"] for t in tools}
        resamples = compactions = 0
        while True:
            try:
                completion = self._complete(self.context.view(messages), tools)
            except AgentError as exc:
                if exc.reason == "context_length" and compactions < 3 and self._compact(messages, tokens):
                    compactions += 1
                    continue
                raise
            reply = normalize_reply(
                completion.message,
                reasoning_fields=self.client.provider.reasoning_fields,
                offered=offered,
                thinking=self.config.thinking,
                call_number=self._calls_made + 1,
            )
            self.faults += reply.faults
            if completion.finish_reason == "length":
                self.faults.append("finish_reason_length")
            u = completion.usage
            # the reply about to be appended is already in completion_tokens
            self._known_tokens, self._known_at = (u.prompt_tokens + u.completion_tokens) or None, len(messages) + 1
            if reply.usable:
                self._calls_made += len(reply.message.get("tool_calls") or [])
                return reply.message
            if completion.finish_reason == "length":
                raise AgentError(
                    "the reply hit max_tokens before an answer or a tool call; raise --max-tokens", reason="max_tokens"
                )
            resamples += 1
            if resamples > self.max_resamples:
                raise AgentError(
                    f"{resamples} replies in a row had neither an answer nor a tool call", reason="empty_reply"
                )
