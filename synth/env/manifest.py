"""The static manifest beside a model-written env.py: everything the host needs to know about the
template (listing, planning, schemas, provenance) without importing the model's code."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MANIFEST_FILE = "manifest.json"
PROMPT_VERSION = "synthesize-1"


class Provenance(BaseModel):
    model: str
    prompt_version: str = PROMPT_VERSION
    seed: int
    repair_rounds: int = 0
    model_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0


class DbStats(BaseModel):
    tables: int
    rows: int
    foreign_keys: int


class Manifest(BaseModel):
    model_config = ConfigDict(frozen=True)

    synthesized: Literal[True] = True
    name: str
    version: str
    category: str
    agent_category: str = "general"
    description: str
    policy: str = ""
    tools: list[dict[str, Any]]  # OpenAI function schemas, derived inside the sandbox
    tool_kinds: dict[str, Literal["read", "write"]]
    difficulties: list[int] = Field(default_factory=lambda: [1, 2, 3])
    db: DbStats
    code_sha256: str
    provenance: Provenance


def read_manifest(folder: Path) -> Manifest | None:
    """The folder's manifest when it marks a synthesized template, else None."""
    path = folder / MANIFEST_FILE
    if not path.is_file():
        return None
    data = json.loads(path.read_text())
    return Manifest.model_validate(data) if isinstance(data, dict) and data.get("synthesized") else None


@dataclass(frozen=True)
class DescribedTool:
    """What the host knows about a tool of a synthesized template: its schema and kind, no function."""

    name: str
    kind: str
    description: str
    schema: dict


class DescribedTemplate:
    """Stands in for an EnvTemplate class on the host (TemplateEntry.cls): the same read-only surface,
    read from the manifest. The code itself is only ever imported inside a sandbox."""

    synthesized = True
    instances: dict[str, str] = {}

    def __init__(self, manifest: Manifest):
        from synth.env.variant import VariantSpace

        self.manifest = manifest
        self.name, self.version, self.category = manifest.name, manifest.version, manifest.category
        self.agent_category, self.description, self.policy = (
            manifest.agent_category,
            manifest.description,
            manifest.policy,
        )
        self.variants = VariantSpace()
        self._tools = {
            s["function"]["name"]: DescribedTool(
                name=s["function"]["name"],
                kind=manifest.tool_kinds.get(s["function"]["name"], "read"),
                description=s["function"].get("description", ""),
                schema=s,
            )
            for s in manifest.tools
        }

    def tools(self) -> dict[str, DescribedTool]:
        return self._tools

    def proposers(self) -> list:
        return []  # tasks come from the LLM proposer

    def difficulties(self) -> list[int]:
        return list(self.manifest.difficulties)
