"""Runs inside a virtual environment holding verl: the `synth_agent` agent loop driven as verl's AgentLoopWorker
drives it, against a scripted model.

    python verl_agent_loop.py EXPORT_DIR PLAN.json   -> one JSON line: {"results": [...], "checks": {...}}

verl's own code does the rest: the export's agent_loop.yaml is loaded into verl's agent loop registry and the loop
instantiated through hydra with the arguments AgentLoopWorker passes; the export's parquet is read by verl's
RLHFDataset and batched by its collate_fn into a DataProto, whose non-tensor rows become the loop's kwargs; prompts
are tokenized by verl's Continuous Token builder, and tool calls parsed by its hermes parser. Only the LLM server is
scripted: per episode, the plan lists the assistant turns to "generate" (tool calls, or a final text), turned into
token ids of a small tokenizer trained here (no model or tokenizer can be downloaded). Episodes run concurrently.
"""

import asyncio
import json
import sys
from pathlib import Path

import hydra
from omegaconf import OmegaConf
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast
from verl.experimental.agent_loop.agent_loop import DictConfigWrap, ToolListWrap, _agent_loop_registry
from verl.protocol import DataProto
from verl.tools.schemas import OpenAIFunctionToolSchema
from verl.utils.dataset.rl_dataset import RLHFDataset, collate_fn
from verl.workers.rollout.replica import TokenOutput

SPECIAL = [
    "<|endoftext|>",
    "<|im_start|>",
    "<|im_end|>",
    "<tool_call>",
    "</tool_call>",
    "<tool_response>",
    "</tool_response>",
]

# A hermes-style chat template (tools as JSON in the system turn, <tool_call> blocks, tool results as user turns)
TEMPLATE = """{%- set ns = namespace(system='') -%}
{%- if messages[0].role == 'system' %}{% set ns.system = messages[0].content %}{% endif -%}
{%- if tools or ns.system %}<|im_start|>system
{{ ns.system }}
{%- if tools %}

# Tools
<tools>
{%- for tool in tools %}
{{ tool | tojson }}
{%- endfor %}
</tools>
Call a tool with <tool_call>{"name": <name>, "arguments": <arguments>}</tool_call>.
{%- endif %}<|im_end|>
{% endif -%}
{%- for m in messages -%}
{%- if m.role == 'user' %}<|im_start|>user
{{ m.content }}<|im_end|>
{% elif m.role == 'assistant' %}<|im_start|>assistant
{{ m.content or '' }}
{%- for c in m.tool_calls or [] %}<tool_call>{"name": "{{ c.function.name }}", "arguments": {{ c.function.arguments | tojson if c.function.arguments is mapping else c.function.arguments }}}</tool_call>{% endfor %}<|im_end|>
{% elif m.role == 'tool' %}<|im_start|>user
<tool_response>
{{ m.content }}
</tool_response><|im_end|>
{% endif -%}
{%- endfor -%}
{%- if add_generation_prompt %}<|im_start|>assistant
{% endif -%}"""


def tokenizer_for(texts):
    tok = Tokenizer(models.BPE(unk_token=None))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=2000, special_tokens=SPECIAL, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    tok.train_from_iterator(texts, trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>", chat_template=TEMPLATE
    )


def turn_text(turn):
    if turn.get("tool_calls"):
        return (
            "".join(
                "<tool_call>" + json.dumps({"name": c["name"], "arguments": c["arguments"]}) + "</tool_call>"
                for c in turn["tool_calls"]
            )
            + "<|im_end|>"
        )
    return (turn.get("content") or "") + "<|im_end|>"


class ScriptedServer:
    """Stands in for verl's LLMServerClient: `generate` returns the plan's next assistant turn as token ids."""

    def __init__(self, tokenizer, turns):
        self.tokenizer, self.turns, self.prompts = tokenizer, list(turns), []

    async def generate(self, request_id, *, prompt_ids, sampling_params, **_):
        self.prompts.append(list(prompt_ids))
        await asyncio.sleep(0)  # let the other episodes interleave
        turn = self.turns.pop(0) if self.turns else {"content": "I am out of script."}
        return TokenOutput(token_ids=self.tokenizer.encode(turn_text(turn), add_special_tokens=False))


async def main(export_dir, plan_path):
    export_dir = Path(export_dir)
    plan = json.loads(Path(plan_path).read_text())
    texts = [json.dumps(plan)] + [json.dumps(t) for t in plan["tools"]] + plan["texts"]
    tokenizer = tokenizer_for(texts)
    config = OmegaConf.create(
        {
            "actor_rollout_ref": {
                "rollout": {
                    "prompt_length": 16384,
                    "response_length": 16384,
                    "multi_turn": {
                        "format": "hermes",
                        "max_assistant_turns": 30,
                        "max_parallel_calls": 8,
                        "max_tool_response_length": 200000,
                        "tool_response_truncate_side": "right",
                    },
                }
            },
            "data": {
                "return_raw_chat": True,
                "prompt_key": "prompt",
                "max_prompt_length": 16384,
                "filter_overlong_prompts": False,
                "truncation": "error",
                "apply_chat_template_kwargs": {},
                "cache_dir": str(export_dir / ".verl-cache"),
            },
        }
    )

    # as AgentLoopWorker.__init__: custom agent loops come from agent_loop_config_path
    for entry in OmegaConf.load(export_dir / "agent_loop.yaml"):
        _agent_loop_registry[entry.name] = entry

    dataset = RLHFDataset(
        data_files=[str(export_dir / "train.parquet")], tokenizer=tokenizer, config=config.data, processor=None
    )
    batch = DataProto.from_single_dict(collate_fn([dataset[i] for i in range(len(dataset))]))

    async def episode(step):
        # as AgentLoopWorker.generate_sequences and _run_agent_loop
        kwargs = {k: v[step["row"]] for k, v in batch.non_tensor_batch.items()}
        agent_name = kwargs.pop("agent_name")
        server = ScriptedServer(tokenizer, step["turns"])
        loop = hydra.utils.instantiate(
            config=_agent_loop_registry[agent_name],
            trainer_config=DictConfigWrap(config=config),
            server_manager=server,
            tokenizer=tokenizer,
            processor=None,
            hf_model_type=None,
            dataset_cls=RLHFDataset,
            data_config=DictConfigWrap(config.data),
            tools=ToolListWrap([]),
        )
        output = await loop.run({"temperature": 1.0, "top_p": 1.0, "top_k": -1}, **kwargs)
        as_dict = output.as_dict()
        return {
            "reward": output.reward_score,
            "rm_score": float(as_dict["rm_scores"][-1]) if "rm_scores" in as_dict else None,
            "num_turns": output.num_turns,
            "task_id": kwargs["extra_info"]["task_id"],
            "agent_name": agent_name,
            "extra": output.extra_fields.get("reward_extra_info"),
            "first_prompt": tokenizer.decode(server.prompts[0]) if server.prompts else None,
            "response_tokens": len(output.response_ids),
            "masked": sum(output.response_mask),
        }

    results = await asyncio.gather(*(episode(step) for step in plan["episodes"]))
    # what verl's own tool schema model keeps of each tool (the reason the loop renders raw schemas)
    kept = []
    for tool in plan["tools"]:
        try:
            kept.append(OpenAIFunctionToolSchema.model_validate(tool).model_dump(exclude_unset=True, exclude_none=True))
        except ValueError as exc:
            kept.append({"rejected": str(exc).splitlines()[0]})
    print(json.dumps({"results": results, "verl_schema_model": kept}))


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:]))
