"""A model endpoint and how to sample from it: what `--model`, `--provider` and friends become."""

from __future__ import annotations

import os
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from synth.model.providers import ProviderName, get_provider

ContextManagement = Literal["none", "summary", "discard-75%", "discard-all"]


class MissingApiKey(ValueError):
    """The endpoint needs a key and the environment variable that should hold it is empty."""


class ModelConfig(BaseModel):
    """Never holds a key: only the name of the environment variable to read it from."""

    model_config = ConfigDict(frozen=True)

    model: str
    provider: ProviderName = "deepseek"
    base_url: str | None = None
    api_key_env: str | None = None
    thinking: bool = False
    temperature: float | None = Field(None, ge=0, le=2)
    top_p: float | None = Field(None, gt=0, le=1)
    max_tokens: int | None = Field(None, ge=1)
    timeout_s: float = Field(600.0, gt=0, description="one request")
    concurrency: int = Field(16, ge=1, description="requests in flight at once to this endpoint")
    max_attempts: int = Field(6, ge=1, description="tries per request (429, 5xx, timeouts, dropped connections)")
    backoff_s: float = Field(1.0, gt=0, description="first retry delay; doubles per attempt")
    max_backoff_s: float = Field(60.0, gt=0)
    context_management: ContextManagement = "none"
    context_window: int = Field(131_072, ge=1024, description="tokens the model accepts")
    context_share: float = Field(0.8, gt=0, lt=1, description="apply the context management past this share")

    @property
    def resolved_base_url(self) -> str | None:
        return self.base_url or get_provider(self.provider).default_base_url

    @property
    def resolved_key_env(self) -> str | None:
        return self.api_key_env or get_provider(self.provider).default_key_env

    def api_key(self) -> str:
        """The key from the environment; local servers (vllm, sglang) without a key variable get a dummy."""
        name = self.resolved_key_env
        if name is None:
            return "EMPTY"
        key = os.environ.get(name, "").strip()
        if not key:
            raise MissingApiKey(
                f"the {self.provider} endpoint needs an API key: export {name}=... "
                f"(or name another variable with --api-key-env)"
            )
        return key

    def identity(self) -> dict[str, Any]:
        """What shapes the data: model and sampling (no URL, no key, no speed settings)."""
        return self.model_dump(
            mode="json",
            include={
                "model",
                "provider",
                "thinking",
                "temperature",
                "top_p",
                "max_tokens",
                "context_management",
                "context_window",
                "context_share",
            },
        )


def endpoints_from_options(
    *,
    model: str | None,
    solver_model: str | None = None,
    solver_provider: str | None = None,
    solver_base_url: str | None = None,
    solver_api_key_env: str | None = None,
    **shared: Any,
) -> dict[str, ModelConfig | None]:
    """`{"model", "solver"}` for RunConfig from command-line options. The solver takes the proposer's
    settings except where a --solver-* option says otherwise; without any it is the same endpoint."""
    shared = {k: v for k, v in shared.items() if v is not None}
    main = ModelConfig(model=model, **shared) if model else None
    if not (solver_model or solver_provider or solver_base_url or solver_api_key_env):
        return {"model": main, "solver": None}
    if not (solver_model or model):
        raise ValueError("--solver-* options need --solver-model (or --model)")
    same_provider = solver_provider in (None, shared.get("provider", "deepseek"))
    solver = {
        **shared,
        "model": solver_model or model,
        "provider": solver_provider or shared.get("provider", "deepseek"),
        "base_url": solver_base_url or (shared.get("base_url") if same_provider else None),
        "api_key_env": solver_api_key_env or (shared.get("api_key_env") if same_provider else None),
    }
    return {"model": main, "solver": ModelConfig(**{k: v for k, v in solver.items() if v is not None})}
