"""A conversation with the proposing model. Its requests keep the V3.2 context rule too: each new
instruction from the pipeline is a user turn, so earlier reasoning is dropped and drafts stay."""

from __future__ import annotations

from typing import Any

from synth.model.client import ChatClient
from synth.model.context import request_messages
from synth.model.reply import normalize_reply
from synth.model.retry import ModelError
from synth.model.usage import Usage

TEXT_ATTEMPTS = 3


class Chat:
    def __init__(self, client: ChatClient, system: str):
        self.client = client
        self.messages: list[dict[str, Any]] = [{"role": "system", "content": system}]
        self.usage = Usage()
        self.faults: list[str] = []

    def ask(self, text: str) -> str:
        """The model's reply text. Raises ModelError when the endpoint fails or sends no text."""
        self.messages.append({"role": "user", "content": text})
        provider = self.client.provider
        for _ in range(TEXT_ATTEMPTS):
            completion = self.client.complete(
                request_messages(self.messages, provider.echo_reasoning_as), None, on_fault=self.faults.append
            )
            self.usage = self.usage + completion.usage
            reply = normalize_reply(
                completion.message,
                reasoning_fields=provider.reasoning_fields,
                offered=set(),
                thinking=self.client.config.thinking,
                call_number=1,
            )
            self.faults += reply.faults
            content = reply.message.get("content")
            if content:
                self.messages.append(
                    {
                        "role": "assistant",
                        "content": content,
                        "reasoning_content": reply.message.get("reasoning_content"),
                    }
                )
                return content
        raise ModelError(f"the proposing model sent no text in {TEXT_ATTEMPTS} replies")
