"""How each kind of endpoint switches thinking on and where it puts the reasoning.

- deepseek: the official API. `deepseek-reasoner` always thinks; `deepseek-chat` thinks with
  `thinking: {type: enabled}`. Reasoning comes back as `reasoning_content` and must be sent back
  with each assistant message of the current user turn.
- vllm / sglang: serving V3.2 with its reasoning parser; thinking per request through
  `chat_template_kwargs`. Newer vLLM names the field `reasoning`, so both names are read.
- openai: any other OpenAI-compatible endpoint; `reasoning_effort` asks for thinking and reasoning
  is never sent back (the API does not accept it).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

ProviderName = Literal["deepseek", "vllm", "sglang", "openai"]


class Provider(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: ProviderName
    default_base_url: str | None  # None: the openai client's own default
    default_key_env: str | None  # None: a local server that needs no key
    reasoning_fields: tuple[str, ...] = ("reasoning_content", "reasoning")
    echo_reasoning_as: str | None = "reasoning_content"
    max_tokens_field: str = "max_tokens"

    def thinking_body(self, thinking: bool) -> dict[str, Any]:
        """The `extra_body` that switches thinking on (or explicitly off where the server takes that)."""
        if self.name == "deepseek":
            return {"thinking": {"type": "enabled"}} if thinking else {}
        if self.name in ("vllm", "sglang"):
            return {"chat_template_kwargs": {"thinking": thinking}}
        return {"reasoning_effort": "medium"} if thinking else {}


PROVIDERS: dict[str, Provider] = {
    "deepseek": Provider(
        name="deepseek",
        default_base_url="https://api.deepseek.com",
        default_key_env="DEEPSEEK_API_KEY",
        reasoning_fields=("reasoning_content",),
    ),
    "vllm": Provider(name="vllm", default_base_url="http://127.0.0.1:8000/v1", default_key_env=None),
    "sglang": Provider(name="sglang", default_base_url="http://127.0.0.1:30000/v1", default_key_env=None),
    "openai": Provider(
        name="openai",
        default_base_url=None,
        default_key_env="OPENAI_API_KEY",
        echo_reasoning_as=None,
        max_tokens_field="max_completion_tokens",
    ),
}


def get_provider(name: str) -> Provider:
    try:
        return PROVIDERS[name]
    except KeyError:
        raise ValueError(f"unknown provider {name!r}; choose one of: {', '.join(PROVIDERS)}") from None
