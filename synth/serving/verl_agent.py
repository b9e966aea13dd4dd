"""verl's agent loop for synth tasks, registered as `synth_agent`.

    synth export RUN --format verl --out DIR     # DIR/train.parquet, DIR/agent_loop.yaml
    python -m verl.trainer.main_ppo data.train_files=DIR/train.parquet data.return_raw_chat=True \\
        actor_rollout_ref.rollout.mode=async actor_rollout_ref.rollout.multi_turn.format=hermes \\
        actor_rollout_ref.rollout.agent.agent_loop_config_path=DIR/agent_loop.yaml ...

Each trajectory opens an episode of its row's task (`extra_info.task_id`) in the run's EnvPool (one per worker
process, see synth.serving.inprocess), renders the prompt with the episode's tools as their raw JSON schemas (verl's
own tool schema model would drop `items` and nested `properties`), generates with verl's server manager, runs the
tool calls it parses in the episode, and stops at a final message, a successful submit_answer, or a limit. The
reward is the task's verifier on the outcome (1.0 or 0.0), returned as `reward_score`, so verl's reward manager is
not asked. The run folder comes from the agent loop config (`run_dir:`, as the export writes it) or
$SYNTH_RUN_DIR.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any
from uuid import uuid4

from verl.experimental.agent_loop.agent_loop import AgentLoopBase, AgentLoopOutput, _agent_loop_registry, register

from synth.serving.inprocess import shared_pool
from synth.serving.pool import Episode

RUN_DIR_VARIABLE = "SYNTH_RUN_DIR"
AGENT_NAME = "synth_agent"


def _tool_schema_objects(tools: list[dict[str, Any]]) -> list[Any] | None:
    """verl's schema objects, for tool parsers that want them (the hermes parser does not); never rendered."""
    try:
        from verl.tools.schemas import OpenAIFunctionToolSchema

        return [OpenAIFunctionToolSchema.model_validate(t) for t in tools]
    except Exception:  # noqa: BLE001 - a schema verl's model cannot hold is still parsed by name
        return None


class SynthAgentLoop(AgentLoopBase):
    def __init__(
        self,
        *args: Any,
        run_dir: str | None = None,
        sandbox: str = "bwrap",
        workers: int = 2,
        max_sessions: int = 2048,
        ttl_s: float = 900.0,
        **kwargs: Any,
    ):
        kwargs.pop("tools", None)  # verl's configured tools; the task's own come from its episode
        kwargs.pop("name", None)
        super().__init__(*args, **kwargs)
        self.run_dir = run_dir or os.environ.get(RUN_DIR_VARIABLE)
        if not self.run_dir:
            raise ValueError(
                f"{AGENT_NAME} needs the run folder: `run_dir:` in the agent loop config "
                f"(synth export --format verl writes it) or ${RUN_DIR_VARIABLE}"
            )
        self.pool_options = {"sandbox": sandbox, "workers": workers, "max_sessions": max_sessions, "ttl_s": ttl_s}
        multi_turn = self.rollout_config.multi_turn
        self.max_assistant_turns = multi_turn.max_assistant_turns
        self.max_parallel_calls = multi_turn.max_parallel_calls
        self.max_tool_response_length = multi_turn.max_tool_response_length
        self.response_length = self.rollout_config.response_length
        from verl.experimental.agent_loop.tool_parser import ToolParser

        self.tool_parser = ToolParser.get_tool_parser(multi_turn.format, self.tokenizer)

    async def run(self, sampling_params: dict[str, Any], **kwargs: Any) -> AgentLoopOutput:
        extra_info = kwargs.get("extra_info") or {}
        task_id = extra_info.get("task_id")
        if not task_id:
            raise ValueError(f"{AGENT_NAME} needs extra_info.task_id in each row (synth export --format verl)")
        pool = await shared_pool(self.run_dir, **self.pool_options)
        episode = await pool.open(task_id, answer_mode=extra_info.get("answer_mode") or None)
        try:
            return await self._run(episode, list(kwargs.get("raw_prompt") or episode.messages), sampling_params)
        finally:
            await episode.close()

    async def _run(
        self, episode: Episode, messages: list[dict[str, Any]], sampling_params: dict[str, Any]
    ) -> AgentLoopOutput:
        tools = episode.tools  # raw JSON schemas, rendered as they are
        parser_tools = _tool_schema_objects(tools)
        metrics: dict[str, Any] = {}
        request_id = uuid4().hex
        prompt_ids = await self.ct_build_initial_tokens(messages, tools=tools)
        ids, mask, logprobs = list(prompt_ids), [], []
        answer, turns, tool_seconds = None, 0, 0.0
        if self.tool_parser.stop_token_ids:
            stop = list({*(sampling_params.get("stop_token_ids") or []), *self.tool_parser.stop_token_ids})
            sampling_params = {**sampling_params, "stop_token_ids": stop}
        started = time.perf_counter()
        while True:
            output = await self.server_manager.generate(
                request_id=request_id, prompt_ids=ids, sampling_params=sampling_params
            )
            turns += 1
            merged, mask, new_logprobs = await self.ct_merge_assistant_token(
                ids,
                output.token_ids,
                mask,
                logprobs if (logprobs or output.log_probs) else None,
                assistant_logprobs=output.log_probs or None,
            )
            ids, logprobs = merged.token_ids, new_logprobs or []
            content, calls = await self.tool_parser.extract_tool_calls(output.token_ids, parser_tools)
            if not calls:
                answer = self._plain(content)
                break
            if len(mask) >= self.response_length or (self.max_assistant_turns and turns >= self.max_assistant_turns):
                break
            calls = calls[: self.max_parallel_calls]
            assistant = {
                "role": "assistant",
                "content": self._plain(content) or "",
                "tool_calls": [
                    {
                        "id": f"call_{turns}_{i}",
                        "type": "function",
                        "function": {"name": c.name, "arguments": self._arguments(c.arguments)},
                    }
                    for i, c in enumerate(calls)
                ],
            }
            tick = time.perf_counter()
            results = [await episode.call(c.name, c.arguments) for c in calls]  # in order: writes depend on it
            tool_seconds += time.perf_counter() - tick
            if episode.done:  # submit_answer succeeded: the episode is over
                break
            before = [*messages, assistant]
            messages = before + [
                {
                    "role": "tool",
                    "tool_call_id": assistant["tool_calls"][i]["id"],
                    "content": self._truncate(r["content"]),
                }
                for i, r in enumerate(results)
            ]
            merged, mask, new_logprobs = await self.ct_merge_context_msg(
                before, messages, ids, mask, logprobs or None, tools=tools
            )
            if len(mask) >= self.response_length:
                break
            ids, logprobs = merged.token_ids, new_logprobs or []
        metrics["generate_sequences"] = time.perf_counter() - started - tool_seconds
        metrics["tool_calls"] = tool_seconds
        verdict = await episode.grade(answer)
        response_ids = ids[len(ids) - len(mask) :] if mask else []
        return AgentLoopOutput(
            prompt_ids=ids[: len(ids) - len(mask)],
            response_ids=response_ids[: self.response_length],
            response_mask=mask[: self.response_length],
            response_logprobs=logprobs[: self.response_length] if logprobs else None,
            num_turns=2 * turns,
            reward_score=1.0 if verdict.passed else 0.0,
            metrics=metrics,
            extra_fields={
                "turn_scores": [],
                "tool_rewards": [],
                "reward_extra_info": {"synth_passed": verdict.passed, "synth_reasons": "; ".join(verdict.reasons)},
            },
        )

    def _plain(self, text: str | None) -> str | None:
        """A message's text without the tokenizer's special tokens (end of turn and the like)."""
        if text is None:
            return None
        for token in getattr(self.tokenizer, "all_special_tokens", []):
            text = text.replace(token, "")
        return text.strip() or None

    @staticmethod
    def _arguments(arguments: str) -> Any:
        try:
            return json.loads(arguments)
        except (TypeError, ValueError):
            return arguments

    def _truncate(self, text: str) -> str:
        limit = self.max_tool_response_length
        return text if not limit or len(text) <= limit else text[:limit] + "...(truncated)"


# Registered on import, unless an agent loop config file already named it: verl loads that file before the first
# trajectory imports this module, and its entry carries `run_dir`, which a bare registration would drop.
if AGENT_NAME not in _agent_loop_registry:
    register(AGENT_NAME)(SynthAgentLoop)
