"""The `synth` command line: thin wrappers that parse options and call the library."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

app = typer.Typer(help="Synthesize sandboxed tool-use environments and verified agentic tasks.",
                  no_args_is_help=True, add_completion=False)
envs_app = typer.Typer(help="Environment templates: list and check them.", no_args_is_help=True)
sandbox_app = typer.Typer(help="Run code in the sandbox.", no_args_is_help=True)
app.add_typer(envs_app, name="envs")
app.add_typer(sandbox_app, name="sandbox")
console = Console()


def _fail(message: str) -> None:
    console.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(2)


def _csv(value: Optional[str]) -> Optional[tuple[str, ...]]:
    return tuple(v.strip() for v in value.split(",") if v.strip()) if value else None


@app.command()
def generate(
    envs: int = typer.Option(12, "--envs", help="environment instances to create"),
    tasks_per_env: int = typer.Option(6, "--tasks-per-env", help="accepted tasks wanted per environment"),
    seed: int = typer.Option(0, "--seed"),
    out: Path = typer.Option(Path("runs/demo"), "--out", help="output folder (a Hugging Face DatasetDict)"),
    templates: Optional[str] = typer.Option(None, "--templates", help="comma-separated template names (default: all)"),
    envs_dir: list[Path] = typer.Option([], "--envs-dir", help="extra folder of templates (repeatable)"),
    sandbox: str = typer.Option("bwrap", "--sandbox", help="bwrap, or none for trusted development only"),
    workers: Optional[int] = typer.Option(None, "--workers", help="parallel environment workers (default: CPUs)"),
    ray_address: Optional[str] = typer.Option(None, "--ray-address", help="join a Ray cluster (auto or HOST:PORT)"),
    force: bool = typer.Option(False, "--force", help="replace an existing run in --out"),
    no_ray: bool = typer.Option(False, "--no-ray", help="run in this process, without Ray"),
) -> None:
    """Build environments, propose and validate tasks, and write the dataset."""
    from pydantic import ValidationError

    from synth.config import RunConfig
    from synth.dataset.shards import RunDirError
    from synth.env.registry import TemplateLoadError
    from synth.pipeline.run import generate as run_generate

    try:
        fields = dict(envs=envs, tasks_per_env=tasks_per_env, seed=seed, out=out, templates=_csv(templates),
                      envs_dirs=tuple(envs_dir), sandbox=sandbox, ray_address=ray_address)
        if workers is not None:
            fields["workers"] = workers
        config = RunConfig(**fields)
    except ValidationError as exc:
        _fail(f"invalid option: {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}")
    progress = Progress(TextColumn("[bold]generating"), BarColumn(), MofNCompleteColumn(), TextColumn("envs"),
                        TextColumn("{task.fields[tasks]} tasks"), TimeElapsedColumn(), console=console)
    state = {"bar": None, "tasks": 0}

    def on_plan(total: int, done: int) -> None:
        if done:
            console.print(f"resuming: {done} of {total} environments already done")
        state["bar"] = progress.add_task("envs", total=total, completed=done, tasks=0)

    def on_result(result) -> None:
        state["tasks"] += len(result.tasks)
        progress.update(state["bar"], advance=1, tasks=state["tasks"])
        if result.error:
            progress.console.print(f"[yellow]environment {result.unit.env_id} ({result.unit.template}) failed:[/] "
                                   f"{result.error.splitlines()[0]}")

    try:
        with progress:
            summary = run_generate(config, force=force, use_ray=not no_ray, on_result=on_result, on_plan=on_plan)
    except (TemplateLoadError, RunDirError, ValueError) as exc:
        _fail(str(exc))
    _print_summary(summary.model_dump())


def _print_summary(s: dict) -> None:
    table = Table(title=f"run summary: {s['out']}", show_header=False)
    rows = [
        ("environments", f"{s['envs_ok']} ok, {s['envs_failed']} failed (of {s['envs_planned']})"),
        ("tasks proposed", str(s["tasks_proposed"])),
        ("tasks accepted", str(s["tasks_accepted"])),
        ("tasks rejected", f"{s['tasks_rejected']}" + (f"  ({', '.join(f'{k}: {v}' for k, v in s['rejections'].items())})"
                                                       if s["rejections"] else "")),
        ("proposals declined", str(s["tasks_declined"])),
        ("trajectories", f"{s['trajectories']} (pass rate {s['pass_rate']:.1%})"),
        ("by difficulty", ", ".join(f"L{k}: {v}" for k, v in s["by_difficulty"].items())),
        ("distinct task shapes", str(s["distinct_shapes"])),
        ("tool calls per task", str(s["tool_calls_per_task"])),
        ("wall time", f"{s['wall_s']} s ({s['tasks_per_s']} tasks/s)"),
        ("data", f"{s['out']}  (datasets.load_from_disk)"),
    ]
    for k, v in rows:
        table.add_row(k, v)
    console.print(table)
    for error in s.get("env_errors", []):
        console.print(f"[yellow]failed environment[/] {error}")


@app.command()
def show(run: Path = typer.Argument(..., help="a run folder"),
         task: Optional[str] = typer.Option(None, "--task", help="a task id to print with its trajectory")) -> None:
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
    console.rule(f"{row['task_id']}  {row['template']}@{row['template_version']}  L{row['difficulty']} {row['shape']}")
    console.print(f"[bold]instruction:[/] {row['instruction']}", highlight=False)
    console.print(f"[bold]tools:[/] {', '.join(t['function']['name'] for t in json.loads(row['tools']))}")
    for traj in dd["trajectories"].filter(lambda r: r["task_id"] == task):
        console.rule(f"trajectory ({traj['policy']}): reward {traj['reward']}, {traj['tool_calls']} tool calls")
        for m in traj["messages"][1:]:
            if m["tool_calls"]:
                for c in m["tool_calls"]:
                    console.print(f"[cyan]assistant → {c['function']['name']}[/]({c['function']['arguments']})",
                                  highlight=False)
            elif m["role"] == "tool":
                content = m["content"] if len(m["content"]) < 400 else m["content"][:400] + " …"
                console.print(f"[dim]tool:[/] {content}", highlight=False)
            else:
                console.print(f"[bold]{m['role']}:[/] {m['content']}", highlight=False)
    console.rule("verifier")
    console.print(row["verifier"], highlight=False)


@envs_app.command("list")
def envs_list(envs_dir: list[Path] = typer.Option([], "--envs-dir", help="extra folder of templates")) -> None:
    """List the environment templates found in envs/ and extra folders."""
    from synth.env.registry import discover

    table = Table("name", "category", "version", "tools", "difficulty levels", "folder")
    broken = False
    for e in discover(envs_dir):
        if e.cls is None:
            broken = True
            table.add_row(f"[red]{e.name}[/]", "[red]failed to load[/]", "", "", "", str(e.folder))
            continue
        kinds = [s.kind for s in e.cls.tools().values()]
        table.add_row(e.name, e.cls.category, e.cls.version,
                      f"{len(kinds)} ({kinds.count('read')} read, {kinds.count('write')} write)",
                      ", ".join(map(str, e.cls.difficulties())), str(e.folder))
    console.print(table)
    for e in discover(envs_dir):
        if e.error:
            console.print(f"[red]{e.error}[/]", highlight=False)
    if broken:
        raise typer.Exit(1)


@envs_app.command("check")
def envs_check(name: Optional[str] = typer.Argument(None, help="template name (default: all)"),
               seeds: int = typer.Option(2, "--seeds", help="environment seeds to sample"),
               per_proposer: int = typer.Option(3, "--per-proposer", help="tasks per proposer and seed"),
               sandbox: str = typer.Option("bwrap", "--sandbox"),
               envs_dir: list[Path] = typer.Option([], "--envs-dir")) -> None:
    """Prove templates sound on a sample of seeds; exits non-zero on any failure."""
    from synth.env.registry import TemplateLoadError, select
    from synth.pipeline.check import check_template

    try:
        entries = select([name] if name else None, envs_dir)
    except TemplateLoadError as exc:
        _fail(str(exc))
    table = Table("template", "check", "passed", "failed", "detail")
    ok = True
    for entry in entries:
        for row in check_template(entry, seeds=seeds, per_proposer=per_proposer, sandbox=sandbox):
            ok &= row.ok
            mark = "[green]ok[/]" if row.ok else "[red]FAIL[/]"
            table.add_row(row.template, f"{mark} {row.check}", str(row.passed), str(row.failed), row.detail[:200])
    console.print(table)
    if not ok:
        raise typer.Exit(1)


@sandbox_app.command("run")
def sandbox_run(file: Path = typer.Argument(..., exists=True, dir_okay=False, help="a Python file"),
                backend: str = typer.Option("bwrap", "--backend"),
                timeout: float = typer.Option(30.0, "--timeout", help="wall-clock seconds"),
                memory_mb: int = typer.Option(1024, "--memory-mb")) -> None:
    """Run a Python file in the sandbox and print one JSON result."""
    from synth.sandbox import SandboxLimits, get_backend

    try:
        limits = SandboxLimits(wall_timeout_s=timeout, cpu_s=max(1, int(timeout) + 1), memory_mb=memory_mb)
        result = get_backend(backend).run_file(file, limits)
    except (ValueError, RuntimeError) as exc:
        _fail(str(exc))
    sys.stdout.write(result.model_dump_json() + "\n")


if __name__ == "__main__":
    app()
