"""Shared pieces of the model tests: endpoint configs pointing at the scripted server, a notes task."""

from __future__ import annotations

import json

from synth.expect import Answer, Effects
from synth.model.client import ChatClient
from synth.model.endpoint import ModelConfig
from synth.programs import compose_verifier
from synth.task import Program, TaskSpec

TEST_KEY_ENV = "SYNTH_TEST_API_KEY"
TEST_KEY = "sk-test-0123456789abcdef"


def endpoint(server, **overrides) -> ModelConfig:
    """Fast retries and short timeouts so fault tests take seconds; the key comes from TEST_KEY_ENV."""
    fields = dict(
        model="scripted",
        provider="deepseek",
        base_url=server.url,
        api_key_env=TEST_KEY_ENV,
        backoff_s=0.01,
        max_backoff_s=0.05,
        timeout_s=5.0,
        max_attempts=4,
    )
    return ModelConfig(**{**fields, **overrides})


def client(server, **overrides) -> ChatClient:
    return ChatClient(endpoint(server, **overrides))


def count_task(env, tag: str = "alpha") -> TaskSpec:
    env.reset()
    answer = Answer.integer(len(json.loads(env.call_tool("list_notes", {"tag": tag}).content)))
    instruction = f"How many notes are tagged {tag}?"
    return TaskSpec.create(
        env_id="env-test",
        template="notes",
        template_version="0.2.0",
        category="notes",
        agent_category="general",
        difficulty=1,
        shape="count_tag",
        instruction=instruction,
        system_prompt="You manage a notebook.",
        tools=env.info.tools,
        solution=Program(
            source="def solve(tools, params):\n    return len(tools.list_notes(tag=params['tag']))\n",
            entry="solve",
            params={"tag": tag},
        ),
        verifier=compose_verifier(answer, Effects(), None, instruction),
        env_seed=env.seed,
        answer_schema=answer.schema(),
    )
