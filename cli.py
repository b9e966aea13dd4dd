"""The `synth` command line: thin wrappers that parse options and call the library."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

app = typer.Typer(
    help="Synthesize sandboxed tool-use environments and verified agentic tasks.",
    no_args_is_help=True,
    add_completion=False,
)
envs_app = typer.Typer(help="Environment templates: list, check and synthesize them.", no_args_is_help=True)
sandbox_app = typer.Typer(help="Run code in the sandbox.", no_args_is_help=True)
app.add_typer(envs_app, name="envs")
app.add_typer(sandbox_app, name="sandbox")
console = Console()


_M = "Model endpoint (LLM proposal, pass@K rollouts)"


def _model_option(*names: str, help: str | None = None):
    return typer.Option(*names, help=help, rich_help_panel=_M)


# Options several commands share, declared once so each means the same everywhere.
Sandbox = Annotated[str, typer.Option("--sandbox", help="bwrap, docker, or none (trusted development only)")]
EnvsDirs = Annotated[list[Path], typer.Option("--envs-dir", help="extra folder of templates (repeatable)")]
Model = Annotated[Optional[str], _model_option("--model", help="a served model, e.g. deepseek-reasoner")]
Provider = Annotated[str, _model_option("--provider", help="deepseek, vllm, sglang or openai")]
BaseUrl = Annotated[Optional[str], _model_option("--base-url", help="the endpoint (default: the provider's)")]
ApiKeyEnv = Annotated[
    Optional[str], _model_option("--api-key-env", help="variable holding the key (default: the provider's)")
]
Thinking = Annotated[
    bool, _model_option("--thinking/--no-thinking", help="thinking mode (reasoning before each reply)")
]
Temperature = Annotated[Optional[float], _model_option("--temperature")]
TopP = Annotated[Optional[float], _model_option("--top-p")]
MaxTokens = Annotated[Optional[int], _model_option("--max-tokens", help="per reply, reasoning included")]
RequestTimeout = Annotated[
    Optional[float], _model_option("--request-timeout", help="seconds per model request (default 600)")
]
Concurrency = Annotated[
    Optional[int], _model_option("--concurrency", help="requests in flight per endpoint (default 16)")
]


def _endpoint_options(
    model, provider, base_url, api_key_env, thinking, temperature, top_p, max_tokens, request_timeout, concurrency
) -> dict:
    """The shared model options as `endpoints_from_options` keywords."""
    return dict(
        model=model,
        provider=provider,
        base_url=base_url,
        api_key_env=api_key_env,
        thinking=thinking,
        temperature=temperature,
        top_p=top_p,
        max_tokens=max_tokens,
        timeout_s=request_timeout,
        concurrency=concurrency,
    )


def _fail(message: str) -> None:
    console.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(2)


def _csv(value: Optional[str]) -> Optional[tuple[str, ...]]:
    return tuple(v.strip() for v in value.split(",") if v.strip()) if value else None


def _mix(value: Optional[str]) -> Optional[dict[str, float]]:
    if not value:
        return None
    try:
        return {k.strip(): float(v) for k, v in (part.split("=") for part in value.split(",") if part.strip())}
    except ValueError:
        _fail(f"--category-mix {value!r}: write it as name=share pairs, e.g. general=0.8,search=0.2")


@app.command()
def generate(
    envs: int = typer.Option(12, "--envs", help="environment instances to create"),
    tasks_per_env: int = typer.Option(48, "--tasks-per-env", help="accepted tasks wanted per environment"),
    seed: int = typer.Option(0, "--seed"),
    out: Path = typer.Option(Path("runs/demo"), "--out", help="output folder (a Hugging Face DatasetDict)"),
    templates: Optional[str] = typer.Option(
        None,
        "--templates",
        help="comma-separated template names (default: all); NAME:INSTANCE picks a template's named instance",
    ),
    answer_mode: str = typer.Option(
        "text", "--answer-mode", help="how agents answer: text (a final message) or tool (the submit_answer tool)"
    ),
    envs_dir: EnvsDirs = [],
    category_mix: Optional[str] = typer.Option(
        None,
        "--category-mix",
        help="shares of agent categories, e.g. general=0.7,search=0.1,code=0.1,code_interpreter=0.1",
    ),
    sandbox: Sandbox = "bwrap",
    workers: Optional[int] = typer.Option(None, "--workers", help="parallel environment workers (default: CPUs)"),
    ray_address: Optional[str] = typer.Option(None, "--ray-address", help="join a Ray cluster (auto or HOST:PORT)"),
    cpus_per_env: float = typer.Option(1.0, "--cpus-per-env", help="Ray CPUs each environment reserves"),
    force: bool = typer.Option(False, "--force", help="replace an existing run in --out"),
    resume: bool = typer.Option(False, "--resume", help="continue the unfinished run in --out (rerunning does too)"),
    no_ray: bool = typer.Option(False, "--no-ray", help="run in this process, without Ray"),
    synthesize_envs: bool = typer.Option(
        False,
        "--synthesize-envs",
        help="first let the model write templates until --envs distinct ones exist (implies --proposer llm)",
        rich_help_panel=_M,
    ),
    max_turns: int = typer.Option(40, "--max-turns", help="assistant turns per rollout"),
    model: Model = None,
    provider: Provider = "deepseek",
    base_url: BaseUrl = None,
    api_key_env: ApiKeyEnv = None,
    thinking: Thinking = False,
    temperature: Temperature = None,
    top_p: TopP = None,
    max_tokens: MaxTokens = None,
    request_timeout: RequestTimeout = None,
    concurrency: Concurrency = None,
    context_management: Optional[str] = typer.Option(
        None, "--context-management", help="none, summary, discard-75% or discard-all", rich_help_panel=_M
    ),
    context_window: Optional[int] = typer.Option(
        None, "--context-window", help="the model's context in tokens", rich_help_panel=_M
    ),
    proposer: str = typer.Option(
        "procedural", "--proposer", help="procedural (the templates') or llm (the model's)", rich_help_panel=_M
    ),
    rollouts: int = typer.Option(
        0, "--rollouts", help="solver rollouts per task; keeps tasks with pass@K > 0", rich_help_panel=_M
    ),
    max_pass_rate: Optional[float] = typer.Option(
        None, "--max-pass-rate", help="drop tasks solved more often", rich_help_panel=_M
    ),
    repair_rounds: int = typer.Option(3, "--repair-rounds", help="repairs of a rejected LLM task", rich_help_panel=_M),
    escalations: int = typer.Option(
        2, "--escalations", help="harder versions asked for per LLM task", rich_help_panel=_M
    ),
    solver_model: Optional[str] = typer.Option(
        None, "--solver-model", help="solve with another model", rich_help_panel=_M
    ),
    solver_provider: Optional[str] = typer.Option(None, "--solver-provider", rich_help_panel=_M),
    solver_base_url: Optional[str] = typer.Option(None, "--solver-base-url", rich_help_panel=_M),
    solver_api_key_env: Optional[str] = typer.Option(None, "--solver-api-key-env", rich_help_panel=_M),
) -> None:
    """Build environments, propose and validate tasks, and write the dataset."""
    from pydantic import ValidationError

    from synth.config import RunConfig
    from synth.dataset.shards import RunDirError
    from synth.env.registry import TemplateLoadError
    from synth.generation import generate as run_generate
    from synth.model.endpoint import endpoints_from_options
    from synth.pipeline.run import RunIncomplete

    if resume and force:
        _fail("--resume continues the run in --out and --force replaces it: pass one of them")
    try:
        fields = dict(
            envs=envs,
            tasks_per_env=tasks_per_env,
            seed=seed,
            out=out,
            templates=_csv(templates),
            envs_dirs=tuple(envs_dir),
            sandbox=sandbox,
            ray_address=ray_address,
            cpus_per_env=cpus_per_env,
            category_mix=_mix(category_mix),
        )
        if workers is not None:
            fields["workers"] = workers
        fields |= endpoints_from_options(
            **_endpoint_options(
                model,
                provider,
                base_url,
                api_key_env,
                thinking,
                temperature,
                top_p,
                max_tokens,
                request_timeout,
                concurrency,
            ),
            context_management=context_management,
            context_window=context_window,
            solver_model=solver_model,
            solver_provider=solver_provider,
            solver_base_url=solver_base_url,
            solver_api_key_env=solver_api_key_env,
        )
        if synthesize_envs:
            proposer = "llm"
        config = RunConfig(
            **fields,
            max_turns=max_turns,
            answer_mode=answer_mode,
            proposer=proposer,
            rollouts=rollouts,
            max_pass_rate=max_pass_rate,
            repair_rounds=repair_rounds,
            escalations=escalations,
        )
        for endpoint in {config.model, config.solver_model} - {None}:
            endpoint.api_key()  # a missing key fails here, before any work
    except ValidationError as exc:
        _fail(f"invalid option: {'.'.join(map(str, exc.errors()[0]['loc'])) or 'options'}: {exc.errors()[0]['msg']}")
    except ValueError as exc:
        _fail(str(exc))
    if synthesize_envs:
        from synth.env.registry import ENVS_DIR
        from synth.synthesize.batch import fill_missing, report_lines
        from synth.synthesize.synthesize import SynthesisOptions

        target = envs_dir[0] if envs_dir else ENVS_DIR
        console.print(f"synthesizing missing environments into {target} ...")
        synthesis = fill_missing(
            envs,
            config.model,
            target,
            SynthesisOptions(seed=seed, sandbox=config.sandbox),
            workers=config.workers,
            envs_dirs=list(envs_dir),
        )
        for line in report_lines(synthesis)[-3:] if synthesis else ["enough templates exist already"]:
            console.print(line, highlight=False)
    progress = Progress(
        TextColumn("[bold]generating"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("envs"),
        TextColumn("{task.fields[tasks]} tasks"),
        TimeElapsedColumn(),
        console=console,
    )
    state = {"bar": None, "tasks": 0}

    def on_plan(total: int, done: int) -> None:
        if done:
            console.print(f"resuming: {done} of {total} environments already done")
        state["bar"] = progress.add_task("envs", total=total, completed=done, tasks=0)

    def on_result(result) -> None:
        state["tasks"] += len(result.tasks)
        progress.update(state["bar"], advance=1, tasks=state["tasks"])
        if result.error:
            progress.console.print(
                f"[yellow]environment {result.unit.env_id} ({escape(result.unit.template)}) failed:[/] "
                f"{escape(result.error.splitlines()[0])}",
                highlight=False,
            )

    try:
        with progress:
            summary = run_generate(
                config, force=force, resume=resume, use_ray=not no_ray, on_result=on_result, on_plan=on_plan
            )
    except (TemplateLoadError, RunDirError, RunIncomplete, ValueError) as exc:
        _fail(str(exc))
    _print_summary(summary.model_dump())


def _print_summary(s: dict) -> None:
    table = Table(title=f"run summary: {s['out']}", show_header=False)
    rows = [
        ("environments", f"{s['envs_ok']} ok, {s['envs_failed']} failed (of {s['envs_planned']})"),
        ("tasks proposed", str(s["tasks_proposed"])),
        ("tasks accepted", str(s["tasks_accepted"])),
        (
            "tasks rejected",
            f"{s['tasks_rejected']}"
            + (f"  ({', '.join(f'{k}: {v}' for k, v in s['rejections'].items())})" if s["rejections"] else ""),
        ),
        ("proposals declined", str(s["tasks_declined"])),
        ("trajectories", f"{s['trajectories']} (pass rate {s['pass_rate']:.1%})"),
        ("by agent category", ", ".join(f"{k}: {v}" for k, v in s["by_category"].items())),
        ("by difficulty", ", ".join(f"L{k}: {v}" for k, v in s["by_difficulty"].items())),
        ("duplicates removed", str(s["duplicates_removed"])),
        ("diversity", f"{s['distinct_shapes']} task shapes, {s['distinct_tools_per_task']} distinct tools per task"),
        ("tool calls per task", str(s["tool_calls_per_task"])),
        ("wall time", f"{s['wall_s']} s ({s['tasks_per_s']} tasks/s)"),
        ("data", f"{s['out']}  (datasets.load_from_disk)"),
    ]
    if s.get("model"):
        m = s["model"]
        rate = "-" if m["solver_pass_rate"] is None else f"{m['solver_pass_rate']:.1%}"
        rows[-1:-1] = [
            ("model calls", f"{m['model_calls']} ({m['retries']} retried, {m['proposer_calls']} proposing)"),
            (
                "tokens",
                f"{m['prompt_tokens']} prompt, {m['completion_tokens']} completion ({m['reasoning_tokens']} reasoning)",
            ),
            ("solver rollouts", f"{m['solver_rollouts']} (pass rate {rate})"),
            ("faults survived", ", ".join(f"{k}: {v}" for k, v in list(m["faults"].items())[:6]) or "none"),
        ]
    for k, v in rows:
        table.add_row(k, escape(str(v)))
    console.print(table)
    for error in s.get("env_errors", []):
        console.print(f"[yellow]failed environment[/] {escape(error)}", highlight=False)


@app.command()
def show(
    run: Path = typer.Argument(..., help="a run folder"),
    task: Optional[str] = typer.Option(None, "--task", help="a task id to print with its trajectory"),
) -> None:
    """Print a run's summary, or one task with its trajectory."""
    if not (run / "dataset_dict.json").exists():
        _fail(f"{run} is not a finished synth run (no dataset_dict.json)")
    if task is None:
        _print_summary(json.loads((run / "summary.json").read_text()))
        return
    from synth.dataset.loader import load_run

    dd = load_run(run)
    rows = dd["tasks"].filter(lambda r: r["task_id"] == task)
    if len(rows) == 0:
        _fail(f"no task {task} in {run}; task ids are in the 'task_id' column of the tasks split")
    row = rows[0]
    say = lambda label, text: console.print(f"{label}{escape(str(text))}", highlight=False)  # noqa: E731
    console.rule(
        escape(f"{row['task_id']}  {row['template']}@{row['template_version']}  L{row['difficulty']} {row['shape']}")
    )
    say("[bold]instruction:[/] ", row["instruction"])
    say("[bold]tools:[/] ", ", ".join(t["function"]["name"] for t in json.loads(row["tools"])))
    say("[bold]answer:[/] ", f"{row['answer_schema'] or 'none (state only)'} ({row['answer_mode']} mode)")
    for traj in dd["trajectories"].filter(lambda r: r["task_id"] == task):
        console.rule(f"trajectory ({escape(traj['agent'])}): reward {traj['reward']}, {traj['tool_calls']} tool calls")
        for m in traj["messages"][1:]:
            if m["tool_calls"]:
                for c in m["tool_calls"]:
                    say("[cyan]assistant →[/] ", f"{c['function']['name']}({c['function']['arguments']})")
            elif m["role"] == "tool":
                say("[dim]tool:[/] ", m["content"] if len(m["content"]) < 400 else m["content"][:400] + " …")
            else:
                say(f"[bold]{m['role']}:[/] ", m["content"])
    console.rule("verifier")
    say("[bold]grading library:[/] ", f"{row['verifier_library']} (grader/ in the run)")
    say("[bold]parameters:[/] ", row["verifier_params"])
    if row["verifier"]:
        say("", row["verifier"])


@app.command()
def report(
    run: Path = typer.Argument(..., help="a run folder"),
    out: Optional[Path] = typer.Option(None, "--out", help="where to write (default: RUN/report.html)"),
) -> None:
    """Write a self-contained HTML report of a run (counts, pass rates, rejections, sample tasks)."""
    from synth.dataset.report import write_report

    if not (run / "dataset_dict.json").exists():
        _fail(f"{run} is not a finished synth run (no dataset_dict.json)")
    console.print(f"wrote {write_report(run, out)}")


@app.command()
def export(
    run: Path = typer.Argument(..., help="a run folder"),
    format: str = typer.Option(..., "--format", help="nemo-gym, verl, trl or hub"),
    out: Path = typer.Option(..., "--out", help="the folder to write"),
    answer_mode: Optional[str] = typer.Option(
        None, "--answer-mode", help="text or tool (default: each task's own); not for hub"
    ),
    overwrite: bool = typer.Option(False, "--overwrite", help="replace a non-empty --out"),
) -> None:
    """Write a run's tasks in the format an RL trainer loads (see synth/serving/exports.py)."""
    from synth.serving.exports import ExportError
    from synth.serving.exports import export as run_export

    if format == "hub" and answer_mode:
        _fail("--answer-mode does not apply to --format hub, a copy of the run as it is")
    try:
        written = run_export(run, format, out, answer_mode=answer_mode, overwrite=overwrite)
    except (ExportError, ValueError) as exc:
        _fail(str(exc))
    files = sorted(p.relative_to(written) for p in written.rglob("*") if p.is_file())
    console.print(
        f"wrote {format} export of {run} to {written}: "
        + ", ".join(map(str, files[:8]))
        + (f" and {len(files) - 8} more" if len(files) > 8 else ""),
        highlight=False,
    )


@app.command()
def push(
    run: Path = typer.Argument(..., help="a run folder"),
    repo_id: str = typer.Option(..., "--repo-id", help="the dataset repository, e.g. user/name"),
    private: bool = typer.Option(False, "--private/--public", help="create the repository private"),
    token_env: Optional[str] = typer.Option(
        None, "--token-env", help="variable holding the Hub token (default: the Hub client's own login)"
    ),
) -> None:
    """Upload a run to the Hugging Face Hub in the layout of `synth export --format hub`."""
    import os

    from synth.serving.hub import push as hub_push

    if not (run / "dataset_dict.json").exists():
        _fail(f"{run} is not a finished synth run (no dataset_dict.json)")
    token = None
    if token_env:
        token = os.environ.get(token_env)
        if not token:
            _fail(f"--token-env {token_env}: that variable is not set")
    try:
        repo = hub_push(run, repo_id, private=private, token=token)
    except Exception as exc:  # noqa: BLE001 - the Hub client's errors (auth, network) end the command clearly
        _fail(f"could not push {run} to {repo_id}: {type(exc).__name__}: {exc}")
    console.print(f"pushed {run} to the dataset repository {repo}", highlight=False)


@app.command()
def serve(
    engine: str = typer.Option(..., "--engine", help="vllm or sglang"),
    model: str = typer.Option("deepseek-ai/DeepSeek-V3.2", "--model"),
    tp: int = typer.Option(8, "--tp", help="tensor parallel size (GPUs per replica)"),
    dp: int = typer.Option(1, "--dp", help="data parallel size (SGLang: DP attention)"),
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port"),
    engine_arg: list[str] = typer.Option([], "--engine-arg", help="extra flag passed to the engine (repeatable)"),
    wait_timeout: float = typer.Option(3600.0, "--wait-timeout", help="seconds to wait for the first answer"),
    dry_run: bool = typer.Option(False, "--dry-run", help="print the command and exit"),
) -> None:
    """Serve a V3.2-style model with vLLM or SGLang; prints the base URL for `synth generate --base-url`."""
    import shlex

    from pydantic import ValidationError

    from synth.serve import ServeError, ServeOptions, launch, serve_command, stop, wait_until_ready

    try:
        options = ServeOptions(
            engine=engine, model=model, tp=tp, dp=dp, host=host, port=port, engine_args=tuple(engine_arg)
        )
    except ValidationError as exc:
        _fail(f"invalid option: {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}")
    if dry_run:
        print(shlex.join(serve_command(options)))
        return
    try:
        proc = launch(options)
        console.print(f"starting {engine}: {shlex.join(serve_command(options))}", highlight=False)
        try:
            wait_until_ready(options, proc, wait_timeout)
        except KeyboardInterrupt:
            stop(proc)
            raise typer.Exit(130)
    except ServeError as exc:
        _fail(str(exc))
    print(f"ready: {options.base_url}", flush=True)
    print(
        f"use: synth generate --provider {options.provider} --base-url {options.base_url} --model {model}", flush=True
    )
    try:
        proc.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop(proc)


@envs_app.command("list")
def envs_list(
    envs_dir: EnvsDirs = [], variants: bool = typer.Option(False, "--variants", help="show each family's variant space")
) -> None:
    """List the environment templates found in envs/ and extra folders."""
    from synth.env.registry import discover

    if variants:
        _print_variants(discover(envs_dir))
        return

    table = Table("name", "category", "version", "tools", "difficulty levels", "folder")
    broken = False
    for e in discover(envs_dir):
        if e.cls is None:
            broken = True
            table.add_row(f"[red]{escape(e.name)}[/]", "[red]failed to load[/]", "", "", "", escape(str(e.folder)))
            continue
        kinds = [s.kind for s in e.cls.tools().values()]
        table.add_row(
            escape(e.name),
            escape(e.cls.category),
            escape(e.cls.version),
            f"{len(kinds)} ({kinds.count('read')} read, {kinds.count('write')} write)",
            ", ".join(map(str, e.cls.difficulties())),
            escape(str(e.folder)),
        )
    console.print(table)
    for e in discover(envs_dir):
        if e.error:
            console.print(f"[red]{escape(e.error)}[/]", highlight=False)
    if broken:
        raise typer.Exit(1)


@envs_app.command("synthesize")
def envs_synthesize(
    category: Optional[str] = typer.Option(None, "--category", help="one category to build an environment for"),
    categories: Optional[Path] = typer.Option(
        None, "--categories", help="a file of categories, one a line (default: the built-in taxonomy)"
    ),
    count: int = typer.Option(1, "--count", help="templates to keep"),
    out: Optional[Path] = typer.Option(
        None,
        "--out",
        help="with --category: the template's folder (envs/NAME); "
        "else the folder that receives templates (default: envs/)",
    ),
    workers: int = typer.Option(1, "--workers", help="syntheses in flight"),
    seed: int = typer.Option(0, "--seed"),
    repair_rounds: int = typer.Option(3, "--repair-rounds", help="repairs of a rejected template"),
    sandbox: Sandbox = "bwrap",
    model: Model = None,
    provider: Provider = "deepseek",
    base_url: BaseUrl = None,
    api_key_env: ApiKeyEnv = None,
    thinking: Thinking = False,
    temperature: Temperature = None,
    top_p: TopP = None,
    max_tokens: MaxTokens = None,
    request_timeout: RequestTimeout = None,
    concurrency: Concurrency = None,
) -> None:
    """Let a model write environment templates (database, tools), validated in the sandbox, into envs/."""
    from pydantic import ValidationError

    from synth.env.registry import ENVS_DIR
    from synth.model.endpoint import endpoints_from_options
    from synth.synthesize.batch import report_lines, synthesize_many
    from synth.synthesize.synthesize import SynthesisOptions
    from synth.synthesize.taxonomy import load_categories

    if category and categories:
        _fail("pass --category or --categories, not both")
    if not model:
        _fail("--model is required: the model that writes the templates")
    try:
        endpoint = endpoints_from_options(
            **_endpoint_options(
                model,
                provider,
                base_url,
                api_key_env,
                thinking,
                temperature,
                top_p,
                max_tokens,
                request_timeout,
                concurrency,
            )
        )["model"]
        endpoint.api_key()
        options = SynthesisOptions(seed=seed, repair_rounds=repair_rounds, sandbox=sandbox)
        wanted = [category] if category else load_categories(categories)
    except ValidationError as exc:
        _fail(f"invalid option: {'.'.join(map(str, exc.errors()[0]['loc']))}: {exc.errors()[0]['msg']}")
    except ValueError as exc:
        _fail(str(exc))
    if category and out is not None:  # --out envs/NAME: exactly that folder
        from synth.synthesize.batch import SynthesisReport
        from synth.synthesize.synthesize import existing_templates, synthesize_env

        names, _, texts = existing_templates([out.parent])
        report = SynthesisReport(
            records=[
                synthesize_env(category, endpoint, out.parent, options, taken=names, descriptions=texts, target=out)
            ]
        )
    else:
        report = synthesize_many(wanted, 1 if category else count, endpoint, out or ENVS_DIR, options, workers=workers)
    for line in report_lines(report):
        console.print(escape(line), highlight=False)
    for r in report.records:
        if not r.kept:
            console.print(f"[yellow]{escape(r.category)}[/]: {escape(r.reason)}: {escape(r.detail)}", highlight=False)
    if not report.kept:
        raise typer.Exit(1)


@envs_app.command("new")
def envs_new(
    name: str = typer.Argument(..., help="template name (lowercase, digits, underscores)"),
    category: Optional[str] = typer.Option(None, "--category", help="domain shown to the agent"),
    out: Optional[Path] = typer.Option(None, "--out", help="the folder that receives it (default: envs/)"),
) -> None:
    """Scaffold a working template (database, two tools, one proposer, a test) to edit."""
    from synth.env.registry import ENVS_DIR
    from synth.env.scaffold import scaffold

    try:
        folder = scaffold(name, out or ENVS_DIR, category)
    except (ValueError, FileExistsError) as exc:
        _fail(str(exc))
    console.print(
        f"created {folder}/env.py and its test; next: synth envs check {name}" + (f" --envs-dir {out}" if out else "")
    )


def _print_variants(entries) -> None:
    table = Table("name", "variants", "optional tools", "renamed tools", "policy rules", "scales")
    for e in entries:
        if e.cls is None:
            continue
        space = e.cls.variants
        table.add_row(
            *map(
                escape,
                (
                    e.name,
                    str(space.size()),
                    ", ".join(space.optional_tools) or "-",
                    "; ".join(f"{t} → {'/'.join(n)}" for t, n in space.renames.items()) or "-",
                    "; ".join(f"{k}: {v}" for k, v in space.rules.items()) or "-",
                    ", ".join(space.scales),
                ),
            )
        )
    console.print(table)


@envs_app.command("check")
def envs_check(
    name: Optional[str] = typer.Argument(None, help="template name (default: all)"),
    seeds: int = typer.Option(6, "--seeds", help="environment seeds to sample"),
    per_proposer: int = typer.Option(2, "--per-proposer", help="tasks per proposer and seed"),
    sandbox: Sandbox = "bwrap",
    envs_dir: EnvsDirs = [],
) -> None:
    """Prove templates sound on a sample of seeds; prints every failure in full and exits non-zero on any."""
    from synth.env.registry import TemplateLoadError, select
    from synth.pipeline.check import check_template

    try:
        entries = select([name] if name else None, envs_dir)
    except TemplateLoadError as exc:
        _fail(str(exc))
    ok = True
    for entry in entries:
        rows = check_template(entry, seeds=seeds, per_proposer=per_proposer, sandbox=sandbox)
        for row in rows:
            ok &= row.ok
            typer.echo(
                f"{'ok  ' if row.ok else 'FAIL'}  {row.template}: {row.check} "
                f"({row.passed} passed, {row.failed} failed)"
            )
        for row in rows:
            for failure in row.failures:
                typer.echo(f"  {row.template}: {row.check}: {failure}")
    if not ok:
        raise typer.Exit(1)


@envs_app.command("serve")
def envs_serve(
    run: Path = typer.Argument(..., help="a run folder"),
    host: str = typer.Option("127.0.0.1", "--host", help="address to bind (anything but loopback needs --token-env)"),
    port: int = typer.Option(8000, "--port", help="port (0: any free one)"),
    workers: int = typer.Option(2, "--workers", help="sandboxed worker processes holding the sessions"),
    max_sessions: int = typer.Option(2048, "--max-sessions", help="open sessions at most"),
    ttl: float = typer.Option(900.0, "--ttl", help="seconds an idle session lives"),
    token_env: Optional[str] = typer.Option(
        None,
        "--token-env",
        help="variable holding the token every request must send as 'Authorization: Bearer <token>'",
    ),
    max_body_bytes: int = typer.Option(1_000_000, "--max-body-bytes", help="largest request body or WebSocket message"),
    worker_memory_mb: int = typer.Option(4096, "--worker-memory-mb", help="address space per worker"),
    warm: bool = typer.Option(
        True, "--warm/--no-warm", help="build the environment instances before taking requests (else on first use)"
    ),
    sandbox: Sandbox = "bwrap",
    envs_dir: EnvsDirs = [],
) -> None:
    """Serve a run's tasks to RL trainers: NeMo Gym (POST /seed_session, /{tool}, /verify) and OpenEnv (/ws)."""
    import os

    from synth.dataset.shards import RunDirError
    from synth.env.registry import TemplateLoadError
    from synth.serving.app import serve

    token = None
    if token_env is not None:
        token = os.environ.get(token_env)
        if not token:
            _fail(f"--token-env {token_env}: the variable is not set or empty")
    if not (run / "dataset_dict.json").is_file():
        _fail(f"{run} is not a run folder (no dataset_dict.json); pass the --out folder of `synth generate`")
    if min(workers, max_sessions, max_body_bytes) < 1 or ttl <= 0:
        _fail("--workers, --max-sessions, --max-body-bytes and --ttl must be positive")

    def ready(url: str) -> None:
        ws = url.replace("http", "ws", 1)
        typer.echo(f"serving {run} on {url}  (NeMo Gym: POST {url}/seed_session; OpenEnv: {ws}/ws)")
        sys.stdout.flush()

    try:
        serve(
            run,
            host=host,
            port=port,
            workers=workers,
            max_sessions=max_sessions,
            ttl_s=ttl,
            token=token,
            max_body_bytes=max_body_bytes,
            sandbox=sandbox,
            envs_dirs=list(envs_dir),
            worker_memory_mb=worker_memory_mb,
            warm=warm,
            on_ready=ready,
        )
    except KeyboardInterrupt:  # uvicorn stopped cleanly on SIGINT, then passed the signal on
        typer.echo("stopped")
    except (ValueError, OSError, RunDirError, TemplateLoadError) as exc:
        _fail(str(exc))


@sandbox_app.command("run")
def sandbox_run(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="a Python file"),
    sandbox: Sandbox = "bwrap",
    wall_timeout: float = typer.Option(30.0, "--wall-timeout", help="wall-clock seconds"),
    memory_mb: int = typer.Option(1024, "--memory-mb"),
) -> None:
    """Run a Python file in the sandbox and print one JSON result."""
    from synth.sandbox import SandboxLimits, get_backend

    try:
        limits = SandboxLimits(wall_timeout_s=wall_timeout, cpu_s=max(1, int(wall_timeout) + 1), memory_mb=memory_mb)
        result = get_backend(sandbox).run_file(file, limits)
    except (ValueError, RuntimeError) as exc:
        _fail(str(exc))
    sys.stdout.write(result.model_dump_json() + "\n")


@sandbox_app.command("build-image")
def sandbox_build_image(
    image: Optional[str] = typer.Option(
        None, "--image", help="name:tag (default: $SYNTH_DOCKER_IMAGE or synth-sandbox:latest)"
    ),
) -> None:
    """Build the Docker sandbox image offline, from this machine's Python (no registry needed)."""
    from synth.sandbox.containers import DockerUnavailable, connect
    from synth.sandbox.image import build_image

    try:
        info = build_image(connect(), image)
    except (DockerUnavailable, RuntimeError) as exc:
        _fail(str(exc))
    console.print(f"built {info.name} (python {info.python}, fingerprint {info.fingerprint})", highlight=False)


if __name__ == "__main__":
    app()
