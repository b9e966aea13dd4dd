"""Environment templates: the base class, tools, proposers, and discovery of envs/."""

from synth.env.helpers import only
from synth.env.proposer import proposer
from synth.env.template import EnvTemplate, TemplateError
from synth.env.tool import ToolArgumentError, ToolDefinitionError, tool
from synth.env.variant import Variant, VariantSpace
from synth.expect import Answer, Effects, Rule, deletes, inserts, updates
from synth.task import Program, TaskDraft

__all__ = [
    "Answer",
    "Effects",
    "EnvTemplate",
    "Program",
    "Rule",
    "TaskDraft",
    "TemplateError",
    "ToolArgumentError",
    "ToolDefinitionError",
    "Variant",
    "VariantSpace",
    "deletes",
    "inserts",
    "only",
    "proposer",
    "tool",
    "updates",
]
