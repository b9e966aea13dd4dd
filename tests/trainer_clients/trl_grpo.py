"""Runs inside a virtual environment holding TRL: one real `GRPOTrainer.train()` step with synth's environments.

    python trl_grpo.py RUN_DIR EXPORT_DIR PLAN.json   -> one JSON line: {"rollouts": [...], "schemas": {...}, ...}

TRL's own code does the wire work: it probes `environment_factories(RUN_DIR)` for `reset` and tool methods, renders
each prompt with the tool schemas it derives from those methods (transformers' get_json_schema), parses the
completions' tool calls with the chat template's response parser, calls the methods, appends the tool results, and
scores each rollout with the environment's `get_reward` (tool answer mode) or `synth_reward` (text answer mode), then
takes an optimizer step. The model is a tiny random one built here (none can be downloaded), so its generation is
scripted: the first turn of each prompt's group goes to the plan's "right" script (the stored reference trajectory)
or "wrong" script in turn, and every later turn continues the script whose output the context extends.
"""

import inspect
import json
import sys
import tempfile
from pathlib import Path

import datasets
import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast, Qwen3Config, Qwen3ForCausalLM
from transformers.utils import get_json_schema
from trl import GRPOConfig, GRPOTrainer
from trl.chat_template_utils import qwen3_chat_template

from synth.serving.trl_env import SynthEnvironment, environment_factories, synth_reward

SPECIAL = [
    "<|endoftext|>",
    "<|im_start|>",
    "<|im_end|>",
    "<think>",
    "</think>",
    "<tool_call>",
    "</tool_call>",
    "<tool_response>",
    "</tool_response>",
]


def tokenizer_for(texts):
    tok = Tokenizer(models.BPE(unk_token=None))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(
        texts,
        trainers.BpeTrainer(
            vocab_size=3000, special_tokens=SPECIAL, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
        ),
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        chat_template=qwen3_chat_template,
        padding_side="left",
    )


def turn_text(turn):
    if turn.get("tool_calls"):
        return (
            "\n".join(
                "<tool_call>\n" + json.dumps({"name": c["name"], "arguments": c["arguments"]}) + "\n</tool_call>"
                for c in turn["tool_calls"]
            )
            + "<|im_end|>"
        )
    return (turn.get("content") or "") + "<|im_end|>"


class ScriptedModel:
    """Next-turn token ids for a context: a continuation of a script it already started, or a new rollout."""

    def __init__(self, tokenizer, scripts):
        self.tokenizer, self.scripts = tokenizer, scripts  # instruction -> {"right": turns, "wrong": turns}
        self.live = []  # [context ids after the last output, kind, instruction, next turn index]
        self.first_turn_kinds = []  # per rollout of the last first-turn call, in batch order
        self.started = {}

    def next_ids(self, ids, first):
        match = max((r for r in self.live if ids[: len(r[0])] == r[0]), key=lambda r: len(r[0]), default=None)
        if match is None:
            text = self.tokenizer.decode(ids)
            instruction = next(i for i in self.scripts if i in text)
            n = self.started.get(instruction, 0)
            self.started[instruction] = n + 1
            kind = "right" if n % 2 == 0 else "wrong"
            match = [ids, kind, instruction, 0]
            self.live.append(match)
            if first:
                self.first_turn_kinds.append((instruction, kind))
        turns = self.scripts[match[2]][match[1]]
        turn = turns[match[3]] if match[3] < len(turns) else {"content": "Done."}
        out = self.tokenizer.encode(turn_text(turn), add_special_tokens=False)
        match[0], match[3] = list(ids) + out, match[3] + 1
        return out


class ScriptedGRPOTrainer(GRPOTrainer):
    script: ScriptedModel
    rewards_seen: list

    def _generate(self, prompts):
        self._first_turn = True
        return super()._generate(prompts)

    def _generate_single_turn(self, prompt_ids, images, multimodal_fields, num_generations, has_tool_images=False):
        first, self._first_turn = self._first_turn, False  # the first call is every rollout's first turn
        if first:
            self.script.first_turn_kinds = []
        return [self.script.next_ids(list(p), first) for p in prompt_ids], None

    def _calculate_rewards(self, inputs, prompts, completions, completion_ids_list):
        rewards = super()._calculate_rewards(inputs, prompts, completions, completion_ids_list)
        for row, kinds, reward in zip(inputs, self.script.first_turn_kinds, rewards.tolist(), strict=True):
            self.rewards_seen.append(
                {"task_id": row["task_id"], "kind": kinds[1], "rewards": reward, "names": list(self.reward_func_names)}
            )
        return rewards


def main(run_dir, export_dir, plan_path):
    plan = json.loads(Path(plan_path).read_text())
    train = datasets.load_dataset(str(export_dir), split="train")  # the trl export, as TRL users load it
    train = train.filter(lambda row: row["task_id"] in plan["task_ids"])
    factories = environment_factories(run_dir)

    # the schema TRL renders for each tool: transformers' get_json_schema on the environment's methods
    schemas = {}
    for name, cls in factories.items():
        env = cls()
        schemas[name] = [
            get_json_schema(getattr(env, member))
            for member, _ in inspect.getmembers(cls, predicate=inspect.isfunction)
            if member not in ("reset", "get_reward") and not member.startswith("_")
        ]

    texts = (
        [json.dumps(plan)] + [row["tools"] for row in train] + [m["content"] for row in train for m in row["prompt"]]
    )
    tokenizer = tokenizer_for(texts)
    config = Qwen3Config(
        vocab_size=len(tokenizer),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=1,
        head_dim=16,
        max_position_embeddings=32768,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        bos_token_id=tokenizer.eos_token_id,
    )
    torch.manual_seed(0)
    model = Qwen3ForCausalLM(config)
    rollouts = 2 * len(plan["task_ids"])
    with tempfile.TemporaryDirectory() as out:
        args = GRPOConfig(
            output_dir=out,
            per_device_train_batch_size=rollouts,
            num_generations=2,
            max_steps=1,
            gradient_accumulation_steps=1,
            steps_per_generation=1,
            max_completion_length=16000,
            max_tool_calling_iterations=30,
            learning_rate=1e-4,
            logging_steps=1,
            report_to="none",
            use_cpu=True,
            bf16=False,
            seed=0,
            save_strategy="no",
            log_completions=False,
        )
        trainer = ScriptedGRPOTrainer(
            model=model,
            args=args,
            train_dataset=train,
            processing_class=tokenizer,
            environment_factory=factories,
            reward_funcs=[synth_reward] if plan["answer_mode"] == "text" else None,
        )
        trainer.script = ScriptedModel(tokenizer, plan["scripts"])
        trainer.rewards_seen = []
        result = trainer.train()
    envs_left = [
        e._episode is not None
        for pool in trainer._environment_pool.values()
        for e in pool
        if isinstance(e, SynthEnvironment)
    ]
    pool = next(iter(factories.values()))._pool.pool
    print(
        json.dumps(
            {
                "rollouts": trainer.rewards_seen,
                "schemas": schemas,
                "reward_funcs": trainer.reward_func_names,
                "train_loss": result.training_loss,
                "open_episodes": len(pool.episodes),
                "environments_with_open_episode": sum(envs_left),
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
