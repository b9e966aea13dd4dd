"""Environments for TRL's `GRPOTrainer(environment_factory=...)`, over the run's EnvPool.

    from synth.serving.trl_env import environment_factories
    trainer = GRPOTrainer(model, args=..., train_dataset=load_dataset("<synth export --format trl>", split="train"),
                          environment_factory=environment_factories("runs/demo"))

TRL makes one environment object per rollout, calls `reset(**row)` before generating, turns every public method
into a tool the model can call (its schema from the method's type hints and docstring), and scores a finished
rollout with `get_reward()`. Tasks offer different tools, so each distinct tool set is an environment class of its
own, named as the export's `environment` column names it; TRL picks each row's class by that column.

The reward is the task's verifier on the episode's outcome. TRL shows an environment only tool calls, never the
model's final message, so a run in tool answer mode (submit_answer) is scored by `get_reward`. For text answer mode
the classes have no `get_reward`; pass `reward_funcs=[synth_reward]`, which grades with the final message.

A tool's result, or its error, is the string the model reads; tools never raise. The schema TRL renders comes from
type hints, which can say less than JSON Schema: an argument's nested object structure is given in its description.
"""

from __future__ import annotations

import inspect
import json
import keyword
import types
from pathlib import Path
from typing import Any, Literal, Optional, Union

from synth.dataset.loader import load_run, task_from_row
from synth.serving.exports import environment_name
from synth.serving.inprocess import PoolThread, pool_thread
from synth.serving.pool import Episode
from synth.task import Verdict

RESERVED = {"reset", "get_reward"}  # methods TRL calls itself; a tool so named is exposed under another attribute


class ToolSchemaError(ValueError):
    pass


def python_type(schema: dict[str, Any]) -> Any:
    """The type hint closest to a JSON Schema (what TRL can turn back into a schema)."""
    if not isinstance(schema, dict) or not schema:
        return Any
    if "enum" in schema and all(isinstance(v, (str, int, float, bool)) or v is None for v in schema["enum"]):
        return Literal[tuple(schema["enum"])]
    if "const" in schema:
        return Literal[schema["const"]]
    for union in ("anyOf", "oneOf"):
        if union in schema:
            options = [python_type(s) for s in schema[union]]
            return Union[tuple(dict.fromkeys(options))] if len(set(options)) > 1 else options[0]
    kind = schema.get("type")
    if isinstance(kind, list):
        return Union[tuple(dict.fromkeys(python_type({**schema, "type": k}) for k in kind))]
    if kind == "array":
        return list[python_type(schema.get("items") or {})]
    if kind == "object":
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and extra and not schema.get("properties"):
            return dict[str, python_type(extra)]
        return dict
    return {"string": str, "integer": int, "number": float, "boolean": bool, "null": type(None)}.get(kind, Any)


def _needs_schema_note(schema: dict[str, Any]) -> bool:
    """Whether a hint loses structure the model needs (an object's properties, at any depth)."""
    if not isinstance(schema, dict):
        return False
    if schema.get("properties"):
        return True
    return any(_needs_schema_note(s) for key in ("items", "additionalProperties") for s in [schema.get(key)]) or any(
        _needs_schema_note(s) for key in ("anyOf", "oneOf") for s in schema.get(key) or []
    )


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def tool_method(tool: dict[str, Any]) -> types.FunctionType:
    """A method whose signature, hints and Google-style docstring describe `tool` (an OpenAI function schema);
    calling it runs the tool in the episode and returns what the model reads."""
    function = tool["function"]
    name = function["name"]
    parameters = function.get("parameters") or {}
    properties: dict[str, Any] = parameters.get("properties") or {}
    required = set(parameters.get("required") or [])
    params = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    annotations: dict[str, Any] = {}
    lines = []
    for arg, schema in properties.items():
        if not arg.isidentifier() or keyword.iskeyword(arg):
            raise ToolSchemaError(
                f"tool {name!r}: argument {arg!r} is not a Python name, so TRL (which calls tools "
                f"as methods with keyword arguments) cannot offer it"
            )
        hint = python_type(schema)
        if arg not in required:
            hint = Optional[hint]
        default = inspect.Parameter.empty if arg in required else (schema or {}).get("default")
        params.append(inspect.Parameter(arg, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=hint))
        annotations[arg] = hint
        description = _one_line((schema or {}).get("description") or arg.replace("_", " "))
        if _needs_schema_note(schema):
            description += f" JSON Schema: {json.dumps(schema, sort_keys=True)}"
        lines.append(f"    {arg}: {description}")
    annotations["return"] = str
    doc = _one_line(function.get("description") or name.replace("_", " "))
    if lines:
        doc += "\n\nArgs:\n" + "\n".join(lines)

    def method(self, **arguments: Any) -> str:
        return self._call(name, arguments)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = doc
    method.__annotations__ = annotations
    method.__signature__ = inspect.Signature(params, return_annotation=str)
    return method


class SynthEnvironment:
    """The base of the generated classes. Its own helpers are private: TRL offers every public method as a tool."""

    _pool: PoolThread
    _answer_mode: str | None = None
    _timeout_s: float = 600.0

    def __init__(self) -> None:
        self._episode: Episode | None = None
        self._verdict: Verdict | None = None

    def reset(self, task_id: str, answer_mode: str | None = None, **_: Any) -> None:
        """Start an episode of the row's task (TRL passes the row's columns); the prompt is the row's own."""
        self._close()
        self._verdict = None
        self._episode = self._pool.run(
            self._pool.pool.open(task_id, answer_mode=self._answer_mode or answer_mode), self._timeout_s
        )
        return None

    def _call(self, name: str, arguments: dict[str, Any]) -> str:
        if self._episode is None:
            return "error: no episode is open (reset was not called)"
        try:
            result = self._pool.run(self._episode.call(name, arguments), self._timeout_s)
        except Exception as exc:  # noqa: BLE001 - a lost session is a result for the model, and the reward is 0
            return f"error: {exc}"
        return result["content"]

    def _grade(self, answer: str | None = None) -> Verdict:
        """The verifier's verdict on this episode (the submitted answer, else `answer`); the episode is closed."""
        if self._verdict is None:
            if self._episode is None:
                return Verdict(passed=False, reasons=["no episode was run"])
            try:
                self._verdict = self._pool.run(self._episode.grade(answer), self._timeout_s)
            except Exception as exc:  # noqa: BLE001 - a session lost with its sandbox scores 0, with the reason
                self._verdict = Verdict(
                    passed=False, reasons=[f"the episode could not be graded: {exc}"], error=str(exc)
                )
            self._close()
        return self._verdict

    def _close(self) -> None:
        if self._episode is not None:
            episode, self._episode = self._episode, None
            self._pool.run(episode.close(), self._timeout_s)


def _get_reward(self) -> float:
    return 1.0 if self._grade().passed else 0.0


def environment_class(
    name: str, tools: list[dict[str, Any]], pool: PoolThread, *, answer_mode: str | None, owns_reward: bool
) -> type[SynthEnvironment]:
    """A SynthEnvironment subclass with one method per tool (and `get_reward` when it owns the reward)."""
    members: dict[str, Any] = {
        "_pool": pool,
        "_answer_mode": answer_mode,
        "__module__": __name__,
        "__doc__": f"synth environment {name}: {', '.join(t['function']['name'] for t in tools)}",
    }
    for tool in tools:
        method = tool_method(tool)
        attribute = method.__name__
        if attribute in RESERVED or attribute.startswith("_") or hasattr(SynthEnvironment, attribute):
            attribute = f"tool_{attribute.lstrip('_')}"  # TRL calls a tool by its __name__, which keeps the real name
        members[attribute] = method
    if owns_reward:
        members["get_reward"] = _get_reward
    return type(f"SynthEnv_{name.replace('-', '_')}", (SynthEnvironment,), members)


def environment_factories(
    run_dir: str | Path, *, answer_mode: str | None = None, **pool_options: Any
) -> dict[str, type[SynthEnvironment]]:
    """{environment name: class} for TRL's dict `environment_factory`; names match the trl export's `environment`
    column. `answer_mode` (default: each task's own) must match the export's. `pool_options` go to EnvPool
    (workers, max_sessions, ttl_s, sandbox)."""
    run_dir = Path(run_dir)
    tasks = [task_from_row(row) for row in load_run(run_dir)["tasks"]]
    pool = pool_thread(run_dir, **pool_options)
    classes: dict[str, type[SynthEnvironment]] = {}
    for task in tasks:
        mode = answer_mode or task.answer_mode
        name = environment_name(task, mode)
        if name not in classes:
            classes[name] = environment_class(
                name, task.episode_tools(mode), pool, answer_mode=answer_mode, owns_reward=mode == "tool"
            )
    return classes


def environment_factory(run_dir: str | Path, **options: Any) -> type[SynthEnvironment]:
    """The one environment class of a run whose tasks all offer the same tools (TRL's plain `environment_factory`)."""
    classes = environment_factories(run_dir, **options)
    if len(classes) != 1:
        raise ValueError(
            f"{run_dir} has {len(classes)} distinct tool sets ({', '.join(classes)}); pass "
            f"environment_factories(run) instead, with the trl export's `environment` column"
        )
    return next(iter(classes.values()))


def _final_text(completion: Any) -> str | None:
    if isinstance(completion, str):
        return completion
    for message in reversed(completion or []):
        if message.get("role") == "assistant" and not message.get("tool_calls"):
            content = message.get("content")
            if isinstance(content, list):
                content = "".join(p.get("text") or "" for p in content if isinstance(p, dict))
            return content
    return None


def synth_reward(
    completions: list[Any], environments: list[SynthEnvironment] | None = None, **_: Any
) -> list[float | None]:
    """A TRL reward function for text answer mode: each rollout's verdict, graded with its final message."""
    if environments is None:
        raise ValueError("synth_reward needs TRL's environments: use it with environment_factory")
    return [
        None if not isinstance(env, SynthEnvironment) else float(env._grade(_final_text(completion)).passed)
        for completion, env in zip(completions, environments, strict=True)
    ]
