"""A run in the Hugging Face Hub layout, and `synth push`.

    README.md                                 the dataset card; its YAML lists the configs (and their features)
    tasks/train-00000-of-00001.parquet        one config per split of the run, each with one `train` split
    trajectories/train-00000-of-00001.parquet
    environments/train-...parquet
    rejections/train-...parquet
    grader/, templates/                       the grading library and templates the stored verifiers run on

Splits of one config must share one schema on the Hub, and a run's four splits have four schemas, so each becomes a
config of its own: `datasets.load_dataset(DIR_OR_REPO, "trajectories", split="train")`. The parquet shards are
named and the card's YAML is shaped as `Dataset.push_to_hub(repo, config_name=...)` writes them, so the pushed
repository and the exported folder hold the same files.
"""

from __future__ import annotations

import math
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import datasets
from datasets.info import DatasetInfo, DatasetInfosDict
from datasets.splits import SplitDict, SplitInfo
from datasets.utils.metadata import MetadataConfigs
from huggingface_hub import DatasetCard, DatasetCardData

from synth.dataset.loader import TEMPLATES_FOLDER, load_run
from synth.dataset.schema import SPLITS

CONFIGS: tuple[str, ...] = tuple(SPLITS)  # tasks, trajectories, environments, rejections
DEFAULT_CONFIG = "tasks"
SPLIT = "train"
CARRIED_FOLDERS = ("grader", TEMPLATES_FOLDER)
MAX_SHARD_BYTES = 500 << 20  # as push_to_hub's default


def shard_path(config: str, index: int, count: int) -> str:
    return f"{config}/{SPLIT}-{index:05d}-of-{count:05d}.parquet"


def shard_count(dataset: datasets.Dataset, max_shard_bytes: int = MAX_SHARD_BYTES) -> int:
    return max(1, math.ceil((dataset.data.nbytes or 0) / max_shard_bytes))


def hub_configs(run: Path, dd: datasets.DatasetDict) -> dict[str, datasets.Dataset]:
    """The configs to publish: the run's splits, less empty ones. `datasets` cannot load a split with no rows
    ("corresponds to no data"), nor can the Hub's viewer, so an empty split (a run with no rejections) is left out
    and the card says so."""
    missing = [name for name in CONFIGS if name not in dd]
    if missing:
        raise ValueError(f"{run} lacks the split(s) {', '.join(missing)}; is it a finished synth run?")
    configs = {name: dd[name] for name in CONFIGS if dd[name].num_rows}
    if not configs:
        raise ValueError(f"{run} holds no rows at all; nothing to publish")
    return configs


def default_config(configs: dict[str, Any]) -> str:
    return DEFAULT_CONFIG if DEFAULT_CONFIG in configs else next(iter(configs))


def _metadata(configs: dict[str, datasets.Dataset], sizes: dict[str, int]) -> tuple[MetadataConfigs, DatasetInfosDict]:
    default = default_config(configs)
    metadata = MetadataConfigs(
        {
            name: {
                "data_files": [{"split": SPLIT, "path": f"{name}/{SPLIT}-*"}],
                **({"default": True} if name == default else {}),
            }
            for name in configs
        }
    )
    infos = DatasetInfosDict()
    for name, ds in configs.items():
        splits = SplitDict()
        splits.add(SplitInfo(name=SPLIT, num_bytes=ds.data.nbytes, num_examples=ds.num_rows))
        infos[name] = DatasetInfo(
            config_name=name,
            features=ds.features,
            splits=splits,
            download_size=sizes[name],
            dataset_size=ds.data.nbytes,
        )
    return metadata, infos


LOADING = """## Loading

```python
import datasets
rows = datasets.load_dataset("{where}", "{default}", split="train")
```

Each of `tasks`, `trajectories`, `environments` and `rejections` is a config with one `train` split
(`datasets.get_dataset_config_names` lists them). `grader/` and
`templates/` hold what the stored verifiers run on: with this repository downloaded
(`huggingface_hub.snapshot_download(repo_id, repo_type="dataset")`), `synth.dataset.loader.TaskEnvironment(row,
run_dir=<that folder>)` rebuilds any task's environment in a sandbox and grades a trajectory with its verifier.
"""


def card_text(
    run: Path, configs: dict[str, datasets.Dataset], sizes: dict[str, int], where: str, empty: list[str] = ()
) -> str:
    """The run's card with its YAML made the Hub's (configs, their features and sizes) and Hub loading steps."""
    source = run / "README.md"
    card = (
        DatasetCard(source.read_text()) if source.is_file() else DatasetCard(f"---\n---\n\n# synth run `{run.name}`\n")
    )
    data = card.data.to_dict()
    data.pop("dataset_info", None)  # the run's card lists the four splits of one DatasetDict
    data.pop("configs", None)
    card_data = DatasetCardData(**data)
    metadata, infos = _metadata(configs, sizes)
    metadata.to_dataset_card_data(card_data)
    infos.to_dataset_card_data(card_data)
    body = card.text
    loading = LOADING.format(where=where, default=default_config(configs))
    if empty:
        loading += (
            f"\nThis run has no rows in {', '.join(f'`{name}`' for name in empty)}, so "
            f"{'that config is' if len(empty) == 1 else 'those configs are'} left out.\n"
        )
    if re.search(r"^## Loading$", body, flags=re.M):
        body = re.sub(r"^## Loading\n.*?(?=^## |\Z)", lambda _: loading + "\n", body, count=1, flags=re.M | re.S)
    else:
        body = body.rstrip() + "\n\n" + loading
    return f"---\n{card_data.to_yaml()}\n---\n{body}"


def write_hub(
    run: str | Path, out: str | Path, *, where: str | None = None, max_shard_bytes: int = MAX_SHARD_BYTES
) -> dict[str, list[str]]:
    """Write the Hub layout of `run` into the folder `out` (empty or new); returns {config: shard paths}. `where`
    is what the card tells readers to load (a repository id, or the folder the layout ends up in)."""
    run, out = Path(run), Path(out)
    dd = load_run(run)
    configs = hub_configs(run, dd)
    shards: dict[str, list[str]] = {}
    sizes: dict[str, int] = {}
    for name, ds in configs.items():
        count = shard_count(ds, max_shard_bytes)
        shards[name], sizes[name] = [], 0
        for index in range(count):
            path = out / shard_path(name, index, count)
            path.parent.mkdir(parents=True, exist_ok=True)
            ds.shard(num_shards=count, index=index, contiguous=True).to_parquet(str(path))
            shards[name].append(shard_path(name, index, count))
            sizes[name] += path.stat().st_size
    for folder in CARRIED_FOLDERS:
        if (run / folder).is_dir():
            shutil.copytree(run / folder, out / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    empty = [name for name in CONFIGS if name not in configs]
    (out / "README.md").write_text(card_text(run, configs, sizes, where or str(out.resolve()), empty))
    return shards


def push(
    run: str | Path,
    repo_id: str,
    *,
    private: bool | None = None,
    token: str | None = None,
    max_shard_bytes: int = MAX_SHARD_BYTES,
    api: Any = None,
) -> str:
    """Upload `run` to the dataset repository `repo_id` in the layout of `write_hub`: each config with
    `Dataset.push_to_hub(repo_id, config_name=..., split="train")`, then the card and the carried folders.
    Returns `repo_id`."""
    from huggingface_hub import HfApi

    run = Path(run)
    configs = hub_configs(run, load_run(run))
    default = default_config(configs)
    api = api or HfApi(token=token)
    api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
    for name, ds in configs.items():
        ds.push_to_hub(
            repo_id,
            config_name=name,
            split=SPLIT,
            set_default=name == default,
            private=private,
            token=token,
            max_shard_size=max_shard_bytes,
            commit_message=f"synth push: {name}",
        )
    with tempfile.TemporaryDirectory(prefix="synth-push-") as tmp:
        write_hub(run, tmp, where=repo_id, max_shard_bytes=max_shard_bytes)
        api.upload_folder(
            repo_id=repo_id,
            repo_type="dataset",
            folder_path=tmp,
            allow_patterns=["README.md", *(f"{folder}/**" for folder in CARRIED_FOLDERS)],
            commit_message="synth push: card, grader and templates",
        )
    return repo_id
