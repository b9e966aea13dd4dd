"""How sound are the rewards of a run? Generate, then grade every accepted task, through the trainer's path
(TaskEnvironment: reset, step, grade), with outcomes the acceptance gate never saw: wrong ones a lazy or
reward-hacking agent would send, and right ones an honest agent would send.

    python bench/soundness.py --envs 31 --tasks-per-env 8 [--seed 123] [--answer-mode text|tool]

Prints, per family and per difficulty: wrong outcomes accepted (target 0), right outcomes rejected (target
<= 1%), tasks the gate rejected by reason, and accepted tasks per environment.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synth.config import RunConfig  # noqa: E402
from synth.dataset.loader import TaskEnvironment, load_run  # noqa: E402
from synth.pipeline.run import generate  # noqa: E402
from synth.validation.answers import number_words  # noqa: E402

GATE_REASONS = (
    "accepts_wrong_answer",
    "rejects_correct_variant",
    "accepts_side_effect",
    "accepts_skipped_write",
    "rejects_correct_plan",
    "noop_passes",
    "no_mutant_fails",
    "solution_fails_verifier",
)


def _num(v: float, spec: dict) -> str:
    tol = spec.get("tolerance")
    places = 0 if spec["kind"] == "integer" or not tol else max(0, len(f"{tol:.10f}".rstrip("0").split(".")[1]) - 1)
    return f"{v:.{places}f}"


def outcomes(spec: dict, subject: str) -> tuple[list[str], list[str]]:
    """(wrong, right) final messages for an answer, phrased unlike the gate's own."""
    kind = spec["kind"]
    if kind in ("number", "integer"):
        v = spec["value"]
        w = v + (1 if kind == "integer" or not spec.get("tolerance") else max(1.0, abs(v) * 0.1))
        wrong = [
            f"I think it's {_num(v, spec)}, maybe {_num(w, spec)}.",
            f"{_num(w, spec)}",
            f"Either {_num(v, spec)} or {_num(w, spec)}.",
            f"It isn't {_num(v, spec)}.",
            "I could not tell.",
            f"{_num(v, spec)} / {_num(w, spec)}",
        ]
        right = [f"That comes to {_num(v, spec)}.", f"For {subject}, the figure is {_num(v, spec)}."]
        if float(v).is_integer() and 0 <= v < 1000:
            wrong.append(f"{number_words(int(w))}.")
            right.append(f"{number_words(int(v)).capitalize()}.")
        if abs(v) >= 1000:
            right.append(f"{v:,.2f}" if kind == "number" else f"{int(v):,}")
        return wrong, right
    if kind == "boolean":
        yes, no = ("Yes", "No") if spec["value"] else ("No", "Yes")
        return [f"{no}, it is not.", "Possibly.", f"{yes}... or maybe {no.lower()}."], [
            f"{yes} — for {subject}.",
            f"{yes.lower()}",
        ]
    if kind == "date":
        day = dt.date.fromisoformat(spec["value"])
        other = day + dt.timedelta(days=3)
        return [other.isoformat(), f"{day.isoformat()}, or perhaps {other.isoformat()}", f"{day:%B} or {other:%B}"], [
            f"It is on {day:%A}, {day:%B} {day.day}, {day.year}.",
            f"{day.day}/{day.month:02d}/{day.year}" if day.day > 12 else day.isoformat(),
        ]
    if kind == "time":
        h, m = map(int, spec["value"].split(":"))
        return [f"{(h + 1) % 24:02d}:{m:02d}", f"{spec['value']} or {(h + 1) % 24:02d}:{m:02d}"], [
            f"At {(h % 12) or 12}:{m:02d}{'pm' if h >= 12 else 'am'}.",
            f"{spec['value']} sharp.",
        ]
    if kind in ("entity", "entities"):
        names = [spec["value"]] if kind == "entity" else list(spec["value"])
        others = [c for c in spec.get("candidates", []) if c not in names]
        wrong, right = [], []
        if others:
            o = others[0]
            wrong += [
                ", ".join(names + [o]),
                f"{' and '.join(names) or 'None'}; possibly also {o}",
                f"{', '.join(names)} (or {o[:-1]})" if names else o,
            ]
            if kind == "entity":
                wrong.append(o)
        if names:
            wrong += [f"Not {names[0]}.", "Nobody." if kind == "entity" else ", ".join(names[1:]) or "None."]
            right += [f"For {subject}: {' and '.join(reversed(names))}.", "; ".join(n.lower() for n in names)]
        else:
            wrong.append("All of them.")
            right += ["There are none.", f"None for {subject}."]
        return wrong, right
    if kind == "record":
        wrong, right = [], []
        values = {k: v for k, v in spec["fields"].items()}
        plain = []
        for name, sub in sorted(values.items()):
            if sub["kind"] in ("number", "integer"):
                plain.append(f"{name}: {_num(sub['value'], sub)}")
            elif sub["kind"] == "entities":
                plain.append(f"{name}: {', '.join(sub['value']) or 'none'}")
            else:
                plain.append(f"{name}: {sub['value']}")
        right.append(", ".join(plain))
        for name, sub in sorted(values.items()):
            sub_wrong, _ = outcomes(sub, subject)
            if sub_wrong:
                wrong.append(", ".join(p if not p.startswith(name + ":") else f"{name}: {sub_wrong[0]}" for p in plain))
        return wrong, right
    return [], []


def subject_of(instruction: str) -> str:
    """A name or id the question is about, as an honest answer restates it."""
    import re

    found = re.findall(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b|\b[A-Z]{2,}-\d[\w-]*", instruction)
    return found[0] if found else "your request"


def calls_of(messages: list[dict]) -> list[dict]:
    return [
        c
        for m in messages
        if m["role"] == "assistant"
        for c in m["tool_calls"] or []
        if c["function"]["name"] != "submit_answer"
    ]


def grade_run(out: Path) -> dict:
    dd = load_run(out)
    reference = {t["task_id"]: t["messages"] for t in dd["trajectories"] if t["agent"] == "reference"}
    calls_by_env: dict[str, list[dict]] = defaultdict(list)
    for task in dd["tasks"]:
        calls_by_env[task["env_id"]] += calls_of(reference[task["task_id"]])
    stats: dict[tuple, Counter] = defaultdict(Counter)
    examples: list[str] = []

    def tally(key: tuple, kind: str, failed: bool, example: str) -> None:
        stats[key][kind] += 1
        if failed:
            stats[key][f"{kind}_failed"] += 1
            examples.append(example)

    for task in dd["tasks"]:
        messages = reference[task["task_id"]]
        params = json.loads(task["verifier_params"])
        spec = params.get("answer") or {"kind": "none"}
        wrong, right = outcomes(spec, subject_of(task["instruction"]))
        final = next((m["content"] for m in reversed(messages) if m["role"] == "assistant" and m["content"]), None)
        answer = final if spec["kind"] != "none" else "Done."
        where = f"{task['template']}/{task['shape']}"
        key = (task["template"], task["difficulty"])
        calls = calls_of(messages)
        with TaskEnvironment(task, run_dir=out, answer_mode="text") as env:
            kinds = env.env.info.tool_kinds
            offered = {t["function"]["name"] for t in json.loads(task["tools"])}

            def replay(plan: list[dict]) -> list[bool]:
                env.reset()
                return ['"error"' not in env.step(call)["content"][:12] for call in plan]

            for text in wrong:
                replay(calls)
                tally(key, "wrong", env.grade(text).passed, f"ACCEPTED wrong answer {where}: {text!r}")
            for text in right:
                replay(calls)
                verdict = env.grade(text)
                tally(
                    key,
                    "right",
                    not verdict.passed,
                    f"REJECTED right answer {where}: {text!r} ({'; '.join(verdict.reasons)})",
                )
            ours = {json.dumps(c["function"], sort_keys=True) for c in calls}
            side = next(
                (
                    c
                    for c in calls_by_env[task["env_id"]]
                    if kinds.get(c["function"]["name"]) == "write"
                    and c["function"]["name"] in offered
                    and json.dumps(c["function"], sort_keys=True) not in ours
                ),
                None,
            )
            if side is not None and replay(calls + [side])[-1]:  # the right answer plus a write not asked for
                tally(key, "wrong", env.grade(answer).passed, f"ACCEPTED a side write {where}: {side['function']}")
            oks = replay(calls)
            full = env.state_hash()
            writes = [c for c, ok in zip(calls, oks) if ok and kinds.get(c["function"]["name"]) == "write"]
            for write in reversed(writes):  # the last write that made a difference, left out
                replay([c for c in calls if c is not write])
                if env.state_hash() != full:
                    tally(key, "wrong", env.grade(answer).passed, f"ACCEPTED a skipped write {where}")
                    break
    rejections = Counter((r["template"], r["reason"]) for r in dd["rejections"])
    return {
        "stats": stats,
        "examples": examples,
        "rejections": rejections,
        "tasks": len(dd["tasks"]),
        "envs": len(dd["environments"]),
    }


def report(result: dict) -> None:
    stats = result["stats"]

    def line(label: str, c: Counter) -> str:
        wrong = f"{c['wrong_failed']}/{c['wrong']} ({100 * c['wrong_failed'] / max(1, c['wrong']):.1f}%)"
        right = f"{c['right_failed']}/{c['right']} ({100 * c['right_failed'] / max(1, c['right']):.1f}%)"
        return f"{label:<18} {wrong:>20} {right:>20}"

    print(f"{'':<18} {'wrong accepted':>20} {'right rejected':>20}")
    for title, group in (("family", 0), ("difficulty", 1)):
        merged: dict = defaultdict(Counter)
        for key, c in stats.items():
            merged[key[group]].update(c)
        print(f"-- by {title}")
        for k in sorted(merged):
            print(line(f"L{k}" if group else str(k), merged[k]))
    total = sum(stats.values(), Counter())
    print(line("ALL", total))
    gate = Counter()
    for (template, reason), n in result["rejections"].items():
        if reason in GATE_REASONS:
            gate[reason] += n
    print(
        f"\ntasks accepted: {result['tasks']} over {result['envs']} environments "
        f"({result['tasks'] / max(1, result['envs']):.1f} per environment)"
    )
    print("tasks the gate rejected:", dict(gate) or "none")
    for example in result["examples"][:40]:
        print("  " + example)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--envs", type=int, default=31)
    parser.add_argument("--tasks-per-env", type=int, default=8)
    parser.add_argument("--seed", type=int, default=123)
    parser.add_argument("--answer-mode", default="text", choices=("text", "tool"))
    parser.add_argument("--out", type=Path, default=None, help="grade an existing run instead of generating one")
    args = parser.parse_args()
    out = args.out
    if out is None or not (out / "dataset_dict.json").exists():
        out = out or Path(tempfile.mkdtemp(prefix="soundness-")) / "run"
        start = time.monotonic()
        summary = generate(
            RunConfig(
                envs=args.envs, tasks_per_env=args.tasks_per_env, seed=args.seed, out=out, answer_mode=args.answer_mode
            )
        )
        print(f"generated {summary.tasks_accepted} tasks in {time.monotonic() - start:.0f} s into {out}")
    start = time.monotonic()
    result = grade_run(out)
    print(f"graded in {time.monotonic() - start:.0f} s\n")
    report(result)


if __name__ == "__main__":
    main()
