"""`synth envs check`: prove a template sound on a sample of seeds.

For every proposer and seed: the task passes the acceptance gate (its solution passes; the no-op run, wrong
answers and wrong states fail; right answers and other valid plans pass), the instruction does not contain
the answer; the same seed rebuilds the same database and task ids; every tool schema is a valid OpenAI
function schema. Tasks are validated in both answer modes (alternating by seed).
"""

from __future__ import annotations

import re
from collections import defaultdict

from pydantic import BaseModel, Field

from synth.config import RunConfig
from synth.env.registry import TemplateEntry
from synth.ids import derive_seed
from synth.pipeline.plan import EnvUnit
from synth.pipeline.tasks import gives_answer_away, task_from_draft
from synth.pipeline.validate import validate_task
from synth.pipeline.worker import EnvSandboxes
from synth.sandbox import SandboxCallError, SandboxError

TOOL_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
JSON_TYPES = {"string", "number", "integer", "boolean", "array", "object", "null"}
DEFAULT_SEEDS, DEFAULT_PER_PROPOSER = 6, 2


class CheckRow(BaseModel):
    template: str
    check: str
    passed: int
    failed: int
    failures: list[str] = Field(default_factory=list)  # every failure, in full

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.passed > 0


def schema_problems(schema: dict) -> list[str]:
    """Structural rules of an OpenAI function tool schema."""
    problems = []
    if schema.get("type") != "function" or not isinstance(schema.get("function"), dict):
        return ["not of the form {'type': 'function', 'function': {...}}"]
    fn = schema["function"]
    if not TOOL_NAME.match(str(fn.get("name", ""))):
        problems.append(f"bad name {fn.get('name')!r}")
    if not isinstance(fn.get("description"), str) or not fn["description"]:
        problems.append(f"{fn.get('name')}: missing description")
    params = fn.get("parameters", {})
    if params.get("type") != "object" or not isinstance(params.get("properties"), dict):
        problems.append(f"{fn.get('name')}: parameters must be an object schema with properties")
        return problems
    for req in params.get("required", []):
        if req not in params["properties"]:
            problems.append(f"{fn['name']}: required {req!r} is not a property")

    def walk(node, where):
        if isinstance(node, dict):
            kinds = node.get("type")
            for kind in kinds if isinstance(kinds, list) else [kinds] if kinds else []:
                if kind not in JSON_TYPES:
                    problems.append(f"{where}: unknown JSON type {kind!r}")
            if "$ref" in node:
                problems.append(f"{where}: unresolved $ref")
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}[{i}]")

    walk(params, fn["name"])
    return problems


def check_template(
    entry: TemplateEntry,
    *,
    seeds: int = DEFAULT_SEEDS,
    per_proposer: int = DEFAULT_PER_PROPOSER,
    sandbox: str = "bwrap",
) -> list[CheckRow]:
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    failures: dict[str, list[str]] = defaultdict(list)

    def record(check: str, ok: bool, detail: str = "") -> None:
        tally[check][0 if ok else 1] += 1
        if not ok:
            failures[check].append(detail)

    def contract(sandboxes: EnvSandboxes, where: str) -> None:
        errors = sandboxes.env.server.call("contract_errors")
        record("tools keep their contract", not errors, f"{where}: " + "; ".join(errors))

    for schema in entry.cls.tools().values():
        problems = schema_problems(schema.schema)
        record("tool schemas are valid OpenAI functions", not problems, "; ".join(problems))

    accepted_by_shape = {f"{p.shape} (L{p.difficulty})": 0 for p in entry.cls.proposers()}
    instances = [None, *entry.cls.instances]
    for s in range(max(seeds, len(instances))):
        mode = "text" if s % 2 == 0 else "tool"
        config = RunConfig(sandbox=sandbox, answer_mode=mode)
        seed = derive_seed("check", entry.name, s)
        instance = instances[s % len(instances)]
        unit = EnvUnit(
            index=s,
            template=entry.name,
            version=entry.cls.version,
            category=entry.cls.category,
            agent_category=entry.cls.agent_category,
            folder=entry.folder,
            seed=seed,
            env_id=f"check-{entry.name}-{s}",
            instance=instance,
        )
        first = EnvSandboxes(unit, config)
        # the same build seed under another instance seed: build() and the proposers may use only their rng
        second = EnvSandboxes(unit, config, build_seed_of=seed)
        where_env = f"seed {s}" + (f", instance {instance}" if instance else "")
        try:
            record(
                "build() rebuilds the same database from its rng and instance alone",
                first.env.info.db_hash == second.env.info.db_hash,
                f"{where_env}: two builds with the same rng differ ({first.env.info.db_hash[:12]} vs "
                f"{second.env.info.db_hash[:12]}); build() must read only its rng and self.instance (not "
                f"self.seed, the clock or other state)",
            )
            for draft in first.env.fixed_tasks():
                task = task_from_draft(draft, unit, first.env.info, draft.difficulty, mode)
                if task is None:
                    record(
                        "fixed tasks pass the acceptance gate",
                        False,
                        f"{where_env}: a fixed task needs tools this variant hides: {draft.tools}",
                    )
                    continue
                v = validate_task(first.env, task, mode=mode)
                record(
                    "fixed tasks pass the acceptance gate",
                    v.accepted,
                    f"{where_env}, {draft.shape}: {v.reason}: {v.detail}\n    instruction: {task.instruction}",
                )
                contract(first, f"{where_env}, {draft.shape}")
            for index, prop in enumerate(first.env.info.proposers):
                for k in range(per_proposer):
                    task_seed = derive_seed(seed, prop["shape"], k)
                    name = f"{prop['shape']} (L{prop['difficulty']})"
                    where = f"{name}, {where_env} ({mode} answers), task {k}"
                    try:
                        drafts = [sb.env.propose(index, task_seed) for sb in (first, second)]
                        tasks = [
                            d and task_from_draft(d, unit, sb.env.info, prop["difficulty"], mode)
                            for d, sb in zip(drafts, (first, second))
                        ]
                    except (SandboxCallError, ValueError) as exc:
                        record("proposers run", False, f"{where}: {exc}")
                        continue
                    record("proposers run", True)
                    if tasks[0] is None:
                        continue
                    record(
                        "same seed gives the same task ids",
                        tasks[1] is not None and tasks[0].task_id == tasks[1].task_id,
                        where,
                    )
                    try:
                        v = validate_task(first.env, tasks[0], mode=mode)
                    except (SandboxError, SandboxCallError) as exc:
                        record("tasks pass the acceptance gate", False, f"{where}: {exc}")
                        first.start()
                        continue
                    record(
                        "tasks pass the acceptance gate",
                        v.accepted,
                        f"{where}: {v.reason}: {v.detail}\n    instruction: {tasks[0].instruction}",
                    )
                    contract(first, where)
                    if v.rollout is not None and tasks[0].answer_schema is not None:
                        record(
                            "instruction does not give the answer away",
                            not gives_answer_away(tasks[0]),
                            f"{where}: {v.rollout.answer!r} in {tasks[0].instruction!r}",
                        )
                    accepted_by_shape[name] += v.accepted
        finally:
            first.close()
            second.close()
    for name, accepted in accepted_by_shape.items():
        record("every proposer yields accepted tasks", accepted > 0, f"{name}: none accepted in the sample")
    return [
        CheckRow(template=entry.name, check=c, passed=p, failed=f, failures=failures[c]) for c, (p, f) in tally.items()
    ]
