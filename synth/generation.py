"""`synth generate`: the run the configuration describes, with its tasks made by the templates' proposers, or by a
proposing model (synth.propose) for `--proposer llm`."""

from __future__ import annotations

from typing import Any

from synth.config import RunConfig
from synth.dataset.summary import RunSummary
from synth.pipeline.run import generate as run_pipeline


def generate(config: RunConfig, **options: Any) -> RunSummary:
    if config.proposer == "llm":
        from synth.propose.llm import propose_with_model

        options["make_tasks"] = propose_with_model
    return run_pipeline(config, **options)
