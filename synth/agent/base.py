"""The agent protocol: given the conversation and the offered tools, produce the next assistant message."""

from __future__ import annotations

from typing import Any, Protocol


class Agent(Protocol):
    name: str

    def act(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> dict[str, Any]:
        """Return one assistant message in OpenAI chat format (content and/or tool_calls)."""
        ...


class AgentError(RuntimeError):
    """The agent could not produce a message; the rollout ends with this as its error.
    `reason` becomes the rollout's finish reason (model_error, context_length, empty_reply, ...)."""

    def __init__(self, message: str, reason: str = "agent_error"):
        super().__init__(message)
        self.reason = reason
