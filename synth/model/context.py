"""What the model is shown: DeepSeek-V3.2's thinking-in-tool-use rule, and optional context management.

The rule: an assistant message keeps its reasoning while only tool calls and tool results follow it;
once a new user message arrives, the reasoning of every earlier assistant message is dropped (their
tool calls and results stay).

Context management for long trajectories (the report's search-agent experiments), applied when the
context passes a share of the window: `discard-75%` hides the oldest three quarters of the tool-call
history, `discard-all` hides all of it, `summary` replaces it with the model's own summary. Hidden
messages stay in the stored trajectory; only the model's view shrinks.
"""

from __future__ import annotations

import math
from typing import Any

from synth.prompts import render_prompt


def request_messages(messages: list[dict[str, Any]], echo_reasoning_as: str | None) -> list[dict[str, Any]]:
    """Messages as sent to the server, with reasoning kept exactly where the rule keeps it."""
    last_user = max((i for i, m in enumerate(messages) if m["role"] == "user"), default=-1)
    out: list[dict[str, Any]] = []
    for i, m in enumerate(messages):
        role = m["role"]
        if role == "assistant":
            msg: dict[str, Any] = {"role": "assistant", "content": m.get("content") or ""}
            if m.get("tool_calls"):
                msg["tool_calls"] = [
                    {
                        "id": c["id"],
                        "type": "function",
                        "function": {"name": c["function"]["name"], "arguments": c["function"]["arguments"]},
                    }
                    for c in m["tool_calls"]
                ]
            if echo_reasoning_as and m.get("reasoning_content") and i > last_user:
                msg[echo_reasoning_as] = m["reasoning_content"]
        elif role == "tool":
            msg = {"role": "tool", "tool_call_id": m["tool_call_id"], "content": m.get("content") or ""}
        else:
            msg = {"role": role, "content": m.get("content") or ""}
        out.append(msg)
    return out


def estimate_tokens(messages: list[dict[str, Any]]) -> int:
    """About four characters a token; used where the server has not reported a count yet."""
    chars = 0
    for m in messages:
        chars += len(m.get("content") or "") + len(m.get("reasoning_content") or "")
        for c in m.get("tool_calls") or []:
            chars += len(c["function"]["name"]) + len(c["function"]["arguments"])
    return chars // 4


class ContextWindow:
    """Per-rollout view of the trajectory: which stored messages the model still sees."""

    def __init__(self, management: str, window: int, share: float):
        self.management, self.limit = management, int(window * share)
        self.hidden: set[int] = set()
        self.notes: dict[int, dict[str, Any]] = {}  # an injected message, placed before stored index i
        self.events: list[str] = []

    def over(self, tokens: int) -> bool:
        return self.management != "none" and tokens > self.limit

    def view(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for i in range(len(messages) + 1):
            if i in self.notes:
                out.append(self.notes[i])
            if i < len(messages) and i not in self.hidden:
                out.append(messages[i])
        return out

    def _groups(self, messages: list[dict[str, Any]]) -> list[list[int]]:
        """Visible tool-call rounds after the task's user message: an assistant call and its results."""
        first_user = next((i for i, m in enumerate(messages) if m["role"] == "user"), len(messages))
        groups: list[list[int]] = []
        for i in range(first_user + 1, len(messages)):
            if i in self.hidden:
                continue
            m = messages[i]
            if m["role"] == "assistant" and m.get("tool_calls"):
                groups.append([i])
            elif m["role"] == "tool" and groups:
                groups[-1].append(i)
        return groups

    def discard(self, messages: list[dict[str, Any]], fraction: float, tokens: int) -> bool:
        groups = self._groups(messages)
        drop = math.ceil(len(groups) * fraction)
        if not drop:
            return False
        for group in groups[:drop]:
            self.hidden.update(group)
        self.events.append(f"context {self.management} at ~{tokens} tokens: hid {drop} of {len(groups)} tool rounds")
        return True

    def summarize(self, messages: list[dict[str, Any]], summary: str, tokens: int) -> bool:
        groups = self._groups(messages)
        if not groups:
            return False
        for group in groups:
            self.hidden.update(group)
        self.notes = {len(messages): {"role": "user", "content": render_prompt("context_resume", summary=summary)}}
        self.events.append(f"context summary at ~{tokens} tokens: replaced {len(groups)} tool rounds")
        return True

    @staticmethod
    def summary_request() -> dict[str, Any]:
        return {"role": "user", "content": render_prompt("context_summary")}
